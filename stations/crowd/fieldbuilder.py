"""Navigation fields built off the frame loop: one worker process, fields kept by room content.

scipy's Dijkstra holds the GIL for the whole call, so on a thread it paused the frame loop by the
call's length (10-200 ms); in a worker process it costs the loop nothing but reading the result.
Agents keep the old field until the new one is back (a frame or a few later), and a new room waits
for its first one (CrowdModel). Synchronous builders (kiosk simulate, tests) compute in place.
"""
from __future__ import annotations

import dataclasses
import logging
import multiprocessing
import os
import pickle
import threading
import time
from collections import OrderedDict
from concurrent.futures import Executor, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from .geometry import Geometry
from .navigation import NavigationField, build_field

log = logging.getLogger(__name__)
STUCK_AFTER_S = 20.0        # a field not back after this: the worker is taken for dead
CACHE_SIZE = 12             # fields kept by room content (0.5-1.5 MB each): rooms and undone edits come back
_POOL: Executor | None = None
_FAILURES = 0
_POOL_LOCK = threading.Lock()


def _watch_parent(parent: int) -> None:
    """In the worker process: leave when the kiosk is gone (killed, crashed), not linger for ever."""
    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(1.0)
        os._exit(0)

    threading.Thread(target=watch, daemon=True).start()


def _workers() -> Executor:
    """One worker process shared by every asynchronous builder (the station's room, the attract
    miniature). After two failures (cannot start, killed, stuck), a thread: correct, but Dijkstra
    then holds the GIL while it runs."""
    global _POOL
    with _POOL_LOCK:
        if _POOL is None:
            if _FAILURES < 2:
                _POOL = ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn"),
                                            initializer=_watch_parent, initargs=(os.getpid(),))
            else:
                _POOL = ThreadPoolExecutor(max_workers=1, thread_name_prefix="crowd-nav")
        return _POOL


def _worker_failed(reason: object) -> None:
    global _POOL, _FAILURES
    with _POOL_LOCK:
        _FAILURES += 1
        log.warning("crowd navigation: the worker failed (%s); %s", reason,
                    "starting another" if _FAILURES < 2 else "computing fields on a thread from now on")
        if _POOL is not None:
            _POOL.shutdown(wait=False)
        _POOL = None


def _submit(fn, *args, **kwargs) -> Future:
    try:
        return _workers().submit(fn, *args, **kwargs)
    except (BrokenProcessPool, OSError, RuntimeError) as exc:
        _worker_failed(exc)
        return _submit(fn, *args, **kwargs) if _FAILURES < 3 else _workers().submit(fn, *args, **kwargs)


_CACHE: "OrderedDict[bytes, Future]" = OrderedDict()


def _content_key(geometry: Geometry, destinations: list[list[str]], options: dict) -> bytes:
    """What a field depends on (not the geometry's version counter, which differs between models)."""
    exits = [(e.name, e.a, e.b, e.is_open) for e in geometry.exits]
    return pickle.dumps((geometry.segments().tobytes(), exits, destinations, sorted(options.items())))


def _cached_build(geometry: Geometry, destinations: list[list[str]], options: dict) -> tuple[bytes, Future]:
    """The worker's future for this room's field: shared by every model of the same room (switching
    back to a room, or undoing an edit, finds its field ready)."""
    key = _content_key(geometry, destinations, options)
    with _POOL_LOCK:
        known = _CACHE.get(key)
        if known is not None and not (known.done() and known.exception() is not None):
            _CACHE.move_to_end(key)
            return key, known
    future = _submit(build_field, geometry, destinations, **options)
    with _POOL_LOCK:
        _CACHE[key] = future
        while len(_CACHE) > CACHE_SIZE:
            _CACHE.popitem(last=False)
    return key, future


def _forget(key: bytes) -> None:
    with _POOL_LOCK:
        _CACHE.pop(key, None)


class NavigationBuilder:
    """Builds fields off the frame loop, in the worker process. At most one build of a builder is in
    flight; requests made meanwhile are merged into one (the newest geometry), sent when it is back.
    A room whose content was built before (by this builder or another) gets that field at once.
    (Futures are never cancelled: a cancelled future breaks ProcessPoolExecutor's bookkeeping in
    Python 3.11 when the worker dies.)"""

    def __init__(self, destinations: list[list[str]], *, asynchronous: bool, **options):
        self.destinations = destinations
        self.options = options
        self.asynchronous = asynchronous
        self._pending: Future | None = None
        self._sent: Geometry | None = None        # what the build in flight computes
        self._sent_at = 0.0
        self._next: Geometry | None = None        # the newest request, waiting for the worker
        self._sent_key = b""

    def build_now(self, geometry: Geometry) -> NavigationField:
        return build_field(geometry, self.destinations, **self.options)

    def request(self, geometry: Geometry) -> NavigationField | None:
        """Synchronous builders return the field; asynchronous ones return None and deliver later."""
        if not self.asynchronous:
            return self.build_now(geometry)
        if self._pending is None:
            self._send(geometry.copy())
        else:
            self._next = geometry.copy()
        return None

    def _send(self, geometry: Geometry) -> None:
        self._sent, self._sent_at = geometry, time.monotonic()
        self._sent_key, self._pending = _cached_build(geometry, self.destinations, self.options)

    def _resend(self) -> None:
        _forget(self._sent_key)
        self._send(self._next or self._sent)
        self._next = None

    def poll(self) -> NavigationField | None:
        if self._pending is None:
            return None
        if not self._pending.done():
            if time.monotonic() - self._sent_at > STUCK_AFTER_S:
                _worker_failed("no field after %.0f s" % STUCK_AFTER_S)
                self._resend()
            return None
        done, self._pending = self._pending, None
        try:
            field = done.result()
        except BrokenProcessPool as exc:    # the worker died (killed, out of memory, could not start)
            _worker_failed(exc)
            self._resend()
            return None
        field = dataclasses.replace(field, version=self._sent.version)   # arrays shared, not copied
        if self._next is not None:
            self._send(self._next)
            self._next = None
        return field

    @property
    def busy(self) -> bool:
        return self._pending is not None

    def close(self) -> None:
        self._pending = self._next = None    # a build in flight finishes in the worker, unread
