"""One chat-completions call over httpx: retries, Retry-After, SSE, clear errors."""

from __future__ import annotations

import email.utils
import json
import re
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from planner import __version__
from planner.errors import RefineError
from planner.refine.progress import NullProgress, Progress
from planner.refine.redact import redact

__all__ = ["MAX_ATTEMPTS", "Answer", "Call", "post_chat"]

MAX_ATTEMPTS = 4
BACKOFF_START = 1.0
BACKOFF_CAP = 30.0
MAX_RETRY_AFTER = 120.0
MAX_BODY_BYTES = 2_000_000
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
_SURROGATE = re.compile("[\ud800-\udfff]")


@dataclass(frozen=True)
class Answer:
    """The model's text and why it stopped ("stop", "length", ...)."""

    content: str
    finish_reason: str | None


@dataclass(frozen=True)
class Call:
    """Where and how to call: the request is built from these alone."""

    url: str
    host: str
    model: str
    payload: Mapping[str, Any]
    timeout: float
    api_key: str | None
    api_key_env: str
    stream: bool = False


class _Retry(Exception):
    def __init__(self, reason: str, delay: float | None) -> None:
        super().__init__(reason)
        self.reason, self.delay = reason, delay


def post_chat(
    client: httpx.Client,
    call: Call,
    /,
    *,
    sleep: Callable[[float], None] = time.sleep,
    progress: Progress | None = None,
    max_attempts: int = MAX_ATTEMPTS,
) -> Answer:
    """POST a chat completion; retry 429 and 5xx with backoff; map failures.

    Raises:
        RefineError: Every failure, with a hint: refused key (401/403), unknown
            model or URL (404), rate limits and server errors that outlast the
            retries, timeouts, refused connections and malformed answers.
    """
    progress = progress or NullProgress()
    for attempt in range(1, max_attempts + 1):
        try:
            return _attempt(client, call, progress)
        except _Retry as retry:
            delay = retry.delay
            if delay is None:
                delay = min(BACKOFF_START * 2 ** (attempt - 1), BACKOFF_CAP)
            if attempt == max_attempts or delay > MAX_RETRY_AFTER:
                raise _gave_up(call, retry, attempt, delay) from None
            progress.note(
                f"{retry.reason}; retrying in {delay:g}s "
                f"(attempt {attempt + 1} of {max_attempts})"
            )
            sleep(delay)
    raise ValueError("max_attempts must be at least 1")


def _attempt(client: httpx.Client, call: Call, progress: Progress) -> Answer:
    headers = {
        "Accept": "text/event-stream" if call.stream else "application/json",
        "User-Agent": f"planner/{__version__}",
    }
    if call.api_key:
        headers["Authorization"] = f"Bearer {call.api_key}"
    progress.start(f"waiting for {call.model} at {call.host}")
    # The timeout bounds the whole call: httpx's applies to each read, and a
    # server sending a byte at a time would never trip it.
    deadline = time.monotonic() + call.timeout
    try:
        with client.stream(
            "POST",
            call.url,
            json=dict(call.payload),
            headers=headers,
            timeout=httpx.Timeout(call.timeout),
        ) as response:
            if response.status_code != httpx.codes.OK:
                _raise_for_status(response, call)
            chunks = _bounded(response.iter_bytes(), call, deadline)
            if call.stream and _is_sse(response):
                return _read_sse(_lines(chunks), call, progress)
            return _parse_completion(b"".join(chunks), call)
    except (httpx.TimeoutException, _Deadline) as err:
        raise RefineError(
            f"no answer from {call.host} within {call.timeout:g}s "
            f"({type(err).__name__})",
            hint="raise timeout in [tool.planner.llm], try a smaller model, "
            "or stream the answer with --stream",
        ) from err
    except httpx.ConnectError as err:
        raise RefineError(
            f"cannot connect to {call.host}: {_reason(err)}",
            hint="is the model server running? check base_url in [tool.planner.llm]",
        ) from err
    except httpx.HTTPError as err:
        raise RefineError(f"request to {call.host} failed: {_reason(err)}") from err
    finally:
        progress.stop()


def _raise_for_status(response: httpx.Response, call: Call) -> None:
    status = response.status_code
    detail = _server_message(response, call)
    if status in RETRY_STATUSES:
        raise _Retry(
            f"{call.host} answered HTTP {status}{detail}", _retry_after(response)
        )
    if status in (401, 403):
        raise RefineError(
            f"{call.host} refused the request: HTTP {status}{detail}",
            hint=_key_hint(call),
        )
    if 300 <= status < 400:
        where = response.headers.get("Location", "")[:200]
        raise RefineError(
            f"{call.host} redirected the request (HTTP {status}"
            + (f" to {where}" if where else "")
            + "); planner does not follow redirects",
            hint="set base_url to the address the server answers at (check "
            "http or https, the host and the /v1 at the end)",
        )
    if status == 404:
        raise RefineError(
            f"{call.host}: model {call.model!r} or URL {call.url} not found: "
            f"HTTP 404{detail}",
            hint="check model (`ollama list`, or GET {base_url}/models) and base_url "
            "(OpenAI-compatible servers usually need it to end in /v1)",
        )
    raise RefineError(
        f"{call.host} rejected the request: HTTP {status}{detail}",
        hint="check model, max_tokens and temperature in [tool.planner.llm]",
    )


