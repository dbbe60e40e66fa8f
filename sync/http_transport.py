"""The hub client's httpx transport, whose sockets can be shut down from another thread.

Kept apart from :mod:`sync.client` so importing the client (its errors are
named all over the terminal) does not import httpx: with httpcore, trio and
the click/rich of httpx's command line that is ~9 MB and a sixth of a
second of a terminal's start, for a link that is often not even paired.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import weakref
from typing import Any

import httpcore
import httpx

DEFAULT_TIMEOUT = httpx.Timeout(connect=5.0, read=30.0, write=30.0, pool=5.0)


class TrackingBackend(httpcore.SyncBackend):
    """Remembers open sockets so :meth:`HubClient.abort` can shut them down.

    Shutting a socket down wakes a thread blocked reading from it, which
    closing it does not; that is what lets the syncer stop within a second
    even while a hung hub holds a request open.
    """

    def __init__(self) -> None:
        self._sockets: weakref.WeakSet[socket.socket] = weakref.WeakSet()
        self._lock = threading.Lock()

    def connect_tcp(self, *args: Any, **kwargs: Any) -> httpcore.NetworkStream:
        stream = super().connect_tcp(*args, **kwargs)
        sock = stream.get_extra_info("socket")
        if sock is not None:
            with self._lock:
                self._sockets.add(sock)
        return stream

    def shutdown_all(self) -> None:
        with self._lock:
            sockets = list(self._sockets)
        for sock in sockets:
            with contextlib.suppress(OSError):  # already closed
                sock.shutdown(socket.SHUT_RDWR)


class AbortableTransport(httpx.HTTPTransport):
    def __init__(self, backend: TrackingBackend) -> None:
        super().__init__()
        # httpx has no public hook for the network backend; the pool it
        # would build is replaced by the same default pool on our backend.
        self._pool = httpcore.ConnectionPool(max_connections=4, network_backend=backend)
