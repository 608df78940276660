"""The funders' report: CSV round-trip with known answers, definitions present, PNG not blank, CLI."""
from __future__ import annotations

import dataclasses
from datetime import date, datetime, timezone

import pygame
import pytest

from kiosk.report import read_csv, tables, write_files, write_report
from kiosk.report.cli import main as report_main
from kiosk.store.periods import Period
from kiosk.store.reader import StoreReader
from kiosk.store.stats import StatsSettings, compute_stats
from kiosk.testing import default_config
from tests.report.conftest import END, write_config
from tests.store.conftest import Log

EXPECTED_FILES = {"synthese.csv", "frequentation_par_jour.csv", "frequentation_par_heure.csv",
                  "frequentation_jour_semaine_heure.csv", "activites.csv", "contributions.csv",
                  "groupes_scolaires.csv", "qualite_capteurs.csv", "qualite_kiosque.csv", "definitions.txt",
                  "synthese.png"}


@pytest.fixture
def config(tmp_path):
    return dataclasses.replace(default_config(data_dir=tmp_path), venue="Médiathèque test")


def test_known_answers_survive_the_csv_round_trip(tmp_path, config):
    log = Log(tmp_path)
    log.add("kiosk.start", "2026-11-03T08:50Z", {"version": "1"})
    log.status("2026-11-03T08:51Z", "connected")
    log.add("footfall.minute", "2026-11-03T09:10:30Z", {"sensor": "door", "minute": "2026-11-03T10:10", "in": 7, "out": 2})
    log.add("session.start", "2026-11-03T09:20Z", session="s1")
    log.add("station.enter", "2026-11-03T09:20:05Z", station="crowd", session="s1")
    log.add("station.exit", "2026-11-03T09:22:05Z", {"seconds": 120.4}, station="crowd", session="s1")
    log.add("error", "2026-11-03T12:00Z", {"where": "crowd.update", "message": "x"})
    log.add("error", "2026-11-03T12:01Z", {"where": "app.frame", "message": "MemoryError"})
    log.add("kiosk.stop", "2026-11-03T17:10Z", {"reason": "closing"})
    log.add("group.start", "2026-11-04T09:00Z", {"group_id": "g", "level": "collège", "pupils": 24, "adults": 2, "activity": "a"})
    log.rec.flush()
    out = tmp_path / "out"
    reader = StoreReader(tmp_path)
    files = write_report(reader, config, Period(date(2026, 11, 3), date(2026, 11, 4)), out, now=END,
                         titles={"crowd": "Foules"})
    reader.close()
    log.close()
    assert {f.name for f in files} == EXPECTED_FILES
    header, rows = read_csv(out / "frequentation_par_jour.csv")
    assert header == ["date", "jour", "ouvert", "entrees", "sorties", "sessions", "compteur_hors_ligne_min"]
    assert rows == [["2026-11-03", "mardi", "oui", "7", "2", "1", "0"],
                    ["2026-11-04", "mercredi", "oui", "", "", "0", "0"]]   # empty = no data, not zero
    _, rows = read_csv(out / "frequentation_par_heure.csv")
    assert ["2026-11-03", "10", "7", "2", "1"] in rows and ["2026-11-03", "11", "0", "0", "0"] in rows
    _, rows = read_csv(out / "activites.csv")
    assert rows == [["crowd", "Foules", "1", "120", "120", "1"]]
    _, rows = read_csv(out / "groupes_scolaires.csv")
    assert rows == [["collège", "1", "24", "2"], ["total", "1", "24", "2"]]
    # Days before the log's first event: no sessions, no offline minutes known (empty, not zero).
    reader = StoreReader(tmp_path)
    write_report(reader, config, Period(date(2026, 10, 31), date(2026, 11, 3)), out, now=END, with_png=False,
                 titles={"crowd": "Foules"})
    reader.close()
    _, rows = read_csv(out / "frequentation_par_jour.csv")
    assert rows[0] == ["2026-10-31", "samedi", "oui", "", "", "", ""]
    assert rows[-1] == ["2026-11-03", "mardi", "oui", "7", "2", "1", "0"]
    header, rows = read_csv(out / "qualite_kiosque.csv")
    assert header == ["indicateur", "valeur", "description"]
    quality = {r[0]: r[1:] for r in rows}
    assert quality["erreurs_activites"][0] == "1" and quality["erreurs_activite_crowd"] == ["1", "dont Foules"]
    assert quality["erreurs_kiosque"][0] == "1"
    assert quality["erreurs_kiosque_kiosk"] == ["1", "dont fonctionnement général"]
    assert not any("app" in name for name in quality)
    assert quality["evenements_dates_par_estimation"][0] == "0"      # the clock was right all along
    summary = dict((r[0], r[1]) for r in read_csv(out / "synthese.csv")[1])
    assert summary["entrees"] == "7" and summary["sessions"] == "1"
    units = dict((r[0], r[2]) for r in read_csv(out / "synthese.csv")[1])
    assert units["entrees"] == "passages vers l’intérieur" and units["eleves"] == "élèves"
    assert summary["taux_utilisation"] == "14,3"   # 1 / 7, French decimal comma
    raw = (out / "frequentation_par_jour.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw   # BOM for spreadsheets, CSV line ends


def test_every_table_round_trips_and_definitions_say_what_is_counted(demo_dir, tmp_path, config):
    config = dataclasses.replace(config, data_dir=demo_dir)
    settings = StatsSettings.from_config(config)
    reader = StoreReader(demo_dir)
    stats = reader.query(lambda c: compute_stats(c, settings, Period(date(2026, 11, 16), date(2026, 11, 25)), END))
    reader.close()
    write_files(stats, config, tmp_path, with_png=False)
    for name, (header, rows) in tables(stats).items():
        got_header, got_rows = read_csv(tmp_path / name)
        assert got_header == header
        assert len(got_rows) == len(rows), name
    _, by_day = read_csv(tmp_path / "frequentation_par_jour.csv")
    assert sum(int(r[3]) for r in by_day if r[3]) == stats.footfall_in > 0
    _, by_hour = read_csv(tmp_path / "frequentation_par_heure.csv")
    assert sum(int(r[4]) for r in by_hour) == stats.sessions > 0
    text = (tmp_path / "definitions.txt").read_text(encoding="utf-8")
    for phrase in ("passage vers l’intérieur", "inward passage", "90 s sans toucher", "idle", "Ce qui est exclu",
                   "What is excluded", "Europe/Paris", "2026-11-16", "heure locale"):
        assert phrase in text, phrase


def test_png_summary_is_a_drawn_page(demo_dir, tmp_path, config):
    config = dataclasses.replace(config, data_dir=demo_dir)
    reader = StoreReader(demo_dir)
    files = write_report(reader, config, Period(date(2026, 11, 16), date(2026, 11, 25)), tmp_path, now=END)
    reader.close()
    img = pygame.image.load(str(tmp_path / "synthese.png"))
    assert img.get_size() == (1754, 1240)
    colours = {tuple(img.get_at((x, y)))[:3] for x in range(0, 1754, 13) for y in range(0, 1240, 13)}
    assert len(colours) > 40      # text, charts, heat map: far from a blank page
    assert tmp_path / "synthese.png" in files


def test_cli_exit_codes(demo_dir, tmp_path, capsys):
    cfg = write_config(tmp_path, demo_dir)
    out = tmp_path / "rapport"
    assert report_main(["--from", "2026-11-20", "--to", "2026-11-25", "--out", str(out), "--config", cfg, "--no-png"]) == 0
    assert (out / "definitions.txt").exists() and not (out / "synthese.png").exists()
    with pytest.raises(SystemExit) as exc:
        report_main(["--from", "2026-11-31", "--to", "2026-12-01", "--out", str(out)])
    assert exc.value.code == 2
    assert report_main(["--from", "2026-11-25", "--to", "2026-11-20", "--out", str(out), "--config", cfg]) == 2
    empty = write_config(tmp_path / "e" if (tmp_path / "e").mkdir() is None else tmp_path, tmp_path / "nothing")
    assert report_main(["--from", "2026-11-20", "--to", "2026-11-25", "--out", str(out), "--config", empty]) == 1
    bad = tmp_path / "bad.toml"
    bad.write_text("[kiosk]\nvenu = 'x'\n", encoding="utf-8")
    assert report_main(["--from", "2026-11-20", "--to", "2026-11-25", "--out", str(out), "--config", str(bad)]) == 2
    assert "did you mean" in capsys.readouterr().err
    # --data-dir, like `kiosk run` and `kiosk demo-data`: another directory's log with the embedded config
    elsewhere = tmp_path / "elsewhere"
    assert report_main(["--from", "2026-11-20", "--to", "2026-11-25", "--out", str(elsewhere), "--data-dir",
                        str(demo_dir), "--no-png"]) == 0
    _, by_day = read_csv(elsewhere / "frequentation_par_jour.csv")
    assert sum(int(r[5]) for r in by_day if r[5]) > 0


def test_synthesis_values_are_french_with_accents(tmp_path, config):
    log = Log(tmp_path)
    log.add("session.start", "2026-11-03T09:20Z", session="s1")
    log.rec.flush()
    reader = StoreReader(tmp_path)
    write_report(reader, config, Period(date(2026, 11, 3), date(2026, 11, 3)), tmp_path / "out", now=END, with_png=False)
    reader.close()
    log.close()
    rows = {r[0]: r[1:] for r in read_csv(tmp_path / "out" / "synthese.csv")[1]}
    assert rows["compteur_de_passages"][0] == "non installé"
    assert rows["taux_utilisation"] == ["", "% (sessions / entrées)"]   # no counter: no rate, not 0
    _, groups = read_csv(tmp_path / "out" / "groupes_scolaires.csv")
    assert groups == []                                                  # no group: no total row either
