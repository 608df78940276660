"""Mediator page: the moderation queue of the question wall, one contribution at a time.

Built from the wall's StationContext by the runtime's mediator menu (WallStation.mediator_pages).
Decisions are `moderation.approved` / `moderation.rejected` events naming the message's uuid; the
queue and the counts are always re-read from the log, so two kiosks sharing a log — or a decision
made, then reversed — stay consistent.
"""
from __future__ import annotations

import io
from concurrent.futures import Future
from datetime import datetime, timezone
from pathlib import Path

import pygame

from kiosk.station import StationContext
from kiosk.ui import THEME, draw_text, draw_text_line_in, wrap_text
from kiosk.ui.text import LTR, paragraph_direction
from kiosk.content import localise
from stations.common.taps import TapZones
from stations.wall.drawing_view import attachment_path
from stations.wall.model import Contribution, load_wall, moderation_counts, pending_contributions
from stations.wall.precheck import default_precheck

FLAG_LABELS = {
    "insult": "Insulte possible",
    "email": "Adresse e-mail",
    "phone": "Numéro de téléphone",
    "address": "Adresse postale",
    "handle": "Pseudo de réseau social",
}


def load_queue(conn, data_dir: Path, lookahead: int = 5) -> dict:
    """Counts, the ids of everything pending, the oldest few pending items and their drawings' bytes
    (run on the reader thread). The look-ahead lets the page show the next item at once after a
    decision, before the recorder has committed it."""
    pending = pending_contributions(conn)
    images: dict[str, bytes] = {}
    for item in pending[:lookahead]:
        if item.drawing_sha256 and item.drawing_sha256 not in images:
            try:
                images[item.drawing_sha256] = attachment_path(data_dir, item.drawing_sha256).read_bytes()
            except OSError:
                pass
    return {"counts": moderation_counts(conn), "pending_ids": [c.uuid for c in pending],
            "items": pending[:lookahead], "images": images}


