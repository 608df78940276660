"""« Mur des questions »: glue between the wall's model, its views, the recorder and the log."""
from __future__ import annotations

import logging
from concurrent.futures import Future
from pathlib import Path
from typing import Any, Mapping

import pygame

from eventlog.shortcode import contribution_url, short_code
from kiosk.access.reach import Reach
from kiosk.chrome import controls_band
from kiosk.config import ConfigProblem
from kiosk.content import localise, read_content
from kiosk.input import DOWN, KEY, MOVE, TEXT, UP
from kiosk.station import Station, StationContext
from kiosk.ui.keys import LETTER_LAYOUT_FOR_LANGUAGE, KeyboardState
from stations.wall.compose_view import ComposeView, paper_area
from stations.wall.drawing import Drawing
from stations.wall.drawing_view import PaperView, attachment_path, save_drawing_then
from stations.wall.model import (Contribution, MessageDraft, WallQuestion, approved_contributions, load_wall,
                                 parse_wall)
from stations.wall.precheck import PreCheck, default_precheck
from stations.wall.unsaved import draw_unsaved, unsaved_texts

log = logging.getLogger(__name__)

REFRESH_S = 20.0          # how often the wall looks for newly approved contributions
WALL_SIZE = 40            # approved contributions shown in the mosaic
PERSONAL = {"email", "phone", "address", "handle"}


def load_approved_with_images(conn, data_dir: Path, limit: int) -> tuple[list, dict[str, bytes]]:
    """Approved contributions and their drawings' bytes, read on the reader thread (no disk on the loop)."""
    items = approved_contributions(conn, limit)
    images: dict[str, bytes] = {}
    for c in items:
        if c.drawing_sha256 and c.drawing_sha256 not in images:
            try:
                images[c.drawing_sha256] = attachment_path(data_dir, c.drawing_sha256).read_bytes()
            except OSError:
                pass   # not copied to this kiosk (yet): the card shows the text alone
    return items, images


