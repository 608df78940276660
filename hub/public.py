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

    async def _find(self, request: Request, finder, what: str):
        """(code, what the printed code names) or, when there is nothing to show, the 404 page.
        Storage busy (sqlite3.OperationalError) propagates: the app's handler answers 503."""
        code = lookup.clean_code(request.path_params.get("code", ""))
        if code is None:
            return not_found()
        try:
            found = await self.hub.reader.run(lambda conn: finder(conn, code))
        except sqlite3.OperationalError:
            raise
        except Exception:
            log.exception("%s %s", what, code)
            return not_found()
        return not_found() if found is None else (code, found)

    async def contribution(self, request: Request) -> Response:
        result = await self._find(request, lookup.find_contribution, "contribution page")
        if isinstance(result, Response):
            return result
        code, found = result
        try:
            labels = load_labels(self.hub.config.content_dir)
            if isinstance(found, lookup.SurveyVisit):
                return html(pages.survey_page(found, labels, await self.hub.cached_totals()))
            if found.state != "approved":
                return html(pages.pending_page(), cache=False)
            drawing = None
            if found.drawing_sha256 and await self._has_file(found.drawing_sha256):
                drawing = f"/c/{code}/drawing.png"
            return html(pages.wall_page(found, labels, drawing))
        except sqlite3.OperationalError:
            raise
        except Exception:
            log.exception("contribution page %s", code)
            return not_found()

    async def drawing(self, request: Request) -> Response:
        result = await self._find(request, lookup.find_contribution, "drawing")
        if isinstance(result, Response):
            return result
        _, found = result
        # the same gate as the page: a pending or rejected drawing is never served, whoever asks
        if not isinstance(found, lookup.WallMessage) or found.state != "approved" or not found.drawing_sha256:
            return not_found()
        path = file_path(self.hub.config.files_dir, found.drawing_sha256)
        if not await self._has_file(found.drawing_sha256) or not path.is_file():
            return not_found()
        headers = {k: v for k, v in pages.SECURITY_HEADERS.items() if k != "Content-Security-Policy"}
        return FileResponse(path, media_type="image/png", headers=headers)

    async def group(self, request: Request) -> Response:
        result = await self._find(request, lookup.find_group, "group page")
        if isinstance(result, Response):
            return result
        code, found = result
        try:
            return html(pages.group_page(found, load_labels(self.hub.config.content_dir), self.hub.config.timezone))
        except Exception:
            log.exception("group page %s", code)
            return not_found()

    async def _has_file(self, sha256: str) -> bool:
        return await self.hub.reader.run(lambda conn: lookup.stored_file(conn, sha256))
