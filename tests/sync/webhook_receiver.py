"""A real HTTP receiver for webhook tests: http.server on loopback, on a thread.

It answers each request with the next status of ``script`` (then 200), or
holds requests while ``hold`` is set, and keeps what it got.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


class Receiver:
    def __init__(self, script: list[int] | None = None) -> None:
        self.script = list(script or [])
        self.got: list[Received] = []
        self.hold = threading.Event()      # set: requests wait until it is cleared
        self.released = threading.Event()  # set when the hold ends
        self.holding = threading.Event()   # set once a request is being held
        self.first_only = False            # hold only the first request
        self.held_delivery: str | None = None  # the Loyalty-Delivery of the first request held
        self._lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                with receiver._lock:
                    held = receiver.hold.is_set() and not (receiver.first_only and receiver.holding.is_set())
                    if held and not receiver.holding.is_set():
                        receiver.held_delivery = self.headers.get("Loyalty-Delivery")
                    if held:
                        receiver.holding.set()
                if held:
                    receiver.released.wait(30)
                with receiver._lock:
                    receiver.got.append(Received(self.path, {k.lower(): v for k, v in self.headers.items()}, body))
                    status = receiver.script.pop(0) if receiver.script else 200
                try:
                    self.send_response(status)
                    self.send_header("Content-Length", "2")
                    self.end_headers()
                    self.wfile.write(b"ok")
                except OSError:
                    pass  # the client gave up (timeout) or was killed

            def log_message(self, *args: object) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, name="webhook-receiver", daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}/hooks"

    def delivery_ids(self) -> list[str]:
        with self._lock:
            return [r.headers["loyalty-delivery"] for r in self.got]

    def __enter__(self) -> Receiver:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.released.set()
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(5)