class ModerationPage:
    """Same methods as a Station: handle_event, update, draw, reset (plus enter/exit)."""

    id = "wall"

    def __init__(self, ctx: StationContext):
        self.ctx = ctx
        # Built with a mediator context: the wall's own section names its content file.
        wall_section = ctx.kiosk.station_config("wall")
        questions, lists = load_wall(wall_section.get("content", ctx.config.get("content", "wall.toml")))
        self.questions = {q.id: q for q in questions}
        self.precheck = default_precheck(tuple(lists))
        self.zones = TapZones()
        self.reset()

    def reset(self) -> None:
        self.state: dict | None = None
        self._query: Future | None = None
        self._decided: dict[str, bool] = {}  # uuid -> approved?, decided here, maybe not committed yet
        self._images: dict[str, pygame.Surface] = {}
        self.zones.cancel()
        self.refresh()

    def enter(self) -> None:
        self.refresh()

    def exit(self) -> None:
        pass

    def refresh(self) -> None:
        if self._query is None:
            data_dir = Path(self.ctx.data_dir)
            self._query = self.ctx.reader.submit(lambda conn: load_queue(conn, data_dir))

    @property
    def item(self) -> Contribution | None:
        """The oldest pending contribution not decided here yet."""
        if not self.state:
            return None
        return next((c for c in self.state["items"] if c.uuid not in self._decided), None)

    @property
    def counts(self) -> dict[str, int]:
        """The log's counts, corrected for decisions made here that the log does not show yet."""
        counts = dict(self.state["counts"]) if self.state else {"pending": 0, "approved": 0, "rejected": 0}
        if self.state:
            waiting = set(self.state["pending_ids"])
            for uuid, approved in self._decided.items():
                if uuid in waiting:
                    counts["pending"] -= 1
                    counts["approved" if approved else "rejected"] += 1
        return counts

    def handle_event(self, ev) -> bool:
        return self.zones.handle_event(ev)

    def update(self, dt: float) -> None:
        if self._query is not None and self._query.done():
            future, self._query = self._query, None
            try:
                self.state = future.result()
            except Exception:
                self.state = None
            self._images = {}
            for sha, data in (self.state or {}).get("images", {}).items():
                try:
                    self._images[sha] = pygame.image.load(io.BytesIO(data), "drawing.png")
                except (pygame.error, ValueError):
                    pass
            if self.state and self.item is None and len(self.state["items"]) < len(self.state["pending_ids"]):
                self.refresh()   # decided all we fetched while more wait: fetch the next ones

    def decide(self, approve: bool) -> None:
        item = self.item
        if item is None:
            return
        kind = "moderation.approved" if approve else "moderation.rejected"
        self.ctx.recorder.record(kind, {"target": item.uuid}, station="wall")
        self._decided[item.uuid] = approve
        self.refresh()

    # -- drawing ----------------------------------------------------------------------------------
    def draw(self, surface: pygame.Surface) -> None:
        _ = self.ctx._
        surface.fill(THEME.background)
        self.zones.clear()
        w, h = self.ctx.canvas_size
        draw_text(surface, self.ctx.assets.font(THEME.font_title, bold=True), _("Modération du mur"), (240, 30), THEME.text)
        if self.state is None:
            draw_text(surface, self.ctx.assets.font(THEME.font_body), _("Lecture du journal…"), (w // 2, h // 2),
                      THEME.text_muted, "center")
            return
        counts = self.counts
        summary = _("{p} en attente · {a} acceptées · {r} refusées").format(
            p=counts["pending"], a=counts["approved"], r=counts["rejected"])
        draw_text(surface, self.ctx.assets.font(THEME.font_body, bold=True), summary, (w - 60, 44), THEME.accent, "topright")
        item = self.item
        if item is None:
            draw_text(surface, self.ctx.assets.font(THEME.font_title), _("Rien à relire pour le moment. Merci !"),
                      (w // 2, h // 2), THEME.text_muted, "center")
            return
        card = pygame.Rect(60, 130, w - 120, h - 130 - 200)
        pygame.draw.rect(surface, THEME.surface, card, border_radius=THEME.radius)
        small = self.ctx.assets.font(THEME.font_small)
        q = self.questions.get(item.question)
        when = _local_time(item.ts, self.ctx.kiosk.tz)
        draw_text(surface, small, f"{when} · " + (localise(q.text, self.ctx.i18n.lang) if q else item.question),
                  (card.left + 30, card.top + 24), THEME.text_muted)
        x = card.left + 30
        y = card.top + 80
        for flag in item.flags:
            label = _(FLAG_LABELS.get(flag, flag))
            if flag == "insult":
                words = sorted({f.match for f in self.precheck.findings(item.text) if f.flag == "insult"})
                label += " : " + ", ".join(words) if words else ""
            chip = small.render(label, True, THEME.on_accent)
            rect = chip.get_rect(topleft=(x, y)).inflate(24, 12)
            rect.topleft = (x, y)
            pygame.draw.rect(surface, THEME.warn, rect, border_radius=12)
            surface.blit(chip, chip.get_rect(center=rect.center))
            x = rect.right + 14
        if item.flags:
            y += 64
        text_w = card.width - 60
        image = self._images.get(item.drawing_sha256 or "")
        if image is not None:
            max_w, max_h = card.width // 2 - 60, card.bottom - y - 30
            scale = min(max_w / image.get_width(), max_h / image.get_height())
            img = pygame.transform.smoothscale(image, (round(image.get_width() * scale),
                                                       round(image.get_height() * scale)))
            surface.blit(img, (card.right - 30 - img.get_width(), y))
            text_w = card.width - img.get_width() - 100
        elif item.drawing_sha256:
            draw_text(surface, small, _("(dessin absent de ce poste)"), (card.right - 30, y), THEME.text_muted, "topright")
        font = self.ctx.assets.font(THEME.font_body + 4)
        words = item.text or _("(dessin seul)")
        direction = paragraph_direction(words, getattr(font, "direction", LTR))   # as typed: Arabic from the right
        for line in wrap_text(font, words, text_w):
            draw_text_line_in(surface, font, line, card.left + 30, card.left + 30 + text_w, y,
                              THEME.text if item.text else THEME.text_muted, direction)
            y += font.get_linesize()
        bw, bh = 520, 130
        reject = pygame.Rect(60, h - bh - 40, bw, bh)
        approve = pygame.Rect(w - 60 - bw, h - bh - 40, bw, bh)
        self.zones.add("reject", reject, lambda: self.decide(False))
        self.zones.add("approve", approve, lambda: self.decide(True))
        self._big(surface, reject, _("Refuser"), "x", THEME.bad, self.zones.pressed_key() == "reject")
        self._big(surface, approve, _("Accepter"), "check", THEME.good, self.zones.pressed_key() == "approve")

    def _big(self, surface, rect, label, icon, color, pressed) -> None:
        pygame.draw.rect(surface, tuple(max(0, c - 40) for c in color) if pressed else color, rect,
                         border_radius=THEME.radius)
        font = self.ctx.assets.font(THEME.font_title, bold=True)
        img = self.ctx.assets.icon(icon, 72, THEME.on_accent)
        total = img.get_width() + 20 + font.size(label)[0]
        x = rect.centerx - total // 2
        surface.blit(img, img.get_rect(midleft=(x, rect.centery)))
        draw_text(surface, font, label, (x + img.get_width() + 20, rect.centery), THEME.on_accent, "midleft")


def _local_time(ts: str, tz) -> str:
    try:
        moment = datetime.strptime(ts, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=timezone.utc)
    except ValueError:
        return ts
    return moment.astimezone(tz).strftime("%d/%m %H:%M")
