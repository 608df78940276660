"""USB bundles for venues with no network: one zip file the hub imports through its idempotent path.

Layout:  manifest.json                 format, kiosk, counts per kind, sha256 and size of every member
         signature.json                the kiosk's HMAC of manifest.json (eventlog/signing.py)
         events.jsonl                  one wire event per line (eventlog/wire.py), in log order
         attachments/<sha256>.png      the drawings the wall messages name

A bundle speaks for one kiosk, the one whose token signed it: the hub checks the signature against
the token it registered for the manifest's kiosk_id before reading anything else, and every event
must carry that kiosk_id. Export never moves the upload cursor: a later online sync of the same
events yields only duplicates.
"""
from __future__ import annotations

import hashlib
import json
import os
import zipfile
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterator

from eventlog.signing import ALGORITHM, hash_token, sign, signature_matches
from eventlog.sqlite import connect, fsync_dir
from eventlog.stamps import utc_iso
from eventlog.wire import SHA256_RE, attachment_path, db_path, drawing_ref, iter_rows, wire_event

FORMAT = "qsec-kiosk-bundle"
VERSION = 2                       # 1: unsigned (before bundles were signed), refused
EVENTS_MEMBER = "events.jsonl"
MANIFEST_MEMBER = "manifest.json"
SIGNATURE_MEMBER = "signature.json"
MAX_MANIFEST_BYTES = 1 << 20


class BundleError(ValueError):
    """The bundle is damaged, truncated or not a bundle: nothing of it should be imported."""


@dataclass(frozen=True)
class ExportResult:
    path: Path
    events: int
    attachments: int
    missing_attachments: int
    bytes: int


