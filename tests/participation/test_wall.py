"""Drawings saved/hashed/reloaded, moderation state derived from events, and nothing unapproved on
the wall or in the attract loop's feed. QSEC_SHOTS=DIR keeps the screenshots of a drawing not kept there."""
import hashlib
import os
from pathlib import Path

import numpy as np
import pygame
import pytest

from kiosk.content import ContentError
from kiosk.input import InputEvent
from stations.wall import Station
from stations.wall.drawing import ERASER, Drawing
from stations.wall.drawing_view import PaperView, attachment_path, render_drawing, save_drawing, save_drawing_then
from stations.wall.model import approved_contributions, contributions, moderation_counts, pending_contributions
from stations.wall.moderation import ModerationPage
from tests.participation.conftest import Driver, events_of

SHOTS = Path(os.environ["QSEC_SHOTS"]) if os.environ.get("QSEC_SHOTS") else None


def _scribble(d: Drawing) -> None:
    d.tool = 1
    d.begin(10, 10)
    for t in range(60):
        d.extend(10 + 9 * t, 10 + (t * 37) % 300)
    d.end()
    d.tool = ERASER
    d.begin(100, 100); d.extend(200, 120); d.end()


def test_drawing_undo_clear_and_empty():
    d = Drawing(width=400, height=300)
    assert d.is_empty
    d.tool = ERASER
    d.begin(5, 5); d.extend(50, 50); d.end()
    assert d.is_empty                      # only the eraser: nothing to send
    d.tool = 0
    d.begin(5, 5); d.extend(5.5, 5.5); d.extend(900, -40); d.end()
    assert not d.is_empty and d.strokes[-1].points == [(5, 5), (399, 0)]   # jitter dropped, clamped
    assert d.undo() and d.is_empty and d.undo() and not d.undo()
    d.begin(1, 1); d.clear()
    assert d.strokes == [] and d.revision == 3


def test_drawing_saved_hashed_and_reloaded_identical(tmp_path):
    pygame.init()
    d = Drawing(width=640, height=400)
    _scribble(d)
    paper = PaperView(d).sync()
    future = save_drawing_then(paper, tmp_path, lambda sha: sha)
    sha = future.result(5)
    path = attachment_path(tmp_path, sha)
    data = path.read_bytes()
    assert hashlib.sha256(data).hexdigest() == sha and path.name == f"{sha}.png"
    reloaded = pygame.image.load(str(path))
    original = render_drawing(d)
    assert reloaded.get_size() == original.get_size()
    assert np.array_equal(pygame.surfarray.array3d(reloaded), pygame.surfarray.array3d(original))
    # the same drawing gives the same file name; the screen's incremental paper matches the file
    assert save_drawing(d, tmp_path) == sha
    assert not list(path.parent.glob("*.tmp"))
    assert np.array_equal(pygame.surfarray.array3d(paper), pygame.surfarray.array3d(original))


def test_a_drawing_that_cannot_be_written_is_reported_not_raised(tmp_path):
    pygame.init()
    blocker = tmp_path / "data"
    blocker.write_text("a file where the data folder should be")
    d = Drawing(width=64, height=40)
    _scribble(d)
    assert save_drawing_then(render_drawing(d), blocker, lambda sha: ("then", sha)).result(5) == ("then", None)


def _message(rec, text, **extra):
    return rec.record("wall.message", {"question": "others", "text": text, "flags": [], **extra}, station="wall")


def test_moderation_state_is_derived_from_events(make_ctx):
    ctx = make_ctx("wall", Station)
    rec = ctx.recorder
    a, b, c, d = (_message(rec, t) for t in "abcd")
    rec.record("moderation.approved", {"target": a}, station="wall")
    rec.record("moderation.rejected", {"target": b}, station="wall")
    rec.record("moderation.rejected", {"target": c}, station="wall")
    rec.record("moderation.approved", {"target": c}, station="wall")     # reversed: latest wins
    rec.record("moderation.approved", {"target": a}, station="wall")     # twice: still one item
    rec.flush()
    states = {x.uuid: x.state for x in ctx.reader.query(contributions)}
    assert states == {a: "approved", b: "rejected", c: "approved", d: "pending"}
    assert ctx.reader.query(moderation_counts) == {"pending": 1, "approved": 2, "rejected": 1}
    assert [x.uuid for x in ctx.reader.query(lambda conn: approved_contributions(conn, 10))] == [c, a]
    assert [x.uuid for x in ctx.reader.query(pending_contributions)] == [d]
    rec.record("moderation.rejected", {"target": c}, station="wall")
    rec.flush()
    assert [x.uuid for x in ctx.reader.query(lambda conn: approved_contributions(conn, 10))] == [a]


