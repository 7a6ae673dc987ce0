"""No secrets out: `.env` values, secret-looking settings and key shapes are blanked."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner import make_plan, prepare, read_spec, render_markdown
from planner.config import LlmConfig
from planner.refine.apply import build_prompt, show_prompt
from planner.refine.redact import MASK, project_secrets, redact
from tests.paths import ROOT

GOLDEN = ROOT / "tests" / "golden"
CASES = sorted(p.name for p in GOLDEN.iterdir() if (p / "spec.toml").is_file())
SETTINGS = LlmConfig(base_url="http://127.0.0.1:9/v1", model="m")
# Built by concatenation so secret scanners do not flag this file.
JWT = (
    "eyJhbGciOiJIUzI1NiJ9" + ".eyJzdWIiOiIxMjM0NTY3ODkwIn0" + ".dozjgNryP4J3jVmNHl0w5N"
)


@pytest.mark.parametrize(
    "secret",
    [
        "sk-" + "proj-abcdefghijklmnop1234",
        "sk-" + "ant-api03-abcdefghijklmnopqrstu",
        "ghp_" + "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdef0123",
        "github_pat_" + "11ABCDEFG0123456789_abcdefghijk",
        "AKIA" + "IOSFODNN7EXAMPLE",
        "xoxb-" + "123456789012-abcdefghij",
        "AIza" + "SyA-abcdefghijklmnopqrstuvwxyz01234",
        "glpat-" + "abcdefghijklmnopqrst",
        JWT,
        "-----BEGIN RSA PRIVATE KEY-----\nMIIEow\nabc\n-----END RSA PRIVATE KEY-----",
    ],
)
def test_key_shapes_are_redacted_anywhere(secret: str) -> None:
    result = redact(f"see {secret} here")
    assert secret not in result.text
    assert result.text == f"see {MASK} here"
    assert result.count == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('SECRET_KEY: str = "supersecret"', f'SECRET_KEY: str = "{MASK}"'),
        ('"api_key": "abc123def456ghi"', f'"api_key": "{MASK}"'),
        ("DB_PASSWORD=hunter2hunter2", f"DB_PASSWORD={MASK}"),
        (
            "DATABASE_URL=postgresql://app:hunter2@db:5432/app",
            f"DATABASE_URL=postgresql://app:{MASK}@db:5432/app",
        ),
        (
            "url?key=0123456789abcdef0123456789abcdef01",
            f"url?key={MASK}",
        ),
    ],
)
def test_secret_assignments_lose_their_values(text: str, expected: str) -> None:
    assert redact(text).text == expected


@pytest.mark.parametrize(
    "text",
    [
        "password: SecretStr",
        'api_key_header: str = "X-API-Key"',
        "raise 401 with `WWW-Authenticate: Bearer` when a token is bad",
        "| `access_token` | `str` | yes | |",
        "ACCESS_TOKEN_EXPIRE_MINUTES = 30",
        'SESSION_COOKIE_NAME = "session"',
        "TOKEN_URL = '/auth/token'",
        "oauth2_scheme = OAuth2PasswordBearer(tokenUrl='auth/token')",
    ],
)
def test_names_types_and_words_are_kept(text: str) -> None:
    assert redact(text).text == text


@pytest.mark.parametrize("case", CASES)
def test_redaction_leaves_plans_intact(case: str, tmp_path: Path) -> None:
    spec = read_spec(GOLDEN / case / "spec.toml").spec
    text = render_markdown(make_plan(spec, request=prepare(spec, project=tmp_path)))
    assert redact(text).count == 0


def _project(tmp_path: Path) -> Path:
    (tmp_path / ".env").write_text(
        "# local settings\n"
        "export DATABASE_URL='postgresql://app:s3cr3t-pw@localhost/app'\n"
        "STRIPE_KEY=rk_live_abcdefghijkl\n"
        "DEBUG=true\nPORT=8000\nAPP_NAME=items\n"
        'SIGNING_SALT="pepper-and-salt"  \n',
        encoding="utf-8",
    )
    (tmp_path / ".env.production").write_text(
        "SENTRY_DSN=https://abc123@o1.ingest.sentry.io/9\n", encoding="utf-8"
    )
    app = tmp_path / "app"
    app.mkdir()
    (app / "config.py").write_text(
        "from pydantic_settings import BaseSettings\n\n"
        "class Settings(BaseSettings):\n"
        '    secret_key: str = "dev-secret-change-me"\n'
        '    jwt_private_key: str = Field(default="very-private-1234")\n'
        '    token_url: str = "/auth/token"\n'
        '    title: str = "Items API"\n\n'
        'ADMIN_PASSWORD = os.getenv("ADMIN_PASSWORD", "admin-pw-42")\n',
        encoding="utf-8",
    )
    (tmp_path / "deploy").mkdir()
    (tmp_path / "deploy" / ".env.staging").write_text(
        "REDIS_URL=redis://:r3dis-pass@cache:6379/0\n", encoding="utf-8"
    )
    venv = tmp_path / ".venv" / "lib"
    venv.mkdir(parents=True)
    (venv / "site.py").write_text('SECRET_KEY = "in-a-venv-0000"\n', encoding="utf-8")
    return tmp_path


def test_project_secrets_come_from_env_files_and_settings(tmp_path: Path) -> None:
    found = set(project_secrets(_project(tmp_path)))
    assert {
        "postgresql://app:s3cr3t-pw@localhost/app",
        "rk_live_abcdefghijkl",
        "pepper-and-salt",
        "https://abc123@o1.ingest.sentry.io/9",
        "dev-secret-change-me",
        "very-private-1234",
        "admin-pw-42",
        "redis://:r3dis-pass@cache:6379/0",
    } <= found
    assert not found & {"true", "8000", "items", "/auth/token", "Items API"}
    assert "in-a-venv-0000" not in found  # virtualenvs are not the project


def test_prompt_carries_no_project_secret(tmp_path: Path) -> None:
    project = _project(tmp_path)
    context = project / ".claude" / "tasks" / "session_context_items-crud.md"
    context.parent.mkdir(parents=True)
    context.write_text(
        "We use STRIPE_KEY=rk_live_abcdefghijkl and the admin password admin-pw-42.\n"
        f"Example header: Authorization: Bearer {JWT}\n",
        encoding="utf-8",
    )
    spec = read_spec(GOLDEN / "crud-items" / "spec.toml").spec
    plan = make_plan(spec, request=prepare(spec, project=project))
    assert any("admin-pw-42" in line for line in plan.context)
    prompt = build_prompt(plan, spec=spec, settings=SETTINGS, project=project)
    sent = show_prompt(prompt, settings=SETTINGS)
    for secret in ("rk_live_abcdefghijkl", "admin-pw-42", JWT[:30]):
        assert secret not in sent
    assert prompt.redactions >= 4
    assert f"values redacted: {prompt.redactions}" in sent
    assert "the admin password [REDACTED]" in sent


def test_settings_modules_are_read_first_in_big_projects(tmp_path: Path) -> None:
    many = tmp_path / "app" / "a_models"
    many.mkdir(parents=True)
    for i in range(450):
        (many / f"m{i:03}.py").write_text("x = 1\n", encoding="utf-8")
    (tmp_path / "zz_core").mkdir()
    (tmp_path / "zz_core" / "settings.py").write_text(
        'SECRET_KEY = "late-but-found-123"\n', encoding="utf-8"
    )
    assert "late-but-found-123" in project_secrets(tmp_path)
