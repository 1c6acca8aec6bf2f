"""A fault-injecting HTTP server on 127.0.0.1 (stdlib), for testing the HTTP layer under real faults.

Each path gets a script: a list of faults served one per request, in order; when the script is
used up, the path's good body is served. Every request is recorded with its arrival time.

Faults: `stall` (headers sent, then silence for `stall_s`), `reset` (half a body, then a TCP reset),
`short` (Content-Length larger than the body sent), `cut` (no Content-Length, half the body,
then the connection closed: a cut download looks complete), `redirect_loop` (302 to itself), `429`
(no Retry-After), `429:<s>` (Retry-After: s), `500`, `huge` (an endless body without
Content-Length), `html` (200 with an HTML page), `404`/`403`/`410`.
"""

from __future__ import annotations

import socket
import struct
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit


class FaultServer:
    def __init__(self, stall_s: float = 3.0):
        self.stall_s = stall_s
        self.bodies: dict[str, tuple[bytes, dict]] = {}
        self.scripts: dict[str, list[str]] = {}
        self.log: list[tuple[float, str]] = []
        self.lock = threading.Lock()
        self._stop = threading.Event()
        srv = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):  # noqa: N802 - http.server's name
                path = urlsplit(self.path).path
                with srv.lock:
                    srv.log.append((time.monotonic(), self.path))
                    script = srv.scripts.get(path) or []
                    fault = script.pop(0) if script else None
                srv.serve(self, path, fault)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    # -- setup -------------------------------------------------------------------------------
    def route(self, path: str, body: bytes | str, faults: list[str] = (), headers: dict | None = None):
        self.bodies[path] = (body.encode() if isinstance(body, str) else body,
                             {"Content-Type": "application/json", **(headers or {})})
        self.scripts[path] = list(faults)
        return self

    def url(self, path: str = "") -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}{path}"

    def hits(self, path: str) -> list[float]:
        with self.lock:
            return [t for t, p in self.log if urlsplit(p).path == path]

    # -- faults ------------------------------------------------------------------------------
    def serve(self, h: BaseHTTPRequestHandler, path: str, fault: str | None) -> None:
        body, headers = self.bodies.get(path, (b'{"error": "not found"}', {"Content-Type": "application/json"}))
        if path == "/robots.txt" and path not in self.bodies:
            body, headers = b"User-agent: *\nAllow: /\n", {"Content-Type": "text/plain"}
        if fault is None:
            return self._send(h, 200 if path in self.bodies or path == "/robots.txt" else 404, body, headers)
        if fault in ("404", "403", "410", "500", "503") or fault.startswith("429"):
            status, _, after = fault.partition(":")
            extra = {"Retry-After": after} if after else {}
            return self._send(h, int(status), b'{"errors": ["fault"]}', {"Content-Type": "application/json", **extra})
        if fault == "redirect_loop":
            return self._send(h, 302, b"", {"Location": path})
        if fault == "html":
            return self._send(h, 200, b"<!DOCTYPE html><html><body>Rate limited</body></html>",
                              {"Content-Type": "text/html"})
        if fault == "stall":
            self._head(h, 200, len(body), headers)
            h.wfile.write(body[: len(body) // 2])
            h.wfile.flush()
            self._stop.wait(self.stall_s)
            h.close_connection = True
            return
        if fault == "short":
            self._head(h, 200, len(body) + 100, headers)
            h.wfile.write(body)
            h.wfile.flush()
            h.close_connection = True
            return
        if fault == "reset":
            self._head(h, 200, len(body), headers)
            h.wfile.write(body[: len(body) // 2])
            h.wfile.flush()
            # SO_LINGER 0: close sends a TCP RST, as a dropped connection does
            h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            h.connection.close()
            h.close_connection = True
            return
        if fault == "cut":
            h.send_response(200)
            for k, v in headers.items():
                h.send_header(k, v)
            h.send_header("Connection", "close")
            h.end_headers()
            h.wfile.write(body[: len(body) // 2])
            h.close_connection = True
            return
        if fault == "huge":
            h.send_response(200)
            for k, v in headers.items():
                h.send_header(k, v)
            h.send_header("Connection", "close")
            h.end_headers()
            block = b" " * (1 << 16)
            try:
                while not self._stop.is_set():
                    h.wfile.write(block)
            except OSError:
                pass
            h.close_connection = True
            return
        raise ValueError(f"unknown fault {fault!r}")

    @staticmethod
    def _head(h, status, length, headers):
        h.send_response(status)
        for k, v in headers.items():
            h.send_header(k, v)
        h.send_header("Content-Length", str(length))
        h.end_headers()

    def _send(self, h, status, body, headers):
        self._head(h, status, len(body), headers)
        h.wfile.write(body)

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self._stop.set()
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()
