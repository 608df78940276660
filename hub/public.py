"""Starlette handlers of the public pages (no token: anyone holding a printed code may look).

A page never answers 500: any unexpected failure while rendering is logged and answered with the
friendly not-found page (404), which reveals nothing either.
"""
from __future__ import annotations

import logging
import sqlite3
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, Response

from hub import lookup, pages
from hub.content import load_labels
from hub.ingest import file_path

if TYPE_CHECKING:
    from hub.app import Hub

log = logging.getLogger(__name__)


def html(text: str, status: int = 200, *, cache: bool = True) -> HTMLResponse:
    headers = dict(pages.SECURITY_HEADERS)
    if not cache:
        headers["Cache-Control"] = "no-store"
    return HTMLResponse(text, status_code=status, headers=headers)


def not_found() -> HTMLResponse:
    return html(pages.not_found_page(), 404, cache=False)


class PublicPages:
    def __init__(self, hub: "Hub"):
        self.hub = hub

    async def contribution(self, request: Request) -> Response:
        code = lookup.clean_code(request.path_params.get("code", ""))
        if code is None:
            return not_found()
        try:
            found = await self.hub.reader.run(lambda conn: lookup.find_contribution(conn, code))
            if found is None:
                return not_found()
            labels = load_labels()
            if isinstance(found, lookup.SurveyVisit):
                return html(pages.survey_page(found, labels, await self.hub.cached_totals()))
            if found.state != "approved":
                return html(pages.pending_page(), cache=False)
            drawing = None
            if found.drawing_sha256 and await self._has_file(found.drawing_sha256):
                drawing = f"/c/{code}/drawing.png"
            return html(pages.wall_page(found, labels, drawing))
        except sqlite3.OperationalError:
            raise   # storage busy: the app's handler answers 503
        except Exception:
            log.exception("contribution page %s", code)
            return not_found()

    async def drawing(self, request: Request) -> Response:
        code = lookup.clean_code(request.path_params.get("code", ""))
        if code is None:
            return not_found()
        try:
            found = await self.hub.reader.run(lambda conn: lookup.find_contribution(conn, code))
        except sqlite3.OperationalError:
            raise
        except Exception:
            log.exception("drawing %s", code)
            return not_found()
        # the same gate as the page: a pending or rejected drawing is never served, whoever asks
        if not isinstance(found, lookup.WallMessage) or found.state != "approved" or not found.drawing_sha256:
            return not_found()
        path = file_path(self.hub.config.files_dir, found.drawing_sha256)
        if not await self._has_file(found.drawing_sha256) or not path.is_file():
            return not_found()
        headers = {k: v for k, v in pages.SECURITY_HEADERS.items() if k != "Content-Security-Policy"}
        return FileResponse(path, media_type="image/png", headers=headers)

    async def group(self, request: Request) -> Response:
        code = lookup.clean_code(request.path_params.get("code", ""))
        if code is None:
            return not_found()
        try:
            found = await self.hub.reader.run(lambda conn: lookup.find_group(conn, code))
            if found is None:
                return not_found()
            return html(pages.group_page(found, load_labels(), self.hub.config.timezone))
        except sqlite3.OperationalError:
            raise
        except Exception:
            log.exception("group page %s", code)
            return not_found()

    async def _has_file(self, sha256: str) -> bool:
        return await self.hub.reader.run(lambda conn: lookup.stored_file(conn, sha256))
