"""A misbehaving chat-completions server on 127.0.0.1: one behaviour per run."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Behaviour = Callable[[BaseHTTPRequestHandler], None]


def answer_body(content: str) -> bytes:
    """A chat completion carrying `content`, as raw JSON bytes."""
    choice = {"message": {"role": "assistant", "content": content}}
    return json.dumps({"choices": [{**choice, "finish_reason": "stop"}]}).encode()


def send(handler: BaseHTTPRequestHandler, body: bytes, status: int = 200) -> None:
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def trickle(handler: BaseHTTPRequestHandler) -> None:
    """Send a valid answer one byte every 0.2 s: each read is quick, the call never."""
    body = answer_body("x" * 200)
    handler.send_response(200)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    for byte in body:
        handler.wfile.write(bytes([byte]))
        handler.wfile.flush()
        time.sleep(0.2)


def endless_stream(handler: BaseHTTPRequestHandler) -> None:
    """Stream 1 MB events without end."""
    handler.send_response(200)
    handler.send_header("Content-Type", "text/event-stream")
    handler.end_headers()
    piece = json.dumps({"choices": [{"delta": {"content": "y" * 1_000_000}}]})
    for _ in range(60):
        handler.wfile.write(f"data: {piece}\n\n".encode())


def redirect(handler: BaseHTTPRequestHandler) -> None:
    handler.send_response(307)
    handler.send_header("Location", "https://elsewhere.example/v1/chat/completions")
    handler.send_header("Content-Length", "0")
    handler.end_headers()


def raw(body: bytes) -> Behaviour:
    """Answer 200 with exactly these bytes."""
    return lambda handler: send(handler, body)


@contextmanager
def model_server(behaviour: Behaviour) -> Iterator[str]:
    """Serve `behaviour` for every POST; yield the base_url."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers.get("Content-Length", "0")))
            try:
                behaviour(self)
            except OSError:
                pass  # the client hung up, as it should

        def log_message(self, format: str, *args: Any) -> None:
            """Quiet."""

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/v1"
    finally:
        server.shutdown()
        server.server_close()
