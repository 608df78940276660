"""The four panels of the statistics page, drawn from a computed Stats. Pure drawing: no queries.

Every panel says where a source is missing ("no door counter") rather than drawing zeros.
"""
from __future__ import annotations

from datetime import date
from typing import Callable, Sequence

import pygame

from kiosk.store.stats import Stats
from kiosk.store.stats_quality import RUNTIME_LABELS
from kiosk.ui import THEME, draw_text, draw_text_block, wrap_text
from kiosk.ui.chart import draw_bar_chart, draw_heat_map, draw_line_chart, format_number

Tr = Callable[[str], str]
WEEKDAY_SHORT = ("lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim.")
WEEKDAY_LONG = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def day_label(d: date, _: Tr, with_weekday: bool = True) -> str:
    return f"{_(WEEKDAY_SHORT[d.weekday()])} {d.day}" if with_weekday else f"{d.day:02d}/{d.month:02d}"


def period_text(stats: Stats, _: Tr) -> str:
    p = stats.period
    at = stats.generated_at.strftime("%H:%M")
    if p.first == p.last:
        return _("{day} {date}, à {time}").format(day=_(WEEKDAY_LONG[p.first.weekday()]),
                                                  date=p.first.strftime("%d/%m/%Y"), time=at)
    return _("du {first} au {last} ({n} jours), à {time}").format(
        first=p.first.strftime("%d/%m/%Y"), last=p.last.strftime("%d/%m/%Y"), n=p.n_days, time=at)


