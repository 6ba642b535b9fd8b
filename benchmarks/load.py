"""A lean load generator for the server benchmark: each client one kept-alive TLS connection,
all of them on one asyncio event loop in this process, sending ready-made HTTP/1.1 requests
and reading the status line, the headers and a ``Content-Length`` body.

Why not httpx, which the desktop uses: fifty httpx clients in fifty threads of one Python
process cost about 0.75 ms of CPU a request and waited for the interpreter's lock between a
request and its answer, on the same two cores as the server and PostgreSQL. The measure was
then of the clients as much as of the server: fifty desktops on fifty computers cost the
server's machine nothing, and none waits for another's interpreter. These clients cost about
0.1 ms a request; the benchmark reports what they spent beside what the server did.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import functools
import os
import ssl
import time
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

Request = tuple[str, str, bytes | None]  # method, path, JSON body (None: no body)
TIMEOUT = 60.0  # an answer not back by then is a failure, not a hang


@dataclass
class Load:
    """What the clients saw: the latencies of the answers with the expected status (sorted),
    why the others failed, and the CPU time this process spent meanwhile."""

    seconds: float
    latencies: list[float] = field(default_factory=list)
    failed: collections.Counter[str] = field(default_factory=collections.Counter)
    cpu: float = 0.0

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds

    def at(self, quantile: float) -> float:
        """The latency at ``quantile`` (0.95: p95), 0 when nothing was answered."""
        if not self.latencies:
            return 0.0
        return self.latencies[min(len(self.latencies) - 1, int(len(self.latencies) * quantile))]

    def errors(self) -> str:
        """How many failed, and why (an answer's status and text, or the exception)."""
        total = sum(self.failed.values())
        if not total:
            return "0 errors"
        return f"{total} errors (" + "; ".join(f"{n}× {w}" for w, n in self.failed.items()) + ")"


def run(
    url: str,
    context: ssl.SSLContext,
    tokens: list[str],
    seconds: float,
    next_request: Callable[[int], Request],
    expected: int,
) -> Load:
    """One client per bearer token in ``tokens``, each for ``seconds`` making its next request
    ready (``next_request(n)``, not timed), sending it and reading the answer."""
    host, port = url.removeprefix("https://").rsplit(":", 1)
    load = Load(seconds)
    started = os.times()

    async def clients() -> None:
        deadline = time.perf_counter() + seconds
        await asyncio.gather(
            *(
                _client(
                    host,
                    int(port),
                    context,
                    token,
                    functools.partial(next_request, n),
                    expected,
                    deadline,
                    load,
                )
                for n, token in enumerate(tokens)
            )
        )

    try:
        import uvloop

        run_loop: Callable[[Coroutine[Any, Any, None]], None] = uvloop.run
    except ImportError:  # the server's extra is not installed: the standard loop
        run_loop = asyncio.run
    run_loop(clients())
    ended = os.times()
    load.cpu = (ended.user + ended.system) - (started.user + started.system)
    load.latencies.sort()
    return load


async def _client(
    host: str,
    port: int,
    context: ssl.SSLContext,
    token: str,
    next_request: Callable[[], Request],
    expected: int,
    deadline: float,
    load: Load,
) -> None:
    connection: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None
    while time.perf_counter() < deadline:
        method, path, body = next_request()
        head = f"{method} {path} HTTP/1.1\r\nHost: {host}\r\nAuthorization: Bearer {token}\r\n"
        if body is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        request = head.encode() + b"\r\n" + (body or b"")
        try:
            if connection is None:  # not timed: a desktop connects once for a whole sync
                connection = await asyncio.wait_for(
                    asyncio.open_connection(host, port, ssl=context), TIMEOUT
                )
            start = time.perf_counter()
            status, answer, keep = await asyncio.wait_for(_ask(*connection, request), TIMEOUT)
        except (OSError, EOFError, ValueError) as exc:  # TimeoutError is an OSError
            load.failed[type(exc).__name__] += 1
            await _close(connection)
            connection = None
            continue
        if status == expected:
            load.latencies.append(time.perf_counter() - start)
        else:
            load.failed[f"{status} {answer[:200].decode(errors='replace')}"] += 1
        if not keep:
            await _close(connection)
            connection = None
    await _close(connection)


async def _ask(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> tuple[int, bytes, bool]:
    """Send ``request``; its answer's status, body and whether the connection stays open."""
    writer.write(request)
    try:
        header = await reader.readuntil(b"\r\n\r\n")
    except asyncio.IncompleteReadError as exc:
        raise EOFError("the server closed the connection") from exc
    lines = header.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    fields = {
        name.strip().lower(): value.strip()
        for name, _, value in (line.partition(":") for line in lines[1:] if line)
    }
    if "content-length" not in fields:
        raise ValueError("an answer without Content-Length")
    try:
        body = await reader.readexactly(int(fields["content-length"]))
    except asyncio.IncompleteReadError as exc:
        raise EOFError("the server closed the connection") from exc
    return status, body, fields.get("connection", "").lower() != "close"


async def _close(connection: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None) -> None:
    if connection is None:
        return
    connection[1].close()
    with contextlib.suppress(OSError, asyncio.TimeoutError):  # closed already, or no answer
        await asyncio.wait_for(connection[1].wait_closed(), 5)
