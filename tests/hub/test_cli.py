"""`hub add-kiosk | list-kiosks | import` and `kiosk sync` exit codes."""
from __future__ import annotations

from eventlog.bundle import bundle_name
from eventlog.wire import db_path
from hub.__main__ import main as hub_main
from hub.db import hash_token, open_db
from kiosk.sync.cli import export_main, sync_main
from kiosk.sync.status import sync_status
from tests.kiosk_logs import fill_kiosk_log
from tests.live_hub import free_port


def test_add_kiosk_prints_a_token_and_stores_its_hash(tmp_path, capsys):
    db = str(tmp_path / "hub.sqlite3")
    assert hub_main(["add-kiosk", "k1", "--venue", "Médiathèque", "--db", db]) == 0
    token = capsys.readouterr().out.strip()
    assert len(token) >= 40
    conn = open_db(db)
    assert conn.execute("SELECT token_hash FROM kiosks").fetchone()[0] == hash_token(token)
    conn.close()
    assert hub_main(["add-kiosk", "k1", "--venue", "x", "--db", db]) == 2         # exists
    assert hub_main(["add-kiosk", "k1", "--venue", "x", "--db", db, "--rotate"]) == 0
    assert capsys.readouterr().out.strip() != token
    assert hub_main(["list-kiosks", "--db", db]) == 0
    assert "k1\tx" in capsys.readouterr().out
    assert hub_main(["bogus"]) == 2
    assert hub_main(["serve", "--config", str(tmp_path / "missing.toml")]) == 2


def test_import_cli(tmp_path, capsys):
    fill_kiosk_log(tmp_path / "k", "k1", 200, seed=1, drawings=2)
    bundle = tmp_path / bundle_name("k1")
    assert export_main(["--data-dir", str(tmp_path / "k"), "--out", str(bundle)]) == 0
    assert bundle.name.startswith("qsec-k1-") and bundle_name("a/b").startswith("qsec-a_b-")
    db = str(tmp_path / "hub.sqlite3")
    assert hub_main(["import", str(bundle), "--db", db]) == 0
    assert '"created": 200' in capsys.readouterr().out
    (tmp_path / "junk.zip").write_bytes(b"PK junk")
    assert hub_main(["import", str(tmp_path / "junk.zip"), "--db", db]) == 1
    assert sync_status(db_path(tmp_path / "k"))["backlog_events"] == 201  # + the sync.bundle event


def test_sync_cli_exit_codes(tmp_path, monkeypatch, capsys):
    fill_kiosk_log(tmp_path / "k", "k1", 10, seed=2)
    monkeypatch.delenv("QSEC_HUB_TOKEN", raising=False)
    assert sync_main(["--data-dir", str(tmp_path / "k"), "--once"]) == 2              # no hub configured
    monkeypatch.setenv("QSEC_HUB_TOKEN", "t")
    dead = f"http://127.0.0.1:{free_port()}"
    assert sync_main(["--data-dir", str(tmp_path / "k"), "--once", "--hub-url", dead]) == 1
    assert "will be retried" in capsys.readouterr().err
    assert sync_main(["--data-dir", str(tmp_path / "k"), "--status"]) == 0
    assert '"backlog_events": 10' in capsys.readouterr().out
    assert sync_main(["--nope"]) == 2


def test_hub_config_is_checked(tmp_path):
    from hub.config import ConfigError, load_config

    good = tmp_path / "hub.toml"
    good.write_text('[hub]\ndb = "data/h.sqlite3"\nport = 9000\n[limits]\nrate_per_s = 5\n')
    config = load_config(good)
    assert config.db_path == tmp_path / "data" / "h.sqlite3" and config.port == 9000
    assert config.rate_per_s == 5.0
    # fault injection is test code (tests/hub_faults.py): a production hub.toml cannot turn it on
    for text in ('[hub]\nprot = 1\n', '[limits]\nmax_events = "many"\n', '[limits]\nrate_burst = -1\n',
                 '[faults]\nerror_rate = 0.1\n', '[other]\n'):
        bad = tmp_path / "bad.toml"
        bad.write_text(text)
        try:
            load_config(bad)
        except ConfigError:
            pass
        else:
            raise AssertionError(f"accepted {text!r}")
        assert hub_main(["serve", "--config", str(bad)]) == 2
