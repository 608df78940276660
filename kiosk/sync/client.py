"""A small HTTP client for the hub on the standard library (urllib), so the kiosk needs no HTTP package.

Every failure is sorted into what the uploader should do about it:
  AuthError      401/403: stop and show an alert; retrying will not fix a wrong token
  RetryLater     429/503 with Retry-After: wait that long
  TooLarge       413: send a smaller batch
  Transient      network down, timeout, connection cut, 5xx, an answer we cannot read: back off, retry
"""
from __future__ import annotations

import email.utils
import gzip
import http.client
import json
import time
import urllib.error
import urllib.request
from typing import Any

MAX_ANSWER_BYTES = 16 * 1024 * 1024


class SyncError(Exception):
    pass


class AuthError(SyncError):
    pass


class TooLarge(SyncError):
    pass


class Transient(SyncError):
    def __init__(self, message: str, status: int | None = None):
        super().__init__(message)
        self.status = status  # the HTTP status when the hub answered, None for network trouble


class RetryLater(SyncError):
    def __init__(self, message: str, retry_after_s: float):
        super().__init__(message)
        self.retry_after_s = retry_after_s


def parse_retry_after(value: str | None, now: float | None = None) -> float | None:
    """Retry-After as seconds (delta-seconds or an HTTP date), None when absent or unreadable."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when is None:
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


class HubClient:
    def __init__(self, hub_url: str, token: str, *, timeout_s: float = 30.0):
        self.base = hub_url.rstrip("/")
        self.token = token
        self.timeout_s = timeout_s

    def _request(self, method: str, path: str, body: bytes | None = None,
                 headers: dict[str, str] | None = None, *, answer_headers: dict | None = None) -> tuple[int, Any]:
        request = urllib.request.Request(self.base + path, data=body, method=method)
        request.add_header("Authorization", f"Bearer {self.token}")
        request.add_header("Accept", "application/json")
        for name, value in (headers or {}).items():
            request.add_header(name, value)
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as answer:
                status = answer.status
                data = answer.read(MAX_ANSWER_BYTES + 1)
                if answer_headers is not None:
                    answer_headers.update(answer.headers.items())
        except urllib.error.HTTPError as exc:
            if exc.code == 304:   # Not Modified: the copy we hold is current
                return 304, None
            message = _error_text(exc)
            if exc.code in (401, 403):
                raise AuthError(f"hub refused the token ({exc.code}): {message}") from None
            if exc.code == 413:
                raise TooLarge(f"hub says too large: {message}") from None
            retry_after = parse_retry_after(exc.headers.get("Retry-After") if exc.headers else None)
            if exc.code in (429, 503) and retry_after is not None:
                raise RetryLater(f"hub asks to wait ({exc.code}): {message}", retry_after) from None
            raise Transient(f"hub answered {exc.code}: {message}", exc.code) from None
        except (urllib.error.URLError, http.client.HTTPException, OSError) as exc:
            # URLError covers refused connections and DNS; HTTPException covers IncompleteRead and
            # RemoteDisconnected (connection cut mid-answer); OSError covers timeouts and resets.
            raise Transient(f"network: {getattr(exc, 'reason', None) or exc!r}") from None
        if len(data) > MAX_ANSWER_BYTES:
            raise Transient("hub answer too large")
        try:
            return status, json.loads(data)
        except ValueError:
            raise Transient(f"hub answer ({status}) is not JSON") from None

    def post_events(self, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Send one batch; return the hub's verdicts, checked to match the batch one for one."""
        # ensure_ascii: a stray lone surrogate travels as an escape and only its event is refused
        body = gzip.compress(json.dumps({"events": events}, separators=(",", ":")).encode("ascii"), compresslevel=6)
        _, answer = self._request("POST", "/api/v1/events", body,
                                  {"Content-Type": "application/json", "Content-Encoding": "gzip"})
        results = answer.get("results") if isinstance(answer, dict) else None
        if not isinstance(results, list) or len(results) != len(events):
            raise Transient("hub answer does not give one verdict per event")
        for event, result in zip(events, results):
            if not isinstance(result, dict) or result.get("status") not in ("created", "duplicate", "conflict", "invalid"):
                raise Transient("hub answer holds an unknown verdict")
            if result["status"] != "invalid" and result.get("uuid") != event.get("uuid"):
                raise Transient("hub verdicts are not in batch order")
        return results

    def put_file(self, sha256: str, data: bytes) -> str:
        _, answer = self._request("PUT", f"/api/v1/files/{sha256}", data, {"Content-Type": "image/png"})
        return str(answer.get("status")) if isinstance(answer, dict) else "?"

    def get_feed(self, path: str, etag: str | None) -> tuple[int, str | None, Any]:
        """(status, ETag, JSON) of a content feed; (304, etag, None) when the copy we hold is current."""
        headers: dict[str, str] = {}
        status, answer = self._request("GET", path, headers={"If-None-Match": etag} if etag else None,
                                       answer_headers=headers)
        return status, (headers.get("ETag") or etag), answer

    def get_totals(self) -> dict[str, Any]:
        _, answer = self._request("GET", "/api/v1/totals")
        if not isinstance(answer, dict):
            raise Transient("hub totals are not a JSON object")
        return answer


def _error_text(exc: urllib.error.HTTPError) -> str:
    try:
        data = json.loads(exc.read(4096) or b"{}")
        return str(data.get("error", ""))[:200] if isinstance(data, dict) else ""
    except (ValueError, OSError, http.client.HTTPException):
        return ""