def duration_text(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    s = int(round(seconds))
    return f"{s // 60} min {s % 60:02d} s" if s >= 60 else f"{s} s"


def percent_text(x: float | None) -> str:
    return "—" if x is None else f"{format_number(round(100 * x, 1))} %"


# -- building blocks ----------------------------------------------------------------------------------
def cards(surface, rect: pygame.Rect, items: Sequence[tuple[str, str, tuple]], assets) -> None:
    """A row of key figures: (value, label, colour)."""
    gap = 20
    w = (rect.width - gap * (len(items) - 1)) // max(1, len(items))
    for i, (value, label, color) in enumerate(items):
        card = pygame.Rect(rect.left + i * (w + gap), rect.top, w, rect.height)
        pygame.draw.rect(surface, THEME.surface, card, border_radius=THEME.radius)
        size = 72 if assets.font(72, True).size(value)[0] < w - 40 else 48
        draw_text(surface, assets.font(size, True), value, (card.left + 24, card.top + 14), color)
        room = card.height - 100
        for label_size in (28, 24, 21):  # the largest type whose wrapped label fits the card
            font = assets.font(label_size)
            if len(wrap_text(font, label, w - 40)) * font.get_linesize() <= room:
                break
        draw_text_block(surface, font, label, pygame.Rect(card.left + 24, card.top + 98, w - 40, room),
                        THEME.text_muted, line_spacing=1.0)


def notice(surface, rect: pygame.Rect, title: str, body: str, assets, icon: str = "alert-triangle") -> None:
    """A panel in place of a chart when its source is missing."""
    pygame.draw.rect(surface, THEME.surface, rect, border_radius=THEME.radius)
    img = assets.icon(icon, 96, THEME.warn)
    surface.blit(img, img.get_rect(midtop=(rect.centerx, rect.top + 50)))
    draw_text(surface, assets.font(44, True), title, (rect.centerx, rect.top + 180), THEME.text, "midtop")
    draw_text_block(surface, assets.font(34), body, pygame.Rect(rect.left + 120, rect.top + 260, rect.width - 240, 300),
                    THEME.text_muted, align="center")


def chart_box(surface, rect: pygame.Rect, title: str, assets) -> pygame.Rect:
    pygame.draw.rect(surface, THEME.surface, rect, border_radius=THEME.radius)
    room = rect.width - 48
    for size in (34, 30, 26):   # the largest type that fits; the smallest cut with an ellipsis
        font = assets.font(size, True)
        if font.size(title)[0] <= room:
            break
    while font.size(title)[0] > room and len(title) > 1:
        title = title[:-2] + "…"
    draw_text(surface, font, title, (rect.left + 24, rect.top + 18), THEME.text)
    return pygame.Rect(rect.left + 20, rect.top + 80, rect.width - 44, rect.height - 100)


def table(surface, rect: pygame.Rect, header: Sequence[str], rows: Sequence[Sequence[str]], widths: Sequence[float],
          assets, row_h: int = 64) -> None:
    """Columns at fractions `widths` of the rect; first column left-aligned, others right-aligned."""
    xs, x = [], rect.left
    for f in widths:
        xs.append((x, x + int(rect.width * f)))
        x += int(rect.width * f)
    font_h, font = assets.font(26, True), assets.font(34)
    head_lines = max(len(text.split("\n")) for text in header)
    for i, text in enumerate(header):
        a, b = xs[i]
        for k, part in enumerate(text.split("\n")):
            y = rect.top + 6 + k * font_h.get_linesize()
            draw_text(surface, font_h, part, (a + 10, y) if i == 0 else (b - 10, y),
                      THEME.text_muted, "topleft" if i == 0 else "topright")
    y = rect.top + 20 + head_lines * font_h.get_linesize()
    for r, row in enumerate(rows):
        if y + row_h > rect.bottom:
            break
        if r % 2 == 0:
            pygame.draw.rect(surface, THEME.surface, (rect.left, y, rect.width, row_h), border_radius=10)
        for i, text in enumerate(row):
            a, b = xs[i]
            draw_text(surface, font, text, (a + 10, y + row_h / 2) if i == 0 else (b - 10, y + row_h / 2),
                      THEME.text, "midleft" if i == 0 else "midright")
        y += row_h


def _hour_window(stats: Stats, day: date) -> range:
    hours = [h for h, v in enumerate(stats.hours_of(day)) if v is not None]
    hours += [h for h, v in enumerate(stats.hours_of(day, "sessions")) if v]
    lo, hi = (min(hours), max(hours)) if hours else (10, 18)
    lo, hi = min(lo, 10), max(hi, 18)
    return range(lo, hi + 1)


def shown_day(stats: Stats, d: date, n: int | None) -> bool:
    """A day in the per-day charts and counts: an opening day that has begun, or any day with passages."""
    return bool(n) or (d not in stats.closed_days and d not in stats.not_open_yet)


# -- panels ---------------------------------------------------------------------------------------------
def draw_footfall(surface, rect: pygame.Rect, stats: Stats, assets, _: Tr, **_kw) -> None:
    if stats.footfall_source == "no_counter":
        notice(surface, rect, _("Pas de compteur de passages"),
               _("Aucun compteur de passages n’est installé ou configuré dans ce lieu : la fréquentation n’est "
                 "pas mesurée. Les sessions sur le kiosque sont dans « Usage du kiosque »."), assets)
        return
    if stats.footfall_source == "no_data" and all(d in stats.closed_days for d in stats.period.days()):
        notice(surface, rect, _("Lieu fermé"),
               _("D’après les heures d’ouverture, le lieu est fermé sur cette période : pas de fréquentation "
                 "à montrer. Choisissez « Cette semaine » ou « Tout le séjour »."), assets, icon="lock")
        return
    if stats.footfall_source == "no_data":
        notice(surface, rect, _("Aucune donnée du compteur"),
               _("Le compteur de passages n’a rien transmis sur cette période (débranché ou hors ligne). "
                 "Voir « Qualité des données »."), assets)
        return
    today = stats.generated_at.date()
    items = [(format_number(stats.footfall_in or 0), _("entrées (passages vers l’intérieur)"), THEME.accent)]
    if stats.period.first <= today <= stats.period.last and stats.occupancy_now is not None:
        items.append((format_number(stats.occupancy_now), _("personnes présentes maintenant (estimation)"), THEME.text))
    if stats.period.n_days > 1:
        # Opening days so far (today only once it has opened), and closed days on which the counter saw someone.
        open_days = [d for d, n, _o in stats.footfall_by_day if shown_day(stats, d, n)]
        with_data = [n for d, n, _o in stats.footfall_by_day if n is not None and d in open_days]
        mean = sum(with_data) / len(with_data) if with_data else 0
        items.append((format_number(round(mean)), _("entrées par jour d’ouverture, en moyenne"), THEME.text))
        items.append((f"{len(with_data)} / {len(open_days)}", _("jours d’ouverture avec des données du compteur"),
                      THEME.text if len(with_data) == len(open_days) else THEME.warn))
    cards(surface, pygame.Rect(rect.left, rect.top, rect.width, 170), items, assets)
    body = pygame.Rect(rect.left, rect.top + 200, rect.width, rect.height - 200)
    font = assets.font(28)
    if stats.period.n_days == 1:
        hours = _hour_window(stats, stats.period.first)
        values = stats.hours_of(stats.period.first)
        now_h = stats.generated_at.hour if today == stats.period.first else None
        if now_h is not None:  # hours still to come are empty, not "no data"
            values = [0 if h > now_h else v for h, v in enumerate(values)]
        title = (_("Entrées par heure (jaune : heure en cours ; hachuré : pas de données)") if now_h is not None
                 else _("Entrées par heure (hachuré : pas de données)"))
        area = chart_box(surface, body, title, assets)
        draw_bar_chart(surface, area, [values[h] for h in hours], [f"{h}h" for h in hours], font,
                       highlight=None if now_h is None else now_h - hours.start, value_font=assets.font(30, True))
        return
    left = pygame.Rect(body.left, body.top, body.width * 52 // 100 - 10, body.height)
    right = pygame.Rect(left.right + 20, body.top, body.right - left.right - 20, body.height)
    # Days the venue is closed, or has not opened yet, are left out unless the counter saw someone anyway.
    shown_days = [(d, n) for d, n, _o in stats.footfall_by_day if shown_day(stats, d, n)]
    days = [d for d, _n in shown_days]
    values = [n for _d, n in shown_days]
    flags = [d in stats.counter_gap_days for d in days]
    title = _("Entrées par jour d’ouverture")
    area = chart_box(surface, left, title, assets)
    if any(flags):
        area.height -= 44
        draw_text(surface, assets.font(26), _("orange : compteur hors ligne une partie du jour"),
                  (area.left + 10, area.bottom + 10), THEME.warn)
    if len(days) <= 10:
        draw_bar_chart(surface, area, values, [day_label(d, _) for d in days], font)
    else:
        draw_line_chart(surface, area, values, [day_label(d, _, False) for d in days], font, flags=flags)
    used = sorted({h for row in stats.heatmap for h, v in enumerate(row) if v})
    hours = range(min(used), max(used) + 1) if used else range(10, 19)
    grid = [[row[h] for h in hours] for row in stats.heatmap]
    shown = [i for i, row in enumerate(grid) if any(v is not None for v in row)] or list(range(7))
    area = chart_box(surface, right, _("Entrées par heure (moyenne)"), assets)
    draw_heat_map(surface, area, [grid[i] for i in shown], [_(WEEKDAY_SHORT[i]) for i in shown],
                  [f"{h}h" for h in hours], font, legend=_("entrées / heure"), value_font=assets.font(24, True))


def draw_use(surface, rect: pygame.Rect, stats: Stats, assets, _: Tr, titles: dict | None = None, **_kw) -> None:
    titles = titles or {}
    n_days = max(1, sum(1 for _d, n in stats.sessions_by_day if n))
    rate = _("pas de compteur") if stats.footfall_source != "ok" else percent_text(stats.use_rate)
    items = [(format_number(stats.sessions), _("sessions de visiteurs sur le kiosque"), THEME.accent),
             (rate, _("taux d’utilisation : sessions / entrées"), THEME.text)]
    if stats.period.n_days > 1:
        items.append((format_number(round(stats.sessions / n_days, 1)), _("sessions par jour d’utilisation"), THEME.text))
    cards(surface, pygame.Rect(rect.left, rect.top, rect.width, 170), items, assets)
    body = pygame.Rect(rect.left, rect.top + 200, rect.width, rect.height - 200)
    if body.width >= 1200:   # landscape: chart and table side by side
        left = pygame.Rect(body.left, body.top, body.width * 38 // 100 - 10, body.height)
        right = pygame.Rect(left.right + 20, body.top, body.right - left.right - 20, body.height)
    else:                    # portrait: the table needs the whole width, under the chart
        left = pygame.Rect(body.left, body.top, body.width, body.height * 42 // 100 - 10)
        right = pygame.Rect(body.left, left.bottom + 20, body.width, body.bottom - left.bottom - 20)
    font = assets.font(28)
    if stats.period.n_days == 1:
        hours = _hour_window(stats, stats.period.first)
        per_hour = stats.hours_of(stats.period.first, "sessions")
        area = chart_box(surface, left, _("Sessions par heure"), assets)
        draw_bar_chart(surface, area, [per_hour[h] for h in hours], [f"{h}h" for h in hours], font, color=THEME.good)
    else:
        area = chart_box(surface, left, _("Sessions par jour d’ouverture"), assets)
        shown = [(d, n) for d, n in stats.sessions_by_day if shown_day(stats, d, n)]
        draw_bar_chart(surface, area, [n for _d, n in shown],
                       [day_label(d, _, len(shown) <= 10) for d, _n in shown], font, color=THEME.good)
    box = chart_box(surface, right, _("Activités : visites et temps passé"), assets)
    if not stats.stations:
        draw_text(surface, assets.font(34), _("Aucune visite d’activité sur cette période."), box.center,
                  THEME.text_muted, "center")
        return
    rows = [(_(titles.get(s.station, s.station)), format_number(s.visits), duration_text(s.dwell_median_s),
             duration_text(s.dwell_p75_s)) for s in stats.stations]
    table(surface, box, [_("Activité"), _("Visites"), _("Durée\nmédiane"), _("3 visites sur 4\ndurent moins de")],
          rows, (0.36, 0.15, 0.22, 0.27), assets, row_h=64 if body.width >= 1200 else 54)


def draw_contributions(surface, rect: pygame.Rect, stats: Stats, assets, _: Tr, **_kw) -> None:
    c = stats.contributions
    cards(surface, pygame.Rect(rect.left, rect.top, rect.width, 170), [
        (format_number(c["submitted"]), _("messages déposés sur le mur"), THEME.accent),
        (format_number(c["approved"]), _("approuvés"), THEME.good),
        (format_number(c["rejected"]), _("refusés"), THEME.bad),
        (format_number(c["waiting"]), _("en attente de modération"), THEME.warn if c["waiting"] else THEME.text),
    ], assets)
    cards(surface, pygame.Rect(rect.left, rect.top + 190, rect.width * 2 // 4 - 10, 170), [
        (format_number(c["survey_answers"]), _("réponses au sondage"), THEME.text),
        (format_number(c["surveys_completed"]), _("sondages remplis en entier"), THEME.text),
    ], assets)
    box = chart_box(surface, pygame.Rect(rect.left, rect.top + 390, rect.width, rect.height - 390),
                    _("Groupes scolaires"), assets)
    if not stats.groups:
        draw_text(surface, assets.font(34), _("Aucun groupe scolaire sur cette période."), box.center,
                  THEME.text_muted, "center")
        return
    rows = [(_(level), format_number(n), format_number(pupils or 0), format_number(adults or 0))
            for level, n, pupils, adults in stats.groups]
    total = [sum(g[i] or 0 for g in stats.groups) for i in (1, 2, 3)]
    rows.append((_("Total"), *[format_number(t) for t in total]))
    table(surface, box, [_("Niveau"), _("Groupes"), _("Élèves"), _("Accompagnateurs")], rows,
          (0.34, 0.2, 0.18, 0.28), assets)


def outage_ranges(slots: dict, limit: int = 4) -> list[tuple[date, int, int, int]]:
    """{(day, hour): minutes} -> [(day, first hour, last hour + 1, minutes)], consecutive hours merged."""
    ranges: list[list] = []
    for (d, h), minutes in sorted(slots.items()):
        if ranges and ranges[-1][0] == d and ranges[-1][2] == h:
            ranges[-1][2] = h + 1
            ranges[-1][3] += minutes
        else:
            ranges.append([d, h, h + 1, minutes])
    ranges.sort(key=lambda r: -r[3])
    return sorted(tuple(r) for r in ranges[:limit])


def kiosk_lines(q, _: Tr, titles: dict, held: tuple[int, int] = (0, 0)) -> list[tuple[str, str, tuple]]:
    """The "Kiosque" box's (label, figure, colour) lines. `held`: (events, error events among them) waiting
    in memory for a disk that refuses them: not in the log yet, so not in `q`, but the mediator counts them."""
    held_events, held_errors = held
    runtime_errors = dict(q.runtime_errors)
    if held_errors:
        runtime_errors["storage"] = runtime_errors.get("storage", 0) + held_errors
    runtime_count = q.runtime_error_count + held_errors
    lines = [
        (_("Démarrages du kiosque"), format_number(q.kiosk_starts), THEME.text),
        (_("dont après un arrêt imprévu (plantage, coupure de courant)"), format_number(q.unclean_restarts),
         THEME.warn if q.unclean_restarts else THEME.text),
        (_("Erreurs d’activités"), format_number(q.error_count), THEME.warn if q.error_count else THEME.text),
    ]
    lines += [("   " + _("dont {place}").format(place=_(titles.get(place, place))), format_number(n), THEME.text_muted)
              for place, n in q.errors[:3]]
    lines.append((_("Erreurs du kiosque lui-même"), format_number(runtime_count),
                  THEME.warn if runtime_count else THEME.text))
    lines += [("   " + _("dont {place}").format(place=_(RUNTIME_LABELS.get(part, part))), format_number(n),
               THEME.text_muted) for part, n in sorted(runtime_errors.items(), key=lambda e: (-e[1], e[0]))[:3]]
    if held_events:
        lines.append((_("Évènements en attente d’écriture sur le disque"), format_number(held_events), THEME.warn))
    if q.estimated_events:
        lines.append((_("Évènements datés par estimation (horloge du kiosque déréglée)"),
                      format_number(q.estimated_events), THEME.warn))
    if q.upload_backlog is None:
        lines.append((_("Envoi vers le site : non configuré"), "", THEME.text_muted))
    else:
        lines.append((_("Évènements en attente d’envoi vers le site"), format_number(q.upload_backlog),
                      THEME.warn if q.upload_backlog > 5000 else THEME.text))
    return lines


def draw_quality(surface, rect: pygame.Rect, stats: Stats, assets, _: Tr, titles: dict | None = None,
                 held: tuple[int, int] = (0, 0), **_kw) -> None:
    titles = titles or {}
    q = stats.quality
    half = (rect.width - 20) // 2
    left = chart_box(surface, pygame.Rect(rect.left, rect.top, half, rect.height), _("Capteurs hors ligne"), assets)
    font, big, small = assets.font(34), assets.font(40, True), assets.font(28)
    used = draw_text_block(surface, small, _("Temps pendant les heures d’ouverture où un capteur ne transmettait pas."),
                           pygame.Rect(left.left + 10, left.top, left.width - 20, 80), THEME.text_muted)
    y = left.top + max(90, used + 20)
    if not q.offline_hours:
        draw_text_block(surface, font, _("Aucun capteur n’a encore rien signalé ici."),
                        pygame.Rect(left.left + 10, y, left.width - 20, 200), THEME.text_muted)
    for sensor, hours in sorted(q.offline_hours.items()):
        color = THEME.good if hours == 0 else THEME.warn
        draw_text(surface, big, sensor, (left.left + 10, y), THEME.text)
        draw_text(surface, big, _("{h} h").format(h=format_number(round(hours, 1))), (left.right - 10, y), color, "topright")
        y += 58
        for d, h1, h2, minutes in outage_ranges(q.offline_slots.get(sensor, {})):
            text = _("{day} {date}, {h1}h–{h2}h : {m} min").format(
                day=_(WEEKDAY_SHORT[d.weekday()]), date=d.strftime("%d/%m"), h1=h1, h2=h2, m=minutes)
            draw_text(surface, small, text, (left.left + 40, y), THEME.text_muted)
            y += 40
        y += 22
    right = pygame.Rect(rect.left + half + 20, rect.top, rect.width - half - 20, rect.height)
    box = chart_box(surface, right, _("Kiosque"), assets)
    lines = kiosk_lines(q, _, titles, held)
    y = box.top + 10
    for label, value, color in lines:
        indent = 40 if label.startswith("   ") else 0   # "dont …" under its total
        used = draw_text_block(surface, font, label.strip(), pygame.Rect(box.left + 10 + indent, y, box.width - 150 - indent,
                                                                         200), color, line_spacing=1.05)
        if value:
            draw_text(surface, big, value, (box.right - 10, y - 2), color, "topright")
        y += max(used, 50) + 18
