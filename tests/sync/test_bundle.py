"""USB bundles: export, manifest checks, the kiosk's signature, import through the idempotent path;
bundles of unknown kiosks, badly signed or tampered with are refused whole."""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile

import pytest

from eventlog.bundle import Bundle, BundleError, export_bundle
from eventlog.signing import hash_token
from hub.db import Db, add_kiosk
from hub.importer import import_bundle
from kiosk.sync.cli import export_main
from tests.kiosk_logs import fill_kiosk_log, kiosk_counts_by_kind
from tests.live_hub import LiveHub

KIOSK = "kiosk-usb"


@pytest.fixture
def exported(tmp_path, db):
    token = add_kiosk(KIOSK, "Médiathèque")
    fill_kiosk_log(tmp_path / "k", KIOSK, 1500, seed=7, drawings=6)
    result = export_bundle(tmp_path / "k", tmp_path / "b.zip", kiosk_id=KIOSK, token=token)
    return tmp_path, result


def _stored() -> int:
    """Events, files and imports the hub holds."""
    return sum(Db().one(f"SELECT count(*) FROM {table}")[0] for table in ("events", "files", "imports"))


def _import(tmp_path, path):
    return import_bundle(Db(), tmp_path / "files", path)


def test_manifest_counts_and_hashes(exported):
    tmp_path, result = exported
    assert result.events == 1500 and result.missing_attachments == 0
    with Bundle(result.path) as bundle:
        bundle.verify()
        assert bundle.manifest["counts_by_kind"] == kiosk_counts_by_kind(tmp_path / "k")
        assert bundle.kiosk_id == KIOSK and bundle.manifest["kiosk_ids"] == [KIOSK]
        assert len(list(bundle.attachments())) == result.attachments > 0
    assert not (tmp_path / "b.zip.partial").exists()


def test_import_twice_gives_duplicates(exported):
    tmp_path, result = exported
    first = _import(tmp_path, result.path)
    second = _import(tmp_path, result.path)
    assert first["events"]["created"] == 1500 and first["files"]["created"] == result.attachments
    assert second["events"] == {"created": 0, "duplicate": 1500, "conflict": 0, "invalid": 0}
    assert second["files"]["duplicate"] == result.attachments and second["kiosk_id"] == KIOSK
    assert Db().one("SELECT count(*) FROM imports") == (2,)
    assert Db().execute("SELECT DISTINCT kiosk_id FROM files") == [(KIOSK,)]


def _rewrite(src, dst, change) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w") as zout:
        for info in zin.infolist():
            data = change(info.filename, zin.read(info.filename))
            if data is not None:
                zout.writestr(info.filename, data)


def _edit_manifest(edit):
    def change(name: str, data: bytes) -> bytes:
        if name != "manifest.json":
            return data
        manifest = json.loads(data)
        edit(manifest)
        return json.dumps(manifest).encode()
    return change


DAMAGE = {
    "edit-event": lambda name, data: data.replace(b'"kind":"session.start"', b'"kind":"session.Start"', 1)
    if name == "events.jsonl" else data,
    "drop-line": lambda name, data: data.split(b"\n", 1)[1] if name == "events.jsonl" else data,
    "edit-drawing": lambda name, data: data[:-1] + b"\x00" if name.startswith("attachments/") else data,
    "manifest-count": _edit_manifest(lambda m: m["counts_by_kind"].__setitem__("session.start",
                                                                               m["counts_by_kind"]["session.start"] + 1)),
    "no-signature": lambda name, data: None if name == "signature.json" else data,
    "unsigned-v1": lambda name, data: None if name == "signature.json" else
    _edit_manifest(lambda m: (m.__setitem__("version", 1), m.pop("kiosk_id")))(name, data),
    "forged-mac": lambda name, data: json.dumps({"algorithm": "hmac-sha256", "mac": "0" * 64}).encode()
    if name == "signature.json" else data,
}