def export_bundle(data_dir: Path | str, out: Path | str, *, kiosk_id: str, token: str) -> ExportResult:
    """Write every event of the log and its drawings to `out` (atomically: temp file, fsync, rename),
    signed for `kiosk_id` with its hub token."""
    if not token:
        raise BundleError("no hub token to sign the bundle with")
    out = Path(out)
    tmp = out.with_name(out.name + ".partial")
    conn = connect(db_path(data_dir), readonly=True)
    counts: Counter[str] = Counter()
    members: dict[str, dict[str, Any]] = {}
    kiosks: set[str] = set()
    drawings: list[str] = []
    try:
        with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6) as bundle:
            digest, size = hashlib.sha256(), 0
            with bundle.open(EVENTS_MEMBER, "w", force_zip64=True) as member:
                for row in iter_rows(conn):
                    event = wire_event(row)
                    line = (json.dumps(event, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")
                    member.write(line)
                    digest.update(line)
                    size += len(line)
                    counts[event["kind"]] += 1
                    kiosks.add(event["kiosk_id"])
                    sha = drawing_ref(event)
                    if sha:
                        drawings.append(sha)
            members[EVENTS_MEMBER] = {"sha256": digest.hexdigest(), "bytes": size}
            missing = 0
            for sha in dict.fromkeys(drawings):
                source = attachment_path(data_dir, sha)
                if not source.is_file():
                    missing += 1
                    continue
                data = source.read_bytes()
                name = f"attachments/{sha}.png"
                bundle.writestr(name, data, compress_type=zipfile.ZIP_STORED)  # PNG is compressed already
                members[name] = {"sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
            manifest = {"format": FORMAT, "version": VERSION, "created_at": utc_iso(), "kiosk_id": kiosk_id,
                        "kiosk_ids": sorted(kiosks), "events": sum(counts.values()),
                        "counts_by_kind": dict(sorted(counts.items())), "missing_attachments": missing,
                        "members": members}
            manifest_bytes = json.dumps(manifest, indent=1, ensure_ascii=False).encode("utf-8")
            bundle.writestr(MANIFEST_MEMBER, manifest_bytes)
            bundle.writestr(SIGNATURE_MEMBER, json.dumps(
                {"algorithm": ALGORITHM, "mac": sign(manifest_bytes, hash_token(token))}))
        with open(tmp, "rb+") as fh:
            os.fsync(fh.fileno())
        os.replace(tmp, out)
        fsync_dir(out.parent)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    finally:
        conn.close()
    return ExportResult(out, manifest["events"], len(members) - 1, missing, out.stat().st_size)


def bundle_name(kiosk_id: str, now: datetime | None = None) -> str:
    """qsec-<kiosk>-<UTC date-time>.zip: sorts by time on the stick, never overwrites an earlier one."""
    now = now or datetime.now(timezone.utc)
    safe = "".join(c if c.isalnum() or c in "-_" else "_" for c in kiosk_id)
    return f"qsec-{safe}-{now.strftime('%Y%m%d-%H%M%S')}.zip"


def _loads_or_none(line: bytes) -> Any:
    try:
        return json.loads(line)
    except ValueError:
        return None


class Bundle:
    """A bundle opened for import; `verify()` before trusting `events()` and `attachments()`."""

    def __init__(self, path: Path | str, *, parse: Callable[[bytes], Any] | None = None):
        self.path = Path(path)
        self._parse = parse if parse is not None else _loads_or_none
        try:
            self._zip = zipfile.ZipFile(self.path)
        except (OSError, zipfile.BadZipFile) as exc:
            raise BundleError(f"not a readable bundle: {exc}") from None
        self._manifest_bytes = b""
        self.manifest = self._read_manifest()

    def close(self) -> None:
        self._zip.close()

    def __enter__(self) -> "Bundle":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _read_manifest(self) -> dict:
        try:
            info = self._zip.getinfo(MANIFEST_MEMBER)
            if info.file_size > MAX_MANIFEST_BYTES:
                raise BundleError("manifest too large")
            self._manifest_bytes = self._zip.read(info)
            manifest = json.loads(self._manifest_bytes)
        except (KeyError, ValueError, zipfile.BadZipFile, OSError) as exc:
            raise BundleError(f"manifest unreadable: {exc}") from None
        if isinstance(manifest, dict) and manifest.get("format") == FORMAT and manifest.get("version") == 1:
            raise BundleError("unsigned bundle, written by a kiosk older than signed bundles: update the kiosk "
                              "and export again")
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or manifest.get("version") != VERSION:
            raise BundleError("not a qsec-kiosk bundle of a known version")
        if not isinstance(manifest.get("members"), dict) or EVENTS_MEMBER not in manifest["members"]:
            raise BundleError("manifest lists no events")
        kiosk_id = manifest.get("kiosk_id")
        if not isinstance(kiosk_id, str) or not (0 < len(kiosk_id) <= 128) or not kiosk_id.isprintable():
            raise BundleError("manifest names no kiosk")
        return manifest

    @property
    def kiosk_id(self) -> str:
        """The kiosk the bundle claims to come from (trust it only after check_signature)."""
        return self.manifest["kiosk_id"]

    def check_signature(self, token_hash: str) -> None:
        """BundleError unless the manifest was signed with the token that hashes to `token_hash`."""
        try:
            info = self._zip.getinfo(SIGNATURE_MEMBER)
            signature = json.loads(self._zip.read(info)) if info.file_size <= 4096 else None
        except (KeyError, ValueError, zipfile.BadZipFile, OSError):
            raise BundleError("bundle is not signed (no readable signature.json)") from None
        if not isinstance(signature, dict) or signature.get("algorithm") != ALGORITHM:
            raise BundleError(f"unknown signature algorithm (expected {ALGORITHM})")
        if not signature_matches(self._manifest_bytes, token_hash, signature.get("mac")):
            raise BundleError(f"bad signature for kiosk {self.kiosk_id!r}: not signed with its current token "
                              "(exported before a token rotation, or altered)")

    def sha256(self) -> str:
        digest = hashlib.sha256()
        with open(self.path, "rb") as fh:
            for block in iter(lambda: fh.read(1 << 20), b""):
                digest.update(block)
        return digest.hexdigest()

    def verify(self) -> None:
        """Check every member's size and sha256 against the manifest, and the event counts per kind."""
        members = self.manifest["members"]
        names = set(self._zip.namelist()) - {MANIFEST_MEMBER, SIGNATURE_MEMBER}
        if names != set(members):
            raise BundleError(f"members differ from the manifest: {sorted(names ^ set(members))[:5]}")
        for name, expect in members.items():
            if name != EVENTS_MEMBER and not (name.startswith("attachments/") and SHA256_RE.fullmatch(name[12:-4])
                                              and name.endswith(".png")):
                raise BundleError(f"unexpected member {name!r}")
            if not isinstance(expect, dict) or self._zip.getinfo(name).file_size != expect.get("bytes"):
                raise BundleError(f"{name}: size differs from the manifest")
            digest = hashlib.sha256()
            try:
                with self._zip.open(name) as fh:
                    for block in iter(lambda: fh.read(1 << 20), b""):
                        digest.update(block)
            except (zipfile.BadZipFile, OSError, EOFError) as exc:
                raise BundleError(f"{name}: unreadable ({exc})") from None
            if digest.hexdigest() != expect.get("sha256"):
                raise BundleError(f"{name}: sha256 differs from the manifest")
        counts: Counter[str] = Counter()
        for event in self.events():
            counts[event.get("kind") if isinstance(event, dict) and isinstance(event.get("kind"), str) else "?"] += 1
            other = event.get("kiosk_id", self.kiosk_id) if isinstance(event, dict) else self.kiosk_id
            if other != self.kiosk_id:
                raise BundleError(f"bundle of kiosk {self.kiosk_id!r} holds events of kiosk {ascii(other)[:140]}")
        if dict(counts) != self.manifest.get("counts_by_kind") or sum(counts.values()) != self.manifest.get("events"):
            raise BundleError("event counts differ from the manifest")

    def events(self) -> Iterator[Any]:
        """Every event line parsed (non-objects are yielded as they are, for the hub to call invalid)."""
        with self._zip.open(EVENTS_MEMBER) as fh:
            for line in fh:
                yield self._parse(line)

    def attachments(self) -> Iterator[tuple[str, bytes]]:
        for name in self.manifest["members"]:
            if name != EVENTS_MEMBER:
                yield name[len("attachments/"):-len(".png")], self._zip.read(name)
