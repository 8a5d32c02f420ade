"""Error answers: ``{"error": {"status", "code", "message", "limit"?}}`` under /api/, a short page elsewhere."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException

from ..errors import RequestError
from .guard import error_body

logger = logging.getLogger("storybrief.web")


def error_response(request: Request, status: int, code: str, message: str, **extra: Any) -> Response:
    body, content_type = error_body(status, code, message, api=request.url.path.startswith("/api/"), **extra)
    return Response(body, status_code=status, media_type=content_type.decode())


async def on_request_error(request: Request, e: RequestError) -> Response:
    extra = {"limit": e.limit} if e.limit is not None else {}
    response = error_response(request, e.status, e.code, e.message, **extra)
    if e.retry_after is not None:
        response.headers["retry-after"] = str(e.retry_after)
    return response


async def on_http_error(request: Request, e: StarletteHTTPException) -> Response:
    code = {404: "not-found", 405: "method-not-allowed"}.get(e.status_code, "http-error")
    message = "no such page or briefing" if e.status_code == 404 else str(e.detail)
    return error_response(request, e.status_code, code, message)


async def on_validation_error(request: Request, e: RequestValidationError) -> Response:
    parts = [f"{'.'.join(str(x) for x in err['loc'])}: {err['msg']}" for err in e.errors()[:5]]
    return error_response(request, 422, "invalid-request", "; ".join(parts) or "invalid request")


async def on_crash(request: Request, e: Exception) -> Response:
    logger.exception("unexpected error on %s %s", request.method, request.url.path)
    return error_response(request, 500, "internal-error", "the server failed on this request; see its log")


def add_error_handlers(api: FastAPI) -> None:
    api.add_exception_handler(RequestError, on_request_error)  # type: ignore[arg-type]
    api.add_exception_handler(StarletteHTTPException, on_http_error)  # type: ignore[arg-type]
    api.add_exception_handler(RequestValidationError, on_validation_error)  # type: ignore[arg-type]
    api.add_exception_handler(Exception, on_crash)
