"""The one-page visual summary (synthese.png), drawn with pygame on a Surface: A4 landscape at 150 dpi."""
from __future__ import annotations

import os
from pathlib import Path

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")  # a Surface needs no window; never open one from the CLI

import pygame  # noqa: E402

from kiosk.assets import Assets  # noqa: E402
from kiosk.screens.statistics_panels import (WEEKDAY_SHORT, cards, chart_box, day_label, duration_text, shown_day,  # noqa: E402
                                             percent_text, table)
from kiosk.store.stats import Stats  # noqa: E402
from kiosk.ui import THEME, draw_text  # noqa: E402
from kiosk.ui.chart import draw_bar_chart, draw_heat_map, draw_line_chart, format_number  # noqa: E402

PAGE = (1754, 1240)


def _(text: str) -> str:  # the report is in French; definitions.txt carries the English
    return text


def draw_summary(surface: pygame.Surface, stats: Stats, config, assets: Assets, titles: dict[str, str] | None = None) -> None:
    titles = titles or {}
    w, h = surface.get_size()
    m = 48
    surface.fill(THEME.background)
    draw_text(surface, assets.font(54, True), "QSEC² · Mobilités — bilan de la période", (m, 36), THEME.accent)
    p = stats.period
    span = (p.first.strftime("%d/%m/%Y") if p.first == p.last else
            f"du {p.first.strftime('%d/%m/%Y')} au {p.last.strftime('%d/%m/%Y')} ({p.n_days} jours)")
    made = stats.generated_at.strftime("produit le %d/%m/%Y à %H:%M")
    draw_text(surface, assets.font(30), f"{config.venue}  ·  {span}  ·  {made}", (m, 108), THEME.text)
    c = stats.contributions
    pupils = sum(g[2] or 0 for g in stats.groups)
    footfall = format_number(stats.footfall_in) if stats.footfall_in is not None else "—"
    rate = percent_text(stats.use_rate) if stats.footfall_source == "ok" else "—"
    cards(surface, pygame.Rect(m, 158, w - 2 * m, 172), [
        (footfall, "entrées" if stats.footfall_source != "no_counter" else "entrées : pas de compteur", THEME.accent),
        (format_number(stats.sessions), "sessions sur le kiosque", THEME.text),
        (rate, "taux d’utilisation (sessions / entrées)", THEME.text),
        (format_number(c["submitted"]), f"messages déposés, dont {c['approved']} approuvés", THEME.text),
        (format_number(sum(g[1] for g in stats.groups)), f"groupes scolaires, {pupils} élèves", THEME.text),
    ], assets)
    font = assets.font(24)
    mid = pygame.Rect(m, 350, w - 2 * m, 360)
    left = pygame.Rect(mid.left, mid.top, mid.width * 55 // 100 - 10, mid.height)
    right = pygame.Rect(left.right + 20, mid.top, mid.right - left.right - 20, mid.height)
    shown = [(d, n) for d, n, _o in stats.footfall_by_day if shown_day(stats, d, n)]
    area = chart_box(surface, left, "Entrées par jour d’ouverture", assets)
    if stats.footfall_source != "ok":
        draw_text(surface, assets.font(30), "Pas de données du compteur de passages sur la période.", area.center,
                  THEME.text_muted, "center")
    elif len(shown) <= 10:
        draw_bar_chart(surface, area, [n for _d, n in shown], [day_label(d, _) for d, _n in shown], font)
    else:
        draw_line_chart(surface, area, [n for _d, n in shown], [day_label(d, _, False) for d, _n in shown], font,
                        flags=[d in stats.counter_gap_days for d, _n in shown])
    area = chart_box(surface, right, "Entrées par heure (moyenne)", assets)
    used = sorted({hr for row in stats.heatmap for hr, v in enumerate(row) if v})
    if used:
        hours = range(used[0], used[-1] + 1)
        rows = [i for i, row in enumerate(stats.heatmap) if any(row[hr] is not None for hr in hours)]
        draw_heat_map(surface, area, [[stats.heatmap[i][hr] for hr in hours] for i in rows],
                      [WEEKDAY_SHORT[i] for i in rows], [f"{hr}h" for hr in hours], font,
                      legend="entrées / heure", value_font=assets.font(20, True))
    else:
        draw_text(surface, assets.font(30), "—", area.center, THEME.text_muted, "center")
    low = pygame.Rect(m, mid.bottom + 20, w - 2 * m, h - mid.bottom - 20 - 80)
    left = pygame.Rect(low.left, low.top, low.width * 55 // 100 - 10, low.height)
    right = pygame.Rect(left.right + 20, low.top, low.right - left.right - 20, low.height)
    box = chart_box(surface, left, "Activités : visites et temps passé", assets)
    rows = [(titles.get(s.station, s.station), format_number(s.visits), duration_text(s.dwell_median_s),
             duration_text(s.dwell_p75_s)) for s in stats.stations[:6]]
    table(surface, box, ["Activité", "Visites", "Durée\nmédiane", "3 visites sur 4\ndurent moins de"], rows,
          (0.4, 0.14, 0.2, 0.26), assets, row_h=40)
    box = chart_box(surface, right, "Qualité des données", assets)
    q = stats.quality
    lines = [f"Capteur {s} hors ligne : {format_number(round(hrs, 1))} h d’ouverture" for s, hrs in sorted(q.offline_hours.items())]
    if not q.offline_hours:
        lines.append("Aucun capteur n’a transmis d’état.")
    lines += [f"Démarrages du kiosque : {q.kiosk_starts}, dont {q.unclean_restarts} après un arrêt imprévu",
              f"Erreurs d’activités : {q.error_count} ; erreurs du kiosque lui-même : {q.runtime_error_count}",
              "Envoi vers le site : non configuré" if q.upload_backlog is None
              else f"Évènements en attente d’envoi : {format_number(q.upload_backlog)}"]
    if q.estimated_events:
        lines.append(f"Évènements datés par estimation (horloge déréglée) : {format_number(q.estimated_events)}")
    y = box.top
    for line in lines:
        draw_text(surface, assets.font(26), line, (box.left + 6, y), THEME.text)
        y += 40
    draw_text(surface, assets.font(24), "Ce qui est compté, et comment : definitions.txt (français, English).",
              (m, h - 62), THEME.text_muted)
    draw_text(surface, assets.font(24), "Hachuré = pas de données, jamais zéro.  Point orange = compteur hors ligne "
              "une partie du jour.", (m, h - 32), THEME.text_muted)


def save_summary_png(stats: Stats, config, path: Path | str, *, titles: dict[str, str] | None = None) -> Path:
    if not pygame.font.get_init():
        pygame.font.init()
    surface = pygame.Surface(PAGE)
    draw_summary(surface, stats, config, Assets(getattr(config, "font", None)), titles)
    pygame.image.save(surface, str(path))
    return Path(path)
