"""Draws the crowd station's screen: captions, room, panel, chart. Texts are French msgids
translated through the station's catalog (media/locale/en/LC_MESSAGES/crowd.po)."""
from __future__ import annotations

from typing import TYPE_CHECKING

import pygame

from kiosk import formats
from kiosk.access.controls import AREA, report_control
from kiosk.chrome import listen_button_rect
from kiosk.i18n import N_
from kiosk.ui import THEME, draw_text, draw_text_block, fit_text, mirrored, wrap_text

from .view import EXIT_CLOSED, HEAT_MAX, SPEED_COLOURS, draw_curve_chart, heat_legend, outlined

if TYPE_CHECKING:  # pragma: no cover
    from .station import CrowdStation

HELP = "Touchez le sol : un pilier. Glissez : un mur. Touchez une porte : elle se ferme ou s’ouvre."
HELP_CORRIDOR = "Touchez le sol : un pilier. Glissez : un mur. Orange : vers la droite, bleu : vers la gauche."
SPEED_CHART_MAX = 1.6       # m/s at the top of a speed chart (Weidmann's free walking: 1.34)
FRAME = (235, 240, 248)     # the measurement frame's dashes
HELP_DENSE = "Touchez le sol : un pilier. Glissez : un mur. Le bouton sous le curseur serre la foule."
HELP_PLATFORM = "Orange : ils descendent du train. Bleu : ils montent."
ROOM_CONTROL = N_("La salle : flèches pour viser, Entrée pour poser un pilier ou fermer une porte")


_LANG = ["fr"]   # set at each draw: French writes 2,5 and English 2.5


def fmt(value: float, digits: int = 1) -> str:
    return formats.number(value, _LANG[0], digits)


def headline(station: "CrowdStation") -> tuple[str, str]:
    """The big caption changes with what the visitor does: panic, lanes, doors."""
    sc = station.scenario
    if sc.id == "evacuation" and station.hurry.value > 0.45:
        return "Plus vite, c’est plus lent !", "Pressés, les gens se poussent et se coincent à la porte : ça bouchonne."
    if sc.id == "corridor":
        if station.parameters.get("keep_right", 1.0):
            return "Chacun garde sa droite", "Comme sur la route en France, on se croise par la droite : les files se forment vite."
        return "Les files se forment toutes seules", "Personne ne les organise : chacun évite ceux d’en face, et des files apparaissent."
    return sc.title, sc.caption


def draw_station(station: "CrowdStation", surface: pygame.Surface) -> None:
    _ = station.ctx._
    _LANG[0] = station.ctx.i18n.lang
    assets = station.ctx.assets
    surface.fill(THEME.background)
    big, body, small = assets.font(THEME.font_title, True), assets.font(THEME.font_body), assets.font(THEME.font_small)
    w = surface.get_width()
    title, caption = headline(station)
    if surface.get_height() > w:      # portrait: the chrome sits in the reach band, the top is the title's
        rtl = station.ctx.i18n.rtl
        draw_text(surface, big, _(title), (w - 24 if rtl else 24, 10), THEME.accent, "topright" if rtl else "topleft")
        _room_caption(surface, assets, _(caption), pygame.Rect(24, 74, w - 48, 80))
    else:
        draw_text(surface, big, _(title), (240, 10), THEME.accent)
        right = listen_button_rect(surface.get_size()).left - 16       # clear of « Écouter » and the language
        _room_caption(surface, assets, _(caption), pygame.Rect(240, 74, right - 240, 56))

    model = station.model
    if station.view.hint is not None:
        station.view.hint_label = small.render(_("Un pilier ici ?"), True, THEME.accent)
    station.view.labels = [(_label(station, small, _(str(lab["text"]))), tuple(lab["at"]))
                           for lab in station.scenario.station.get("labels", [])]
    previews = []
    for g in station.gestures.active.values():
        if g.dragging:
            a, b, ok = station._clamp_wall(g.start_m, g.now_m)
            previews.append((a, b, ok))
    station.view.still = station.ctx.access is not None and station.ctx.access.reduced_motion
    station.view.draw(surface, model, str(station.scenario.station.get("colour_by", "speed")), previews)
    report_control(station.view.transform.rect, _(ROOM_CONTROL), kind=AREA)
    _room_overlay(station, surface, body, small)
    _panel(station, surface, body, small)


