"""`python -m planner new` in a real pseudo-terminal, driven key by key (pexpect)."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

import pytest

from planner.spec import AuthSpec, CrudResourceSpec, EndpointSpec, PaginationSpec
from planner.specfile import read_spec
from tests.paths import ROOT

pexpect = pytest.importorskip("pexpect")

pytestmark = [
    pytest.mark.tui,
    pytest.mark.skipif(sys.platform == "win32", reason="pexpect.spawn needs a pty"),
]

ANSI = re.compile(r"\x1b(\[[0-9;?]*[ -/]*[@-~]|[()][0-9A-Za-z]|[=>])")


class Keys(StrEnum):
    """What a key press sends to the terminal."""

    ENTER = "\r"
    DOWN = "\x1b[B"
    UP = "\x1b[A"
    SPACE = " "
    BACKSPACE = "\x7f"
    CTRL_C = "\x03"
    CTRL_D = "\x04"


Step = tuple[str, str]  # (text of the prompt to wait for, keys to send)
E = Keys.ENTER

RUNS: dict[str, list[Step]] = {
    "crud-resource": [
        ("Plan name", E),
        ("Resource name", f"item{E}"),
        ("Plural name", E),
        ("One-line description", E),
        ("Primary key id", E),
        ("Field 1 name", f"title{E}"),
        ("Field 1 type", E),
        ("Field 1 required?", E),
        ("Field 1 unique?", E),
        ("Field 1 max length", f"200{E}"),
        ("Field 1 default for new rows", E),
        ("Add another field?", "y"),
        ("Field 2 name", f"due{E}"),
        ("Field 2 type", Keys.DOWN * 6 + E),  # date
        ("Field 2 required?", "n"),
        ("Field 2 unique?", E),
        ("Add another field?", E),
        ("Operations", E),
        ("Update with", E),
        ("Require a signed-in user?", E),
        ("Do rows belong", E),
        ("Required scopes", E),
        ("Does an operation need scopes of its own?", E),
        ("Required roles", E),
        ("Add created_at", E),
        ("Filter the list", E),
        ("Paginate the list with", E),
        ("Default page size", E),
        ("Maximum page size", E),
        ("Sort by", E),
        ("Include the total count?", E),
        ("Links to other pages", E),
        ("What next?", E),
    ],
    "endpoint": [
        ("Plan name", E),
        ("HTTP method", Keys.DOWN + E),  # POST
        ("Path:", f"/orders/{{order_id}}/cancel{E}"),
        ("Summary:", f"Cancel an order{E}"),
        ("Longer description", E),
        ("What does it do?", E),  # action: the first effect POST offers
        ("OpenAPI tags", f"orders{E}"),
        ("Require a signed-in caller?", E),
        ("Required scopes", f"orders:write{E}"),
        ("Does the request body have fields?", "y"),
        ("Request field 1 name", f"reason{E}"),
        ("Request field 1 type", E),
        ("Request field 1 required?", "n"),
        ("Request field 1 max length", f"500{E}"),
        ("Add another request field?", E),
        ("Does the response body have fields of its own?", E),
        ("Accept an Idempotency-Key", "y"),
        ("Use ETag", E),
        ("Rate limit", f"10/minute{E}"),
        ("Add a domain-specific error", "y"),
        ("Error 1 status code", f"409{E}"),
        ("Error 1 returned when", f"the order has shipped{E}"),
        ("Add another error response?", E),
        ("What next?", E),
    ],
    "auth": [
        ("Plan name", E),
        ("How do callers sign in?", E),  # password-jwt
        ("Access token lifetime", E),
        ("Issue refresh tokens", E),
        ("Refresh token lifetime", E),
        ("Let users register", E),
        ("Login rate limit", E),
        ("Roles", f"admin, member{E}"),
        ("What next?", E),
    ],
    "pagination": [
        ("Plan name", E),
        ("List endpoint to paginate", f"GET /items{E}"),
        ("Paginate with", Keys.DOWN * 2 + E),  # cursor
        ("Default page size", f"20{E}"),
        ("Maximum page size", E),
        ("Sort by", f"created_at, id{E}"),
        ("Links to other pages", E),
        ("What next?", E),
    ],
}

EXPECTED: dict[str, tuple[str, Any, str]] = {
    # kind: (plan name, the spec the run must save, text the plan must contain)
    "crud-resource": (
        "items-crud",
        CrudResourceSpec.model_validate(
            {
                "kind": "crud-resource",
                "resource": {
                    "name": "item",
                    "owned_by_user": True,
                    "fields": [
                        {"name": "title", "type": "str", "max_length": 200},
                        {"name": "due", "type": "date", "required": False},
                    ],
                },
                "pagination": {"include_total": True},
            }
        ),
        "/items",
    ),
    "endpoint": (
        "post-orders-order-id-cancel",
        EndpointSpec.model_validate(
            {
                "kind": "endpoint",
                "method": "POST",
                "path": "/orders/{order_id}/cancel",
                "summary": "Cancel an order",
                "effect": "action",
                "tags": ["orders"],
                "auth": {"required": True, "scopes": ["orders:write"]},
                "request": {
                    "fields": [
                        {
                            "name": "reason",
                            "type": "str",
                            "required": False,
                            "max_length": 500,
                        }
                    ]
                },
                "idempotency_key": True,
                "rate_limit": "10/minute",
                "errors": [{"status": 409, "when": "the order has shipped"}],
            }
        ),
        "/orders/{order_id}/cancel",
    ),
    "auth": (
        "auth-password-jwt",
        AuthSpec(
            kind="auth",
            scheme="password-jwt",
            refresh_tokens=True,
            roles=("admin", "member"),
            registration=True,
        ),
        "password",
    ),
    "pagination": (
        "paginate-items",
        PaginationSpec(
            kind="pagination",
            target="GET /items",
            style="cursor",
            default_size=20,
            sort=("created_at", "id"),
            links="envelope",
        ),
        "cursor",
    ),
}


@dataclass
class Run:
    """One `planner new` in a pty; records everything it printed."""

    child: Any

    def answer(self, prompt: str, keys: str) -> None:
        """Wait for a prompt, then type."""
        self.child.expect_exact(prompt)
        self.child.send(keys)

    def finish(self) -> tuple[int, list[str]]:
        """Wait for the exit; return its status and the printed lines, plain."""
        self.child.expect(pexpect.EOF)
        self.child.close()
        text = ANSI.sub("", self.child.before or "").replace("\r", "")
        lines = [line.strip() for line in text.split("\n") if line.strip()]
        return int(self.child.exitstatus), lines


def spawn(kind: str, project: Path, timeout: float) -> Run:
    """Start `python -m planner new KIND --project DIR` in an 80x24 xterm."""
    env = {**os.environ, "TERM": "xterm", "NO_COLOR": "1", "PYTHONHASHSEED": "0"}
    # pexpect is no terminal emulator: nothing answers prompt_toolkit's cursor
    # position requests, and each prompt would wait a second for the reply.
    env["PROMPT_TOOLKIT_NO_CPR"] = "1"
    child = pexpect.spawn(
        sys.executable,
        ["-m", "planner", "new", kind, "--project", str(project)],
        cwd=str(ROOT),
        env=env,
        dimensions=(24, 80),
        encoding="utf-8",
        timeout=timeout,
    )
    return Run(child)


@pytest.mark.parametrize("kind", list(RUNS))
def test_a_full_run_writes_the_spec_and_the_plan(
    kind: str, tmp_path: Path, spawn_timeout: float
) -> None:
    run = spawn(kind, tmp_path, spawn_timeout)
    for prompt, keys in RUNS[kind]:
        run.answer(prompt, keys)
    status, lines = run.finish()

    name, spec, plan_text = EXPECTED[kind]
    saved = tmp_path / ".planner" / "specs" / f"{name}.toml"
    assert read_spec(saved).spec == spec
    plan = tmp_path / ".claude" / "docs" / f"{name}.md"
    assert status == 0, lines
    assert lines[-1] == plan.as_posix()
    assert plan_text in plan.read_text(encoding="utf-8")


def test_ctrl_c_midway_exits_130_and_writes_nothing(
    tmp_path: Path, spawn_timeout: float
) -> None:
    run = spawn("crud-resource", tmp_path, spawn_timeout)
    stop = next(
        n for n, (p, _) in enumerate(RUNS["crud-resource"]) if p == "Field 2 name"
    )
    for prompt, keys in RUNS["crud-resource"][:stop]:
        run.answer(prompt, keys)
    run.answer("Field 2 name", Keys.CTRL_C)
    status, lines = run.finish()
    assert status == 130
    assert "nothing was written" in "\n".join(lines)
    assert list(tmp_path.iterdir()) == []


def test_ctrl_d_in_a_select_exits_130_and_writes_nothing(
    tmp_path: Path, spawn_timeout: float
) -> None:
    run = spawn("auth", tmp_path, spawn_timeout)
    run.answer("Plan name", E)
    run.answer("How do callers sign in?", Keys.DOWN + Keys.CTRL_D)
    status, _ = run.finish()
    assert status == 130
    assert list(tmp_path.iterdir()) == []


def test_declining_to_write_exits_130_and_writes_nothing(
    tmp_path: Path, spawn_timeout: float
) -> None:
    run = spawn("pagination", tmp_path, spawn_timeout)
    for prompt, keys in RUNS["pagination"][:-1]:
        run.answer(prompt, keys)
    run.answer("What next?", Keys.DOWN * 2 + E)  # Cancel
    status, lines = run.finish()
    assert status == 130
    assert "nothing was written" in "\n".join(lines)
    assert list(tmp_path.iterdir()) == []


def test_without_a_terminal_the_questionnaire_refuses(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "planner", "new", "auth", "--project", str(tmp_path)],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 3
    assert "hint: pass --spec FILE --no-input" in done.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_name_clash_is_reported_before_the_second_question(
    tmp_path: Path, spawn_timeout: float
) -> None:
    existing = tmp_path / ".planner" / "specs" / "auth-password-jwt.toml"
    existing.parent.mkdir(parents=True)
    existing.write_text("# mine\n", encoding="utf-8")
    run = spawn("auth", tmp_path, spawn_timeout)
    run.answer("Plan name", f"auth_password_jwt{E}")
    run.child.expect_exact(".planner/specs/auth-password-jwt.toml exists")
    screen = run.child.before or ""
    assert "How do callers sign in?" not in screen
    run.child.send(Keys.CTRL_C)
    status, lines = run.finish()
    assert status == 130
    assert not any("How do callers sign in?" in line for line in lines)
    assert existing.read_text(encoding="utf-8") == "# mine\n"


def _three_fields(run: Run) -> None:
    run.answer("Plan name", E)
    run.answer("Resource name", f"note{E}")
    run.answer("Plural name", E)
    run.answer("One-line description", E)
    run.answer("Primary key id", E)
    for n, name in enumerate(("title", "summary", "body"), start=1):
        run.answer(f"Field {n} name", f"{name}{E}")
        run.answer(f"Field {n} type", E)
        run.answer(f"Field {n} required?", E)
        run.answer(f"Field {n} unique?", E)
        run.answer(f"Field {n} max length", E)
        run.answer(f"Field {n} default for new rows", E)
        run.answer("Add another field?", "y" if n < 3 else "n")
    steps = RUNS["crud-resource"]
    start = next(n for n, (prompt, _) in enumerate(steps) if prompt == "Operations")
    for prompt, keys in steps[start:-1]:
        run.answer(prompt, keys)


def _change_field_two(run: Run) -> None:
    run.answer("What next?", Keys.DOWN + E)  # Change an answer
    # Plan name, Resource name, Plural, Description, Primary key, Field 1, Field 2
    run.answer("Which answer?", Keys.DOWN * 6 + E)
    run.answer("Field 2 name", Keys.BACKSPACE * 7 + f"abstract{E}")
    run.answer("Field 2 type", E)
    run.answer("Field 2 required?", "n")
    run.answer("Field 2 unique?", E)
    run.answer("Field 2 max length", f"80{E}")
    run.answer("Field 2 default for new rows", E)


def test_go_back_and_change_one_field_of_three(
    tmp_path: Path, spawn_timeout: float
) -> None:
    run = spawn("crud-resource", tmp_path, spawn_timeout)
    _three_fields(run)
    _change_field_two(run)
    run.answer("What next?", E)  # Write the plan
    status, lines = run.finish()
    assert status == 0, lines
    spec = read_spec(tmp_path / ".planner" / "specs" / "notes-crud.toml").spec
    assert isinstance(spec, CrudResourceSpec)
    fields = [(f.name, f.required, f.max_length) for f in spec.resource.fields]
    assert fields == [
        ("title", True, None),
        ("abstract", False, 80),
        ("body", True, None),
    ]


def test_ctrl_c_after_a_change_writes_nothing(
    tmp_path: Path, spawn_timeout: float
) -> None:
    run = spawn("crud-resource", tmp_path, spawn_timeout)
    _three_fields(run)
    _change_field_two(run)
    run.answer("What next?", Keys.CTRL_C)
    status, lines = run.finish()
    assert status == 130
    assert "nothing was written" in "\n".join(lines)
    assert list(tmp_path.iterdir()) == []


def test_a_confirmation_shows_its_answer_once(
    tmp_path: Path, spawn_timeout: float
) -> None:
    run = spawn("crud-resource", tmp_path, spawn_timeout)
    run.child.logfile_read = io.StringIO()  # the whole screen, not the last part
    steps = RUNS["crud-resource"]
    stop = next(n for n, (prompt, _) in enumerate(steps) if prompt == "Do rows belong")
    for prompt, keys in steps[: stop + 1]:  # a yes/no question with a note
        run.answer(prompt, keys)
    run.answer("Required scopes", Keys.CTRL_C)
    run.finish()
    # Lines wrap at 80 columns with "\r\r\n"; join them again.
    text = ANSI.sub("", run.child.logfile_read.getvalue())
    screen = text.replace("\r\r\n", "").replace("\r", "")
    assert "(other users' rows read as 404) Yes" in screen
    assert "(Y/n)Yes" not in screen


def test_uuid_ids_precision_a_default_and_scopes_per_operation(
    tmp_path: Path, spawn_timeout: float
) -> None:
    run = spawn("crud-resource", tmp_path, spawn_timeout)
    for prompt, keys in [
        ("Plan name", E),
        ("Resource name", f"invoice{E}"),
        ("Plural name", E),
        ("One-line description", E),
        ("Primary key id", Keys.DOWN + E),  # uuid
        ("Field 1 name", f"total{E}"),
        ("Field 1 type", Keys.DOWN * 5 + E),  # decimal
        ("Field 1 required?", E),
        ("Field 1 unique?", E),
        ("Field 1 digits in all", f"10{E}"),
        ("Field 1 digits after the point", f"0{E}"),
        ("Field 1 default for new rows", f"abc{E}"),  # refused: not a number
    ]:
        run.answer(prompt, keys)
    run.child.expect_exact("'abc' is not a number")
    run.child.send(Keys.BACKSPACE * 3 + f"100{E}")
    steps = RUNS["crud-resource"]
    start = next(n for n, (p, _) in enumerate(steps) if p == "Operations")
    stop = next(n for n, (p, _) in enumerate(steps) if p == "Required scopes")
    for prompt, keys in [
        ("Add another field?", E),
        *steps[start:stop],
        ("Required scopes", f"invoices:read, invoices:write{E}"),
        ("Does an operation need scopes of its own?", "y"),
        ("Scopes for list", E),
        ("Scopes for read", E),
        ("Scopes for create", E),
        ("Scopes for update", E),
        ("Scopes for delete", f"invoices:admin{E}"),
        *steps[stop + 2 :],
    ]:
        run.answer(prompt, keys)
    status, lines = run.finish()
    assert status == 0, lines
    spec = read_spec(tmp_path / ".planner" / "specs" / "invoices-crud.toml").spec
    assert isinstance(spec, CrudResourceSpec)
    (total,) = spec.resource.fields
    assert (total.max_digits, total.decimal_places, total.default) == (10, 0, "100")
    assert spec.resource.id_type == "uuid"
    assert spec.auth.operation_scopes == {"delete": ("invoices:admin",)}
    plan = (tmp_path / ".claude" / "docs" / "invoices-crud.md").read_text("utf-8")
    assert "Numeric(10, 0)" in plan and "invoices:admin" in plan


def _widgets_project(root: Path) -> Path:
    """A project whose one resource has UUID ids and a list route."""
    (root / "app" / "routers").mkdir(parents=True)
    (root / "pyproject.toml").write_text('[project]\nname = "w"\n', "utf-8")
    (root / "app" / "__init__.py").write_text("", "utf-8")
    (root / "app" / "routers" / "__init__.py").write_text("", "utf-8")
    (root / "app" / "main.py").write_text(
        "from fastapi import FastAPI\n"
        "from app.routers import widgets\n"
        "app = FastAPI()\n"
        "app.include_router(widgets.router)\n",
        "utf-8",
    )
    (root / "app" / "routers" / "widgets.py").write_text(
        "from uuid import UUID\n"
        "from fastapi import APIRouter\n"
        'router = APIRouter(prefix="/widgets")\n'
        '@router.get("")\n'
        "def list_widgets() -> list[str]:\n"
        "    return []\n"
        '@router.get("/{widget_id}")\n'
        "def read_widget(widget_id: UUID) -> str:\n"
        '    return ""\n',
        "utf-8",
    )
    return root


def test_the_project_suggests_ids_references_and_list_routes(
    tmp_path: Path, spawn_timeout: float
) -> None:
    project = _widgets_project(tmp_path / "p")
    run = spawn("pagination", project, spawn_timeout)
    run.answer("Plan name", E)
    run.child.expect_exact("List endpoint to paginate")
    run.child.expect_exact("the project lists: GET /widgets")
    run.child.send(E)  # the suggestion, as offered
    for prompt, keys in RUNS["pagination"][2:]:
        run.answer(prompt, keys)
    status, lines = run.finish()
    assert status == 0, lines
    paged = read_spec(project / ".planner" / "specs" / "paginate-widgets.toml").spec
    assert isinstance(paged, PaginationSpec)
    assert paged.target == "GET /widgets"

    run = spawn("crud-resource", project, spawn_timeout)
    for prompt, keys in [
        ("Plan name", E),
        ("Resource name", f"part{E}"),
        ("Plural name", E),
        ("One-line description", E),
        ("Primary key id", E),  # the project's: uuid
        ("Field 1 name", f"widget{E}"),
        ("Field 1 type", Keys.DOWN * 13 + E),  # ref
        ("Field 1 required?", E),
        ("Field 1 unique?", E),
    ]:
        run.answer(prompt, keys)
    run.child.expect_exact("the project has: widget")
    run.child.send(f"widget{E}")
    steps = RUNS["crud-resource"]
    start = next(n for n, (p, _) in enumerate(steps) if p == "Operations")
    run.answer("when the referenced row is deleted", E)
    run.answer("Add another field?", E)
    for prompt, keys in steps[start:]:
        run.answer(prompt, keys)
    status, lines = run.finish()
    assert status == 0, lines
    spec = read_spec(project / ".planner" / "specs" / "parts-crud.toml").spec
    assert isinstance(spec, CrudResourceSpec)
    assert spec.resource.id_type == "uuid"
    assert spec.resource.fields[0].references == "widget"