def test_unapproved_text_never_reaches_the_wall(make_ctx):
    ctx = make_ctx("wall", Station)
    rec = ctx.recorder
    ok = _message(rec, "Le tram me relie aux autres")
    _message(rec, "PENDING-SECRET")
    bad = _message(rec, "REJECTED-SECRET c0nnard", flags=["insult"])
    rec.record("moderation.approved", {"target": ok}, station="wall")
    rec.record("moderation.rejected", {"target": bad}, station="wall")
    rec.flush()
    feed = ctx.reader.query(lambda conn: approved_contributions(conn, 50))
    assert [x.text for x in feed] == ["Le tram me relie aux autres"]
    assert ctx.reader.query(lambda conn: Station.attract_quotes(conn, 8)) == ["Le tram me relie aux autres"]
    st = Station(ctx)
    drv = Driver(st)
    drv.settle(lambda: st.approved)
    assert [x.uuid for x in st.approved] == [ok]
    assert all("SECRET" not in x.text for x in st.approved)


def test_visitor_writes_draws_and_sends(make_ctx):
    ctx = make_ctx("wall", Station)
    st = Station(ctx)
    drv = Driver(st)
    drv.tap("add")
    assert drv.rect("send") is None          # no question chosen yet
    drv.tap("question:collective")
    assert not st.can_send
    keys = dict(st.compose.keyboard.key_rects())
    for key in ["à", "␣", "v", "é", "l", "o"]:
        drv.tap_at(keys[key].center)
    st.handle_event(InputEvent("text", text=" c0nnard 06 12 34 56 78"))
    drv.frame()
    assert st.keys.text == "À vélo c0nnard 06 12 34 56 78" and st.personal_data_warning
    _draw_a_stroke(st, drv)
    assert not st.drawing.is_empty and st.can_send
    drv.tap("send")
    assert st.phase == "sent"
    for _ in range(500):                    # the drawing is encoded and written off the frame loop
        if st.code:
            break
        pygame.time.wait(10)
        drv.frame()
    assert st.code
    [(uuid, kind, station, payload)] = events_of(ctx, "wall.message")
    from eventlog.kinds import validate_payload

    assert validate_payload(kind, payload) is None
    assert uuid == st.message_uuid and station == "wall"
    assert payload["question"] == "collective" and payload["text"].startswith("À vélo")
    assert payload["flags"] == ["insult", "phone"]
    # on disk before the message that names it is recorded
    assert hashlib.sha256(attachment_path(ctx.data_dir, payload["drawing_sha256"]).read_bytes()).hexdigest() \
        == payload["drawing_sha256"]
    assert ctx.reader.query(lambda conn: approved_contributions(conn, 10)) == []


def _draw_a_stroke(st, drv) -> None:
    """Switch the compose box to drawing and draw one stroke across the paper."""
    drv.tap("mode:draw")
    r = st.compose.paper_rect
    st.handle_event(InputEvent("down", (r.left + 50, r.top + 50)))
    st.handle_event(InputEvent("move", (r.left + 300, r.top + 200)))
    st.handle_event(InputEvent("up", (r.left + 320, r.top + 260)))
    drv.frame()


def _draw_on_a_disk_at_its_reserve(make_ctx, monkeypatch, text: str = ""):
    """A visitor answers with a drawing (and `text`) while the disk is at its reserve: the drawing cannot be kept."""
    monkeypatch.setattr("stations.wall.drawing_view.room_for", lambda path, size: False)
    ctx = make_ctx("wall", Station)
    st = Station(ctx)
    drv = Driver(st)
    drv.tap("add")
    drv.tap("question:collective")
    if text:
        st.handle_event(InputEvent("text", text=text))
    _draw_a_stroke(st, drv)
    drv.tap("send")
    return ctx, st, drv