def _room_caption(surface, assets, text: str, rect: pygame.Rect) -> None:
    """The room's caption between the title and the room: one line, or two in smaller type on a narrow
    (portrait) screen or in a longer language; the end cut with « … » only if even that is too long."""
    for size in range(THEME.font_small, 19, -2):
        font = assets.font(size)
        lines = wrap_text(font, text, rect.width)
        if len(lines) * font.get_linesize() <= rect.height:
            break
    room = max(1, rect.height // font.get_linesize())
    if len(lines) > room:
        lines = lines[:room - 1] + [fit_text(font, " ".join(lines[room - 1:]), rect.width)]
    draw_text_block(surface, font, "\n".join(lines), rect, THEME.text_muted, line_spacing=1.0)


_LABELS: dict[tuple[str, int], pygame.Surface] = {}


def _label(station, font, text: str) -> pygame.Surface:
    key = (text, id(font))
    if key not in _LABELS:
        _LABELS[key] = outlined(font, text, THEME.text)
    return _LABELS[key]


def status_line(station) -> str:
    _ = station.ctx._
    model = station.model
    if station.scenario.id == "platform":
        return _("Pas encore arrivés : {n}").format(n=model.count) + "  ·  " + _("{t} s").format(t=fmt(model.time))
    if model.period is None:
        return _("Dans la salle : {n}").format(n=model.count) + "  ·  " + _("{t} s").format(t=fmt(model.time))
    if station.charts_speed:        # the values themselves are on the line under it
        return _("Vitesse dans le cadre (m/s)") + "  ·  " + _("{t} s").format(t=fmt(model.time))
    order = station._lane_order() or 0.0
    return _("Ordre des files : {p} %").format(p=round(100 * order)) + "  ·  " + _("{t} s").format(t=fmt(model.time))


def _room_overlay(station, surface, body, small) -> None:
    _ = station.ctx._
    room = station.view.transform.rect
    notes = []
    if station.sim_rate < 0.95:
        notes.append(_("ralenti ×{r}").format(r=fmt(station.sim_rate)))
    if station.model.ready and station.model.navigation_pending:
        notes.append(_("Les gens cherchent un nouveau chemin…"))
    if notes:   # over the room's floor or a wall: outlined, readable on either
        label = outlined(small, "  ·  ".join(notes), THEME.text)
        surface.blit(label, label.get_rect(topright=(room.right - 12, room.y + 10)))
    _measurement_frame(station, surface)
    hint = {"corridor": HELP_CORRIDOR, "platform": HELP_PLATFORM, "dense": HELP_DENSE}.get(station.scenario.id, HELP)
    strip = station.hint_rect
    colour_by = station.scenario.station.get("colour_by", "speed")
    legend = "density" if station.view.show_heat else colour_by
    reserved = {"density": 480, "speed": 420}.get(legend, 16)     # room for the legend on the right
    rtl = station.ctx.i18n.rtl          # in Arabic the help starts from the right, the legend on the left
    text_rect = pygame.Rect(strip.x + 8, strip.y + 4, strip.width - reserved, strip.height)
    if rtl:
        text_rect.right = strip.right - 8
    draw_text_block(surface, small, _(hint), text_rect, THEME.text_muted, line_spacing=1.05)
    if legend == "density":
        _density_legend(station, surface, small, strip, rtl)
        densest = station.view.densest
        if densest is not None and densest[1] >= 1.5 and station.model.count:   # the figure where it is densest
            label = outlined(small, _("{d} pers./m²").format(d=fmt(densest[1])), THEME.text)
            surface.blit(label, label.get_rect(midbottom=(densest[0][0], densest[0][1] - 14)))
    elif colour_by == "speed":
        x = strip.right - 300
        draw_text(surface, small, _("arrêt"), (across(strip, x, rtl), strip.y + 20), THEME.text_muted,
                  "topleft" if rtl else "topright")
        for k, c in enumerate(SPEED_COLOURS):    # the same marks as on the people: ring, then longer ticks
            dot = station.view._sprite(11, c, k, 0)
            surface.blit(dot, dot.get_rect(center=(across(strip, x + 24 + 30 * k, rtl), strip.y + 38)))
        draw_text(surface, small, _("rapide"), (across(strip, x + 14 + 30 * len(SPEED_COLOURS), rtl), strip.y + 20),
                  THEME.text_muted, "topright" if rtl else "topleft")
    if station.attempt.finished_at is not None:
        _finish_banner(station, surface, body, room)
    if station.caption is not None:
        _caption(station, surface, body, room)


def _measurement_frame(station, surface) -> None:
    """The measurement frame, dashed on the floor (what is measured in it is read under the chart's
    title: over the room it would cross walls or people)."""
    if station.reading is None:
        return
    t = station.view.transform
    x0, y0, x1, y1 = station.scenario.areas[0].rect
    left, top = t.point((x0, y1))
    right, bottom = t.point((x1, y0))
    frame = pygame.Rect(left, top, right - left, bottom - top)
    for k in range(frame.left, frame.right, 16):          # dashed: a frame drawn on the floor, not a wall
        pygame.draw.line(surface, FRAME, (k, frame.top), (min(k + 8, frame.right), frame.top), 2)
        pygame.draw.line(surface, FRAME, (k, frame.bottom), (min(k + 8, frame.right), frame.bottom), 2)
    for k in range(frame.top, frame.bottom, 16):
        pygame.draw.line(surface, FRAME, (frame.left, k), (frame.left, min(k + 8, frame.bottom)), 2)
        pygame.draw.line(surface, FRAME, (frame.right, k), (frame.right, min(k + 8, frame.bottom)), 2)


def across(strip: pygame.Rect, x: float, rtl: bool) -> float:
    """x as drawn in the reading direction: mirrored inside the strip for a right-to-left language."""
    return strip.left + strip.right - x if rtl else x


def _density_legend(station, surface, small, strip, rtl: bool = False) -> None:
    """The density map's scale: 0 to 5 persons per m² (and more), as the colours look on the floor,
    read from the right in Arabic (like the hurry slider)."""
    _ = station.ctx._
    colours = heat_legend()
    cell = 38          # room for « 5+ » under its box
    left = strip.right - 20 - cell * len(colours)      # laid out left to right, then mirrored in Arabic
    bar = mirrored(pygame.Rect(left, strip.y + 26, cell * len(colours), 20), strip, rtl)
    for k, c in enumerate(colours):      # five numbered classes: the number says what the colour says
        box = mirrored(pygame.Rect(left + cell * k, bar.y, cell - 2, bar.height), strip, rtl)
        pygame.draw.rect(surface, c, box)
        label = str(k + 1) + ("+" if k == len(colours) - 1 else "")
        draw_text(surface, small, label, (box.centerx, box.bottom + 2), THEME.text_muted, "midtop")
    pygame.draw.rect(surface, THEME.text_muted, bar.inflate(2, 2), 1)
    if rtl:
        draw_text(surface, small, _("personnes par m²"), (bar.right + 12, strip.y + 20), THEME.text_muted, "topleft")
    else:
        draw_text(surface, small, _("personnes par m²"), (bar.x - 12, strip.y + 20), THEME.text_muted, "topright")


def _caption(station, surface, body, room) -> None:
    """Why an edit was undone (or the room restarted): the undone wall or pillar in red, a line of text."""
    _ = station.ctx._
    cap, t = station.caption, station.view.transform
    if cap.kind == "wall":
        a, b = cap.shape
        pygame.draw.line(surface, EXIT_CLOSED, t.point(a), t.point(b), max(6, int(0.15 * t.scale)))
    elif cap.kind == "pillar":
        centre, radius = cap.shape
        pygame.draw.circle(surface, EXIT_CLOSED, t.point(centre), max(8, radius * t.scale) + 4, 5)
    text = body.render(_(cap.text), True, THEME.text)
    box = text.get_rect(midtop=(room.centerx, room.y + 48)).inflate(40, 24)
    pygame.draw.rect(surface, THEME.surface, box, border_radius=THEME.radius)
    pygame.draw.rect(surface, EXIT_CLOSED if cap.kind else THEME.accent, box, width=4, border_radius=THEME.radius)
    surface.blit(text, text.get_rect(center=box.center))


def _finish_banner(station, surface, body, room) -> None:
    _ = station.ctx._
    big = station.ctx.assets.font(THEME.font_title, True)
    t = station.attempt.finished_at
    ghost = station.attempt_ghost
    lines = [_("Tout le monde est sorti en {t} s").format(t=fmt(t))]
    if ghost and ghost[-1][1] == 0:
        delta = t - ghost[-1][0]
        if fmt(abs(delta)) == fmt(0.0):   # "0,0 s plus lent" reads as a riddle
            lines.append(_("Le même temps que la fois d’avant"))
        else:
            lines.append(_("{d} s plus vite que la fois d’avant").format(d=fmt(-delta)) if delta < 0
                         else _("{d} s plus lent que la fois d’avant").format(d=fmt(delta)))
    box = pygame.Rect(0, 0, min(room.width - 40, 1100), 90 + 60 * (len(lines) - 1))
    box.center = room.center
    size = THEME.font_title
    while size > 32 and big.size(lines[0])[0] > box.width - 40:   # portrait rooms are narrow
        size -= 4
        big = station.ctx.assets.font(size, True)
    pygame.draw.rect(surface, THEME.surface, box, border_radius=THEME.radius)
    pygame.draw.rect(surface, THEME.accent, box, width=4, border_radius=THEME.radius)
    draw_text(surface, big, fit_text(big, lines[0], box.width - 40), (box.centerx, box.y + 14), THEME.text, "midtop")
    for k, line in enumerate(lines[1:]):
        draw_text(surface, body, fit_text(body, line, box.width - 40), (box.centerx, box.y + 90 + 50 * k),
                  THEME.accent, "midtop")


def _panel(station, surface, body, small) -> None:
    _ = station.ctx._
    rtl = station.ctx.i18n.rtl
    for button, rect in station.button_layout:     # the grid and the tools start from the right in Arabic
        button.rect = mirrored(rect, station.panel, rtl)
    for sid, button in station.scenario_buttons:
        button.label = _(_scenario_title(sid))
        button.selected = sid == station.scenario.id
        button.draw(surface, body)
    speed = station.model.desired_speed or 0.0
    # the wanted speed on the title's line, clear of « calmes » and « panique » under the track at any speed
    station.hurry.draw(surface, body, small, _("Pressés ?"), _("calmes"), _("panique"),
                       _("vitesse voulue {v} m/s").format(v=fmt(speed)))
    station.restart_button.label = _("Recommencer")
    station.wall_button.label = _("Mur")
    station.heat_button.label = _("Densité")
    station.heat_button.selected = station.view.show_heat
    extra = station.extra_button
    sc = station.scenario
    if sc.station.get("adjustable"):
        extra.enabled = True
        value = fmt(station.parameters.get(sc.station["adjustable"], 0.0))
        extra.label = (_("{d} pers./m²").format(d=value) if sc.station["adjustable"] == "density"
                       else _("Largeur {w} m").format(w=value))
    elif sc.station.get("toggle"):
        extra.enabled = True
        on, off = sc.station.get("toggle_labels", ["Oui", "Non"])
        extra.label = _(on) if station.parameters.get(sc.station["toggle"], 1.0) else _(off)
    else:
        extra.enabled = False
        extra.label = ""
    for button in (station.restart_button, station.wall_button):
        button.draw(surface, body if body.size(button.label)[0] < button.rect.width - 20 else small)
    station.heat_button.draw(surface, small)
    if extra.enabled:
        extra.draw(surface, body if body.size(extra.label)[0] < extra.rect.width - 20 else small)
    _chart(station, surface, small)


def _chart(station, surface, small) -> None:
    _ = station.ctx._
    a, model = station.attempt, station.model
    ghost = station.attempt_ghost
    t_max = max([model.time, 30.0] + [p[0] for p in ghost])
    y_max = float(a.agents) if model.period is None else (SPEED_CHART_MAX if station.charts_speed else 1.0)
    draw_curve_chart(surface, station.chart_rect, small, a.curve, ghost, y_max, t_max, status_line(station),
                     _("temps (s)") + ("  ·  " + _("gris : l’essai d’avant") if ghost else ""))
    if station.reading is not None:
        density, speed = station.reading
        text = _("Dans le cadre : {d} pers./m², {v} m/s").format(
            d=fmt(density), v="–" if speed is None else fmt(speed))
        rect = station.chart_rect
        draw_text(surface, small, fit_text(small, text, rect.width - 32), (rect.x + 16, rect.y + 42), THEME.accent)


TITLES = {"evacuation": "Évacuation", "corridor": "Couloir", "bottleneck": "Goulot",
          "four-exits": "Quatre sorties", "platform": "Sur le quai", "dense": "Foule dense"}


def _scenario_title(sid: str) -> str:
    return TITLES.get(sid, sid)
