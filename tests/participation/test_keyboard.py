from kiosk.ui.keys import ACCENTS, BACKSPACE, SHIFT, SPACE, SYMBOLS, KeyboardState
from kiosk.ui.keyboard import KeyboardView
from kiosk.ui import THEME


def test_azerty_in_french_qwerty_in_english():
    fr, en = KeyboardState.for_language("fr"), KeyboardState.for_language("en")
    assert fr.rows[1][:6] == list("azerty") and en.rows[1][:6] == list("qwerty")
    assert list("éèêàçù") == fr.rows[0][:6]
    assert ACCENTS in fr.rows[-1] and ACCENTS in en.rows[-1]


def test_typing_with_accents_shift_and_backspace():
    k = KeyboardState.for_language("fr")
    for key in ["ç", "a", SPACE, "v", "a", SPACE, "à", SPACE, "v", "é", "l", "o"]:
        k.press(key)
    assert k.text == "Ça va à vélo"                       # capital at the start, then lower case
    k.press(ACCENTS)
    assert k.layer == "accents" and "œ" in sum(k.rows, [])
    k.press(SHIFT)
    k.press("ô")
    assert k.text.endswith("Ô") and k.layer == "letters" and not k.shift
    k.press(BACKSPACE)
    assert k.text == "Ça va à vélo"
    k.press(SYMBOLS)
    k.press("?")
    assert k.text.endswith("?")


def test_english_layout_reaches_accents_too():
    k = KeyboardState.for_language("en")
    k.press(ACCENTS)
    k.press("é")
    k.press("t")
    assert k.text == "Ét"


def test_text_never_exceeds_280_characters():
    k = KeyboardState()
    k.insert("x" * 300)
    assert len(k.text) == 280 and k.remaining == 0
    k.press("a")
    assert len(k.text) == 280


def test_every_layer_fits_its_rectangle():
    import pygame

    from kiosk.assets import Assets

    pygame.init()
    for letters in ("azerty", "qwerty", "arabic"):
        for layer in ("letters", "accents", "symbols"):
            for rect in (pygame.Rect(40, 520, 1840, 540), pygame.Rect(8, 1280, 1064, 610)):
                state = KeyboardState(letters=letters, layer=layer)
                keys = KeyboardView(state, rect, Assets()).key_rects()
                assert all(rect.contains(r) for _, r in keys), (letters, layer, rect)
                assert all(r.width >= THEME.min_touch and r.height >= THEME.min_touch for _, r in keys), (letters, layer, rect)


def test_keys_are_touch_sized_and_taps_type(tmp_path):
    import pygame

    from kiosk.assets import Assets
    from kiosk.input import InputEvent

    pygame.init()
    state = KeyboardState.for_language("fr")
    view = KeyboardView(state, pygame.Rect(40, 480, 1840, 570), Assets())
    rects = dict(view.key_rects())
    assert all(r.height >= THEME.min_touch and r.width >= THEME.min_touch for r in rects.values())
    assert not any(a.colliderect(b) for i, a in enumerate(rects.values()) for b in list(rects.values())[i + 1:])
    for key in ["é", "t", "é"]:
        pos = rects[key].center
        view.handle_event(InputEvent("down", pos))
        view.handle_event(InputEvent("up", pos))
    assert state.text == "Été"
    # sliding off a key cancels it
    view.handle_event(InputEvent("down", rects["a"].center))
    view.handle_event(InputEvent("up", rects["p"].center))
    assert state.text == "Été"
    surface = pygame.Surface((1920, 1080))
    view.draw(surface)
