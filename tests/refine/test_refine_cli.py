"""`new --refine` and `refine` end to end, against a real server on 127.0.0.1."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from planner import make_plan, prepare, read_spec
from planner.cli.main import main
from planner.config import load_config
from planner.refine.apply import build_prompt, reapply_cached, refine_plan
from planner.refine.cache import cache_path
from planner.render.markdown import render_markdown
from tests.llm_server import LlmServer, Reply, completion, error, streamed
from tests.paths import ROOT

ITEMS = ROOT / "examples" / "crud-items.toml"
SECTION = (
    "## Refinements and open-question answers\n\n"
    "### Open questions\n\n- Sign-in: reuse the existing `get_current_user`.\n"
)
MARK = "\n## Refinements (LLM: test-model, not deterministic)\n"
PROXY_VARS = ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy")


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """No key, no proxy: tests reach nothing but loopback."""
    monkeypatch.delenv("PLANNER_LLM_API_KEY", raising=False)
    for name in PROXY_VARS:
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")


def configure(project: Path, base_url: str, *, timeout: float = 5.0) -> Path:
    (project / "pyproject.toml").write_text(
        "[tool.planner.llm]\n"
        f'base_url = "{base_url}"\n'
        'model = "test-model"\n'
        f"timeout = {timeout}\n",
        encoding="utf-8",
    )
    return project


@pytest.fixture
def server(request: pytest.FixtureRequest) -> Iterator[LlmServer]:
    replies: list[Reply] = list(getattr(request, "param", []))
    with LlmServer(replies) as running:
        yield running


def new(
    capsys: pytest.CaptureFixture[str], project: Path, *flags: str
) -> tuple[int, str, str]:
    argv = ["new", "crud-resource", "--spec", str(ITEMS), "--no-input"]
    code = main([*argv, "--project", str(project), *flags])
    out, err = capsys.readouterr()
    return code, out, err


def plan_path(project: Path) -> Path:
    return project / ".claude" / "docs" / "items-crud.md"


def deterministic(capsys: pytest.CaptureFixture[str], project: Path) -> str:
    code, out, _ = new(capsys, project, "--out", "-")
    assert code == 0
    return out


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


@pytest.mark.parametrize("server", [[completion(SECTION)]], indirect=True)
def test_good_answer_is_added_marked_and_cached(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, server: LlmServer
) -> None:
    project = configure(tmp_path, server.base_url)
    plain = deterministic(capsys, project)
    code, out, err = new(capsys, project, "--refine")
    assert (code, err) == (0, "")
    assert out.splitlines()[-1] == plan_path(project).as_posix()
    text = plan_path(project).read_text(encoding="utf-8")
    assert text.split("\n", 1)[1].startswith(plain.split("\n", 1)[1].rstrip("\n"))
    assert MARK in text and text.endswith("reuse the existing `get_current_user`.\n")
    assert f"refined by test-model at {server.base_url[7:-3]} | prompt sha256:" in text
    (seen,) = server.seen
    assert seen.path == "/v1/chat/completions"
    assert seen.body["model"] == "test-model" and seen.body["temperature"] == 0.0
    assert "authorization" not in seen.headers
    caches = list((project / ".planner" / "cache").glob("*.json"))
    assert len(caches) == 1 and caches[0].stem in text


@pytest.mark.parametrize("server", [[completion(SECTION)]], indirect=True)
def test_reruns_use_the_cache_and_make_no_request(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, server: LlmServer
) -> None:
    project = configure(tmp_path, server.base_url)
    assert new(capsys, project, "--refine")[0] == 0
    first = plan_path(project).read_bytes()
    assert new(capsys, project, "--refine", "--force")[0] == 0
    assert len(server.seen) == 1
    # The prompt hash does not cover the endpoint: another server (say, CI's)
    # gets no request, and the plan still names the host that answered.
    with LlmServer([]) as idle:
        configure(project, idle.base_url)
        code, _, err = new(capsys, project, "--refine", "--force")
        assert idle.seen == []
    assert code == 0 and "using the cached answer .planner/cache/" in err
    assert plan_path(project).read_bytes() == first


@pytest.mark.parametrize("server", [[completion(SECTION)]], indirect=True)
def test_refine_command_gives_the_same_bytes_as_new_refine(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, server: LlmServer
) -> None:
    project = configure(tmp_path, server.base_url)
    assert new(capsys, project)[0] == 0
    path = plan_path(project)
    code = main(["refine", str(path), "--project", str(project), "--spec", str(ITEMS)])
    out, err = capsys.readouterr()
    assert (code, err, out) == (0, "", path.as_posix() + "\n")
    refined = path.read_bytes()
    assert MARK.encode() in refined
    assert new(capsys, project, "--refine", "--force")[0] == 0  # from the cache
    assert path.read_bytes() == refined
    # Refining a refined plan again is a no-op from the cache.
    assert (
        main(["refine", str(path), "--project", str(project), "--spec", str(ITEMS)])
        == 0
    )
    assert path.read_bytes() == refined
    assert len(server.seen) == 1


@pytest.mark.parametrize("server", [[completion(SECTION)]], indirect=True)
def test_check_can_reapply_the_cached_refinement_offline(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, server: LlmServer
) -> None:
    project = configure(tmp_path, server.base_url)
    spec = read_spec(ITEMS).spec
    plan = make_plan(spec, request=prepare(spec, project=project))
    assert reapply_cached(plan, spec=spec, project=project) is None
    assert new(capsys, project, "--refine")[0] == 0
    again = reapply_cached(plan, spec=spec, project=project)
    assert again is not None
    assert render_markdown(again) == plan_path(project).read_text(encoding="utf-8")
    assert len(server.seen) == 1


def test_refine_finds_the_spec_in_specs_dir(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with LlmServer([completion(SECTION)]) as server:
        project = configure(tmp_path, server.base_url)
        assert new(capsys, project)[0] == 0
        specs = project / ".planner" / "specs"
        specs.mkdir(parents=True, exist_ok=True)
        (specs / "items-crud.toml").write_bytes(ITEMS.read_bytes())
        assert main(["refine", str(plan_path(project)), "--project", str(project)]) == 0
    assert MARK in plan_path(project).read_text(encoding="utf-8")


def _dropping_answer(plain: str) -> str:
    return plain.replace("## API contract\n", "") + "\n" + SECTION


@pytest.mark.parametrize("strict", [False, True])
def test_answer_dropping_a_section_keeps_the_deterministic_plan(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, strict: bool
) -> None:
    with LlmServer([]) as server:
        project = configure(tmp_path, server.base_url)
        plain = deterministic(capsys, project)
        server.replies.append(completion(_dropping_answer(plain)))
        flags = ["--refine", "--strict"] if strict else ["--refine"]
        code, out, err = new(capsys, project, *flags)
    assert code == (3 if strict else 0)
    assert plan_path(project).read_text(encoding="utf-8") == plain
    assert out.splitlines()[-1] == plan_path(project).as_posix()
    label = "error" if strict else "refinement skipped"
    assert err.startswith(f"{label}: the model's answer was rejected: ")
    assert "dropped section 'API contract'" in err
    assert err.endswith("the deterministic plan stands\n")
    assert not (project / ".planner" / "cache").exists()


def test_429_then_success(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    replies = [error(429, "rate limited", retry_after="0"), completion(SECTION)]
    with LlmServer(replies) as server:
        project = configure(tmp_path, server.base_url)
        code, _, err = new(capsys, project, "--refine")
    assert code == 0 and len(server.seen) == 2
    assert "HTTP 429: rate limited; retrying in 0s (attempt 2 of 4)" in err
    assert MARK in plan_path(project).read_text(encoding="utf-8")


def test_retry_after_is_honoured_through_the_injected_sleep(tmp_path: Path) -> None:
    replies = [error(429, "wait", retry_after="2"), completion(SECTION)]
    with LlmServer(replies) as server, httpx.Client() as client:
        project = configure(tmp_path, server.base_url)
        settings = load_config(project).llm
        spec = read_spec(ITEMS).spec
        plan = make_plan(spec, request=prepare(spec, project=project))
        prompt = build_prompt(plan, spec=spec, settings=settings, project=project)
        sleeps: list[float] = []
        refined = refine_plan(
            plan,
            client=client,
            prompt=prompt,
            settings=settings,
            project=project,
            environ={},
            sleep=sleeps.append,
        )
    assert sleeps == [2.0] and len(server.seen) == 2
    assert refined.refinement is not None
    assert cache_path(project, prompt.sha256).is_file()


def test_500s_exhaust_the_retries(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    replies = [error(500, "boom", retry_after="0") for _ in range(4)]
    with LlmServer(replies) as server:
        project = configure(tmp_path, server.base_url)
        plain = deterministic(capsys, project)
        code, _, err = new(capsys, project, "--refine")
    assert code == 0 and len(server.seen) == 4
    assert "HTTP 500: boom; gave up after 4 attempts" in err
    assert plan_path(project).read_text(encoding="utf-8") == plain


@pytest.mark.parametrize("strict", [False, True])
def test_slow_answer_past_the_timeout(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, strict: bool
) -> None:
    with LlmServer([Reply(delay=10, body=b"{}")]) as server:
        project = configure(tmp_path, server.base_url, timeout=0.5)
        started = time.monotonic()
        flags = ["--refine", "--strict"] if strict else ["--refine"]
        code, _, err = new(capsys, project, *flags)
        elapsed = time.monotonic() - started
    assert code == (3 if strict else 0)
    assert elapsed < 5
    host = server.base_url[7:-3]
    assert f"no answer from {host} within 0.5s (ReadTimeout)" in err
    assert "hint: raise timeout in [tool.planner.llm]" in err
    assert plan_path(project).is_file()


@pytest.mark.parametrize(
    ("reply", "message"),
    [
        (Reply(body=b"{not json"), "is not a chat completion: it is not JSON"),
        (
            Reply(body=b'{"object": "list"}'),
            "is not a chat completion: it has no choices",
        ),
        (completion(""), "the answer is empty"),
    ],
)
def test_malformed_answers_keep_the_plan(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, reply: Reply, message: str
) -> None:
    with LlmServer([reply]) as server:
        project = configure(tmp_path, server.base_url)
        code, _, err = new(capsys, project, "--refine")
    assert code == 0 and message in err
    assert MARK not in plan_path(project).read_text(encoding="utf-8")


def test_streamed_answer(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    pieces = [SECTION[:20], SECTION[20:50], SECTION[50:]]
    with LlmServer([streamed(pieces)]) as server:
        project = configure(tmp_path, server.base_url)
        code, _, err = new(capsys, project, "--refine", "--stream")
    assert (code, err) == (0, "")
    assert server.seen[0].body["stream"] is True
    assert (
        plan_path(project)
        .read_text(encoding="utf-8")
        .endswith("reuse the existing `get_current_user`.\n")
    )


def test_401_names_the_key_variable(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with LlmServer([error(401, "missing key")]) as server:
        project = configure(tmp_path, server.base_url)
        code, _, err = new(capsys, project, "--refine", "--strict")
    assert code == 3
    assert "refused the request: HTTP 401: missing key" in err
    assert "hint: no key was sent: set $PLANNER_LLM_API_KEY" in err


def test_the_key_comes_from_the_environment_only(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLANNER_LLM_API_KEY", "local-key-1")
    with LlmServer([completion(SECTION)]) as server:
        project = configure(tmp_path, server.base_url)
        assert new(capsys, project, "--refine")[0] == 0
    assert server.seen[0].headers["authorization"] == "Bearer local-key-1"
    for path in project.rglob("*"):
        if path.is_file():
            assert b"local-key-1" not in path.read_bytes(), path


def test_404_unknown_model(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with LlmServer([error(404, "model 'test-model' not found")]) as server:
        project = configure(tmp_path, server.base_url)
        code, _, err = new(capsys, project, "--refine")
    assert code == 0
    assert "model 'test-model' or URL" in err and "ollama list" in err


def test_connection_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    port = closed_port()
    project = configure(tmp_path, f"http://127.0.0.1:{port}/v1")
    code, _, err = new(capsys, project, "--refine", "--strict")
    assert code == 3
    assert f"cannot connect to 127.0.0.1:{port}" in err
    assert "hint: is the model server running?" in err


def test_no_model_configured(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = new(capsys, tmp_path, "--refine")
    assert code == 0
    assert (
        "refinement skipped: no model is configured (base_url and model not set)" in err
    )
    assert plan_path(tmp_path).is_file()


def test_show_prompt_sends_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with LlmServer([]) as server:
        project = configure(tmp_path, server.base_url)
        code, out, err = new(capsys, project, "--refine", "--show-prompt")
    assert (code, err, server.seen) == (0, "", [])
    assert out.startswith(
        f"# planner would POST this to {server.base_url}/chat/completions; "
        "nothing was sent\n"
    )
    assert "===== system =====" in out and "----- BEGIN PLAN" in out
    assert not (project / ".claude").exists()
    assert not (project / ".planner" / "cache").exists()


def test_refine_refuses_a_stale_plan(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    with LlmServer([]) as server:
        project = configure(tmp_path, server.base_url)
        assert new(capsys, project)[0] == 0
        path = plan_path(project)
        path.write_text(path.read_text(encoding="utf-8") + "edited\n", encoding="utf-8")
        code = main(
            ["refine", str(path), "--project", str(project), "--spec", str(ITEMS)]
        )
    assert code == 3 and server.seen == []
    err = capsys.readouterr().err
    assert "is not the plan its spec gives now (stale or edited)" in err
    assert "hint: regenerate it: planner new crud-resource" in err


def test_refine_without_a_spec_says_how_to_pass_one(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert new(capsys, tmp_path)[0] == 0
    kept = tmp_path / ".planner" / "specs" / "items-crud.toml"
    kept.unlink(missing_ok=True)  # `new --spec` may keep a copy there
    code = main(["refine", str(plan_path(tmp_path)), "--project", str(tmp_path)])
    assert code == 2
    assert "hint: pass --spec FILE" in capsys.readouterr().err


def test_ctrl_c_while_waiting_writes_nothing(tmp_path: Path) -> None:
    with LlmServer([Reply(delay=30, body=b"{}")]) as server:
        project = configure(tmp_path, server.base_url, timeout=60)
        env = {k: v for k, v in os.environ.items() if k not in PROXY_VARS}
        env.pop("PLANNER_LLM_API_KEY", None)
        proc = subprocess.Popen(
            [sys.executable, "-m", "planner", "new", "crud-resource", "--spec",
             str(ITEMS), "--no-input", "--project", str(project), "--refine"],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while not server.seen and time.monotonic() < deadline:
            time.sleep(0.05)
        assert server.seen, "the request never arrived"
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "interrupted; nothing was written" in err
    assert out == ""
    assert not (project / ".claude").exists()
    assert not (project / ".planner" / "cache").exists()
    assert json.loads(json.dumps(server.seen[0].body))["model"] == "test-model"


@pytest.mark.parametrize("server", [[completion(SECTION)]], indirect=True)
def test_refine_show_prompt_leaves_the_plan_alone(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, server: LlmServer
) -> None:
    project = configure(tmp_path, server.base_url)
    assert new(capsys, project)[0] == 0
    path = plan_path(project)
    before = path.read_bytes()
    argv = ["refine", str(path), "--project", str(project), "--spec", str(ITEMS)]
    assert main([*argv, "--show-prompt"]) == 0
    out = capsys.readouterr().out
    assert "# prompt sha256: " in out and "----- BEGIN SPEC (JSON) -----" in out
    assert path.read_bytes() == before and server.seen == []


@pytest.mark.parametrize("server", [[completion(SECTION)]], indirect=True)
def test_json_plans_carry_the_refinement(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, server: LlmServer
) -> None:
    project = configure(tmp_path, server.base_url)
    code, out, _ = new(capsys, project, "--refine", "--format", "json", "--out", "-")
    assert code == 0
    data = json.loads(out)
    assert data["refinement"].startswith("### Open questions")
    assert data["provenance"]["refined_model"] == "test-model"


def test_refine_help_shows_examples_and_options(
    capsys: pytest.CaptureFixture[str],
) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["refine", "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    for text in ("examples:", "--strict", "--show-prompt", "--stream", "--no-cache"):
        assert text in out
    with pytest.raises(SystemExit):
        main(["new", "--help"])
    assert "--refine" in capsys.readouterr().out
