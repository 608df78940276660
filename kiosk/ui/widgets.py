"""Touch-sized widgets. Widgets draw on the logical canvas and hit-test canvas coordinates."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import pygame

from kiosk.fonts import rides_along
from kiosk.access.controls import report_control
from kiosk.input import DOWN, UP, InputEvent
from kiosk.ui.text import AUTO, LTR, RTL, TextFont, paragraph_direction
from kiosk.ui.theme import THEME, Color


def wrap_text(font: pygame.font.Font, text: str, width: int) -> list[str]:
    """Greedy word wrap; explicit newlines start new paragraphs; a word wider than the line (a long
    link, a word typed without spaces, a text in a script written without spaces) breaks inside."""
    lines: list[str] = []
    # French typography: « ? » « ! » « : » « ; » never start a line (a no-break space holds them).
    for mark in (" :", " ;", " ?", " !", " »"):
        text = text.replace(mark, "\u202f" + mark[1])
    text = text.replace("« ", "«\u202f")
    for paragraph in text.split("\n"):
        line = ""
        for word in paragraph.split(" "):
            trial = f"{line} {word}" if line else word
            if font.size(trial)[0] <= width:
                line = trial
                continue
            if line:
                lines.append(line)
            line = word
            while len(line) > 1 and font.size(line)[0] > width:
                cut = _fitting_prefix(font, line, width)
                lines.append(line[:cut])
                line = line[cut:]
        lines.append(line)
    return lines


def _fitting_prefix(font: pygame.font.Font, word: str, width: int) -> int:
    """How many characters of word fit in width (at least one; never a mark cut from its letter)."""
    lo, hi = 1, len(word)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if font.size(word[:mid])[0] <= width:
            lo = mid
        else:
            hi = mid - 1
    while lo < len(word) - 1 and rides_along(word[lo]):
        lo += 1
    return lo


def fit_text(font: pygame.font.Font, text: str, width: int) -> str:
    """The text cut with an ellipsis so that it fits on one line of `width` pixels."""
    if font.size(text)[0] <= width:
        return text
    while text and font.size(text + "…")[0] > width:
        text = text[:-1]
    return text.rstrip() + "…"


def draw_text(surface: pygame.Surface, font: pygame.font.Font, text: str, pos: tuple[float, float],
              color: Color = THEME.text, anchor: str = "topleft", direction: str | None = None) -> pygame.Rect:
    """Blit one line; anchor is any pygame.Rect attribute name (center, midtop, topright...).
    direction: "auto" for a visitor's own text (its first strong letter decides), else the language's."""
    img = font.render(text, True, color, direction=direction) if direction else font.render(text, True, color)
    rect = img.get_rect(**{anchor: (round(pos[0]), round(pos[1]))})
    surface.blit(img, rect)
    return rect


def draw_text_block(surface: pygame.Surface, font: pygame.font.Font, text: str, rect: pygame.Rect,
                    color: Color = THEME.text, align: str = "left", line_spacing: float = 1.2,
                    direction: str | None = None) -> int:
    """Wrapped text inside rect; returns the height used. "left" means the side lines start from: the
    right in a right-to-left paragraph. direction "auto": each paragraph takes its own (a visitor's text)."""
    y = rect.top
    step = round(font.get_linesize() * line_spacing)
    default = getattr(font, "direction", LTR)
    for paragraph in text.split("\n"):
        para_dir = paragraph_direction(paragraph, default) if direction == AUTO else (direction or default)
        for line in wrap_text(font, paragraph, rect.width):
            img = font.render(line, True, color, direction=para_dir) if isinstance(font, TextFont) \
                else font.render(line, True, color)
            r = img.get_rect(top=y)
            side = {"left": "right", "right": "left"}.get(align, align) if para_dir == RTL else align
            if side == "center":
                r.centerx = rect.centerx
            elif side == "right":
                r.right = rect.right
            else:
                r.left = rect.left
            surface.blit(img, r)
            y += step
    return y - rect.top


LABEL_MARGIN = 10    # px kept free between a button's label and its border


@dataclass
class Button:
    """A rounded button that fires on release inside it (a finger sliding off cancels).

    Labels are given already translated; `icon` is an optional pre-rendered surface. `name` is what
    speech says of it (a French source string, translated when spoken): needed when there is no label.
    """

    rect: pygame.Rect
    label: str = ""
    on_press: Callable[[], None] | None = None
    icon: pygame.Surface | None = None
    color: Color = THEME.surface
    text_color: Color = THEME.text
    selected: bool = False
    enabled: bool = True
    name: str = ""
    _pressed_by: int | None = None

    def __post_init__(self) -> None:
        self.rect = pygame.Rect(self.rect)
        if self.rect.width < THEME.min_touch or self.rect.height < THEME.min_touch:
            self.rect.inflate_ip(max(0, THEME.min_touch - self.rect.width), max(0, THEME.min_touch - self.rect.height))

    def handle_event(self, ev: InputEvent) -> bool:
        if not self.enabled or not ev.is_pointer:
            return False
        inside = self.rect.collidepoint(ev.pos)
        if ev.kind == DOWN and inside:
            self._pressed_by = ev.pointer
            return True
        if ev.kind == UP and self._pressed_by == ev.pointer:
            self._pressed_by = None
            if inside and self.on_press:
                self.on_press()
            return inside
        return False

    @property
    def pressed(self) -> bool:
        return self._pressed_by is not None

    def draw(self, surface: pygame.Surface, font: pygame.font.Font) -> None:
        if self.enabled:
            report_control(self.rect, self.name or self.label)
        base = THEME.surface_hi if (self.pressed or self.selected) else self.color
        if not self.enabled:        # one look for every colour (a dimmed yellow kept 2.5:1 under its label)
            base = THEME.disabled
        pygame.draw.rect(surface, base, self.rect, border_radius=THEME.radius)
        pygame.draw.rect(surface, THEME.outline if self.enabled else THEME.text_muted, self.rect, width=2,
                         border_radius=THEME.radius)
        if self.selected:
            pygame.draw.rect(surface, THEME.accent, self.rect, width=5, border_radius=THEME.radius)
        color = self.text_color if self.enabled else THEME.text_muted
        icon = self.icon if self.icon is None or self.enabled else tinted(self.icon, THEME.text_muted)
        if icon is not None and self.label:
            ih = icon.get_height()
            lh = font.get_linesize()
            top = self.rect.centery - (ih + 8 + lh) // 2
            surface.blit(icon, icon.get_rect(midtop=(self.rect.centerx, top)))
            label = self._label_image(font, color)
            surface.blit(label, label.get_rect(midtop=(self.rect.centerx, top + ih + 8)))
        elif icon is not None:
            surface.blit(icon, icon.get_rect(center=self.rect.center))
        else:
            label = self._label_image(font, color)
            surface.blit(label, label.get_rect(center=self.rect.center))

    def _label_image(self, font: pygame.font.Font, color: Color) -> pygame.Surface:
        # A label longer in a language than the button is wide (« Recommencer » in a third of the
        # panel) is narrowed to fit inside the border instead of running over it.
        img = font.render(self.label, True, color)
        room = self.rect.width - 2 * LABEL_MARGIN
        if img.get_width() <= room:
            return img
        return pygame.transform.smoothscale(img, (room, max(1, round(img.get_height() * room / img.get_width()))))


def tinted(icon: pygame.Surface, colour: Color) -> pygame.Surface:
    """A pictogram (drawn in any colour on a transparent surface) in `colour`, its shape kept."""
    out = icon.convert_alpha() if icon.get_flags() & pygame.SRCALPHA == 0 else icon.copy()
    out.fill((0, 0, 0, 255), special_flags=pygame.BLEND_RGBA_MULT)
    out.fill((*colour, 0), special_flags=pygame.BLEND_RGBA_ADD)
    return out


def mirrored(rect, box: pygame.Rect, rtl: bool) -> pygame.Rect:
    """`rect`, laid out left to right inside `box`, reflected for a right-to-left language (Arabic):
    lists, grids, button rows and progress start from the right. Simulations and time axes keep
    their direction: do not pass them here."""
    rect = pygame.Rect(rect)
    if rtl:
        rect.x = box.left + box.right - rect.right
    return rect


class Mirror:
    """A layout written left to right inside `box`, drawn mirrored for a right-to-left language (Arabic):
    rectangles and points reflected, text anchors swapped (topleft <-> topright), so that lists, cards
    and tables start from the right. Text itself is never reflected: the text engine orders it."""

    def __init__(self, box: pygame.Rect, rtl: bool):
        self.box, self.rtl = pygame.Rect(box), rtl

    def rect(self, rect) -> pygame.Rect:
        return mirrored(rect, self.box, self.rtl)

    def x(self, x: float) -> float:
        return self.box.left + self.box.right - x if self.rtl else x

    def anchor(self, anchor: str) -> str:
        if not self.rtl:
            return anchor
        return anchor.replace("left", "\0").replace("right", "left").replace("\0", "right")

    def text(self, surface: pygame.Surface, font, text: str, pos: tuple[float, float], color: Color = THEME.text,
             anchor: str = "topleft") -> pygame.Rect:
        return draw_text(surface, font, text, (self.x(pos[0]), pos[1]), color, self.anchor(anchor))

    def blit(self, surface: pygame.Surface, image: pygame.Surface, rect) -> pygame.Rect:
        rect = self.rect(rect)
        surface.blit(image, rect)
        return rect


def forward_icon(icon: str, rtl: bool) -> str:
    """An arrow pointing along the reading direction ("arrow-right" means "next" in French)."""
    flips = {"arrow-left": "arrow-right", "arrow-right": "arrow-left"}
    return flips.get(icon, icon) if rtl else icon


def draw_text_line_in(surface: pygame.Surface, font: pygame.font.Font, line: str, left: int, right: int, y: int,
                      color: Color, direction: str) -> pygame.Rect:
    """One line of a wrapped text between x = left and x = right, starting from the right when the text
    runs right to left (a visitor's Arabic or Hebrew words): `direction` is the whole text's
    (`paragraph_direction`), so that every line of a message sits on the same side."""
    img = font.render(line, True, color, direction=direction) if isinstance(font, TextFont) \
        else font.render(line, True, color)
    rect = img.get_rect(topright=(right, y)) if direction == RTL else img.get_rect(topleft=(left, y))
    surface.blit(img, rect)
    return rect
