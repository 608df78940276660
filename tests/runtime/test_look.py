"""Theme contrast, touch target sizes, translations with French fallback, idle watcher."""
from kiosk.i18n import Translator, available_languages
from kiosk.idle import ACTIVE, EXPIRED, WARNING, IdleWatcher
from kiosk.ui.theme import THEME, contrast_ratio


def test_text_contrast_at_least_4_5():
    pairs = [(THEME.text, THEME.background), (THEME.text, THEME.surface), (THEME.text, THEME.surface_hi),
             (THEME.text_muted, THEME.background), (THEME.text_muted, THEME.surface),
             (THEME.on_accent, THEME.accent), (THEME.accent, THEME.background)]
    for fg, bg in pairs:
        assert contrast_ratio(fg, bg) >= 4.5, (fg, bg)


def test_buttons_are_at_least_touch_size():
    import pygame

    from kiosk.ui import Button
    assert Button(pygame.Rect(0, 0, 40, 40)).rect.size == (90, 90)


def test_english_catalog_and_french_fallback():
    assert {"fr", "en"} <= set(available_languages())
    tr = Translator(["fr", "en"])
    assert tr.gettext("Choisissez une activité") == "Choisissez une activité"
    tr.set_language("en")
    assert tr.gettext("Choisissez une activité") == "Choose an activity"
    assert tr.gettext("Phrase sans traduction") == "Phrase sans traduction"  # French, never a key
    tr.set_language("xx")  # unknown: stays in English
    assert tr.lang == "en"


def test_adding_a_language_is_adding_a_file(tmp_path):
    folder = tmp_path / "de" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "kiosk.po").write_text('msgid "Annuler"\nmsgstr "Abbrechen"\n', encoding="utf-8")
    tr = Translator(["fr", "de"], locale_dir=tmp_path)
    tr.set_language("de")
    assert tr.gettext("Annuler") == "Abbrechen"


def test_idle_watcher_states():
    t = [0.0]
    idle = IdleWatcher(90, 10, clock=lambda: t[0])
    t[0] = 89.9
    assert idle.state() == ACTIVE
    t[0] = 95
    assert idle.state() == WARNING and round(idle.seconds_left()) == 5
    idle.poke()
    assert idle.state() == ACTIVE
    t[0] = 195
    assert idle.state() == EXPIRED


def test_french_punctuation_never_starts_a_line():
    import pygame

    from kiosk.assets import Assets
    from kiosk.ui import wrap_text

    pygame.font.init()
    font = Assets().font(32)
    text = "Répondez aux questions de la saison : écrivez ou dessinez ! Vraiment ?"
    for width in range(200, 900, 7):
        for line in wrap_text(font, text, width):
            assert not line.lstrip().startswith((":", "!", "?"))


def test_a_label_longer_than_its_button_stays_inside_the_border():
    """« Recommencer » in a third of the crowd panel ran over the button's border: it is narrowed."""
    import pygame

    from kiosk.ui import Button
    from kiosk.ui.widgets import LABEL_MARGIN

    pygame.font.init()
    font = pygame.font.Font(None, 48)
    for label in ("Recommencer", "Ok"):
        surface = pygame.Surface((400, 200))
        surface.fill((0, 0, 0))
        button = Button(pygame.Rect(100, 50, 120, 100), label=label, text_color=(255, 0, 0))
        button.draw(surface, font)
        red = pygame.mask.from_threshold(surface, (255, 0, 0), (60, 60, 60, 255))
        xs = [x for x, _ in red.outline()]
        assert xs, label
        inner = button.rect.inflate(-2 * LABEL_MARGIN + 2, 0)
        assert inner.left <= min(xs) and max(xs) <= inner.right, (label, min(xs), max(xs), inner)
    assert font.size("Recommencer")[0] > 120       # the case that overflowed
