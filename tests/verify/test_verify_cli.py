"""`planner verify` on a fixture project: the plan built in full, then broken."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from planner.cli.main import main
from tests.verify.conftest import Implemented

ROUTER = "app/routers/notes.py"
TESTS = "tests/test_notes.py"


def verify(
    implemented: Implemented, capsys: pytest.CaptureFixture[str], *extra: str
) -> tuple[int, str]:
    code = main(
        ["verify", str(implemented.plan), "--project", str(implemented.project), *extra]
    )
    return code, capsys.readouterr().out


def failing(out: str) -> list[str]:
    """The checklist lines that fail the run."""
    return [line for line in out.splitlines() if line.startswith(("[ ]", "[!]"))]


def line_of(project: Path, path: str, needle: str) -> int:
    lines = (project / path).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, start=1) if needle in line)


def test_a_plan_built_in_full_passes(
    implemented: Implemented, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = verify(implemented, capsys)
    assert code == 0, out
    assert failing(out) == []
    assert out.splitlines()[-1].endswith("everything planned is there")
    create = line_of(implemented.project, ROUTER, "def create_note")
    assert (
        f"[x] endpoint POST /api/notes: served by `create_note`  {ROUTER}:{create}"
        in out
    )
    assert "[x] status POST /api/notes: answers 201" in out
    assert "alembic/versions/f00dfeed0001_add_notes.py:11" in out


def test_a_missing_route_is_named_with_its_planned_file_and_plan_line(
    implemented: Implemented, capsys: pytest.CaptureFixture[str]
) -> None:
    implemented.edit(ROUTER, '@router.delete("/{note_id}"', '@router.put("/{note_id}"')
    code, out = verify(implemented, capsys)
    assert code == 1
    [line] = [f for f in failing(out) if "endpoint" in f]
    assert line.startswith("[ ] endpoint DELETE /api/notes/{note_id}: missing:")
    assert re.search(rf"planned at notes-crud\.json:\d+\)  {ROUTER}$", line), line
    assert out.splitlines()[-1].endswith("not matching")


def test_a_wrong_success_code_is_named_with_file_and_line(
    implemented: Implemented, capsys: pytest.CaptureFixture[str]
) -> None:
    implemented.edit(ROUTER, ", status_code=status.HTTP_201_CREATED", "")
    code, out = verify(implemented, capsys)
    create = line_of(implemented.project, ROUTER, "def create_note")
    assert code == 1
    assert failing(out) == [
        "[!] status POST /api/notes: differs: answers 200; the plan says 201  "
        f"{ROUTER}:{create}"
    ]


def test_a_missing_auth_dependency_is_named_with_file_and_line(
    implemented: Implemented, capsys: pytest.CaptureFixture[str]
) -> None:
    implemented.edit(
        ROUTER,
        "note_id: Annotated[int, Path()], session: SessionDep, user: CurrentUser\n"
        ") -> NotePublic:",
        "note_id: Annotated[int, Path()], session: SessionDep\n) -> NotePublic:",
    )
    code, out = verify(implemented, capsys)
    read = line_of(implemented.project, ROUTER, "def read_note")
    assert code == 1
    [auth] = [f for f in failing(out) if " auth " in f]
    assert auth.startswith("[ ] auth GET /api/notes/{note_id}: missing:")
    assert auth.endswith(f"{ROUTER}:{read}")
    # Without the dependency, nothing answers the planned 401 either (the plan
    # promises no 403: the project's dependency decides about inactive users).
    assert sum(" error GET /api/notes/{note_id} 40" in f for f in failing(out)) == 1


def test_a_missing_migration_is_named_with_its_tree_and_plan_line(
    implemented: Implemented, capsys: pytest.CaptureFixture[str]
) -> None:
    (implemented.project / "alembic/versions/f00dfeed0001_add_notes.py").unlink()
    code, out = verify(implemented, capsys)
    assert code == 1
    assert len(failing(out)) == 1
    assert re.fullmatch(
        r"\[ \] migration notes: missing: no migration in alembic/versions creates "
        r"`notes` after a1b2c3d4e5f6 \(planned at notes-crud\.json:\d+\)  "
        r"alembic/versions",
        failing(out)[0],
    )


def test_a_migration_after_another_head_differs(
    implemented: Implemented, capsys: pytest.CaptureFixture[str]
) -> None:
    path = "alembic/versions/f00dfeed0001_add_notes.py"
    implemented.edit(path, 'down_revision = "a1b2c3d4e5f6"', 'down_revision = "0ther"')
    code, out = verify(implemented, capsys)
    assert code == 1
    assert failing(out) == [
        "[!] migration notes: differs: creates `notes` but revises 0ther, not "
        f"a1b2c3d4e5f6 or a successor  {path}:7"
    ]


def test_a_missing_test_is_named_with_its_file_and_plan_line(
    implemented: Implemented, capsys: pytest.CaptureFixture[str]
) -> None:
    implemented.edit(
        TESTS,
        "def test_read_note_422_invalid_id(client, auth):\n"
        '    assert client.get(f"{NOTES}/abc", headers=auth).status_code == 422\n',
        "",
    )
    code, out = verify(implemented, capsys)
    assert code == 1
    # The list's own 422 (`?limit=0`) does not stand for the item's bad id.
    [line] = failing(out)
    assert line.startswith(
        "[ ] test test_invalid_id_422: missing: no test named so, and none "
        "asserts 422 on GET /api/notes/{note_id} (planned at notes-crud.json:"
    )
    assert line.endswith(f"  {TESTS}")


def test_a_grouped_test_is_met_by_a_test_per_operation(
    implemented: Implemented, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out = verify(implemented, capsys)
    read = line_of(implemented.project, TESTS, "def test_read_note_404_not_found")
    assert (
        "[x] test test_not_found_404: `test_read_note_404_not_found`, "
        f"`test_delete_missing` assert 404 on its 2 operations  {TESTS}:{read}"
    ) in out


def test_a_grouped_test_is_met_by_a_test_of_its_name(
    implemented: Implemented, capsys: pytest.CaptureFixture[str]
) -> None:
    _, out = verify(implemented, capsys)
    at = line_of(implemented.project, TESTS, "def test_unauthenticated_401")
    assert f"[x] test test_unauthenticated_401: found by name  {TESTS}:{at}" in out


def test_a_parametrized_test_under_another_name_meets_a_grouped_test(
    implemented: Implemented, capsys: pytest.CaptureFixture[str]
) -> None:
    implemented.edit(TESTS, "def test_unauthenticated_401(", "def test_anonymous(")
    _, out = verify(implemented, capsys)
    at = line_of(implemented.project, TESTS, "def test_anonymous(")
    assert (
        "[x] test test_unauthenticated_401: `test_anonymous` asserts "
        f"401 on its 4 operations  {TESTS}:{at}"
    ) in out


def test_a_grouped_test_names_the_operation_no_test_covers(
    implemented: Implemented, capsys: pytest.CaptureFixture[str]
) -> None:
    # The cases no longer reach DELETE, and the 401 test has another name.
    implemented.edit(TESTS, '    ("delete", f"{NOTES}/1"),\n]', "]")
    implemented.edit(TESTS, "def test_unauthenticated_401(", "def test_anonymous(")
    code, out = verify(implemented, capsys)
    assert code == 1
    [line] = failing(out)
    assert line.startswith(
        "[ ] test test_unauthenticated_401: missing: no test named so, and none "
        "asserts 401 on DELETE /api/notes/{note_id} (planned at notes-crud.json:"
    )
    assert line.endswith(f"  {TESTS}")


def test_json_output_lists_every_finding(
    implemented: Implemented, capsys: pytest.CaptureFixture[str]
) -> None:
    implemented.edit(ROUTER, "le=100", "le=500")
    code, out = verify(implemented, capsys, "--format", "json")
    data = json.loads(out)
    assert code == 1
    assert data["ok"] is False
    assert data["summary"]["differs"] == 1
    [wrong] = [f for f in data["findings"] if f["state"] != "ok"]
    assert wrong["check"] == "query"
    assert wrong["subject"] == "GET /api/notes ?limit"
    assert wrong["where"].startswith(f"{ROUTER}:")


def test_openapi_document_stands_in_for_a_route_built_dynamically(
    implemented: Implemented, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    implemented.edit(ROUTER, '@router.delete("/{note_id}"', '@router.put("/{note_id}"')
    doc = {
        "openapi": "3.1.0",
        "paths": {
            path: {
                method: {"responses": {str(status): {}}, "security": [{"b": []}]}
                for method, status in ops
            }
            for path, ops in {
                "/api/notes": [("get", 200), ("post", 201)],
                "/api/notes/{note_id}": [("get", 200), ("delete", 204)],
            }.items()
        },
    }
    openapi = tmp_path / "openapi.json"
    openapi.write_text(json.dumps(doc), encoding="utf-8")
    code, out = verify(implemented, capsys, "--openapi", str(openapi))
    assert code == 0, failing(out)
    assert "[x] endpoint DELETE /api/notes/{note_id}: not found in the code" in out


def test_openapi_document_missing_a_route_fails(
    implemented: Implemented, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    openapi = tmp_path / "openapi.json"
    openapi.write_text('{"paths": {}}', encoding="utf-8")
    code, out = verify(implemented, capsys, "--openapi", str(openapi))
    assert code == 1
    assert len([f for f in failing(out) if "openapi" in f]) == 4


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no plan"),
        ("{not json", "not JSON"),
        ('{"kind": "endpoint"}', "not a planner plan"),
    ],
)
def test_bad_input_exits_2(
    implemented: Implemented,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    content: str | None,
    message: str,
) -> None:
    plan = tmp_path / "bad.json"
    if content is not None:
        plan.write_text(content, encoding="utf-8")
    code = main(["verify", str(plan), "--project", str(implemented.project)])
    assert code == 2
    assert message in capsys.readouterr().err


def test_a_bad_openapi_document_exits_2(
    implemented: Implemented, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    openapi = tmp_path / "openapi.json"
    openapi.write_text("[]", encoding="utf-8")
    args = ["--project", str(implemented.project), "--openapi", str(openapi)]
    code = main(["verify", str(implemented.plan), *args])
    assert code == 2
    assert "not an OpenAPI document" in capsys.readouterr().err
