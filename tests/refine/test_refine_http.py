"""The model call, through httpx.MockTransport: requests, retries, errors, cache."""

from __future__ import annotations

import email.utils
import json
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import pytest

from planner import make_plan, prepare, read_spec
from planner.config import LlmConfig
from planner.errors import RefineError
from planner.plan import Plan
from planner.refine.apply import Prompt, build_prompt, endpoint_of, refine_plan
from planner.refine.cache import cache_path
from planner.refine.trust import Trust
from tests.paths import ROOT

SPEC = ROOT / "tests" / "golden" / "crud-items" / "spec.toml"
SECTION = "## Refinements and open-question answers\n\n### Open questions\n\n- Yes.\n"
Handler = Callable[[httpx.Request], httpx.Response]
KEY_ENV = "PLANNER_TEST_KEY"
HOST = "llm.example.test"


def ok(content: str = SECTION, finish: str = "stop") -> httpx.Response:
    message = {"role": "assistant", "content": content}
    return httpx.Response(
        200, json={"choices": [{"message": message, "finish_reason": finish}]}
    )


def fail(status: int, message: str = "nope", **headers: str) -> httpx.Response:
    return httpx.Response(status, json={"error": {"message": message}}, headers=headers)


class Calls:
    """A scripted MockTransport handler that records requests."""

    def __init__(self, *replies: httpx.Response | Exception) -> None:
        self.replies = list(replies)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        reply = self.replies.pop(0)
        if isinstance(reply, Exception):
            raise reply
        return reply


@pytest.fixture
def setup(tmp_path: Path) -> tuple[Plan, Prompt, LlmConfig]:
    spec = read_spec(SPEC).spec
    plan = make_plan(spec, request=prepare(spec, project=tmp_path))
    settings = LlmConfig(
        base_url="https://llm.example.test/v1/",
        model="test-model",
        api_key_env=KEY_ENV,
        timeout=5,
        max_tokens=1234,
        temperature=0.2,
    )
    return (
        plan,
        build_prompt(plan, spec=spec, settings=settings, project=tmp_path),
        settings,
    )


def run(
    setup: tuple[Plan, Prompt, LlmConfig],
    calls: Calls,
    *,
    project: Path | None = None,
    environ: dict[str, str] | None = None,
    sleeps: list[float] | None = None,
    stream: bool = False,
) -> Plan:
    plan, prompt, settings = setup
    with httpx.Client(transport=httpx.MockTransport(calls)) as client:
        return refine_plan(
            plan,
            client=client,
            prompt=prompt,
            settings=settings,
            project=project,
            stream=stream,
            environ={} if environ is None else environ,
            sleep=(sleeps if sleeps is not None else []).append,
            # The user chose the variable and trusts the host (docs/security.md).
            trust=Trust(api_key_env=KEY_ENV, trusted_hosts=frozenset({HOST})),
        )


def test_request_is_an_openai_chat_completion(
    setup: tuple[Plan, Prompt, LlmConfig],
) -> None:
    calls = Calls(ok())
    refined = run(setup, calls, environ={KEY_ENV: "k-123"})
    (request,) = calls.requests
    assert request.method == "POST"
    assert str(request.url) == "https://llm.example.test/v1/chat/completions"
    assert request.headers["authorization"] == "Bearer k-123"
    body = json.loads(request.content)
    assert body["model"] == "test-model"
    assert (body["temperature"], body["max_tokens"]) == (0.2, 1234)
    assert [m["role"] for m in body["messages"]] == ["system", "user"]
    assert "----- BEGIN PLAN" in body["messages"][1]["content"]
    assert "stream" not in body
    assert refined.refinement == "### Open questions\n\n- Yes."
    assert refined.provenance.refined_host == "llm.example.test"
    assert refined.provenance.prompt_sha256 == setup[1].sha256


def test_no_key_means_no_authorization_header(
    setup: tuple[Plan, Prompt, LlmConfig],
) -> None:
    calls = Calls(ok())
    run(setup, calls, environ={})
    assert "authorization" not in calls.requests[0].headers


