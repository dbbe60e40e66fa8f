"""Faults between a syncer and the real hub, and a hub process that can be killed.

``ChaosTransport`` really sends requests to the hub and then misbehaves
the way networks and proxies do: it drops the answer after the hub has
committed, times out, sends a request twice, replays an old one first,
answers 503/429 itself, or waits a little.

Its counters are honest: a fault is counted once it has happened, not when
it was drawn. A replay with no earlier request to replay, a duplicate or a
dropped answer whose request never reached the (dead) hub are not counted;
the round robin then draws the same fault again next time. With ``log``
set, each fault is also appended to that file as it happens, so the
counts of a syncer process that is SIGKILLed survive it.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field

import httpx

FAULTS = ("drop_after", "timeout_after", "refuse_before", "duplicate", "replay_old",
          "busy_503", "too_many_429", "bad_gateway_after", "delay")


class FaultTurns:
    """What faults happened, shared by several transports (the tills of a run): each draws the kind that
    happened least so far, so together they go through every kind, though each alone makes only a few
    faults in a short run, and a kind drawn by both at once is not skipped."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.counts: dict[str, int] = {}

    def happened(self, name: str) -> None:
        with self._lock:
            self.counts[name] = self.counts.get(name, 0) + 1

    def least(self, faults: tuple[str, ...]) -> str:
        with self._lock:
            return least_happened(faults, self.counts)


def least_happened(faults: tuple[str, ...], counts: dict[str, int]) -> str:
    """The kind of fault that happened least, the first of them on a tie: a round robin that draws
    again a kind that was drawn but did not happen."""
    return min(faults, key=lambda kind: (counts.get(kind, 0), faults.index(kind)))


@dataclass
class ChaosTransport(httpx.BaseTransport):
    rate: float = 0.3
    seed: int = 0
    faults: tuple[str, ...] = FAULTS
    inner: httpx.BaseTransport = field(default_factory=httpx.HTTPTransport)
    counts: dict[str, int] = field(default_factory=dict)
    calm: bool = False  # set to let everything through
    log: str | None = None  # a file each fault is appended to as it happens
    turns: FaultTurns | None = None  # a round robin shared with other transports; else this one's own

    def __post_init__(self) -> None:
        self._rng = random.Random(self.seed)
        self._old: list[httpx.Request] = []
        self._lock = threading.Lock()

    def _count(self, name: str) -> None:
        with self._lock:
            self.counts[name] = self.counts.get(name, 0) + 1
        if self.turns is not None:
            self.turns.happened(name)
        if self.log is not None:
            fd = os.open(self.log, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                os.write(fd, f"{name}\n".encode())  # one short write: whole lines even across a kill
            finally:
                os.close(fd)

    def _send(self, request: httpx.Request) -> httpx.Response:
        copy = httpx.Request(request.method, request.url, headers=request.headers,
                             content=request.content)
        response = self.inner.handle_request(copy)
        response.read()
        return response

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        request.read()
        with self._lock:
            fault = None
            if not self.calm and self._rng.random() < self.rate:
                # so that every kind of fault happens in a short run
                fault = (self.turns.least(self.faults) if self.turns is not None else
                         least_happened(self.faults, self.counts))
            old = self._rng.choice(self._old) if self._old else None
            self._old = ([*self._old, request])[-20:]
            delay = self._rng.uniform(0.001, 0.05)
        if fault == "refuse_before":
            self._count(fault)
            raise httpx.ConnectError("chaos: connection refused")
        if fault == "busy_503":
            self._count(fault)
            return httpx.Response(503, json={"code": "busy", "message": "chaos"})
        if fault == "too_many_429":
            self._count(fault)
            return httpx.Response(429, headers={"Retry-After": "0"}, json={"code": "slow", "message": "chaos"})
        if fault == "delay":
            time.sleep(delay)
            self._count(fault)
        if fault == "replay_old" and old is not None:
            try:
                self._send(old)  # an old request arrives late; its answer goes nowhere
            except httpx.TransportError:
                pass  # it never arrived: no replay happened
            else:
                self._count(fault)
        # From here on a fault counts only if the hub did answer the request.
        response = self._send(request)
        if fault == "duplicate":
            response = self._send(request)
            self._count(fault)
        if fault == "drop_after":
            self._count(fault)
            raise httpx.ReadError("chaos: connection dropped after the hub answered")
        if fault == "timeout_after":
            self._count(fault)
            raise httpx.ReadTimeout("chaos: timed out after the hub answered")
        if fault == "bad_gateway_after":
            self._count(fault)
            return httpx.Response(502, text="chaos: bad gateway")
        return response

    def close(self) -> None:
        self.inner.close()


class HubProcess:
    """``loyalty-hub serve`` in its own process, killed with SIGKILL when asked."""

    def __init__(self, database_url: str, port: int) -> None:
        self.database_url = database_url
        self.port = port
        self.url = f"http://127.0.0.1:{port}"
        self._proc: subprocess.Popen[bytes] | None = None

    def start(self, timeout: float = 30.0) -> HubProcess:
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "sync.hub.cli", "--database-url", self.database_url,
             "serve", "--host", "127.0.0.1", "--port", str(self.port), "--log-level", "warning"],
            stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._proc.poll() is not None:
                raise RuntimeError(f"the hub process exited with {self._proc.returncode}")
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return self
            except httpx.TransportError:
                time.sleep(0.05)
        self.kill()
        raise RuntimeError("the hub process did not start in time")

    def kill(self) -> None:
        """Stop it abruptly: no clean shutdown, requests in flight are cut."""
        if self._proc is not None and self._proc.poll() is None:
            self._proc.send_signal(signal.SIGKILL)
            self._proc.wait(10)
        self._proc = None

    def __enter__(self) -> HubProcess:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.kill()
