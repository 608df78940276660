"""Drawing of the question wall: the mosaic of approved contributions, the question picker and the
thank-you card with the QR code. The composing screen is in compose_view.py."""
from __future__ import annotations

import io
from typing import TYPE_CHECKING

import pygame

from kiosk.ui import THEME, Mirror, draw_text, draw_text_block, draw_text_line_in, fit_text, forward_icon, mirrored, wrap_text
from kiosk.ui.text import LTR, RTL, paragraph_direction
from kiosk.content import localise
from kiosk.access.reach import Reach
from kiosk.chrome import controls_band
from stations.common.taps import TapZones
from stations.common.widgets import draw_contribution_card, draw_nav_button
from stations.wall.model import Contribution

if TYPE_CHECKING:  # pragma: no cover
    from stations.wall.station import WallStation

CARD_W = 440
GAP = 24
SCROLL_PX_S = 28.0        # slow enough to read a card while it crosses the screen
# Cards are placed on whole pixels: at 28 px/s the drifting mosaic changes 28 times a second.
SCROLL_FRAME_RATE = 30.0
STILL_PAGE_S = 12.0       # reduced motion: the mosaic stands still and moves on by a jump this often
NAV_W, NAV_H = 300, 100
# The runtime's chrome owns the top corners (home + mediator corner left, FR/EN right): no buttons there.
# Its buttons (kiosk/chrome.py) reach CHROME_SIDE px in from either side and down to y = CHROME_BOTTOM.
CHROME_SIDE = 236
CHROME_BOTTOM = 112


