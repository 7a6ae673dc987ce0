"""A misbehaving model server: bounded in time and size; the plan always stands."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from tests.hardening.helpers import ITEMS_SPEC, cli, make_project, one_error_line
from tests.hardening.model_server import (
    Behaviour,
    answer_body,
    endless_stream,
    model_server,
    raw,
    redirect,
    trickle,
)

PLAN = Path(".claude/docs/items-crud.md")


def configured(root: Path, base_url: str, *, extra: str = "") -> Path:
    project = make_project(
        root,
        pyproject=f'[tool.planner.llm]\nbase_url = "{base_url}"\nmodel = "m"\n'
        f"timeout = 1\n{extra}",
    )
    (project / "items.toml").write_text(ITEMS_SPEC, encoding="utf-8")
    return project


def refine_new(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    project: Path,
    *extra: str,
) -> tuple[int, str]:
    ran = cli(capsys, monkeypatch, project, "new", "crud-resource", "--spec",
              "items.toml", "--no-input", "--refine", *extra)  # fmt: skip
    return ran.code, ran.err


@pytest.mark.parametrize(
    ("behaviour", "stream", "says"),
    [
        (trickle, False, "within 1s"),
        (endless_stream, True, "over 2,000,000 bytes"),
        (redirect, False, "does not follow redirects"),
        (raw(b'{"choices": ' + b"[" * 100_000 + b"]" * 100_000 + b"}"), False,
         "nests too deeply"),
    ],
)  # fmt: skip
def test_a_misbehaving_server_is_cut_off_and_the_plan_stands(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    behaviour: Behaviour,
    stream: bool,
    says: str,
) -> None:
    with model_server(behaviour) as base_url:
        project = configured(tmp_path / "p", base_url)
        started = time.monotonic()
        flags = ["--strict", *(["--stream"] if stream else [])]
        code, err = refine_new(capsys, monkeypatch, project, *flags)
    assert time.monotonic() - started < 15
    assert code == 3
    assert says in err
    assert "max_tokens" not in err  # a redirect is not a settings problem
    assert "Traceback" not in err
    assert (project / PLAN).is_file()  # the deterministic plan stands


def test_lone_surrogates_in_an_answer_never_stop_the_plan(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    body = answer_body("Use an index.").replace(b"index", b"index \\ud800 here")
    with model_server(raw(body)) as base_url:
        project = configured(tmp_path / "p", base_url)
        code, err = refine_new(capsys, monkeypatch, project)
    assert code == 0, err
    plan = (project / PLAN).read_text(encoding="utf-8")
    assert "index \ufffd here" in plan


def test_a_newline_in_base_url_is_refused_in_one_line(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    project = configured(tmp_path / "p", "http://127.0.0.1:9/v1\\nHost: evil")
    code, err = refine_new(capsys, monkeypatch, project, "--strict")
    assert code in (2, 3)
    assert "newline" in one_error_line(err)


def test_a_project_cannot_pick_the_key_variable(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "aws-secret-value-123")
    seen: list[str] = []

    def record(handler: object) -> None:
        seen.append(str(getattr(handler, "headers", "")))
        raw(answer_body("Add an index."))(handler)  # type: ignore[arg-type]

    with model_server(record) as base_url:
        project = configured(
            tmp_path / "p", base_url, extra='api_key_env = "AWS_SECRET_ACCESS_KEY"\n'
        )
        code, err = refine_new(capsys, monkeypatch, project, "--strict")
    assert code == 3
    assert "cannot choose which of your environment variables" in err
    assert seen == []
    assert (project / PLAN).is_file()


def test_the_key_goes_only_to_hosts_the_user_trusts(tmp_path: Path) -> None:
    from planner.errors import RefineError
    from planner.refine.trust import Trust

    trust = Trust()
    with pytest.raises(RefineError, match="not trusted"):
        trust.check_endpoint("https://attacker.example/v1", sends_key=True, key_env="K")
    trust.check_endpoint("https://attacker.example/v1", sends_key=False, key_env="K")
    Trust(trusted_hosts=frozenset({"api.example"})).check_endpoint(
        "https://api.example/v1", sends_key=True, key_env="K"
    )
    Trust().check_endpoint("http://localhost:11434/v1", sends_key=True, key_env="K")
    with pytest.raises(RefineError, match="plain http"):
        trust.check_endpoint("http://llm.lan/v1", sends_key=False, key_env="K")
    Trust(allow_http=True).check_endpoint(
        "http://llm.lan/v1", sends_key=False, key_env="K"
    )


def test_user_level_config_names_the_variable_and_hosts(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from planner.refine.trust import Trust

    config = tmp_path / "user.toml"
    config.write_text(
        '[llm]\napi_key_env = "MY_KEY"\ntrusted_hosts = ["API.example"]\n'
    )
    trust = Trust.load({"PLANNER_CONFIG": str(config)}, hosts=["b.example"])
    assert trust.key_env("PLANNER_LLM_API_KEY") == "MY_KEY"
    assert trust.key_env("MY_KEY") == "MY_KEY"
    assert trust.trusted_hosts == {"api.example", "b.example"}