class WallStation(Station):
    id = "wall"
    title = "Mur des questions"
    teaser = "Répondez aux questions de la saison : écrivez ou dessinez."
    icon = "message-question"
    # Writing or drawing an answer has long thinking pauses: more time before « Encore là ? ».
    config_defaults = {"content": "wall.toml", "idle_timeout_s": 150}
    mediator_pages = {"moderation": ("Modération", "stations.wall.moderation:ModerationPage")}

    @staticmethod
    def attract_quotes(conn, limit: int) -> list[str]:
        """Texts of the newest approved contributions, for the attract loop's quote line (only approved
        ones). Drawings cannot be quoted: the wall's own slide shows them (`attract_preview`)."""
        return [c.text for c in approved_contributions(conn, limit * 3) if c.text][:limit]

    def attract_preview(self):
        """The wall's slide in the attract loop: the newest approved contributions, drawings included."""
        from stations.wall.preview import WallPreview

        return WallPreview(self.ctx, self.question_text, load_approved_with_images)

    def __init__(self, ctx: StationContext):
        super().__init__(ctx)
        self.questions, lists = load_wall(ctx.config["content"])       # ContentError if bad
        self.precheck: PreCheck = default_precheck(tuple(lists))
        from stations.wall.view import WallView

        self.view = WallView(self)
        area = paper_area(ctx.canvas_size, controls_band(ctx.canvas_size, Reach.of(ctx.kiosk)))
        self.drawing = Drawing(width=area.width, height=area.height)
        self.paper = PaperView(self.drawing)
        self.keys = KeyboardState.for_language(ctx.i18n.lang)
        self.compose = ComposeView(self, self.view)
        self.approved: list = []
        self.images: dict[str, bytes] = {}
        self._wall_query: Future | None = None
        self._since_refresh = REFRESH_S
        self.reset()

    @classmethod
    def check_content(cls, section: Mapping[str, Any], key_path: str) -> list[ConfigProblem]:
        file, data, problems = read_content(section.get("content", cls.config_defaults["content"]))
        return problems if data is None else parse_wall(data, file)[2]

    # -- lifecycle ---------------------------------------------------------------------------
    def reset(self) -> None:
        self.phase = "wall"              # wall | pick | compose | sent
        self.question: WallQuestion | None = None
        self.mode = "write"
        self.keys.clear()
        self.drawing.clear()
        self.message_uuid: str | None = None
        self._sending: Future | None = None    # a drawing being saved, then its message recorded
        self.unsaved = False                   # the drawing could not be kept: the visitor is told, kindly
        self.personal_data_warning = False
        self._checked_text = ""
        self._drawing_pointer: int | None = None
        self.view.zones.cancel()
        self._since_refresh = REFRESH_S
        self.own: Contribution | None = None     # what this visitor sent, shown to them as waiting
        self.own_image: pygame.Surface | None = None

    def enter(self) -> None:
        self._since_refresh = REFRESH_S

    def question_text(self, question_id: str) -> str:
        q = next((q for q in self.questions if q.id == question_id), None)
        return localise(q.text, self.ctx.i18n.lang) if q else ""

    # -- frame -------------------------------------------------------------------------------
    def handle_event(self, ev) -> bool:
        if self.phase == "compose" and self.mode == "draw" and self._handle_drawing(ev):
            return True
        if self.phase == "compose" and self.mode == "write":
            if ev.kind == TEXT:
                self.keys.insert(ev.text)
                return True
            if ev.kind == KEY and ev.key == "backspace":
                self.keys.press("⌫")
                return True
            if self.compose.keyboard.handle_event(ev):
                return True
        return self.view.zones.handle_event(ev)

    def _handle_drawing(self, ev) -> bool:
        if ev.kind == DOWN and self._drawing_pointer is None and self.compose.paper_rect.collidepoint(ev.pos):
            self._drawing_pointer = ev.pointer
            self.drawing.begin(*self.compose.to_paper(ev.pos))
            return True
        if ev.pointer != self._drawing_pointer or ev.kind not in (MOVE, UP):
            return False
        self.drawing.extend(*self.compose.to_paper(ev.pos))
        if ev.kind == UP:
            self.drawing.end()
            self._drawing_pointer = None
        return True

    def update(self, dt: float) -> None:
        if self._sending is not None and self._sending.done():
            sending, self._sending = self._sending, None
            try:
                self.message_uuid = sending.result()
            except Exception:   # the event log refused it: the log says why
                log.exception("wall message with a drawing not recorded")
            if self.message_uuid is None:   # no code, no QR code, no card "waiting" for what was not kept
                self.unsaved, self.own, self.own_image = True, None, None
            self.invalidate()        # the thank-you shows the message's code and QR code, or says it was not kept
        if self.phase == "wall":
            if self.view.mosaic.step(dt, still=self._still()):
                self.invalidate()        # a page turned on the still wall
            self._since_refresh += dt
            if self._since_refresh >= REFRESH_S and self._wall_query is None:
                self._since_refresh = 0.0
                data_dir = Path(self.ctx.data_dir)
                self._wall_query = self.ctx.reader.submit(lambda conn: load_approved_with_images(conn, data_dir, WALL_SIZE))
        if self._wall_query is not None and self._wall_query.done():
            future, self._wall_query = self._wall_query, None
            try:
                self.approved, self.images = future.result()
                self.view.mosaic.keep_only({c.uuid for c in self.approved})
                self.invalidate()
            except Exception:   # keep showing what we had rather than stop the station
                pass
        self.keys.letters = LETTER_LAYOUT_FOR_LANGUAGE.get(self.ctx.i18n.lang, self.keys.letters)
        if self.keys.text != self._checked_text:   # re-check only when the text changed
            self._checked_text = self.keys.text
            self.personal_data_warning = bool(PERSONAL & set(self.precheck.flags(self.keys.text)))

    def frame_rate(self) -> float:
        """The mosaic drifts when its cards do not fit (under reduced motion it turns pages, each one
        invalidating); picking, writing, drawing and the thank-you change only with a tap, or when the log
        answers (above)."""
        return self.view.mosaic.frame_rate(still=self._still()) if self.phase == "wall" else 0.0

    def _still(self) -> bool:
        """Reduced motion (the venue's or the visitor's): the wall turns pages instead of drifting."""
        access = self.ctx.access
        return access is not None and access.reduced_motion

    def draw(self, surface) -> None:
        from kiosk.ui import THEME

        surface.fill(THEME.background)
        self.view.zones.clear()
        if self.phase == "wall":
            self.view.draw_wall(surface)
        elif self.phase == "pick":
            self.view.draw_pick(surface)
        elif self.phase == "compose":
            self.compose.draw(surface)
        elif self.unsaved:
            draw_unsaved(self.view, surface)
        else:
            self.view.draw_sent(surface)

    def describe(self) -> str:
        _ = self.ctx._
        if self.phase == "wall":
            return _("Le mur des questions : les messages et dessins des visiteurs, lus par un médiateur avant d’être affichés. Le bouton « Ajouter ma réponse » permet d’écrire ou de dessiner.")
        if self.phase == "pick":
            return _("Choisissez une question :") + " " + " ".join(self.question_text(q.id) for q in self.questions)
        if self.phase == "compose":
            typed = self.keys.text.strip()
            return (self.question_text(self.question.id) + " "
                    + (_("Votre message : {t}").format(t=typed) if typed else _("Écrivez avec le clavier à l’écran ou un clavier branché."))
                    + " " + _("Puis « Envoyer »."))
        if self.unsaved:
            return " ".join(unsaved_texts(self.view))
        return _("Message envoyé. Il attend la lecture d’un médiateur avant d’être affiché ; le QR code l’ouvre sur votre téléphone.")

    # -- actions ------------------------------------------------------------------------------
    def start_answer(self) -> None:
        self.phase = "pick"

    def go_wall(self) -> None:
        own, image = self.own, self.own_image
        self.reset()
        self.own, self.own_image = own, image     # the author sees their message on the wall, waiting

    def pick(self, question_id: str) -> None:
        self.question = next(q for q in self.questions if q.id == question_id)
        self.phase = "compose"

    def back_to_pick(self) -> None:
        self.phase = "pick"

    def set_mode(self, mode: str) -> None:
        self.mode = mode

    def set_tool(self, tool: int) -> None:
        self.drawing.tool = tool

    def undo(self) -> None:
        self.drawing.undo()

    def clear_drawing(self) -> None:
        self.drawing.clear()

    def has_part(self, mode: str) -> bool:
        return bool(self.keys.text.strip()) if mode == "write" else not self.drawing.is_empty

    @property
    def can_send(self) -> bool:
        return self.question is not None and (self.has_part("write") or self.has_part("draw"))

    def _payload(self) -> dict:
        draft = MessageDraft(self.question.id, text=self.keys.text)
        draft.flags = self.precheck.flags(self.keys.text)
        return {**draft.payload(), "lang": self.ctx.i18n.lang}

    def send(self) -> None:
        if not self.can_send:
            return
        self.own = Contribution(uuid="own", ts="", question=self.question.id, text=self.keys.text.strip())
        self.own_image = None if self.drawing.is_empty else self.paper.sync().copy()
        self.unsaved = False
        payload = self._payload()
        recorder = self.ctx.recorder
        if self.drawing.is_empty:
            self.message_uuid = recorder.record("wall.message", payload, station=self.id)
        else:   # the PNG is encoded off the frame loop; the message is recorded once it is on disk
            session = recorder.session_id

            def record(sha: str | None) -> str | None:
                if sha is None:           # text and drawing together or not at all (the log says why)
                    return None
                return recorder.record("wall.message", {**payload, **({"drawing_sha256": sha} if sha else {})},
                                       station=self.id, session_id=session)

            self._sending = save_drawing_then(self.paper.sync(), self.ctx.data_dir, record)
        self.phase = "sent"
        if self.ctx.access is not None:
            self.ctx.access.play("success")

    def send_text_alone(self) -> None:
        """The drawing could not be kept: the visitor's text goes on its own, if they wish."""
        if not (self.unsaved and self.has_part("write")):
            return
        self.unsaved = False
        self.own = Contribution(uuid="own", ts="", question=self.question.id, text=self.keys.text.strip())
        self.message_uuid = self.ctx.recorder.record("wall.message", self._payload(), station=self.id)

    def write_instead(self) -> None:
        """The drawing could not be kept: back to the same question, the keyboard ready."""
        self.unsaved = False
        self.phase, self.mode = "compose", "write"

    # -- what the views read -------------------------------------------------------------------
    @property
    def code(self) -> str | None:
        return short_code(self.message_uuid) if self.message_uuid else None

    @property
    def url(self) -> str | None:
        return contribution_url(self.ctx.kiosk.public_url, self.message_uuid) if self.message_uuid else None
