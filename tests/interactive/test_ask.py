"""Questionary driven in-process: keystrokes through a pipe, drawing on DummyOutput."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from prompt_toolkit.input import PipeInput, create_pipe_input
from prompt_toolkit.output import DummyOutput

from planner.errors import (
    NotInteractiveError,
    QuestionnaireInterrupted,
)
from planner.interactive.answers import build_spec
from planner.interactive.ask import ask, confirm, show
from planner.interactive.questionnaire import run_questionnaire, spec_path
from planner.interactive.questions import load_question_set
from planner.spec import CrudResourceSpec, PaginationSpec
from planner.specfile import read_spec

ENTER, DOWN, SPACE, CTRL_C, CTRL_D = "\r", "\x1b[B", " ", "\x03", "\x04"
BACKSPACE = "\x7f"

# A whole crud-resource run: two fields, arrows in selects, a checkbox toggle.
CRUD_RUN = "".join(
    [
        ENTER,  # plan name: derived
        "item" + ENTER,  # resource name
        ENTER,  # plural: derived
        ENTER,  # description: none
        DOWN + ENTER,  # primary key id: uuid
        "title" + ENTER,  # field 1 name
        ENTER,  # type: str (the default)
        ENTER,  # required: yes
        ENTER,  # unique: no
        "200" + ENTER,  # max length
        ENTER,  # default: none
        "y",  # add another field
        "status" + ENTER,  # field 2 name
        DOWN * 11 + ENTER,  # type: enum
        "n",  # required: no
        ENTER,  # unique: no
        "draft, published" + ENTER,  # choices
        "draft" + ENTER,  # default for new rows
        "n",  # no more fields
        DOWN * 4 + SPACE + ENTER,  # operations: all but delete
        DOWN + ENTER,  # update with PUT
        ENTER,  # auth required: yes
        ENTER,  # owned by user: yes
        "items:write" + ENTER,  # scopes
        "y",  # an operation needs scopes of its own
        ENTER * 3,  # scopes for list, read, create: the scopes above
        "items:admin" + ENTER,  # scopes for update (delete is not planned)
        ENTER,  # roles: none
        ENTER,  # timestamps: yes
        "status" + ENTER,  # filters
        DOWN * 2 + ENTER,  # pagination: cursor
        "20" + ENTER,  # default size: starts empty, 50 shown
        ENTER,  # max size: 100
        "-created_at, id" + ENTER,  # sort
        ENTER,  # links: envelope
    ]
)
# Plan name (derived), target, then every default.
PAGINATION_RUN = ENTER + "GET /items" + ENTER + ENTER * 6


@pytest.fixture
def pipe() -> Iterator[PipeInput]:
    with create_pipe_input() as pipe_input:
        yield pipe_input


def test_a_whole_crud_run_with_two_fields(pipe: PipeInput) -> None:
    question_set = load_question_set("crud-resource")
    pipe.send_text(CRUD_RUN)
    answers = ask(question_set, input=pipe, output=DummyOutput())
    spec = build_spec(question_set, answers)
    assert isinstance(spec, CrudResourceSpec)
    title, status = spec.resource.fields
    assert (title.name, title.type, title.required, title.max_length) == (
        "title",
        "str",
        True,
        200,
    )
    assert (status.name, status.type, status.required) == ("status", "enum", False)
    assert status.choices == ("draft", "published")
    assert spec.resource.operations == ("list", "read", "create", "update")
    assert spec.resource.update_method == "put"
    assert spec.resource.owned_by_user
    assert spec.resource.filters == ("status",)
    assert spec.auth.scopes == ("items:write",)
    assert spec.auth.operation_scopes == {"update": ("items:admin",)}
    assert spec.resource.id_type == "uuid"
    assert status.default == "draft"
    assert (spec.pagination.style, spec.pagination.default_size) == ("cursor", 20)
    assert spec.pagination.sort == ("-created_at", "id")
    assert spec.plan_name == "items-crud"


def test_an_invalid_answer_keeps_the_prompt_until_fixed(pipe: PipeInput) -> None:
    question_set = load_question_set("pagination")
    pipe.send_text(ENTER + "items" + ENTER + BACKSPACE * 5 + PAGINATION_RUN[1:])
    answers = ask(question_set, input=pipe, output=DummyOutput())
    assert answers["target"] == "GET /items"


def test_an_invalid_integer_keeps_the_prompt(pipe: PipeInput) -> None:
    question_set = load_question_set("pagination")
    # A number starts empty (its default shown): "0" is 0, refused, not "500".
    keys = ENTER + "GET /items" + ENTER + ENTER + "0" + ENTER
    pipe.send_text(keys + BACKSPACE + "25" + ENTER + ENTER * 4)
    answers = ask(question_set, input=pipe, output=DummyOutput())
    assert answers["default_size"] == 25


def test_ctrl_c_raises_interrupted_with_partial_answers(pipe: PipeInput) -> None:
    keys = ENTER + "item" + ENTER + ENTER + ENTER + ENTER + "title" + ENTER + CTRL_C
    pipe.send_text(keys)
    with pytest.raises(QuestionnaireInterrupted) as exc:
        ask(load_question_set("crud-resource"), input=pipe, output=DummyOutput())
    assert exc.value.answers["resource.name"] == "item"
    assert exc.value.answers["resource.fields"] == [{"name": "title"}]
    assert exc.value.exit_code == 130
    assert isinstance(exc.value.__cause__, KeyboardInterrupt)


def test_ctrl_d_in_a_select_raises_interrupted(pipe: PipeInput) -> None:
    pipe.send_text(ENTER + DOWN + CTRL_D)
    with pytest.raises(QuestionnaireInterrupted) as exc:
        ask(load_question_set("auth"), input=pipe, output=DummyOutput())
    assert exc.value.answers == {"name": ""}
    assert isinstance(exc.value.__cause__, EOFError)


def test_ctrl_d_in_text_with_input_raises_interrupted(pipe: PipeInput) -> None:
    pipe.send_text(ENTER + "GET /it" + CTRL_D)
    with pytest.raises(QuestionnaireInterrupted):
        ask(load_question_set("pagination"), input=pipe, output=DummyOutput())


def test_end_of_input_raises_interrupted(pipe: PipeInput) -> None:
    pipe.send_text(ENTER + "GET /items" + ENTER)
    pipe.close()
    with pytest.raises(QuestionnaireInterrupted) as exc:
        ask(load_question_set("pagination"), input=pipe, output=DummyOutput())
    assert exc.value.answers == {"name": "", "target": "GET /items"}


def test_no_terminal_and_no_input_is_not_interactive(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(""))
    with pytest.raises(NotInteractiveError) as exc:
        ask(load_question_set("auth"))
    assert exc.value.hint == "pass --spec FILE --no-input"
    assert exc.value.exit_code == 3


@pytest.mark.parametrize(("keys", "expected"), [("y", True), ("n", False)])
def test_confirm(pipe: PipeInput, keys: str, expected: bool) -> None:
    pipe.send_text(keys)
    assert confirm("Sure?", default=True, input=pipe, output=DummyOutput()) is expected


def test_confirm_enter_takes_the_default(pipe: PipeInput) -> None:
    pipe.send_text(ENTER)
    assert not confirm("Sure?", default=False, input=pipe, output=DummyOutput())


def test_confirm_interrupt_carries_the_answers(pipe: PipeInput) -> None:
    pipe.send_text(CTRL_C)
    with pytest.raises(QuestionnaireInterrupted) as exc:
        confirm(
            "Sure?", default=True, answers={"a": 1}, input=pipe, output=DummyOutput()
        )
    assert exc.value.answers == {"a": 1}


def test_show_ends_with_a_newline() -> None:
    stream = io.StringIO()
    show("kind = 'auth'", stream=stream)
    assert stream.getvalue() == "kind = 'auth'\n"


# -- the questionnaire ----------------------------------------------------------


def test_questionnaire_reviews_confirms_and_saves(
    pipe: PipeInput, tmp_path: Path
) -> None:
    pipe.send_text(PAGINATION_RUN + ENTER)
    review = io.StringIO()
    spec = run_questionnaire(
        "pagination",
        project=tmp_path,
        force=False,
        input=pipe,
        output=DummyOutput(),
        stream=review,
    )
    assert isinstance(spec, PaginationSpec)
    saved = spec_path(tmp_path, "paginate-items")
    assert saved == tmp_path / ".planner" / "specs" / "paginate-items.toml"
    assert read_spec(saved).spec == spec
    assert "# .planner/specs/paginate-items.toml" in review.getvalue()
    assert 'target = "GET /items"' in review.getvalue()


def test_declining_to_write_writes_nothing(pipe: PipeInput, tmp_path: Path) -> None:
    pipe.send_text(PAGINATION_RUN + DOWN * 2 + ENTER)  # What next? Cancel
    with pytest.raises(QuestionnaireInterrupted) as exc:
        run_questionnaire(
            "pagination",
            project=tmp_path,
            force=False,
            input=pipe,
            output=DummyOutput(),
            stream=io.StringIO(),
        )
    assert exc.value.answers["target"] == "GET /items"
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_at_the_review_writes_nothing(pipe: PipeInput, tmp_path: Path) -> None:
    pipe.send_text(PAGINATION_RUN + CTRL_C)
    with pytest.raises(QuestionnaireInterrupted):
        run_questionnaire(
            "pagination",
            project=tmp_path,
            force=False,
            input=pipe,
            output=DummyOutput(),
            stream=io.StringIO(),
        )
    assert list(tmp_path.iterdir()) == []


def _existing(tmp_path: Path) -> Path:
    existing = spec_path(tmp_path, "paginate-items")
    existing.parent.mkdir(parents=True)
    existing.write_text("# mine\n", encoding="utf-8")
    return existing


def test_a_typed_name_that_clashes_is_refused_at_the_first_question(
    pipe: PipeInput, tmp_path: Path
) -> None:
    existing = _existing(tmp_path)
    # The clash keeps the name prompt; Ctrl-C there proves no other was asked.
    pipe.send_text("paginate_items" + ENTER + CTRL_C)
    with pytest.raises(QuestionnaireInterrupted) as exc:
        run_questionnaire(
            "pagination",
            project=tmp_path,
            force=False,
            input=pipe,
            output=DummyOutput(),
            stream=io.StringIO(),
        )
    assert exc.value.answers == {}
    assert existing.read_text(encoding="utf-8") == "# mine\n"


def test_a_derived_name_that_clashes_is_changed_at_the_review(
    pipe: PipeInput, tmp_path: Path
) -> None:
    existing = _existing(tmp_path)
    # What next? offers no write: Change (first) -> the plan name (first).
    pipe.send_text(PAGINATION_RUN + ENTER + ENTER + "items_pages" + ENTER + ENTER)
    review = io.StringIO()
    spec = run_questionnaire(
        "pagination",
        project=tmp_path,
        force=False,
        input=pipe,
        output=DummyOutput(),
        stream=review,
    )
    assert spec.plan_name == "items-pages"
    assert ".planner/specs/paginate-items.toml exists" in review.getvalue()
    assert existing.read_text(encoding="utf-8") == "# mine\n"
    assert read_spec(spec_path(tmp_path, "items-pages")).spec == spec


def test_force_replaces_an_existing_spec(pipe: PipeInput, tmp_path: Path) -> None:
    existing = _existing(tmp_path)
    pipe.send_text(PAGINATION_RUN + ENTER)
    run_questionnaire(
        "pagination",
        project=tmp_path,
        force=True,
        input=pipe,
        output=DummyOutput(),
        stream=io.StringIO(),
    )
    assert 'kind = "pagination"' in existing.read_text(encoding="utf-8")


# Name, target, style, then a default size above the maximum, then defaults.
TOO_BIG = ENTER + "GET /items" + ENTER + ENTER + "500" + ENTER + ENTER * 4


def test_an_invalid_combination_keeps_the_answers_and_one_is_changed(
    pipe: PipeInput, tmp_path: Path
) -> None:
    # Change an answer -> the default page size (4th) -> 50 -> write.
    change = ENTER + DOWN * 3 + ENTER + "50" + ENTER
    pipe.send_text(TOO_BIG + change + ENTER)
    review = io.StringIO()
    spec = run_questionnaire(
        "pagination",
        project=tmp_path,
        force=False,
        input=pipe,
        output=DummyOutput(),
        stream=review,
    )
    assert isinstance(spec, PaginationSpec)
    assert (spec.default_size, spec.target) == (50, "GET /items")
    assert "default_size (500) exceeds max_size (100)" in review.getvalue()


def test_cancelling_an_invalid_combination_writes_nothing(
    pipe: PipeInput, tmp_path: Path
) -> None:
    pipe.send_text(TOO_BIG + DOWN + ENTER)  # Change, Cancel: no Write offered
    with pytest.raises(QuestionnaireInterrupted):
        run_questionnaire(
            "pagination",
            project=tmp_path,
            force=False,
            input=pipe,
            output=DummyOutput(),
            stream=io.StringIO(),
        )
    assert list(tmp_path.iterdir()) == []


def test_changing_one_field_of_three_keeps_the_others(
    pipe: PipeInput, tmp_path: Path
) -> None:
    fields = "".join(
        f"{name}{ENTER}" + ENTER * 5 + ("y" if more else "n")
        for name, more in (("title", True), ("summary", True), ("body", False))
    )
    rest = DOWN * 4 + SPACE + ENTER + DOWN + ENTER + ENTER * 13
    pipe.send_text(ENTER + "note" + ENTER + ENTER * 3 + fields + rest)
    pipe.send_text(DOWN + ENTER)  # What next? Write, Change an answer, Cancel
    # Which? plan name, resource name, plural, description, id, Field 1, Field 2
    pipe.send_text(DOWN * 6 + ENTER)
    # Field 2 again, its answers offered: rename, keep str, not required, 80.
    pipe.send_text(BACKSPACE * 7 + "abstract" + ENTER + ENTER + "n" + ENTER)
    pipe.send_text("80" + ENTER + ENTER)
    pipe.send_text(ENTER)  # write
    spec = run_questionnaire(
        "crud-resource",
        project=tmp_path,
        force=False,
        input=pipe,
        output=DummyOutput(),
        stream=io.StringIO(),
    )
    assert isinstance(spec, CrudResourceSpec)
    names = [(f.name, f.required, f.max_length) for f in spec.resource.fields]
    assert names == [
        ("title", True, None),
        ("abstract", False, 80),
        ("body", True, None),
    ]