def test_a_message_whose_drawing_cannot_be_written_is_not_recorded_without_it(make_ctx, monkeypatch):
    ctx, st, drv = _draw_on_a_disk_at_its_reserve(make_ctx, monkeypatch, text="Mon trajet")
    for _ in range(500):
        if st._sending is None:
            break
        pygame.time.wait(10)
        drv.frame()
    assert st._sending is None and st.code is None
    ctx.recorder.flush()
    assert events_of(ctx, "wall.message") == []           # not the text alone
    assert not list((ctx.data_dir / "attachments").glob("*"))
    # the visitor is told, with no QR code and no card "waiting" for what was not kept, and may send the text
    drv.frame()
    assert st.unsaved and st.url is None and st.own is None and st.view.qr_rect is None
    assert st.describe().startswith("Votre dessin n’a pas pu être enregistré")
    if SHOTS:
        pygame.image.save(drv.surface, str(SHOTS / "wall-drawing-not-kept.png"))
    assert "wall" in st.view.zones.keys and "write-instead" not in st.view.zones.keys
    drv.tap("text-alone")
    assert not st.unsaved and st.code is not None
    ctx.recorder.flush()
    (message,) = events_of(ctx, "wall.message")
    assert message[3]["text"] == "Mon trajet" and "drawing_sha256" not in message[3]


def test_a_drawing_alone_that_cannot_be_written_offers_to_write_instead(make_ctx, monkeypatch):
    _ctx, st, drv = _draw_on_a_disk_at_its_reserve(make_ctx, monkeypatch)
    drv.settle(until=lambda: st.unsaved)
    assert st.unsaved and "text-alone" not in st.view.zones.keys
    if SHOTS:
        pygame.image.save(drv.surface, str(SHOTS / "wall-drawing-alone-not-kept.png"))
    drv.tap("write-instead")
    assert (st.phase, st.mode, st.question.id) == ("compose", "write", "collective")
    assert not st.drawing.is_empty                         # nothing else the visitor did is lost


def test_moderation_page_decides_one_item_at_a_time(make_ctx):
    ctx = make_ctx("wall", Station)
    first = _message(ctx.recorder, "premier", flags=["insult"])
    second = _message(ctx.recorder, "second")
    ctx.recorder.flush()
    page = ModerationPage(ctx)
    drv = Driver(page, zones_of=lambda p: p.zones)
    drv.settle(lambda: page.item is not None)
    assert page.item.uuid == first and page.counts["pending"] == 2
    drv.tap("approve")
    # the next item and the corrected counts show at once, before the log has caught up
    assert page.item.uuid == second and page.counts == {"pending": 1, "approved": 1, "rejected": 0}
    drv.tap("reject")
    assert page.item is None and page.counts == {"pending": 0, "approved": 1, "rejected": 1}
    drv.settle(lambda: page.state is not None and page.state["pending_ids"] == [] and page._query is None)
    assert page.counts == {"pending": 0, "approved": 1, "rejected": 1}
    from eventlog.kinds import validate_payload

    assert all(validate_payload(kind, payload) is None for _, kind, _, payload in events_of(ctx))
    decisions = [(k, p["target"]) for _, k, _, p in events_of(ctx) if k.startswith("moderation.")]
    assert decisions == [("moderation.approved", first), ("moderation.rejected", second)]
    assert ctx.reader.query(moderation_counts) == {"pending": 0, "approved": 1, "rejected": 1}
    assert drv.rect("approve") is None       # empty queue: nothing to tap
    assert Station.mediator_pages["moderation"][1] == "stations.wall.moderation:ModerationPage"


def test_bad_wall_content_is_refused(tmp_path, make_ctx):
    bad = tmp_path / "wall-bad.toml"
    bad.write_text('insult_lists = ["missing.txt"]\n[[question]]\nid = "a"\ntext = 3\n', encoding="utf-8")
    keys = {p.key for p in Station.check_content({"content": str(bad)}, "stations.wall")}
    assert keys == {"question[0].text", "insult_lists[0]"}
    assert Station.check_content({"content": "wall.toml"}, "stations.wall") == []
    with pytest.raises(ContentError):
        Station(make_ctx("wall", Station, config={"content": str(bad)}))


