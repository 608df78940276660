"""Drawing pieces shared by the participatory stations: pictogram tiles, progress dots, navigation
buttons, the privacy reminder and the "your contribution" QR card."""
from __future__ import annotations

import pygame

from eventlog.shortcode import display_code
from kiosk.ui import THEME, Mirror, draw_text, forward_icon, mirrored, wrap_text
from kiosk.ui.text import LTR, RTL
from kiosk.ui.qr import qr_surface


def draw_tile(surface: pygame.Surface, rect: pygame.Rect, assets, label: str, *, icon: str | None = None,
              badge: str | None = None, selected: bool = False, pressed: bool = False,
              check_mark: bool = False) -> None:
    """A big pictogram button: icon (or a number badge) above a label of at most two lines."""
    rect = pygame.Rect(rect)
    base = THEME.surface_hi if (selected or pressed) else THEME.surface
    pygame.draw.rect(surface, base, rect, border_radius=THEME.radius)
    if selected:
        pygame.draw.rect(surface, THEME.accent, rect, width=6, border_radius=THEME.radius)
    else:               # the controls' edge, 3:1 against the page (the tile's fill is 1.2:1)
        pygame.draw.rect(surface, THEME.outline, rect, width=2, border_radius=THEME.radius)
    fg = THEME.accent if selected else THEME.text
    # a smaller label where two lines would push a 48 px pictogram out of a short tile (a portrait totem)
    for size in (THEME.font_body, THEME.font_body - 4, THEME.font_small, THEME.font_small - 4):
        label_font = assets.font(size, bold=selected)
        lines = wrap_text(label_font, label, rect.width - 24)[:2]
        label_h = len(lines) * label_font.get_linesize()
        if rect.height - label_h - 40 >= 48:
            break
    pict = max(48, min(rect.height - label_h - 40, rect.width - 60, 130))
    top = rect.centery - (pict + 12 + label_h) // 2
    if badge:
        font = assets.font(int(pict * 0.8), bold=True)
        disc = pygame.Rect(0, 0, pict, pict)
        disc.midtop = (rect.centerx, top)
        pygame.draw.rect(surface, fg, disc, width=5, border_radius=pict // 4)
        draw_text(surface, font, badge, disc.center, fg, "center")
    elif icon:
        img = assets.icon(icon, pict, fg)
        surface.blit(img, img.get_rect(midtop=(rect.centerx, top)))
    y = top + pict + 12
    for line in lines:
        draw_text(surface, label_font, line, (rect.centerx, y), fg, "midtop")
        y += label_font.get_linesize()
    if check_mark and selected:
        mark = pygame.Rect(rect.right - 58, rect.top + 10, 48, 48)
        pygame.draw.ellipse(surface, THEME.accent, mark)
        img = assets.icon("check", 36, THEME.on_accent)
        surface.blit(img, img.get_rect(center=mark.center))


def grid_rects(area: pygame.Rect, count: int, columns: int, gap: int = 24,
               max_tile: tuple[int, int] = (340, 300)) -> list[pygame.Rect]:
    """`count` tiles in rows of `columns`, centred in `area`."""
    rows = -(-count // columns)
    w = min(max_tile[0], (area.width - gap * (columns - 1)) // columns)
    h = min(max_tile[1], (area.height - gap * (rows - 1)) // rows)
    w, h = max(w, THEME.min_touch), max(h, THEME.min_touch)
    out = []
    top = area.centery - (rows * h + (rows - 1) * gap) // 2
    for r in range(rows):
        in_row = min(columns, count - r * columns)
        left = area.centerx - (in_row * w + (in_row - 1) * gap) // 2
        for c in range(in_row):
            out.append(pygame.Rect(left + c * (w + gap), top + r * (h + gap), w, h))
    return out


def draw_progress_dots(surface: pygame.Surface, center: tuple[int, int], states: list[str]) -> None:
    """answered = filled, skipped = hollow grey, current = big yellow, todo = hollow."""
    gap = 44
    x0 = center[0] - gap * (len(states) - 1) / 2
    for i, state in enumerate(states):
        pos = (round(x0 + i * gap), center[1])
        if state == "current":
            pygame.draw.circle(surface, THEME.accent, pos, 15)
        elif state == "answered":
            pygame.draw.circle(surface, THEME.text, pos, 11)
        elif state == "skipped":
            pygame.draw.circle(surface, THEME.text_muted, pos, 11, width=3)
        else:
            pygame.draw.circle(surface, THEME.text, pos, 11, width=3)


def draw_button(surface: pygame.Surface, rect: pygame.Rect, assets, label: str, icon: str | None = None, *,
                primary: bool = False, enabled: bool = True, pressed: bool = False,
                icon_right: bool = False, flip_icon: bool = False) -> None:
    """A wide navigation button: pictogram + short label, yellow when it is the next step; `flip_icon`
    turns a pictogram that points forward (▷|) to the reading way of a right-to-left language."""
    rect = pygame.Rect(rect)
    if primary and enabled:
        base, fg = THEME.accent, THEME.on_accent
    else:
        base, fg = THEME.surface, THEME.text if enabled else THEME.text_muted
    if pressed:
        base = tuple(max(0, c - 40) for c in base)
    if not enabled:
        base = THEME.disabled
    pygame.draw.rect(surface, base, rect, border_radius=THEME.radius)
    if not enabled:   # still recognisable as a button, greyed out until it can be used
        pygame.draw.rect(surface, THEME.text_muted, rect, width=3, border_radius=THEME.radius)
    elif not primary:   # its edge 3:1 against the page (a yellow one's fill is its edge)
        pygame.draw.rect(surface, THEME.outline, rect, width=2, border_radius=THEME.radius)
    font = assets.font(THEME.font_body, bold=True)
    text_w = font.size(label)[0] if label else 0
    icon_size = min(56, rect.height - 30)
    total = text_w + (icon_size + 14 if icon else 0)
    x = rect.centerx - total // 2
    image = assets.icon(icon, icon_size, fg) if icon else None
    if image is not None and flip_icon:
        image = pygame.transform.flip(image, True, False)
    if image is not None and not icon_right:
        surface.blit(image, (x, rect.centery - icon_size // 2))
        x += icon_size + 14
    if label:
        draw_text(surface, font, label, (x, rect.centery), fg, "midleft")
        x += text_w + 14
    if image is not None and icon_right:
        surface.blit(image, (x, rect.centery - icon_size // 2))


POINTING_FORWARD = {"player-skip-forward"}     # pictograms with no mirror image among the icons


def draw_nav_button(surface: pygame.Surface, zones, ctx, key: str, rect, label: str, icon: str | None, action,
                    **kw) -> pygame.Rect:
    """A navigation button laid out for left-to-right reading, mirrored in Arabic (« Retour » on the right,
    « Suivant » on the left, arrows pointing the reading way); its tap zone is added to `zones` (a
    TapZones) unless it is disabled. Returns where it was drawn."""
    rtl = ctx.i18n.rtl
    rect = mirrored(rect, pygame.Rect((0, 0), ctx.canvas_size), rtl)
    icon = forward_icon(icon, rtl) if icon else icon
    kw.setdefault("flip_icon", rtl and icon in POINTING_FORWARD)
    if rtl and "icon_right" in kw:
        kw["icon_right"] = not kw["icon_right"]
    elif rtl and icon not in (None, "check"):
        kw["icon_right"] = True
    if kw.get("enabled", True):
        zones.add(key, rect, action, name=label)
    draw_button(surface, rect, ctx.assets, label, icon, pressed=zones.pressed_key() == key, **kw)
    return rect


def draw_reminder(surface: pygame.Surface, pos: tuple[int, int], assets, text: str, width: int) -> None:
    """The privacy reminder: a shield pictogram and one short line (from the right in Arabic, between
    x = pos[0] and x + width)."""
    font = assets.font(THEME.font_small)
    icon = assets.icon("shield-check", 40, THEME.warn)
    line = wrap_text(font, text, width - 56)
    row = Mirror(pygame.Rect(pos, (width, 1)), getattr(font, "direction", LTR) == RTL)
    x, y = pos
    row.blit(surface, icon, icon.get_rect(topleft=(x, y)))
    for i, part in enumerate(line[:2]):
        row.text(surface, font, part, (x + 52, y + 4 + i * font.get_linesize()), THEME.warn)


def draw_contribution_card(surface: pygame.Surface, rect: pygame.Rect, assets, url: str, code: str,
                           caption: str, code_caption: str, rtl: bool = False) -> pygame.Rect:
    """QR code to the contribution's page, and the code in big letters for visitors without a phone.
    Side by side on a wide card (the QR on the right and the lines from the right in Arabic), stacked on
    a narrow (portrait) one. Returns the rectangle of the QR image (tests decode it from the screenshot)."""
    rect = pygame.Rect(rect)
    pygame.draw.rect(surface, THEME.surface, rect, border_radius=THEME.radius)
    stacked = rect.width < 1100
    qr_size = min(460, rect.width - 120, rect.height // 2 - 40) if stacked else \
        min(rect.height - 60, rect.width // 2 - 40, 460)
    img = qr_surface(url, qr_size)
    if stacked:
        qr_rect = img.get_rect(midtop=(rect.centerx, rect.top + 40))
        text_left, text_w, y = rect.left + 40, rect.width - 80, qr_rect.bottom + 50
    else:
        qr_rect = img.get_rect(midleft=(rect.left + 30, rect.centery))
        text_left = qr_rect.right + 50
        text_w, y = rect.right - 30 - text_left, rect.top + 50
    text_box = pygame.Rect(text_left, y, text_w, 1)
    if rtl:
        qr_rect = mirrored(qr_rect, rect, True)
        text_box = mirrored(text_box, rect, True)
    pygame.draw.rect(surface, (255, 255, 255), qr_rect.inflate(16, 16), border_radius=10)
    surface.blit(img, qr_rect)
    small = assets.font(THEME.font_body)
    huge = assets.font(THEME.font_huge - 16, bold=True)
    start, anchor = ((text_box.right, "topright") if rtl else (text_box.left, "topleft"))
    y += _block(surface, small, caption, start, y, text_w, THEME.text, anchor) + 24
    y += _block(surface, small, code_caption, start, y, text_w, THEME.text_muted, anchor) + 8
    code_rect = draw_text(surface, huge, display_code(code), (start, y), THEME.accent, anchor)
    y = code_rect.bottom + 16
    draw_text(surface, assets.font(THEME.font_small), url.split("://", 1)[-1], (start, y), THEME.text_muted, anchor)
    return qr_rect


def _block(surface, font, text, x, y, width, color, anchor: str = "topleft") -> int:
    lines = wrap_text(font, text, width)
    for i, line in enumerate(lines):
        draw_text(surface, font, line, (x, y + i * font.get_linesize()), color, anchor)
    return len(lines) * font.get_linesize()