def test_429_waits_as_retry_after_says(setup: tuple[Plan, Prompt, LlmConfig]) -> None:
    calls = Calls(fail(429, "slow down", **{"Retry-After": "3"}), ok())
    sleeps: list[float] = []
    run(setup, calls, sleeps=sleeps)
    assert sleeps == [3.0]
    assert len(calls.requests) == 2


def test_retry_after_may_be_an_http_date(setup: tuple[Plan, Prompt, LlmConfig]) -> None:
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    calls = Calls(fail(503, **{"Retry-After": when}), ok())
    sleeps: list[float] = []
    run(setup, calls, sleeps=sleeps)
    assert len(sleeps) == 1 and 25 <= sleeps[0] <= 31


def test_5xx_backs_off_exponentially_then_gives_up(
    setup: tuple[Plan, Prompt, LlmConfig],
) -> None:
    calls = Calls(*(fail(500, "boom") for _ in range(4)))
    sleeps: list[float] = []
    with pytest.raises(RefineError, match="HTTP 500: boom; gave up after 4 attempts"):
        run(setup, calls, sleeps=sleeps)
    assert sleeps == [1.0, 2.0, 4.0]


def test_a_very_long_retry_after_is_not_waited_for(
    setup: tuple[Plan, Prompt, LlmConfig],
) -> None:
    calls = Calls(fail(429, **{"Retry-After": "3600"}))
    sleeps: list[float] = []
    with pytest.raises(RefineError, match="asks to wait 3600s") as exc:
        run(setup, calls, sleeps=sleeps)
    assert sleeps == [] and exc.value.hint == "try again later"


@pytest.mark.parametrize(
    ("environ", "hint"),
    [
        ({}, f"no key was sent: set ${KEY_ENV}"),
        ({KEY_ENV: "bad"}, f"the key in ${KEY_ENV} was refused"),
    ],
)
def test_401_names_the_key_variable(
    setup: tuple[Plan, Prompt, LlmConfig], environ: dict[str, str], hint: str
) -> None:
    calls = Calls(fail(401, "Incorrect API key provided: bad"))
    with pytest.raises(RefineError, match="refused the request: HTTP 401") as exc:
        run(setup, calls, environ=environ)
    assert exc.value.hint is not None and exc.value.hint.startswith(hint)
    assert len(calls.requests) == 1  # never retried


def test_server_messages_never_echo_the_key(
    setup: tuple[Plan, Prompt, LlmConfig],
) -> None:
    key = "sk-" + "live-abcdefghijklmnopqrstu"
    calls = Calls(fail(403, f"key {key} is disabled; also xyz-{key[-6:]}"))
    with pytest.raises(RefineError) as exc:
        run(setup, calls, environ={KEY_ENV: key})
    assert key not in str(exc.value)


def test_404_points_at_model_and_base_url(
    setup: tuple[Plan, Prompt, LlmConfig],
) -> None:
    calls = Calls(fail(404, "model 'test-model' not found"))
    with pytest.raises(RefineError, match="model 'test-model' or URL") as exc:
        run(setup, calls)
    assert "not found: HTTP 404: model 'test-model' not found" in exc.value.message
    assert exc.value.hint is not None and "/v1" in exc.value.hint


def test_other_4xx_is_a_rejected_request(setup: tuple[Plan, Prompt, LlmConfig]) -> None:
    with pytest.raises(RefineError, match="rejected the request: HTTP 400: bad max"):
        run(setup, Calls(fail(400, "bad max_tokens")))


@pytest.mark.parametrize(
    ("reply", "why"),
    [
        (httpx.Response(200, text="<html>proxy login</html>"), "it is not JSON"),
        (httpx.Response(200, json={"choices": []}), "it has no choices"),
        (
            httpx.Response(200, json={"choices": [{"message": {}}]}),
            r"choices\[0\]\.message\.content is missing",
        ),
        (httpx.Response(200, json=["not", "an", "object"]), "it has no choices"),
    ],
)
def test_malformed_answers_are_refine_errors(
    setup: tuple[Plan, Prompt, LlmConfig], reply: httpx.Response, why: str
) -> None:
    with pytest.raises(RefineError, match="is not a chat completion: " + why):
        run(setup, Calls(reply))


