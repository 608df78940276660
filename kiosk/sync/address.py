"""Where the kiosk may send its token: `kiosk check-config` refuses a hub address that would carry it
across the Internet in clear.

Every upload carries the kiosk's bearer token. Plain http is fine to this machine (a test hub), tolerated
with a warning inside the venue's network, refused to anywhere else. No DNS look-up: check-config runs
offline, so a name counts as public unless it is a local-only name.
"""
from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit

LOCAL_SUFFIXES = (".local", ".lan", ".internal", ".home.arpa")


def network_of(host: str) -> str:
    """'loopback', 'private' (a LAN address or a local-only name) or 'public'."""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        name = host.lower().rstrip(".")
        if name == "localhost" or name.endswith(".localhost"):
            return "loopback"
        return "private" if "." not in name or name.endswith(LOCAL_SUFFIXES) else "public"
    if address.is_loopback:
        return "loopback"
    return "private" if address.is_private or address.is_link_local else "public"


def check_hub_url(url: str) -> tuple[str | None, str | None]:
    """(why the address is refused, why it deserves a warning); (None, None) when fine or empty."""
    if not url:
        return None, None
    parts = urlsplit(url)
    try:
        host, _ = parts.hostname or "", parts.port
    except ValueError:   # a port that is no number
        host = ""
    if parts.scheme not in ("http", "https") or not host or parts.username or parts.password:
        return f"{url!r} is not a hub address", None
    if parts.scheme == "https":
        return None, None
    where = network_of(host)
    if where == "public":
        return f"{url!r}: plain http to a public host, the kiosk's token would travel in clear", None
    if where == "private":
        return None, f"{url!r} is plain http: the kiosk's token crosses the venue's network in clear; prefer https://"
    return None, None
