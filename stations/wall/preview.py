"""The wall's slide in the attract loop: the newest approved contributions drifting by as small cards,
drawings included (as thumbnails, with their text if they have one). Only approved contributions,
as on the wall itself; the query runs on the reader thread and is repeated every REFRESH_S."""
from __future__ import annotations

import io
import logging
from concurrent.futures import Future
from pathlib import Path

import pygame

from kiosk.ui import THEME
from stations.wall.view import CARD_W, Mosaic

log = logging.getLogger(__name__)

LIMIT = 12              # contributions in the slide
REFRESH_S = 60.0
SPEED_PX_S = 40.0       # a card and a half crosses the miniature during one slide
GAP = 24


class WallPreview:
    def __init__(self, ctx, question_text, load):
        """`load(conn, data_dir, limit)` -> (approved contributions, {sha256: PNG bytes}), on the reader thread."""
        self.ctx = ctx
        self.load = load
        self.mosaic = Mosaic(ctx.assets, question_text)
        self.items: list = []
        self.images: dict[str, pygame.Surface] = {}     # sha256 -> the drawing at the card's width
        self.offset = 0.0
        self._query: Future | None = None
        self._since_refresh = REFRESH_S
        self._scaled: dict[tuple[str, str, int], pygame.Surface] = {}

    def update(self, dt: float) -> None:
        self.offset += SPEED_PX_S * dt
        self._since_refresh += dt
        if self._query is None and self._since_refresh >= REFRESH_S:
            self._since_refresh = 0.0
            data_dir, known = Path(self.ctx.data_dir), dict(self.images)
            self._query = self.ctx.reader.submit(lambda conn: self._load(conn, data_dir, known))
        if self._query is not None and self._query.done():
            future, self._query = self._query, None
            try:
                self.items, self.images = future.result()
            except Exception:   # keep what was shown
                log.warning("wall preview: approved contributions unavailable", exc_info=True)
                return
            uuids = {c.uuid for c in self.items}
            self.mosaic.keep_only(uuids)
            self._scaled = {k: v for k, v in self._scaled.items() if k[0] in uuids}

    def _load(self, conn, data_dir: Path, known: dict[str, pygame.Surface]):
        """On the reader thread: the contributions, and their drawings decoded and scaled to the card's
        width (decoding a drawing takes the frame loop 10-20 ms; here it costs it nothing)."""
        items, raw = self.load(conn, data_dir, LIMIT)
        images = {}
        for sha, data in raw.items():
            if sha in known:
                images[sha] = known[sha]
                continue
            try:
                img = pygame.image.load(io.BytesIO(data), "drawing.png")
                width = CARD_W - 40
                images[sha] = pygame.transform.smoothscale(img, (width, round(width * img.get_height() / img.get_width())))
            except (pygame.error, ValueError, ZeroDivisionError):
                pass      # the card shows the text alone, as on the wall
        return items, images

    def cards(self, height: int) -> list[pygame.Surface]:
        """The cards no taller than `height`. At most one new card is rendered per call: the attract
        loop never stalls on a full wall."""
        lang = self.ctx.i18n.lang
        out, rendered = [], False
        for c in self.items:
            key = (c.uuid, lang, height)
            if key not in self._scaled:
                if rendered:
                    continue
                card = self.mosaic.card(c, self.images.get(c.drawing_sha256 or ""), lang)
                if card.get_height() > height:
                    card = pygame.transform.smoothscale(
                        card, (round(card.get_width() * height / card.get_height()), height))
                self._scaled[key] = card
                rendered = True
            out.append(self._scaled[key])
        return out

    def draw(self, surface: pygame.Surface, rect: pygame.Rect) -> None:
        area = pygame.Rect(rect).inflate(-32, -32)
        cards = self.cards(area.height)
        if not cards:
            icon = self.ctx.assets.icon("message-question", min(160, area.height // 2), THEME.accent)
            surface.blit(icon, icon.get_rect(center=area.center))
            return
        strip = sum(c.get_width() + GAP for c in cards)
        if strip - GAP <= area.width:      # everything fits: still, centred
            starts = [area.centerx - (strip - GAP) / 2]
        else:
            shift = self.offset % strip
            starts = [area.left - shift, area.left - shift + strip]
        clip = surface.get_clip()
        surface.set_clip(area.clip(clip))
        for start in starts:
            x = start
            for card in cards:
                if x < area.right and x + card.get_width() > area.left:
                    surface.blit(card, (round(x), area.top + (area.height - card.get_height()) // 2))
                x += card.get_width() + GAP
        surface.set_clip(clip)