def test_the_wall_forgets_cards_that_left_it(make_ctx):
    ctx = make_ctx("wall", Station)
    first = _message(ctx.recorder, "un")
    ctx.recorder.record("moderation.approved", {"target": first}, station="wall")
    ctx.recorder.flush()
    st = Station(ctx)
    drv = Driver(st)
    drv.settle(lambda: st.approved)
    assert {k[0] for k in st.view.mosaic._cards} == {first}
    ctx.recorder.record("moderation.rejected", {"target": first}, station="wall")   # withdrawn
    ctx.recorder.flush()
    st._since_refresh = 1e9
    drv.settle(lambda: not st.approved)
    assert st.view.mosaic._cards == {}


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
@pytest.mark.parametrize("lang", ["fr", "en"])
def test_headers_keep_clear_of_the_home_button_and_language_switch(make_ctx, tmp_path, orientation, lang):
    """Portrait: the subtitle ran into the home button's bottom edge, « Choisissez une question » under FR/EN."""
    import dataclasses

    from kiosk.chrome import home_button_rect, language_button_rect
    from kiosk.testing import default_config

    kiosk = dataclasses.replace(default_config(data_dir=tmp_path), orientation=orientation)
    ctx = make_ctx("wall", Station, kiosk=kiosk, lang=lang)
    buttons = [home_button_rect(ctx.canvas_size).inflate(16, 16), language_button_rect(ctx.canvas_size).inflate(16, 16)]   # a little air around them
    st = Station(ctx)
    drv = Driver(st)
    screen = pygame.Rect((0, 0), ctx.canvas_size)
    for phase in ("wall", "pick"):
        if phase == "pick":
            drv.tap("add")
        drv.frame()
        assert st.phase == phase and st.view.header_rects
        for r in st.view.header_rects:
            assert screen.contains(r) and r.collidelist(buttons) == -1, (phase, r)
        if phase == "wall":
            assert len(st.view.header_rects) == 2 and st.view.wall_area.top >= st.view.header_rects[-1].bottom + 16
        else:
            first = st.view.zones.rect("question:" + st.questions[0].id)
            assert first.top >= st.view.header_rects[-1].bottom + 16


def test_attract_preview_shows_approved_drawings_alone_or_with_text(make_ctx):
    """The attract loop's quote line can only show text: the wall's own slide shows the drawings."""
    from stations.wall.drawing_view import save_drawing

    ctx = make_ctx("wall", Station)

    def drawing(color: int) -> str:
        d = Drawing(width=600, height=360)
        d.tool = color
        d.pen_width = 40
        d.begin(40, 180)
        d.extend(560, 180)
        d.end()
        return save_drawing(d, ctx.data_dir)

    red, blue = drawing(1), drawing(2)     # palette: 1 = red, 2 = blue
    shown = ctx.recorder.record("wall.message", {"question": "dream_trip", "flags": [], "drawing_sha256": red},
                                station="wall")
    ctx.recorder.record("moderation.approved", {"target": shown}, station="wall")
    _message(ctx.recorder, "pending, with a drawing", drawing_sha256=blue)                 # not approved
    text_only = _message(ctx.recorder, "Un téléphérique jusqu'au lycée")
    ctx.recorder.record("moderation.approved", {"target": text_only}, station="wall")
    ctx.recorder.flush()
    st = Station(ctx)
    assert Station.attract_quotes and ctx.reader.query(lambda c: Station.attract_quotes(c, 8)) == [
        "Un téléphérique jusqu'au lycée"]
    preview = st.attract_preview()
    surface = pygame.Surface(ctx.canvas_size)
    rect = pygame.Rect(260, 318, 680, 376)          # the landscape attract slide's miniature
    deadline = 500
    while deadline and len(preview.cards(rect.height - 32)) < 2:
        preview.update(1 / 60)
        pygame.time.wait(5)
        deadline -= 1
    assert {c.uuid for c in preview.items} == {shown, text_only}
    surface.fill((0, 0, 0))
    preview.draw(surface, rect)
    pixels = pygame.surfarray.array3d(surface)
    inside, outside = pixels[rect.left:rect.right, rect.top:rect.bottom], pixels.copy()
    outside[rect.left:rect.right, rect.top:rect.bottom] = 0
    palette = Drawing().palette

    def near(a, color):      # scaled to a thumbnail: the line's inside keeps its colour, give or take
        return np.all(np.abs(a.astype(int) - color) <= 12, axis=2)

    assert near(inside, palette[1]).sum() > 500                              # the approved drawing, as a thumbnail
    assert not near(pixels, palette[2]).any()                                # never the pending one
    assert not outside.any()                                                 # only inside its miniature