class Mosaic:
    """Approved contributions as cards in columns, drifting slowly to the left and wrapping around."""

    def __init__(self, assets, question_text):
        self.assets = assets
        self.question_text = question_text        # question id -> text in the current language
        self.offset = 0.0
        self.moving = False     # the cards did not fit last drawn: they drift
        self._still_s = 0.0
        self._cards: dict[tuple[str, str], pygame.Surface] = {}

    def step(self, dt: float, still: bool = False) -> bool:
        """Drift; `still` (reduced motion): stand still, then turn a page every STILL_PAGE_S. True when a
        page turned: the still mosaic asks for no frames (below), so the turn must ask for one."""
        if not still:
            self.offset += SCROLL_PX_S * dt
            return False
        self._still_s += dt
        if self._still_s < STILL_PAGE_S:
            return False
        self._still_s = 0.0
        if not self.moving:          # every card fits, centred: there is no other page
            return False
        self.offset += SCROLL_PX_S * STILL_PAGE_S
        return True

    def frame_rate(self, still: bool = False) -> float:
        return SCROLL_FRAME_RATE if self.moving and not still else 0.0

    def keep_only(self, uuids: set[str]) -> None:
        """Forget the cards no longer on the wall: the cache stays as small as the wall."""
        self._cards = {k: v for k, v in self._cards.items() if k[0] in uuids}

    def card(self, c: Contribution, image: bytes | pygame.Surface | None, lang: str) -> pygame.Surface:
        """A contribution's card; `image` is the drawing's PNG, or already decoded (any size)."""
        key = (c.uuid, lang)
        if key not in self._cards:
            self._cards[key] = self._render(c, image)
        return self._cards[key]

    def _render(self, c: Contribution, image: bytes | pygame.Surface | None) -> pygame.Surface:
        small = self.assets.font(THEME.font_small - 2)
        body = self.assets.font(THEME.font_body - 4)
        inner = CARD_W - 40
        q_lines = wrap_text(small, self.question_text(c.question), inner)
        if len(q_lines) > 3:
            q_lines = q_lines[:2] + [q_lines[2].rstrip(" ,") + "…"]
        t_lines = wrap_text(body, c.text, inner) if c.text else []
        img = None
        if image is not None:
            try:
                img = image if isinstance(image, pygame.Surface) else pygame.image.load(io.BytesIO(image), "drawing.png")
                if img.get_width() != inner:
                    img = pygame.transform.smoothscale(img, (inner, round(inner * img.get_height() / img.get_width())))
            except (pygame.error, ValueError, ZeroDivisionError):
                img = None
        h = 24 + len(q_lines) * small.get_linesize() + 12 + len(t_lines) * body.get_linesize()
        h += (img.get_height() + 12) if img else 0
        h += 20
        surf = pygame.Surface((CARD_W, h), pygame.SRCALPHA)
        pygame.draw.rect(surf, THEME.surface, surf.get_rect(), border_radius=THEME.radius)
        q_direction = getattr(small, "direction", LTR)      # the question is in the kiosk's language
        if q_direction == RTL:
            pygame.draw.rect(surf, THEME.accent, (CARD_W - 8, 0, 8, h), border_top_right_radius=THEME.radius,
                             border_bottom_right_radius=THEME.radius)
        else:
            pygame.draw.rect(surf, THEME.accent, (0, 0, 8, h), border_top_left_radius=THEME.radius,
                             border_bottom_left_radius=THEME.radius)
        y = 24
        for line in q_lines:
            draw_text_line_in(surf, small, line, 20, CARD_W - 20, y, THEME.text_muted, q_direction)
            y += small.get_linesize()
        y += 12
        if img:
            surf.blit(img, (20, y))
            y += img.get_height() + 12
        direction = paragraph_direction(" ".join(t_lines), getattr(body, "direction", LTR))
        for line in t_lines:   # the visitor's words, from the right if they wrote in Arabic or Hebrew
            draw_text_line_in(surf, body, line, 20, CARD_W - 20, y, THEME.text, direction)
            y += body.get_linesize()
        return surf

    def draw(self, surface: pygame.Surface, area: pygame.Rect, cards: list[pygame.Surface]) -> None:
        columns: list[list[pygame.Surface]] = [[]]
        used = 0
        for card in cards:
            h = min(card.get_height(), area.height)
            if columns[-1] and used + h > area.height:
                columns.append([])
                used = 0
            columns[-1].append(card)
            used += h + GAP
        strip_w = len(columns) * (CARD_W + GAP)
        self.moving = strip_w > area.width
        if not self.moving:          # everything fits: no movement, centred
            starts = [area.centerx - strip_w // 2]
        else:
            shift = self.offset % strip_w
            starts = [area.left - shift, area.left - shift + strip_w]
        clip = surface.get_clip()
        surface.set_clip(area)
        for start in starts:
            for i, column in enumerate(columns):
                x = round(start + i * (CARD_W + GAP))
                if x > area.right or x + CARD_W < area.left:
                    continue
                y = area.top
                for card in column:
                    surface.blit(card, (x, y), (0, 0, CARD_W, area.height))
                    y += card.get_height() + GAP
        surface.set_clip(clip)


class WallView:
    def __init__(self, station: "WallStation"):
        self.st = station
        self.ctx = station.ctx
        self.zones = TapZones()
        self.qr_rect: pygame.Rect | None = None
        self.mosaic = Mosaic(self.ctx.assets, self.st.question_text)
        self.header_rects: list[pygame.Rect] = []     # the title (and subtitle) lines last drawn
        self.wall_area = pygame.Rect(0, 0, 0, 0)     # where the mosaic was last drawn

    def band(self) -> tuple[int, int, int] | None:
        """A portrait totem's (chrome top, controls top, controls bottom); None on a landscape screen."""
        return controls_band(self.ctx.canvas_size, Reach.of(self.ctx.kiosk))

    def nav(self, surface, key, rect, label, icon, action, **kw) -> None:
        draw_nav_button(surface, self.zones, self.ctx, key, rect, label, icon, action, **kw)

    def title(self, surface, text: str, sub: str | None = None) -> int:
        """The screen's title between the chrome's buttons, and a subtitle: just under the title when it
        fits between the buttons too, else below them. Returns the header's bottom."""
        w, _ = self.ctx.canvas_size
        room = w - 2 * (CHROME_SIDE + 20)
        for size in (THEME.font_title, THEME.font_title - 8, THEME.font_title - 14):   # smaller, rather than under FR/EN
            font = self.ctx.assets.font(size, bold=True)
            if font.size(text)[0] <= room:
                rects = [draw_text(surface, font, text, (w // 2, 26 + (THEME.font_title - size) // 2), THEME.text, "midtop")]
                break
        else:   # too long even so: below the buttons
            rects = [draw_text(surface, font, text, (w // 2, CHROME_BOTTOM + 10), THEME.text, "midtop")]
        if sub:
            font = self.ctx.assets.font(THEME.font_small)
            between_buttons = font.size(sub)[0] <= room and rects[0].bottom < CHROME_BOTTOM
            y = 100 if between_buttons else max(CHROME_BOTTOM, rects[0].bottom) + 14
            for line in wrap_text(font, sub, w - 80):
                rects.append(draw_text(surface, font, line, (w // 2, y), THEME.text_muted, "midtop"))
                y += font.get_linesize()
        self.header_rects = rects
        return max(r.bottom for r in rects)

    # -- the wall -----------------------------------------------------------------------------
    def draw_wall(self, surface) -> None:
        _ = self.ctx._
        w, h = self.ctx.canvas_size
        header = self.title(surface, _("Mur des questions"),
                            _("Les réponses des visiteurs, relues par l’équipe de l’exposition"))
        lang = self.ctx.i18n.lang
        cards = [self.mosaic.card(c, self.st.images.get(c.drawing_sha256 or ""), lang) for c in self.st.approved]
        own = self.own_card()
        if own is not None:
            cards.insert(0, own)
        top = max(160, header + 24)
        band = self.band()
        bottom = band[0] - 16 if band else h - NAV_H - 70
        area = self.wall_area = pygame.Rect(40, top, w - 80, bottom - top)
        if cards:
            self.mosaic.draw(surface, area, cards)
        else:
            draw_text_block(surface, self.ctx.assets.font(THEME.font_title - 8), _("Le mur attend ses premières réponses. À vous !"),
                            pygame.Rect(200, area.centery - 60, w - 400, 200), THEME.text_muted, align="center")
        self.nav(surface, "add", (w // 2 - 320, band[1] if band else h - NAV_H - 40, 640, NAV_H + 10),
                 _("Ajouter ma réponse"), "pencil", self.st.start_answer, primary=True)

    def own_card(self) -> pygame.Surface | None:
        """The visitor's own message, on their screen only, marked as waiting for a mediator."""
        own = self.st.own
        if own is None:
            return None
        card = self.mosaic.card(own, self.st.own_image, self.ctx.i18n.lang).copy()
        label = self.ctx.assets.font(THEME.font_small, bold=True).render(
            self.ctx._("En attente d’un médiateur"), True, THEME.on_accent)
        ribbon = pygame.Surface((card.get_width(), label.get_height() + 12), pygame.SRCALPHA)
        pygame.draw.rect(ribbon, THEME.accent, ribbon.get_rect(), border_top_left_radius=THEME.radius,
                         border_top_right_radius=THEME.radius)
        ribbon.blit(label, label.get_rect(center=ribbon.get_rect().center))
        out = pygame.Surface((card.get_width(), card.get_height() + ribbon.get_height()), pygame.SRCALPHA)
        out.blit(ribbon, (0, 0))
        out.blit(card, (0, ribbon.get_height()))
        return out

    # -- pick a question ------------------------------------------------------------------------
    def draw_pick(self, surface) -> None:
        _ = self.ctx._
        w, h = self.ctx.canvas_size
        header = self.title(surface, _("Choisissez une question"))
        band = self.band()
        nav_y = band[2] - NAV_H if band else h - NAV_H - 30
        self.nav(surface, "back", (30, nav_y, NAV_W, NAV_H), _("Retour"), "arrow-left", self.st.go_wall)
        questions = self.st.questions
        gap = 18
        if band:        # a portrait totem: two columns of questions within reach, above « Retour »
            cols, top, bottom, left, width = 2, band[1], nav_y - 16, 30, w - 60
            self._questions_in_full(surface, header + 30, band[0] - 20)
            font = self.ctx.assets.font(THEME.font_small)
        else:
            cols, top, bottom, left, width = 1, max(140, header + 24), h - NAV_H - 50, 120, w - 240
            font = self.ctx.assets.font(THEME.font_body + 4)
        rows = -(-len(questions) // cols)
        col_w = (width - gap * (cols - 1)) // cols
        text_left, text_w = (160, col_w - 260) if cols == 1 else (86, col_w - 100)
        texts = [wrap_text(font, localise(q.text, self.ctx.i18n.lang), text_w) for q in questions]
        # rows tall enough for the longest question (a narrow portrait screen or a longer language needs 4 lines)
        needed = max(170 if cols == 1 else 0, max((len(lines) for lines in texts), default=1) * font.get_linesize() + 24)
        row_h = min(needed, (bottom - top - gap * (rows - 1)) // max(1, rows))
        room = max(1, (row_h - 12) // font.get_linesize())
        for i, q in enumerate(questions):
            rect = mirrored((left + (i % cols) * (col_w + gap), top + (i // cols) * (row_h + gap), col_w, row_h),
                            pygame.Rect(left, top, width, 1), self.ctx.i18n.rtl)      # the first on the right in Arabic
            key = "question:" + q.id
            self.zones.add(key, rect, lambda qid=q.id: self.st.pick(qid), name=localise(q.text, self.ctx.i18n.lang))
            pressed = self.zones.pressed_key() == key
            pygame.draw.rect(surface, THEME.surface_hi if pressed else THEME.surface, rect, border_radius=THEME.radius)
            pygame.draw.rect(surface, THEME.outline, rect, width=2, border_radius=THEME.radius)
            row = Mirror(rect, self.ctx.i18n.rtl)     # pictogram, question, arrow: from the right in Arabic
            icon_size = min(96, row_h - 40) if cols == 1 else 56
            icon = self.ctx.assets.icon(q.icon or "message-question", icon_size, THEME.accent)
            row.blit(surface, icon, icon.get_rect(midleft=(rect.left + (30 if cols == 1 else 16), rect.centery)))
            lines = texts[i] if len(texts[i]) <= room else \
                texts[i][:room - 1] + [fit_text(font, " ".join(texts[i][room - 1:]), text_w)]
            y = rect.centery - len(lines) * font.get_linesize() // 2
            for line in lines:
                row.text(surface, font, line, (rect.left + text_left, y), THEME.text)
                y += font.get_linesize()
            if cols == 1:
                arrow = self.ctx.assets.icon(forward_icon("arrow-right", row.rtl), 56, THEME.text_muted)
                row.blit(surface, arrow, arrow.get_rect(midright=(rect.right - 30, rect.centery)))

    def _questions_in_full(self, surface, top: int, bottom: int) -> None:
        """A totem's questions, whole, where they are read standing or seated; the tiles below are in reach."""
        font = self.ctx.assets.font(THEME.font_small + 2)
        w = self.ctx.canvas_size[0]
        step = (bottom - top) // max(1, len(self.st.questions))
        for i, q in enumerate(self.st.questions):
            y = top + i * step
            row = Mirror(pygame.Rect(40, y, w - 80, step - 10), self.ctx.i18n.rtl)
            icon = self.ctx.assets.icon(q.icon or "message-question", 56, THEME.accent)
            row.blit(surface, icon, icon.get_rect(topleft=(40, y)))
            draw_text_block(surface, font, localise(q.text, self.ctx.i18n.lang), row.rect((120, y, w - 160, step - 10)),
                            THEME.text, line_spacing=1.1)

    # -- sent ----------------------------------------------------------------------------------
    def draw_sent(self, surface) -> None:
        _ = self.ctx._
        w, h = self.ctx.canvas_size
        draw_text(surface, self.ctx.assets.font(THEME.font_huge, bold=True), _("Merci !"), (w // 2, 40), THEME.accent, "midtop")
        draw_text_block(surface, self.ctx.assets.font(THEME.font_body + 4),
                        _("Un médiateur va relire votre message avant de l’afficher sur le mur."),
                        pygame.Rect(160, 170, w - 320, 100) if w > h else pygame.Rect(40, 160, w - 80, 110),
                        align="center")
        band = self.band()
        own = self.own_card()
        card = pygame.Rect(0, 0, min(1300, w - 80), min(560, h - 450) if w > h else (band[0] - 300 if band else 1000))
        card.midtop = (w // 2, 280)
        nav_y = band[1] if band else h - NAV_H - 40
        if own is not None and band is not None:   # a totem: their message under « Voir le mur », the code whole
            room = band[2] - (nav_y + NAV_H + 20)
            surface.blit(own, (w // 2 - own.get_width() // 2, nav_y + NAV_H + 20), (0, 0, own.get_width(), room))
        elif own is not None:       # their message beside the code, as it will show once a mediator has read it
            card.width -= CARD_W + 30
            card.left = (w - card.width - CARD_W - 30) // 2
            surface.blit(own, (card.right + 30, card.top), (0, 0, CARD_W, card.height))
        if self.st.url is not None:     # a drawing takes a few frames to be saved before its code exists
            self.qr_rect = draw_contribution_card(
                surface, card, self.ctx.assets, self.st.url, self.st.code,
                _("Scannez pour retrouver votre contribution sur le site de l’exposition."),
                _("Pas de téléphone ? Notez votre code :"), rtl=self.ctx.i18n.rtl)
        self.nav(surface, "wall", (w // 2 - 260, nav_y, 520, NAV_H), _("Voir le mur"), "arrow-left", self.st.go_wall)
