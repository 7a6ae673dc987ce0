"""What verify learned from real projects, on the notes fixture."""

from __future__ import annotations

import pytest

from planner.cli.main import main
from tests.verify.conftest import Implemented

ROUTER = "app/routers/notes.py"
MIGRATION = "alembic/versions/f00dfeed0001_add_notes.py"


def failing(implemented: Implemented, capsys: pytest.CaptureFixture[str]) -> list[str]:
    args = ["verify", str(implemented.plan), "--project", str(implemented.project)]
    code = main(args)
    lines = capsys.readouterr().out.splitlines()
    bad = [line for line in lines if line.startswith(("[ ]", "[!]"))]
    assert code == (1 if bad else 0)
    return bad


def test_a_404_raised_by_a_dependency_counts(
    implemented: Implemented, capsys: pytest.CaptureFixture[str]
) -> None:
    implemented.edit(
        ROUTER, "responses=NOT_FOUND)\ndef read_note(", ")\ndef read_note("
    )
    implemented.edit(
        ROUTER,
        "    note = crud.get_note(session, user.id, note_id)\n"
        "    if note is None:\n"
        "        raise HTTPException(status_code=status.HTTP_404_NOT_FOUND)\n"
        "    return NotePublic.model_validate(note)",
        "    return NotePublic.model_validate(note)",
    )
    implemented.edit(
        ROUTER,
        "note_id: Annotated[int, Path()], session: SessionDep, user: CurrentUser\n"
        ") -> NotePublic:",
        "note: Annotated[object, Depends(note_or_404)], user: CurrentUser\n"
        ") -> NotePublic:",
    )
    implemented.edit(
        ROUTER,
        "NOT_FOUND = ",
        "def note_or_404(note_id: int, session: SessionDep, user: CurrentUser):\n"
        "    note = crud.get_note(session, user.id, note_id)\n"
        "    if note is None:\n"
        "        raise HTTPException(404)\n"
        "    return note\n\n\nNOT_FOUND = ",
    )
    implemented.edit(ROUTER, "from fastapi import ", "from fastapi import Depends, ")
    assert failing(implemented, capsys) == []


def test_a_conflict_answered_with_another_code_is_named(
    implemented: Implemented, capsys: pytest.CaptureFixture[str]
) -> None:
    implemented.edit(
        ROUTER, "responses=NOT_FOUND)\ndef read_note(", ")\ndef read_note("
    )
    implemented.edit(ROUTER, "status.HTTP_404_NOT_FOUND", "status.HTTP_400_BAD_REQUEST")
    [line] = failing(implemented, capsys)
    assert line.startswith("[ ] error GET /api/notes/{note_id} 404: missing:")
    assert "it answers 400 instead" in line


def test_auth_from_an_annotated_dependency_factory_counts(
    implemented: Implemented, capsys: pytest.CaptureFixture[str]
) -> None:
    deps = "app/deps.py"
    implemented.edit(
        deps,
        "CurrentUser = Annotated[User, Depends(get_current_user)]",
        "CurrentUser = Annotated[User, require_role('reader')]",
    )
    assert failing(implemented, capsys) == []
    # Metadata that is no call declares nothing: no dependency, so no auth.
    implemented.edit(deps, "require_role('reader')", "'reader'")
    assert len([f for f in failing(implemented, capsys) if " auth " in f]) == 4


def test_a_table_under_the_projects_prefix_differs(
    implemented: Implemented, capsys: pytest.CaptureFixture[str]
) -> None:
    implemented.edit(
        MIGRATION,
        'create_table(\n        "notes"',
        'create_table(\n        "app_notes"',
    )
    assert failing(implemented, capsys) == [
        "[!] migration notes: differs: creates `app_notes`; the plan names the "
        f"table `notes`  {MIGRATION}:11"
    ]


def test_a_file_of_a_close_name_differs_and_is_named(
    implemented: Implemented, capsys: pytest.CaptureFixture[str]
) -> None:
    schemas = implemented.project / "app/schemas"
    (schemas / "note.py").rename(schemas / "notes.py")
    [line] = failing(implemented, capsys)
    assert line.startswith("[!] file app/schemas/note.py: differs:")
    assert line.endswith("app/schemas/notes.py")
