"""The Starlette app of `bitext serve` and the uvicorn server that runs it.

Routes: ``GET /`` (the documents), ``GET /edit/<doc>/<lang>`` (the editor page),
``POST /api/check``, ``/api/preview``, ``/api/save`` (JSON in, JSON out). Every
request passes `pipeline.serve.security` first; a document is named by name and
found on the publication's list (`Desk.document`), never turned into a path.
"""

from __future__ import annotations

import json
import socket
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import urlencode

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.middleware.base import BaseHTTPMiddleware
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from starlette.routing import Route

from pipeline.commands.serve import MAX_TEXT, Desk, NotFound
from pipeline.errors import BitextError
from pipeline.review import STATE_NAMES
from pipeline.serve.page import csp, edit_url, editor_html, error_html, index_html
from pipeline.serve.security import CSRF_HEADER, TOKEN_COOKIE, Guard

SAFE_HEADERS = {
    "Content-Security-Policy": csp(header=True),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cache-Control": "no-store",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}

Handler = Callable[[Request], Awaitable[Response]]


class _Checks(BaseHTTPMiddleware):
    """Host, Origin, token and CSRF (`pipeline.serve.security`), before any route runs."""

    def __init__(self, app: Any, guard: Guard) -> None:
        super().__init__(app)
        self.guard = guard

    async def dispatch(self, request: Request, call_next: Callable[[Request], Awaitable[Response]]
                       ) -> Response:
        response = await self._checked(request, call_next)
        for name, value in SAFE_HEADERS.items():
            response.headers.setdefault(name, value)
        return response

    async def _checked(self, request: Request,
                       call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        guard = self.guard
        if not guard.host_ok(request.headers.get("host")):
            return _refuse(request, guard, 400, "this server answers to its own address only "
                           "(unexpected Host header)")
        given = request.query_params.get("token")
        if guard.token is not None and given is not None and request.method == "GET" \
                and guard.token_ok(given):
            # once from the printed address; then a cookie, so the token leaves the URL
            rest = urlencode([(k, v) for k, v in request.query_params.multi_items()
                              if k != "token"])
            response = RedirectResponse(request.url.path + ("?" + rest if rest else ""), 303)
            response.set_cookie(TOKEN_COOKIE, guard.token, httponly=True, samesite="strict",
                                path="/")
            return response
        if not guard.token_ok(request.cookies.get(TOKEN_COOKIE) or given):
            return _refuse(request, guard, 401, "open the address bitext serve printed "
                           "(with its ?token=)")
        if request.method not in ("GET", "HEAD"):
            if not guard.origin_ok(request.headers.get("origin")):
                return _refuse(request, guard, 403, "a request from another site is refused")
            if not guard.csrf_ok(request.headers.get(CSRF_HEADER)):
                return _refuse(request, guard, 403, "missing or wrong CSRF token: reload the page")
            if request.headers.get("content-type", "").split(";")[0].strip() \
                    != "application/json":
                return _refuse(request, guard, 415, "JSON only")
        return await call_next(request)


def _refuse(request: Request, guard: Guard, status: int, message: str) -> Response:
    if request.url.path.startswith("/api/"):
        return JSONResponse({"error": message}, status)
    return HTMLResponse(error_html(status, message, guard.csrf), status)


def create_app(desk: Desk, guard: Guard) -> Starlette:
    """The web app over ``desk``; ``guard`` says what every request must show."""

    async def index(request: Request) -> Response:
        pages = [(d, lang) for d in desk.docs for lang in desk.config.target_langs]
        return HTMLResponse(index_html(pages, guard.csrf))

    async def edit(request: Request) -> Response:
        doc, lang = request.path_params["doc"], request.path_params["lang"]
        try:
            page, version = await run_in_threadpool(desk.page, doc, lang)
        except NotFound as exc:
            return HTMLResponse(error_html(404, exc.message, guard.csrf), 404)
        except BitextError as exc:
            return HTMLResponse(error_html(409, str(exc), guard.csrf), 409)
        return HTMLResponse(editor_html(page, version, guard.csrf))

    async def check(request: Request) -> Response:
        return await _api(request, lambda a: {"findings": [
            i.as_dict() for i in desk.check_segment(a["doc"], a["lang"], a["key"], a["text"])]})

    async def preview(request: Request) -> Response:
        return await _api(request, lambda a: {
            "html": desk.preview(a["doc"], a["lang"], a["key"], a["text"])})

    async def save(request: Request) -> Response:
        def run(a: dict[str, Any]) -> dict[str, Any] | JSONResponse:
            saved = desk.save(a["doc"], a["lang"], a["key"], a["text"], _string(a, "version"),
                              reviewed=a.get("reviewed") is True)
            if saved.conflict:
                return JSONResponse({"error": "changed on disk since the page was loaded",
                                     "version": saved.version, "theirs": saved.theirs,
                                     "theirs_state": STATE_NAMES.get(saved.theirs_state, ""),
                                     "yours": saved.text}, 409)
            return {"version": saved.version, "text": saved.text, "state": saved.state,
                    "state_name": STATE_NAMES[saved.state], "written": saved.written,
                    "problems": saved.problems}
        return await _api(request, run)

    return Starlette(routes=[
        Route("/", index),
        Route("/edit/{doc}/{lang}", edit),
        Route("/api/check", check, methods=["POST"]),
        Route("/api/preview", preview, methods=["POST"]),
        Route("/api/save", save, methods=["POST"]),
    ], middleware=[Middleware(_Checks, guard=guard)])


def _string(args: dict[str, Any], name: str) -> str:
    value = args.get(name)
    if not isinstance(value, str):
        raise ValueError(f"{name!r} must be a string")
    return value


async def _api(request: Request,
               work: Callable[[dict[str, Any]], dict[str, Any] | JSONResponse]) -> Response:
    """JSON in (doc, lang, key, text: strings), ``work`` in a thread, JSON out; errors as 4xx."""
    raw = await request.body()
    if len(raw) > 4 * MAX_TEXT:
        return JSONResponse({"error": "request too large"}, 413)
    try:
        args = json.loads(raw)
        if not isinstance(args, dict):
            raise ValueError("a JSON object is expected")
        for name in ("doc", "lang", "key", "text"):
            _string(args, name)
    except ValueError as exc:
        return JSONResponse({"error": f"bad request: {exc}"}, 400)
    try:
        out = await run_in_threadpool(work, args)
    except NotFound as exc:
        return JSONResponse({"error": exc.message}, 404)
    except ValueError as exc:
        return JSONResponse({"error": f"bad request: {exc}"}, 400)
    except BitextError as exc:
        return JSONResponse({"error": str(exc)}, 409)
    return out if isinstance(out, Response) else JSONResponse(out)


def run_server(desk: Desk, guard: Guard, sock: socket.socket) -> None:
    """Serve until interrupted (Ctrl-C), on the socket already bound to ``guard``'s address."""
    import uvicorn

    config = uvicorn.Config(create_app(desk, guard), log_level="warning", access_log=False,
                            server_header=False, lifespan="off")
    uvicorn.Server(config).run(sockets=[sock])


__all__ = ["Handler", "create_app", "edit_url", "run_server"]
