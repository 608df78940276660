"""USB bundles: export, manifest checks, import through the idempotent path, tampering refused."""
from __future__ import annotations

import json
import shutil
import zipfile

import pytest

from eventlog.bundle import Bundle, BundleError, export_bundle
from hub.db import Db
from hub.importer import import_bundle
from kiosk.sync.cli import export_main
from tests.kiosk_logs import fill_kiosk_log, kiosk_counts_by_kind

KIOSK = "kiosk-usb"


@pytest.fixture
def exported(tmp_path):
    fill_kiosk_log(tmp_path / "k", KIOSK, 1500, seed=7, drawings=6)
    result = export_bundle(tmp_path / "k", tmp_path / "b.zip")
    return tmp_path, result


def test_manifest_counts_and_hashes(exported):
    tmp_path, result = exported
    assert result.events == 1500 and result.missing_attachments == 0
    with Bundle(result.path) as bundle:
        bundle.verify()
        assert bundle.manifest["counts_by_kind"] == kiosk_counts_by_kind(tmp_path / "k")
        assert bundle.manifest["kiosk_ids"] == [KIOSK]
        assert len(list(bundle.attachments())) == result.attachments > 0
    assert not (tmp_path / "b.zip.partial").exists()


def test_import_twice_gives_duplicates(exported, db):
    tmp_path, result = exported
    conn = Db()
    first = import_bundle(conn, tmp_path / "files", result.path)
    second = import_bundle(conn, tmp_path / "files", result.path)
    assert first["events"]["created"] == 1500 and first["files"]["created"] == result.attachments
    assert second["events"] == {"created": 0, "duplicate": 1500, "conflict": 0, "invalid": 0}
    assert second["files"]["duplicate"] == result.attachments
    assert second["unregistered_kiosks"] == [KIOSK]
    assert conn.one("SELECT count(*) FROM imports")[0] == 2


def _rewrite(src, dst, change) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, change(info.filename, zin.read(info.filename)))


@pytest.mark.parametrize("damage", ["edit-event", "drop-line", "edit-drawing", "truncate", "manifest-count"])
def test_damaged_bundles_import_nothing(exported, damage, db):
    tmp_path, result = exported
    bad = tmp_path / "bad.zip"
    if damage == "truncate":
        bad.write_bytes(result.path.read_bytes()[: result.bytes // 2])
    else:
        def change(name: str, data: bytes) -> bytes:
            if damage == "edit-event" and name == "events.jsonl":
                edited = data.replace(b'"kind":"session.start"', b'"kind":"session.Start"', 1)
                assert edited != data
                return edited
            if damage == "drop-line" and name == "events.jsonl":
                return data.split(b"\n", 1)[1]
            if damage == "edit-drawing" and name.startswith("attachments/"):
                return data[:-1] + b"\x00"
            if damage == "manifest-count" and name == "manifest.json":
                manifest = json.loads(data)
                manifest["counts_by_kind"]["session.start"] += 1
                return json.dumps(manifest).encode()
            return data
        _rewrite(result.path, bad, change)
    with pytest.raises(BundleError):
        import_bundle(Db(), tmp_path / "files", bad)
    assert Db().one("SELECT count(*) FROM events")[0] == 0


def test_export_cli(tmp_path, capsys):
    fill_kiosk_log(tmp_path / "k", KIOSK, 30, seed=8)
    assert export_main(["--data-dir", str(tmp_path / "k"), "--out", str(tmp_path / "x.zip")]) == 0
    assert "30 events" in capsys.readouterr().out
    with Bundle(tmp_path / "x.zip") as bundle:
        bundle.verify()
    assert export_main(["--data-dir", str(tmp_path / "k"), "--out", str(tmp_path / "nowhere" / "x.zip")]) == 2
    assert export_main(["--data-dir", str(tmp_path / "empty"), "--out", str(tmp_path / "y.zip")]) == 2
    assert export_main(["--bogus"]) == 2
    shutil.rmtree(tmp_path / "k")
