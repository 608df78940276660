"""What stands between the outside and the hub: limits per client address for everything a token does
not cover, and the headers every answer carries.

- Failed authentication (a bad or missing bearer token, a refused back-office login): a few tries, then
  429 + Retry-After for that address, before any database look-up. A kiosk whose token the hub knows
  (token cache) is never held back by a neighbour on the same address.
- Everything else (public pages, drawings, static files, health): a generous bucket per address, so
  one client cannot keep the site busy for everyone (a school group behind one venue router fits in it).
- Kiosks' authenticated API calls have their own limit per kiosk (hub/app.py).

The client's address is the TCP peer, or the address a trusted reverse proxy put in X-Forwarded-For:
uvicorn believes that header only from [hub] trusted_proxies (hub/app.py serve), so nobody can pick
their own bucket. IPv6 clients are counted per /64, what one subscriber usually holds.
"""
from __future__ import annotations

import ipaddress
import math
import time
from typing import Any, Callable

API_WITH_TOKEN = ("/api/v1/events", "/api/v1/files/", "/api/v1/totals")
LOGIN_PATHS = ("/gestion/login/", "/en/gestion/login/")
MAX_ADDRESSES = 50_000        # buckets kept in memory; beyond, the full ones (idle clients) are dropped
TOO_MANY = ("Trop de requêtes depuis votre adresse\u00a0: réessayez dans {s}\u00a0s.\n"
            "Too many requests from your address: try again in {s} s.\n")


class TokenBuckets:
    """A token bucket per key: `rate` tokens per second up to `burst`. rate <= 0 turns the limit off."""

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic,
                 max_keys: int = MAX_ADDRESSES):
        self.rate, self.burst, self.clock, self.max_keys = rate, float(burst), clock, max_keys
        self._buckets: dict[str, tuple[float, float]] = {}

    def _level(self, key: str, now: float) -> float:
        tokens, last = self._buckets.get(key, (self.burst, now))
        return min(self.burst, tokens + (now - last) * self.rate)

    def wait(self, key: str) -> int:
        """Whole seconds until `key` has a token again (0: it has one now); takes nothing."""
        if self.rate <= 0:
            return 0
        tokens = self._level(key, self.clock())
        return 0 if tokens >= 1.0 else max(1, math.ceil((1.0 - tokens) / self.rate))

    def take(self, key: str) -> None:
        """Spend one token."""
        if self.rate <= 0:
            return
        now = self.clock()
        self._buckets[key] = (self._level(key, now) - 1.0, now)
        if len(self._buckets) > self.max_keys:
            self._forget_idle(now)

    def retry_after(self, key: str) -> int:
        """0 when the request may go ahead (and is counted), else whole seconds to wait."""
        wait = self.wait(key)
        if not wait:
            self.take(key)
        return wait

    def _forget_idle(self, now: float) -> None:
        # A full bucket is the same as no bucket; if that frees too little, the longest idle go too,
        # down to half the bound, so that the next clean-up is max_keys / 2 new clients away.
        self._buckets = {k: v for k, v in self._buckets.items() if self._level(k, now) < self.burst}
        if len(self._buckets) > self.max_keys // 2:
            keep = sorted(self._buckets.items(), key=lambda item: item[1][1])[-(self.max_keys // 2):]
            self._buckets = dict(keep)


def client_key(scope: dict[str, Any]) -> str:
    """The address limits count by: the client's IP (after the trusted proxy), IPv6 per /64."""
    client = scope.get("client")
    host = client[0] if client else ""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        return host
    if address.version == 4:
        return str(address)
    if address.ipv4_mapped is not None:       # ::ffff:192.0.2.1 is 192.0.2.1
        return str(address.ipv4_mapped)
    return str(ipaddress.ip_network(f"{address}/64", strict=False))


class ClientLimits:
    """The per-address buckets of one hub process."""

    def __init__(self, config: Any, clock: Callable[[], float] = time.monotonic):
        self.public = TokenBuckets(config.public_rate_per_s, config.public_burst, clock)
        self.failures = TokenBuckets(config.auth_failure_rate_per_s, config.auth_failure_burst, clock)


def _plain(status: int, text: str, headers: dict[str, str]) -> list[dict[str, Any]]:
    body = text.encode("utf-8")
    fields = [(b"content-type", b"text/plain; charset=utf-8"), (b"content-length", str(len(body)).encode()),
              (b"cache-control", b"no-store")] + [(k.lower().encode(), v.encode()) for k, v in headers.items()]
    return [{"type": "http.response.start", "status": status, "headers": fields},
            {"type": "http.response.body", "body": body}]


class Guard:
    """ASGI middleware around the whole hub: per-address limits (see above) and `nosniff` on every
    answer, the API's JSON and plain-text 404s included."""

    def __init__(self, app: Any, limits: ClientLimits):
        self.app, self.limits = app, limits

    async def __call__(self, scope: dict[str, Any], receive: Callable, send: Callable) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path, address = scope.get("path", ""), client_key(scope)
        login = scope.get("method") == "POST" and path in LOGIN_PATHS
        if path.startswith(API_WITH_TOKEN):
            wait = 0                  # the kiosk's own limit and the failed-token rule apply (hub/app.py)
        elif login:
            wait = self.limits.failures.wait(address)
        else:
            wait = self.limits.public.retry_after(address)
        if wait:
            for message in _plain(429, TOO_MANY.format(s=wait), {"Retry-After": str(wait)}):
                await send(_nosniff(message))
            return

        async def guarded_send(message: dict[str, Any]) -> None:
            if login and message["type"] == "http.response.start" and message["status"] == 200:
                self.limits.failures.take(address)      # the login form shown again: a refused password
            await send(_nosniff(message))

        await self.app(scope, receive, guarded_send)


def _nosniff(message: dict[str, Any]) -> dict[str, Any]:
    if message["type"] == "http.response.start":
        headers = list(message.get("headers", []))
        if not any(name.lower() == b"x-content-type-options" for name, _ in headers):
            message = {**message, "headers": headers + [(b"x-content-type-options", b"nosniff")]}
    return message