@pytest.mark.parametrize(
    ("error", "message"),
    [
        (httpx.ReadTimeout("timed out"), "no answer from llm.example.test within 5s"),
        (
            httpx.ConnectTimeout("timed out"),
            "no answer from llm.example.test within 5s",
        ),
        (httpx.ConnectError("[Errno 111] Connection refused"), "cannot connect to"),
        (
            httpx.RemoteProtocolError("peer closed"),
            "request to llm.example.test failed",
        ),
    ],
)
def test_transport_failures_are_refine_errors(
    setup: tuple[Plan, Prompt, LlmConfig], error: Exception, message: str
) -> None:
    with pytest.raises(RefineError, match=message) as exc:
        run(setup, Calls(error))
    assert isinstance(exc.value.__cause__, httpx.HTTPError)


def test_streamed_answer_is_joined(setup: tuple[Plan, Prompt, LlmConfig]) -> None:
    pieces = [
        "## Refinements and open-question answers\n\n",
        "### Open",
        " questions\n",
    ]
    events: list[object] = [{"choices": [{"delta": {"content": p}}]} for p in pieces]
    events.append({"choices": [{"delta": {}, "finish_reason": "stop"}]})
    body = "".join(f"data: {json.dumps(e)}\n\n" for e in events) + "data: [DONE]\n\n"
    reply = httpx.Response(
        200,
        text=": keep-alive\n\n" + body,
        headers={"content-type": "text/event-stream"},
    )
    calls = Calls(reply)
    refined = run(setup, calls, stream=True)
    assert json.loads(calls.requests[0].content)["stream"] is True
    assert calls.requests[0].headers["accept"] == "text/event-stream"
    assert refined.refinement == "### Open questions"


def test_a_stream_cut_short_is_an_error(setup: tuple[Plan, Prompt, LlmConfig]) -> None:
    chunk = {"choices": [{"delta": {"content": "## Refinements"}}]}
    reply = httpx.Response(
        200,
        text=f"data: {json.dumps(chunk)}\n\n",
        headers={"content-type": "text/event-stream"},
    )
    with pytest.raises(RefineError, match="stream ended before the answer"):
        run(setup, Calls(reply), stream=True)


def test_cut_off_answer_is_rejected(setup: tuple[Plan, Prompt, LlmConfig]) -> None:
    with pytest.raises(RefineError, match="cut off at max_tokens"):
        run(setup, Calls(ok(finish="length")))


def test_answers_are_cached_and_reused_without_a_request(
    setup: tuple[Plan, Prompt, LlmConfig], tmp_path: Path
) -> None:
    first = run(setup, Calls(ok()), project=tmp_path)
    entry = json.loads(
        cache_path(tmp_path, setup[1].sha256).read_text(encoding="utf-8")
    )
    assert entry["answer"] == SECTION and entry["host"] == "llm.example.test"
    assert "messages" not in entry  # the cache holds answers, not prompts
    again = Calls()
    assert run(setup, again, project=tmp_path) == first
    assert again.requests == []


def test_rejected_answers_are_not_cached(
    setup: tuple[Plan, Prompt, LlmConfig], tmp_path: Path
) -> None:
    with pytest.raises(RefineError):
        run(setup, Calls(ok("")), project=tmp_path)
    assert not cache_path(tmp_path, setup[1].sha256).exists()


@pytest.mark.parametrize(
    ("base_url", "model", "message"),
    [
        (None, "m", "base_url not set"),
        ("http://h/v1", None, "model not set"),
        ("ftp://h/v1", "m", "is not an http(s) URL"),
        ("http://user:pw@h/v1", "m", "must not hold credentials"),
        ("http://h/v1?key=1", "m", "must not hold credentials"),
    ],
)
def test_bad_settings_are_refused_before_any_request(
    base_url: str | None, model: str | None, message: str
) -> None:
    settings = LlmConfig(base_url=base_url, model=model)
    with pytest.raises(
        RefineError, match=message.replace("(", r"\(").replace(")", r"\)")
    ):
        endpoint_of(settings)


def test_endpoint_host_keeps_port_and_drops_path() -> None:
    target = endpoint_of(LlmConfig(base_url="http://[::1]:8080/api/v1", model="m"))
    assert (target.host, target.url) == (
        "[::1]:8080",
        "http://[::1]:8080/api/v1/chat/completions",
    )
