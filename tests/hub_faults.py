"""Fault injection in front of the real hub, for tests only: an ASGI middleware that answers some event
batches with a 500 (before or after the hub committed them), cuts the connection after the commit, or
answers late, as a flaky mobile link or an overloaded server would.

    python -m tests.hub_faults --config hub.toml --faults '{"cut_rate": 0.4, "seed": 5}'

serves hub.app.build_app(config) wrapped in FaultInjection, with the same server settings as `hub serve`
(tests/live_hub.py starts it). Each injected fault is logged as "fault injection: <kind>".
"""
from __future__ import annotations

import argparse
import asyncio
import json
import logging
import random
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Awaitable, Callable

from hub.app import build_app, serve, start_django

log = logging.getLogger(__name__)
EVENTS_PATH = "/api/v1/events"
Message = dict[str, Any]
Send = Callable[[Message], Awaitable[None]]


@dataclass(frozen=True)
class Faults:
    error_rate: float = 0.0   # share of event batches answered 500 (half before, half after the commit)
    cut_rate: float = 0.0     # share of batches committed, then the connection cut before the answer
    slow_rate: float = 0.0    # share of batches committed, then answered only after slow_s seconds
    slow_s: float = 0.0
    seed: int = 0


class FaultInjection:
    def __init__(self, app: Callable, faults: Faults):
        self.app = app
        self.faults = faults
        self.rng = random.Random(faults.seed)

    def pick(self) -> str | None:
        draw = self.rng.random()
        if draw < self.faults.error_rate:
            return "error-before" if self.rng.random() < 0.5 else "error-after"
        draw -= self.faults.error_rate
        if draw < self.faults.cut_rate:
            return "cut"
        draw -= self.faults.cut_rate
        return "slow" if draw < self.faults.slow_rate else None

    async def __call__(self, scope: dict, receive: Callable, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST" or scope["path"] != EVENTS_PATH:
            return await self.app(scope, receive, send)
        fault = self.pick()
        if fault is None:
            return await self.app(scope, receive, send)
        if fault == "error-before":
            log.warning("fault injection: %s", fault)
            return await _error(send, "fault injection: failing before the commit")
        answer: list[Message] = []

        async def keep(message: Message) -> None:
            answer.append(message)

        await self.app(scope, receive, keep)
        if answer[0]["status"] != 200:   # refused (token, body): nothing was committed to fail after
            return await _replay(send, answer)
        log.warning("fault injection: %s", fault)
        if fault == "error-after":
            return await _error(send, "fault injection: failing after the commit")
        if fault == "cut":
            await send({"type": "http.response.start", "status": 200,
                        "headers": [(b"content-type", b"application/json"), (b"content-length", b"65536")]})
            await send({"type": "http.response.body", "body": b'{"results":[', "more_body": True})
            raise ConnectionAbortedError("fault injection: connection cut after commit")
        await asyncio.sleep(self.faults.slow_s)
        await _replay(send, answer)


async def _replay(send: Send, messages: list[Message]) -> None:
    for message in messages:
        await send(message)


async def _error(send: Send, message: str) -> None:
    body = json.dumps({"error": message}).encode()
    await send({"type": "http.response.start", "status": 500,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.hub_faults", description=__doc__.split("\n")[0])
    parser.add_argument("--config", type=Path, required=True)
    parser.add_argument("--faults", required=True, help="JSON object of Faults fields")
    args = parser.parse_args(argv)
    config = start_django(args.config)
    serve(FaultInjection(build_app(config), Faults(**json.loads(args.faults))), config)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