@pytest.mark.parametrize("damage", [*DAMAGE, "truncate"])
def test_damaged_or_unsigned_bundles_import_nothing(exported, damage):
    tmp_path, result = exported
    bad = tmp_path / "bad.zip"
    if damage == "truncate":
        bad.write_bytes(result.path.read_bytes()[: result.bytes // 2])
    else:
        _rewrite(result.path, bad, DAMAGE[damage])
    with pytest.raises(BundleError) as refused:
        _import(tmp_path, bad)
    if damage == "unsigned-v1":
        assert "unsigned bundle" in str(refused.value)
    assert _stored() == 0


def test_a_bundle_speaks_only_for_the_kiosk_whose_token_signed_it(tmp_path, db):
    token = add_kiosk(KIOSK, "Médiathèque")
    add_kiosk("kiosk-other", "Centre social")
    fill_kiosk_log(tmp_path / "k", KIOSK, 300, seed=9, drawings=2)
    fill_kiosk_log(tmp_path / "o", "kiosk-other", 300, seed=10)

    def refused(path, words: str) -> None:
        with pytest.raises(BundleError) as error:
            _import(tmp_path, path)
        assert words in str(error.value)
        assert _stored() == 0

    # another kiosk's log signed with this kiosk's token: claims the other kiosk, signature fails
    export_bundle(tmp_path / "o", tmp_path / "other.zip", kiosk_id="kiosk-other", token=token)
    refused(tmp_path / "other.zip", "bad signature for kiosk 'kiosk-other'")
    # ... or claims this kiosk: its events are not this kiosk's
    export_bundle(tmp_path / "o", tmp_path / "other-as-me.zip", kiosk_id=KIOSK, token=token)
    refused(tmp_path / "other-as-me.zip", "holds events of kiosk 'kiosk-other'")
    # the manifest edited to claim another kiosk: the signature no longer matches
    export_bundle(tmp_path / "k", tmp_path / "mine.zip", kiosk_id=KIOSK, token=token)
    _rewrite(tmp_path / "mine.zip", tmp_path / "claims-other.zip",
             _edit_manifest(lambda m: m.__setitem__("kiosk_id", "kiosk-other")))
    refused(tmp_path / "claims-other.zip", "bad signature")
    # a kiosk the hub never registered
    export_bundle(tmp_path / "k", tmp_path / "stranger.zip", kiosk_id="kiosk-stranger", token="made-up")
    refused(tmp_path / "stranger.zip", "'kiosk-stranger' is not registered")
    # a token rotated since the export: the old bundle is refused, a new export goes in
    new_token = add_kiosk(KIOSK, "Médiathèque", rotate=True)
    refused(tmp_path / "mine.zip", "not signed with its current token")
    export_bundle(tmp_path / "k", tmp_path / "fresh.zip", kiosk_id=KIOSK, token=new_token)
    assert _import(tmp_path, tmp_path / "fresh.zip")["events"]["created"] == 300


def _survey_totals(hub: LiveHub, token: str) -> tuple[int, int]:
    """(survey passes, answers) in the all-venue totals every kiosk's survey station shows."""
    status, _, body = hub.request("GET", "/api/v1/totals", token=token)
    assert status == 200
    totals = json.loads(body)
    return totals["surveys_completed"], sum(q["answers"] for q in totals["survey"].values())


def test_hub_import_refuses_with_exit_2_and_one_line_while_serving(tmp_path):
    """The attack: a bundle of a kiosk the hub never registered (or a forged one) imported its events,
    which counted in every venue's survey totals. Now nothing of it is stored or counted."""
    fill_kiosk_log(tmp_path / "k", KIOSK, 200, seed=11, drawings=2)
    with LiveHub(tmp_path / "hub", limits={"rate_per_s": 0.0, "totals_cache_s": 0.0}, postgres=True) as hub:
        token = hub.add_kiosk(KIOSK)
        export_bundle(tmp_path / "k", tmp_path / "good.zip", kiosk_id=KIOSK, token=token)
        export_bundle(tmp_path / "k", tmp_path / "stranger.zip", kiosk_id="kiosk-stranger", token="t")
        _rewrite(tmp_path / "good.zip", tmp_path / "forged.zip", DAMAGE["forged-mac"])
        def run(name: str) -> subprocess.CompletedProcess:
            return subprocess.run([sys.executable, "-m", "hub", "import", "--config", str(hub.config_path),
                                   str(tmp_path / name)], env=hub.env(), capture_output=True, text=True, timeout=120)

        for name, words in (("stranger.zip", "not registered"), ("forged.zip", "bad signature")):
            done = run(name)
            assert done.returncode == 2 and done.stdout == ""
            assert done.stderr.count("\n") == 1 and words in done.stderr and "nothing imported" in done.stderr
            assert hub.query("SELECT count(*) FROM events") == [(0,)]
            assert hub.query("SELECT count(*) FROM files") == [(0,)] and hub.query("SELECT count(*) FROM imports") == [(0,)]
            assert _survey_totals(hub, token) == (0, 0)
        done = run("good.zip")
        assert done.returncode == 0 and '"created": 200' in done.stdout
        assert hub.query("SELECT count(*) FROM events") == [(200,)]
        passes, answers = _survey_totals(hub, token)        # the genuine bundle counts, as the kiosk counted
        assert passes == kiosk_counts_by_kind(tmp_path / "k")["survey.complete"] > 0
        assert 0 < answers <= hub.query("SELECT count(*) FROM events WHERE kind = 'survey.answer'")[0][0]


def test_export_cli(tmp_path, capsys, monkeypatch):
    fill_kiosk_log(tmp_path / "k", KIOSK, 30, seed=8)
    monkeypatch.delenv("QSEC_HUB_TOKEN", raising=False)
    venue = tmp_path / "venue.toml"
    venue.write_text(f'[kiosk]\nid = "{KIOSK}"\n', encoding="utf-8")
    common = ["--config", str(venue), "--data-dir", str(tmp_path / "k")]
    assert export_main([*common, "--out", str(tmp_path / "x.zip")]) == 2       # no token to sign with
    assert "no hub token" in capsys.readouterr().err and not (tmp_path / "x.zip").exists()
    monkeypatch.setenv("QSEC_HUB_TOKEN", "the-token")
    assert export_main([*common, "--out", str(tmp_path / "x.zip")]) == 0
    assert "30 events" in capsys.readouterr().out
    with Bundle(tmp_path / "x.zip") as bundle:
        bundle.check_signature(hash_token("the-token"))
        bundle.verify()
    assert export_main([*common, "--out", str(tmp_path / "nowhere" / "x.zip")]) == 2
    assert export_main(["--config", str(venue), "--data-dir", str(tmp_path / "empty"), "--out", str(tmp_path / "y.zip")]) == 2
    assert export_main(["--bogus"]) == 2
    shutil.rmtree(tmp_path / "k")
