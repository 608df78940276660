"""On-screen keyboard logic without pygame: layouts, layers and the text being typed.

French visitors get AZERTY with é è ê à ç ù on the top row (where a French keyboard has them) and an
« àé » key opening every other accented letter; English, Portuguese and Spanish visitors get QWERTY with the
same accent key; Arabic visitors the Arabic letters where an Arabic keyboard has them (ض over q).
Shift is one-shot, as on phones, and is on at the start of the text.
"""
from __future__ import annotations

from dataclasses import dataclass, field

SHIFT, BACKSPACE, SPACE, ACCENTS, SYMBOLS, LETTERS = "⇧", "⌫", "␣", "àé", "?123", "abc"
SPECIAL = {SHIFT, BACKSPACE, SPACE, ACCENTS, SYMBOLS, LETTERS}
MAX_CHARS = 280

LAYOUTS: dict[str, list[list[str]]] = {
    "azerty": [
        list("éèêàçù'-?!"),
        list("azertyuiop"),
        list("qsdfghjklm"),
        [SHIFT, *"wxcvbn,.", BACKSPACE],
        [SYMBOLS, ACCENTS, SPACE],
    ],
    "qwerty": [
        list("1234567890"),
        list("qwertyuiop"),
        list("asdfghjkl'"),
        [SHIFT, *"zxcvbnm", BACKSPACE],
        [SYMBOLS, ACCENTS, ",", SPACE, "."],     # as on phones; keeps every row within 11 key widths
    ],
    "arabic": [
        list("ضصثقفغعهخحج"),
        list("شسيبلاتنمكد"),
        ["ء", "ؤ", "ر", "لا", "ى", "ة", "و", "ز", "ظ", "ط", "ذ"],
        [*"ئأإآ،؟.", BACKSPACE],
        [SYMBOLS, ACCENTS, SPACE],
    ],
    "accents": [
        list("àâäéèêë"),
        list("îïôöùûü"),
        list("çœæÿ«»’"),
        [SHIFT, BACKSPACE],
        [LETTERS, SYMBOLS, SPACE],
    ],
    "symbols": [
        list("1234567890"),
        list("?!.,;:'\"-"),
        list("()/+=%€&*"),
        [BACKSPACE],
        [LETTERS, ACCENTS, SPACE],
    ],
}
LETTER_LAYOUT_FOR_LANGUAGE = {"fr": "azerty", "fr-falc": "azerty", "en": "qwerty", "pt": "qwerty", "es": "qwerty",
                              "ar": "arabic"}


@dataclass
class KeyboardState:
    """The text typed so far and which layer of keys is showing."""

    letters: str = "azerty"              # azerty | qwerty | arabic
    layer: str = "letters"               # letters | accents | symbols
    text: str = ""
    shift: bool = True
    max_chars: int = MAX_CHARS
    history: list[str] = field(default_factory=list)

    @classmethod
    def for_language(cls, lang: str, **kwargs) -> "KeyboardState":
        return cls(letters=LETTER_LAYOUT_FOR_LANGUAGE.get(lang, "azerty"), **kwargs)

    @property
    def rows(self) -> list[list[str]]:
        return LAYOUTS[self.letters if self.layer == "letters" else self.layer]

    def label(self, key: str) -> str:
        """What the key shows: capitals while shift is on."""
        if key in SPECIAL:
            return key
        return key.upper() if self.shift else key

    def press(self, key: str) -> None:
        if key == SHIFT:
            self.shift = not self.shift
        elif key == BACKSPACE:
            self.text = self.text[:-1]
            self.shift = not self.text
        elif key == SPACE:
            self.insert(" ")
        elif key == ACCENTS:
            self.layer = "letters" if self.layer == "accents" else "accents"
        elif key == SYMBOLS:
            self.layer = "symbols"
        elif key == LETTERS:
            self.layer = "letters"
        else:
            self.insert(self.label(key))
            self.shift = False
            if self.layer == "accents":      # one accented letter, then back to the letters
                self.layer = "letters"

    def insert(self, typed: str) -> None:
        """Add text (from a key or a physical keyboard), never beyond max_chars."""
        room = self.max_chars - len(self.text)
        if room > 0:
            self.text += typed[:room]

    @property
    def remaining(self) -> int:
        return self.max_chars - len(self.text)

    def clear(self) -> None:
        self.text = ""
        self.shift = True
        self.layer = "letters"
