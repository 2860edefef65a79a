"""create_app(): mounts each domain's router, the problem+json handlers and the web app."""

from __future__ import annotations

import functools
import gc
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import FileResponse, JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from starlette.exceptions import HTTPException as StarletteHTTPException

from qualitas import __version__
from qualitas.auth.admin_api import router as admin_router
from qualitas.auth.api import router as auth_router
from qualitas.config import get_settings
from qualitas.db import Database
from qualitas.errors import PROBLEM_BASE, Conflict, FieldError, QualitasError, ValidationFailed
from qualitas.events import Dispatcher, DispatcherThread
from qualitas.inspection.api import router as inspection_router
from qualitas.ledger.api import router as audit_router
from qualitas.measure.api import router as measure_router
from qualitas.plant.api import router as plant_router
from qualitas.spc.api import router as spc_router
from qualitas.trace.api import router as trace_router
from qualitas.trace.documents_api import router as trace_documents_router
from qualitas.trace.recall_api import router as recall_router

log = logging.getLogger(__name__)
PROBLEM = "application/problem+json"


def problem_response(exc: QualitasError, request: Request) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if exc.status == 401 else None
    return JSONResponse(
        exc.problem(request.url.path), status_code=exc.status, media_type=PROBLEM, headers=headers
    )


def _validation_errors(exc: RequestValidationError) -> list[FieldError]:
    out = []
    for err in exc.errors():
        loc = [str(p) for p in err.get("loc", ())][1:]
        msg = str(err.get("msg", "invalid")).removeprefix("Value error, ")
        if not loc and ": " in msg:
            name, msg = msg.split(": ", 1)
            loc = [name]
        out.append(FieldError(".".join(loc) or "body", str(err.get("type", "invalid")), msg))
    return out


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(QualitasError)
    async def _qualitas(request: Request, exc: QualitasError) -> JSONResponse:
        return problem_response(exc, request)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = _validation_errors(exc)
        detail = "; ".join(f"{e.field}: {e.message}" for e in errors[:5])
        return problem_response(ValidationFailed(detail=detail, errors=errors), request)

    @app.exception_handler(IntegrityError)
    async def _integrity(request: Request, exc: IntegrityError) -> JSONResponse:
        log.warning("integrity error on %s: %s", request.url.path, exc.orig)
        return problem_response(
            Conflict(detail="the change conflicts with existing data", code="integrity"), request
        )

    @app.exception_handler(DataError)
    async def _data(request: Request, exc: DataError) -> JSONResponse:
        log.warning("data error on %s: %s", request.url.path, exc.orig)
        err = ValidationFailed(detail="a value does not fit the database column", code="data")
        return problem_response(err, request)

    @app.exception_handler(OperationalError)
    async def _operational(request: Request, exc: OperationalError) -> JSONResponse:
        log.error("database unavailable on %s: %s", request.url.path, exc.orig)
        body = {
            "type": PROBLEM_BASE + "unavailable",
            "title": "Service unavailable",
            "status": 503,
            "detail": "the database is busy or unavailable; retry",
        }
        return JSONResponse(body, status_code=503, media_type=PROBLEM)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        body = {
            "type": "about:blank",
            "title": str(exc.detail),
            "status": exc.status_code,
            "detail": str(exc.detail),
            "instance": request.url.path,
        }
        return JSONResponse(
            body,
            status_code=exc.status_code,
            media_type=PROBLEM,
            headers=getattr(exc, "headers", None),
        )


def mount_web(app: FastAPI, dist: Path) -> None:
    """Serve the built web app at / with a fallback to index.html for client routes."""
    index = dist / "index.html"
    if (dist / "assets").is_dir():
        app.mount("/assets", StaticFiles(directory=dist / "assets"), name="assets")

    @app.get("/{path:path}", include_in_schema=False)
    async def spa(path: str) -> Response:
        if path.startswith("api/"):
            raise StarletteHTTPException(404, "Not Found")
        candidate = (dist / path).resolve()
        if path and candidate.is_file() and dist.resolve() in candidate.parents:
            return FileResponse(candidate)
        if index.is_file():
            return FileResponse(index, headers={"Cache-Control": "no-cache"})
        return JSONResponse({"detail": "web app not built: run `make web`"}, status_code=404)


@functools.cache
def freeze_startup_heap() -> None:
    """Once per process: move everything alive at startup (modules, routes, schemas, mappers)
    into the collector's permanent generation, so that full collections walk only what
    requests allocate. Without it a collection during a large ingest batch pauses the
    request for tens of milliseconds (``gc.freeze`` in the Python documentation)."""
    gc.collect()
    gc.freeze()


def create_app(database_url: str | None = None, *, dispatch: bool | None = None) -> FastAPI:
    settings = get_settings()
    db = Database(database_url)
    dispatcher = Dispatcher(db, max_attempts=settings.events.max_attempts)
    run_dispatcher = settings.events.dispatch_inline if dispatch is None else dispatch

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        thread = DispatcherThread(dispatcher) if run_dispatcher else None
        if thread:
            thread.start()
        freeze_startup_heap()
        yield
        if thread:
            thread.stop()
        db.dispose()

    app = FastAPI(
        title="Qualitas",
        version=__version__,
        lifespan=lifespan,
        description="Open-source, data-driven quality management system.",
    )
    app.state.db = db
    app.state.dispatcher = dispatcher
    install_error_handlers(app)

    @app.get("/api/health", tags=["system"])
    def health() -> dict[str, str]:
        return {"status": "ok", "version": __version__}

    routers = (
        auth_router,
        admin_router,
        plant_router,
        audit_router,
        measure_router,
        spc_router,
        inspection_router,
        trace_router,
        recall_router,
        trace_documents_router,
    )
    for router in routers:
        app.include_router(router)
    mount_web(app, settings.web_dist)
    return app
