"""The routers every resource of the API is declared on (server/api.py gathers them).

FastAPI runs a plain-function endpoint in a worker thread, then — when the route declares its
answer's model — checks the answer in another: with the signed-in caller read in a third, a
request went back and forth between the event loop and the threads three times. Here an
endpoint's whole body runs in one thread (server/bearer.py: it reads its caller there first),
and the answer is checked on the event loop, which is what FastAPI does for an ``async``
endpoint. Each hand-over costs a wake-up of the loop or of a thread and a turn at Python's
interpreter lock among the worker's busy threads (docs/SERVER.md, "Workers")."""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any

from fastapi import APIRouter
from starlette.concurrency import run_in_threadpool


class Router(APIRouter):
    """An ``APIRouter`` whose plain-function endpoints each run in one worker thread."""

    def add_api_route(self, path: str, endpoint: Callable[..., Any], **kwargs: Any) -> None:
        if not inspect.iscoroutinefunction(endpoint):
            endpoint = in_thread(endpoint)
        super().add_api_route(path, endpoint, **kwargs)


def in_thread(endpoint: Callable[..., Any]) -> Callable[..., Any]:
    """``endpoint`` as a coroutine running it in a worker thread; its signature, which FastAPI
    reads for the parameters to fill in, is the endpoint's own (``functools.wraps``)."""

    @functools.wraps(endpoint)
    async def threaded(*args: Any, **kwargs: Any) -> Any:
        return await run_in_threadpool(endpoint, *args, **kwargs)

    return threaded
