"""A scripted chat-completions server on 127.0.0.1 for refinement tests."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from types import TracebackType
from typing import Any


@dataclass(frozen=True)
class Reply:
    """One scripted answer: status, headers, body, and how slowly to send it."""

    status: int = 200
    body: bytes = b""
    headers: tuple[tuple[str, str], ...] = (("Content-Type", "application/json"),)
    delay: float = 0.0
    events: tuple[str, ...] | None = None  # SSE `data:` payloads, sent one by one


@dataclass(frozen=True)
class Seen:
    """A request the server received."""

    method: str
    path: str
    headers: dict[str, str]
    body: Any


def completion(content: str, *, finish_reason: str = "stop") -> Reply:
    """Return a non-streamed chat completion carrying `content`."""
    data = {
        "id": "chatcmpl-test",
        "object": "chat.completion",
        "model": "test-model",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": content},
                "finish_reason": finish_reason,
            }
        ],
    }
    return Reply(body=json.dumps(data).encode())


def streamed(pieces: Iterable[str]) -> Reply:
    """Return a server-sent-events completion sending `pieces` as deltas."""
    events = [
        json.dumps({"choices": [{"index": 0, "delta": {"content": p}}]}) for p in pieces
    ]
    events.append(
        json.dumps({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
    )
    return Reply(
        headers=(("Content-Type", "text/event-stream"),),
        events=(*events, "[DONE]"),
    )


def error(status: int, message: str, *, retry_after: str | None = None) -> Reply:
    """Return an OpenAI-style error answer."""
    headers = [("Content-Type", "application/json")]
    if retry_after is not None:
        headers.append(("Retry-After", retry_after))
    body = json.dumps({"error": {"message": message, "type": "test"}}).encode()
    return Reply(status=status, body=body, headers=tuple(headers))


@dataclass
class LlmServer:
    """Serve scripted replies in order on an ephemeral loopback port."""

    replies: list[Reply]
    seen: list[Seen] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _server: ThreadingHTTPServer | None = None

    @property
    def base_url(self) -> str:
        """Return `http://127.0.0.1:<port>/v1`."""
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.server_address[1]}/v1"

    def __enter__(self) -> LlmServer:
        handler = _handler_for(self)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        self._server.daemon_threads = True
        self._server.block_on_close = False
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()  # cut short any reply still sleeping
        assert self._server is not None
        self._server.shutdown()
        self._server.server_close()

    def next_reply(self) -> Reply:
        """Return the next scripted reply (500 once the script runs out)."""
        if self.replies:
            return self.replies.pop(0)
        return error(500, "no scripted reply left")


def _handler_for(server: LlmServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            size = int(self.headers.get("Content-Length", "0"))
            raw = self.rfile.read(size)
            try:
                body: Any = json.loads(raw)
            except ValueError:
                body = raw.decode("utf-8", "replace")
            server.seen.append(
                Seen(
                    "POST",
                    self.path,
                    {k.lower(): v for k, v in self.headers.items()},
                    body,
                )
            )
            reply = server.next_reply()
            if reply.delay and server._stop.wait(reply.delay):
                return
            try:
                self._send(reply)
            except OSError:
                pass  # the client gave up (a timeout test): nothing to tell it

        def _send(self, reply: Reply) -> None:
            self.send_response(reply.status)
            for name, value in reply.headers:
                self.send_header(name, value)
            if reply.events is None:
                self.send_header("Content-Length", str(len(reply.body)))
                self.end_headers()
                self.wfile.write(reply.body)
                return
            self.end_headers()
            for event in reply.events:
                self.wfile.write(f"data: {event}\n\n".encode())
                self.wfile.flush()

        def log_message(self, format: str, *args: Any) -> None:
            """Keep test output quiet."""

    return Handler
