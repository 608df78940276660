"""Reports for funders: CSV tables, definitions.txt and a one-page PNG summary.

    files = write_report(reader, config, Period(first, last), out_dir)     # kiosk report --from --to --out

Every table comes from one Stats (kiosk.store.stats), so the report and the mediator page never disagree.
CSV: UTF-8 with BOM, ';' separator, decimal comma, local dates (what French spreadsheets open as is);
an empty cell is "no data", never zero. Column names and indicator names are plain snake_case (stable
keys for formulas); every value meant to be read is French with its accents.
"""
from __future__ import annotations

import csv
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable, Sequence

from kiosk.report.definitions import definitions_text
from kiosk.report.summary import save_summary_png
from kiosk.store.periods import WEEKDAYS, Period
from kiosk.store.stats import Stats, StatsSettings, compute_stats
from kiosk.store.stats_quality import RUNTIME_LABELS

ENCODING = "utf-8-sig"
DELIMITER = ";"
WEEKDAYS_FR = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")


def cell(value: Any) -> str:
    """None -> empty (no data); floats with a decimal comma; everything else as text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, float):
        return f"{value:.2f}".rstrip("0").rstrip(".").replace(".", ",")
    return str(value)


def tables(stats: Stats, titles: dict[str, str] | None = None) -> dict[str, tuple[list[str], list[list[Any]]]]:
    """file name -> (header, rows) for every table of the report."""
    titles = titles or {}
    q = stats.quality
    sessions_day = dict(stats.sessions_by_day)
    offline_day: dict = {}
    for sensor, slots in q.offline_slots.items():
        for (d, _h), minutes in slots.items():
            offline_day[d] = offline_day.get(d, 0) + minutes
    # Before the log's first event or after today there is no data: empty cells, never 0; offline minutes
    # count opening minutes, so a day that has not opened yet has none to report either.
    by_day = [[d.isoformat(), WEEKDAYS_FR[d.weekday()], d not in stats.closed_days, n_in, n_out,
               sessions_day.get(d, 0) if stats.recorded(d) else None,
               offline_day.get(d, 0) if stats.recorded(d) and d not in stats.not_open_yet else None]
              for d, n_in, n_out in stats.footfall_by_day]
    slots = sorted(set(stats.footfall_by_hour) | set(stats.sessions_by_hour))
    by_hour = [[d.isoformat(), h, *(stats.footfall_by_hour.get((d, h)) or (None, None)),
                stats.sessions_by_hour.get((d, h), 0)] for d, h in slots]
    heat = [[WEEKDAYS_FR[w], h, stats.heatmap[w][h]] for w in range(7) for h in range(24)
            if stats.heatmap[w][h] is not None]
    stations = [[s.station, titles.get(s.station, s.station), s.visits, _whole(s.dwell_median_s), _whole(s.dwell_p75_s),
                 s.dwell_count] for s in stats.stations]
    c = stats.contributions
    contributions = [["messages_deposes", c["submitted"]], ["messages_approuves", c["approved"]],
                     ["messages_refuses", c["rejected"]], ["messages_en_attente", c["waiting"]],
                     ["reponses_sondage", c["survey_answers"]], ["sondages_complets", c["surveys_completed"]]]
    groups = [[level, n, pupils or 0, adults or 0] for level, n, pupils, adults in stats.groups]   # school order
    if groups:
        groups.append(["total", *[sum(row[i] for row in groups) for i in (1, 2, 3)]])
    sensors = [[sensor, d.isoformat(), h, minutes] for sensor, s in sorted(q.offline_slots.items())
               for (d, h), minutes in sorted(s.items())]
    kiosk = [["demarrages", q.kiosk_starts, "démarrages du kiosque"],
             ["redemarrages_apres_arret_imprevu", q.unclean_restarts,
              "démarrages sans arrêt enregistré avant (plantage, coupure de courant)"],
             ["erreurs_activites", q.error_count, "erreurs des activités"]]
    kiosk += [[f"erreurs_activite_{sid}", n, f"dont {titles.get(sid, sid)}"] for sid, n in q.errors]
    kiosk.append(["erreurs_kiosque", q.runtime_error_count, "erreurs du kiosque lui-même (hors activités)"])
    kiosk += [[f"erreurs_kiosque_{part}", n, f"dont {RUNTIME_LABELS.get(part, part)}"] for part, n in q.runtime_errors]
    kiosk.append(["evenements_en_attente_envoi", q.upload_backlog, "évènements pas encore envoyés au site"])
    kiosk.append(["evenements_dates_par_estimation", q.estimated_events,
                  "évènements datés d’après le chronomètre du kiosque, son horloge étant déréglée"])
    summary = [
        ["periode_debut", stats.period.first.isoformat(), "date"],
        ["periode_fin", stats.period.last.isoformat(), "date"],
        ["compteur_de_passages", {"ok": "oui", "no_data": "sans données", "no_counter": "non installé"}[stats.footfall_source], ""],
        ["entrees", stats.footfall_in, "passages vers l’intérieur"],
        ["jours_avec_donnees_compteur", sum(1 for _d, n, _o in stats.footfall_by_day if n is not None), "jours"],
        ["sessions", stats.sessions, "sessions"],
        ["taux_utilisation", None if stats.use_rate is None else round(100 * stats.use_rate, 1), "% (sessions / entrées)"],
        ["messages_deposes", c["submitted"], "messages"],
        ["groupes_scolaires", sum(g[1] for g in stats.groups), "groupes"],
        ["eleves", sum(g[2] or 0 for g in stats.groups), "élèves"],
    ]
    summary += [[f"capteur_hors_ligne_{sensor}", hours, "heures d’ouverture"] for sensor, hours in sorted(q.offline_hours.items())]
    return {
        "synthese.csv": (["indicateur", "valeur", "unite"], summary),
        "frequentation_par_jour.csv": (["date", "jour", "ouvert", "entrees", "sorties", "sessions",
                                        "compteur_hors_ligne_min"], by_day),
        "frequentation_par_heure.csv": (["date", "heure", "entrees", "sorties", "sessions"], by_hour),
        "frequentation_jour_semaine_heure.csv": (["jour_semaine", "heure", "entrees_moyenne"], heat),
        "activites.csv": (["activite", "titre", "visites", "duree_mediane_s", "duree_p75_s", "visites_mesurees"], stations),
        "contributions.csv": (["indicateur", "nombre"], contributions),
        "groupes_scolaires.csv": (["niveau", "groupes", "eleves", "accompagnateurs"], groups),
        "qualite_capteurs.csv": (["capteur", "date", "heure", "minutes_hors_ligne"], sensors),
        "qualite_kiosque.csv": (["indicateur", "valeur", "description"], kiosk),
    }


def _whole(x: float | None) -> int | None:
    return None if x is None else int(round(x))


def write_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[Any]]) -> None:
    with open(path, "w", encoding=ENCODING, newline="") as fh:
        writer = csv.writer(fh, delimiter=DELIMITER, lineterminator="\r\n")
        writer.writerow(header)
        writer.writerows([cell(v) for v in row] for row in rows)


def read_csv(path: Path) -> tuple[list[str], list[list[str]]]:
    """The inverse of write_csv (tests, and anyone re-reading a report)."""
    with open(path, encoding=ENCODING, newline="") as fh:
        rows = list(csv.reader(fh, delimiter=DELIMITER))
    return rows[0], rows[1:]


def write_report(reader, config, period: Period, out_dir: Path | str, *, now: datetime | None = None,
                 titles: dict[str, str] | None = None, with_png: bool = True) -> list[Path]:
    """Compute the period's figures on the reader's thread and write every file into out_dir."""
    settings = StatsSettings.from_config(config)
    now = datetime.now(timezone.utc) if now is None else now
    stats = reader.query(lambda conn: compute_stats(conn, settings, period, now))
    return write_files(stats, config, out_dir, titles=titles, with_png=with_png)


def write_files(stats: Stats, config, out_dir: Path | str, *, titles: dict[str, str] | None = None,
                with_png: bool = True) -> list[Path]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, (header, rows) in tables(stats, titles).items():
        write_csv(out / name, header, rows)
        written.append(out / name)
    text = definitions_text(venue=config.venue, kiosk_id=config.kiosk_id, first=stats.period.first.isoformat(),
                            last=stats.period.last.isoformat(), tz=config.timezone,
                            generated=stats.generated_at.strftime("%Y-%m-%d %H:%M"),
                            idle_timeout_s=config.idle_timeout_s, idle_warning_s=config.idle_warning_s)
    (out / "definitions.txt").write_text(text, encoding="utf-8")
    written.append(out / "definitions.txt")
    if with_png:
        written.append(save_summary_png(stats, config, out / "synthese.png", titles=titles))
    return written


__all__ = ["tables", "write_csv", "read_csv", "write_report", "write_files", "WEEKDAYS"]