def _key_hint(call: Call) -> str:
    if call.api_key:
        return f"the key in ${call.api_key_env} was refused: set it to a valid key"
    return (
        f"no key was sent: set ${call.api_key_env} (the variable named by "
        "api_key_env in [tool.planner.llm])"
    )


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - time.time())


def _server_message(response: httpx.Response, call: Call) -> str:
    """Return ': <the server's error message>', short and with secrets blanked."""
    try:
        raw = response.read()[:4000].decode("utf-8", errors="replace")
    except httpx.HTTPError:
        return ""
    try:
        data = json.loads(raw)
    except ValueError:
        data = raw
    if isinstance(data, dict):
        error = data.get("error", data.get("detail", data.get("message", "")))
        data = error.get("message", "") if isinstance(error, dict) else error
    text = " ".join(str(data).split())[:200]
    secrets = [call.api_key] if call.api_key else []
    text = redact(text, secrets=secrets).text
    return f": {text}" if text else ""


def _is_sse(response: httpx.Response) -> bool:
    kind: str = response.headers.get("content-type", "")
    return kind.startswith("text/event-stream")


class _Deadline(Exception):
    """The whole call took longer than the timeout."""


def _bounded(chunks: Iterable[bytes], call: Call, deadline: float) -> Iterator[bytes]:
    """Yield the answer's bytes until MAX_BODY_BYTES or the deadline, then stop."""
    size = 0
    for chunk in chunks:
        if time.monotonic() > deadline:
            raise _Deadline(f"the answer took over {call.timeout:g}s")
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise RefineError(
                f"the answer from {call.host} is over {MAX_BODY_BYTES:,} bytes"
            )
        yield chunk


def _lines(chunks: Iterator[bytes]) -> Iterator[str]:
    """Split a byte stream into text lines (its size is bounded by `_bounded`)."""
    pending = b""
    for chunk in chunks:
        pending += chunk
        *done, pending = pending.split(b"\n")
        for line in done:
            yield line.rstrip(b"\r").decode("utf-8", "replace")
    if pending:
        yield pending.decode("utf-8", "replace")


def _parse_completion(body: bytes, call: Call) -> Answer:
    try:
        data = json.loads(body)
    except (ValueError, RecursionError) as err:
        raise _malformed(call, "it is not JSON, or nests too deeply") from err
    message = _first_choice(data, call).get("message")
    content = message.get("content") if isinstance(message, dict) else None
    if not isinstance(content, str):
        raise _malformed(call, "choices[0].message.content is missing")
    return Answer(content=_text(content), finish_reason=_finish(data))


def _text(content: str) -> str:
    """Replace lone surrogates (from JSON escapes), which no file holds, by U+FFFD."""
    if not _SURROGATE.search(content):
        return content
    return _SURROGATE.sub("\ufffd", content)


def _read_sse(lines: Iterable[str], call: Call, progress: Progress) -> Answer:
    parts: list[str] = []
    finish: str | None = None
    size = 0
    for line in lines:
        if not line.startswith("data:"):
            continue  # comments, event names and keep-alives
        data = line[5:].strip()
        if data == "[DONE]":
            return Answer(content=_text("".join(parts)), finish_reason=finish)
        try:
            chunk = json.loads(data)
        except (ValueError, RecursionError) as err:
            raise _malformed(call, "a streamed chunk is not JSON") from err
        delta = _first_choice(chunk, call).get("delta") or {}
        piece = delta.get("content") if isinstance(delta, dict) else None
        if isinstance(piece, str):
            parts.append(piece)
            size += len(piece)
            progress.received(size)
        finish = _finish(chunk) or finish
    if finish is None:
        raise _malformed(call, "the stream ended before the answer was complete")
    return Answer(content=_text("".join(parts)), finish_reason=finish)


def _first_choice(data: Any, call: Call) -> dict[str, Any]:
    choices = data.get("choices") if isinstance(data, dict) else None
    if not isinstance(choices, list) or not choices or not isinstance(choices[0], dict):
        raise _malformed(call, "it has no choices")
    first: dict[str, Any] = choices[0]
    return first


def _finish(data: Any) -> str | None:
    try:
        reason = data["choices"][0].get("finish_reason")
    except (KeyError, IndexError, TypeError, AttributeError):
        return None
    return reason if isinstance(reason, str) else None


def _malformed(call: Call, why: str) -> RefineError:
    return RefineError(
        f"the answer from {call.host} is not a chat completion: {why}",
        hint="base_url must point at an OpenAI-compatible API (POST "
        "{base_url}/chat/completions); check it and the server's logs",
    )


def _gave_up(call: Call, retry: _Retry, attempts: int, delay: float) -> RefineError:
    if delay > MAX_RETRY_AFTER:
        return RefineError(
            f"{retry.reason}; the server asks to wait {delay:g}s",
            hint="try again later",
        )
    return RefineError(
        f"{retry.reason}; gave up after {attempts} attempts",
        hint=f"the server at {call.host} is overloaded or failing; try again later",
    )


def _reason(err: httpx.HTTPError) -> str:
    text = str(err) or type(err).__name__
    return text.split("] ", 1)[-1]  # drop "[Errno 111] " noise
