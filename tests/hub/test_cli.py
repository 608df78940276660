"""`hub add-kiosk | list-kiosks | import` and `kiosk sync` exit codes."""
from __future__ import annotations

from eventlog.bundle import bundle_name
from eventlog.wire import db_path
from hub.__main__ import main as hub_main
from hub.db import hash_token
from kiosk.sync.cli import export_main, sync_main
from kiosk.sync.status import sync_status
from tests.kiosk_logs import fill_kiosk_log
from tests.live_hub import LiveHub, free_port


# The commands run in their own process, on their own database, as an operator would run them.
def test_add_kiosk_prints_a_token_and_stores_its_hash(tmp_path):
    hub = LiveHub(tmp_path)
    token = hub.add_kiosk("k1", "Médiathèque")
    assert len(token) >= 40
    assert hub.query("SELECT token_hash FROM kiosks") == [(hash_token(token),)]
    try:
        hub.add_kiosk("k1", "x")         # exists
    except RuntimeError as exc:
        assert "already exists" in str(exc)
    else:
        raise AssertionError("a second add-kiosk of the same name was accepted")
    assert hub.cli("add-kiosk", "k1", "--venue", "x", "--rotate").strip() != token
    assert "k1\tx" in hub.cli("list-kiosks")
    assert hub_main(["bogus"]) == 2
    assert hub_main(["serve", "--config", str(tmp_path / "missing.toml")]) == 2


def test_import_cli(tmp_path, monkeypatch):
    hub = LiveHub(tmp_path / "hub")
    monkeypatch.setenv("QSEC_HUB_TOKEN", hub.add_kiosk("k1"))
    fill_kiosk_log(tmp_path / "k", "k1", 200, seed=1, drawings=2)
    (tmp_path / "venue.toml").write_text('[kiosk]\nid = "k1"\n', encoding="utf-8")
    bundle = tmp_path / bundle_name("k1")
    assert export_main(["--config", str(tmp_path / "venue.toml"), "--data-dir", str(tmp_path / "k"),
                        "--out", str(bundle)]) == 0
    assert bundle.name.startswith("qsec-k1-") and bundle_name("a/b").startswith("qsec-a_b-")
    assert '"created": 200' in hub.cli("import", str(bundle))
    (tmp_path / "junk.zip").write_bytes(b"PK junk")
    try:
        hub.cli("import", str(tmp_path / "junk.zip"))
    except RuntimeError as exc:
        assert "exited with 2" in str(exc) and "nothing imported" in str(exc)
    else:
        raise AssertionError("a damaged bundle was imported")
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
