"""The interactive `planner new`: ask, review, change answers, save the spec."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from planner.config import load_config
from planner.errors import QuestionnaireInterrupted, SpecError
from planner.interactive.answers import (
    Answers,
    Prompter,
    build_spec,
    change_answer,
    default_text,
    remove_item,
)
from planner.interactive.ask import ask, show, terminal_prompter
from planner.interactive.questions import (
    Choice,
    Question,
    QuestionGroup,
    QuestionSet,
    load_question_set,
)
from planner.interactive.suggest import read_hints, with_hints
from planner.spec import AnySpec
from planner.specfile import dump_spec, save_schema, write_atomic

if TYPE_CHECKING:
    from prompt_toolkit.input import Input
    from prompt_toolkit.output import Output

__all__ = ["run_questionnaire", "spec_path"]

_WRITE, _CHANGE, _CANCEL = "write", "change", "cancel"


def spec_path(project: Path, name: str) -> Path:
    """Return where the questionnaire saves the spec of plan `name` (specs_dir)."""
    return project / load_config(project).specs_dir / f"{name}.toml"


def run_questionnaire(
    kind: str,
    *,
    project: Path,
    force: bool,
    input: Input | None = None,
    output: Output | None = None,
    stream: TextIO | None = None,
) -> AnySpec:
    """Ask for a spec of `kind`, show it, let the user change answers, then save it.

    The plan name is asked first and checked against the specs there are.
    After the last question the spec is shown with a choice: write it, change
    one answer (one field of several, say) and review again, or cancel.
    Answers survive an invalid combination: the user changes what is wrong.

    Args:
        kind: The spec kind, e.g. "crud-resource".
        project: The project folder; the spec goes to `.planner/specs/`.
        force: Replace an existing spec of the same name.
        input: prompt_toolkit input (tests); the terminal by default.
        output: prompt_toolkit output (tests); the terminal by default.
        stream: Where the review is shown; stderr by default.

    Raises:
        NotInteractiveError: There is no terminal to ask on.
        QuestionnaireInterrupted: Ctrl-C or Ctrl-D, or the user chose to
            cancel; nothing was written.
    """
    prompter = terminal_prompter(input, output)
    # Defaults and suggestions the project's own code gives (ids, resources,
    # list routes, its current-user dependency).
    question_set = with_hints(load_question_set(kind), read_hints(project))
    # `[tool.planner.defaults]` answers are offered first, as earlier answers are.
    defaults: Answers = dict(load_config(project).defaults)

    def check(question: Question, raw: Any) -> str | None:
        return _name_clash(question, raw, project=project, force=force)

    answers = ask(
        question_set, input=input, output=output, previous=defaults, check=check
    )
    while True:
        spec, problem = _review(question_set, answers, project=project, force=force)
        text = ""
        if spec is None or problem is not None:
            show(problem or "", stream=stream)
        else:
            text = dump_spec(spec)
            show(f"\n# {_shown_path(spec, project)}\n{text}", stream=stream)
        action = _choose_action(prompter, ok=problem is None, answers=answers)
        if action == _WRITE and spec is not None:
            saved = spec_path(project, spec.plan_name)
            write_atomic(saved, text, force=force)
            problem = save_schema(saved, spec.kind, project=project)
            if problem:
                show(f"note: {problem}; editors will not check the spec", stream=stream)
            return spec
        if action == _CANCEL:
            raise QuestionnaireInterrupted(
                "you chose not to write the plan; nothing was written",
                answers=answers,
            )
        answers = _change(question_set, answers, prompter, check)


def _name_clash(
    question: Question, raw: Any, *, project: Path, force: bool
) -> str | None:
    """A plan name whose spec exists is refused as it is typed (unless --force)."""
    name = str(raw).strip()
    if question.key != "name" or not name or force:
        return None
    stem = name.replace("_", "-")
    for candidate in dict.fromkeys((name, stem)):
        target = spec_path(project, candidate)
        if target.exists():
            return (
                f"{_relative(target, project)} exists; choose another name "
                "(or pass --force to replace it)"
            )
    return None


def _review(
    question_set: QuestionSet, answers: Answers, *, project: Path, force: bool
) -> tuple[AnySpec | None, str | None]:
    """The spec the answers make, or why they make none that can be written."""
    try:
        spec = build_spec(question_set, answers)
    except SpecError as err:
        hint = f"\nhint: {err.hint}" if err.hint else ""
        return None, (
            f"These answers do not work together:\n{err.message}{hint}\n"
            "Change an answer to fix it; the others are kept."
        )
    target = spec_path(project, spec.plan_name)
    if target.exists() and not force:
        return spec, (
            f"{_relative(target, project)} exists: a spec of this name. Change "
            "the plan name, or cancel and pass --force to replace it."
        )
    return spec, None


def _choose_action(prompter: Prompter, *, ok: bool, answers: Answers) -> str:
    choices = [
        *([Choice(value=_WRITE, title="Write the plan")] if ok else []),
        Choice(value=_CHANGE, title="Change an answer"),
        Choice(value=_CANCEL, title="Cancel: write nothing"),
    ]
    question = Question(
        key="next", type="select", prompt="What next?", choices=tuple(choices),
        default=choices[0].value,
    )  # fmt: skip
    try:
        return str(prompter(question, question.default, lambda raw: None))
    except (KeyboardInterrupt, EOFError) as err:
        raise QuestionnaireInterrupted(answers=answers) from err


def _answer_label(question: Question, value: Any) -> str:
    if question.type == "confirm":
        shown = "yes" if value else "no"
    elif question.type == "checkbox":
        shown = ", ".join(value) or "none"
    else:
        shown = default_text(question, value) or "(empty)"
    return f"{question.prompt.rstrip(':?')}: {shown}"


def _change_choices(question_set: QuestionSet, answers: Answers) -> list[Choice]:
    """Every answer given, each item of a group apart, and adding or removing one."""
    choices: list[Choice] = []
    for entry in question_set.questions:
        if entry.key not in answers:
            continue
        if isinstance(entry, Question):
            label = _answer_label(entry, answers[entry.key])
            choices.append(Choice(value=entry.key, title=label))
            continue
        items = answers[entry.key]
        first = entry.items[0].key
        for n, item in enumerate(items):
            title = f"{entry.label} {n + 1}: {item.get(first, '')}"
            choices.append(Choice(value=f"{entry.key}#{n}", title=title))
        if len(items) < entry.max_items:
            choices.append(
                Choice(value=f"{entry.key}#+", title=f"Add a {entry.label.lower()}")
            )
        if len(items) > entry.min_items:
            title = f"Remove a {entry.label.lower()}"
            choices.append(Choice(value=f"{entry.key}#-", title=title))
    return choices


def _pick(prompter: Prompter, prompt: str, choices: list[Choice]) -> str:
    question = Question(
        key="pick", type="select", prompt=prompt, choices=tuple(choices),
        default=choices[0].value,
    )  # fmt: skip
    return str(prompter(question, question.default, lambda raw: None))


def _change(
    question_set: QuestionSet, answers: Answers, prompter: Prompter, check: Any
) -> Answers:
    """Let the user pick one answer and give it again; the rest are kept."""
    try:
        picked = _pick(
            prompter, "Which answer?", _change_choices(question_set, answers)
        )
        key, _, item = picked.partition("#")
        if item == "-":
            group = next(e for e in question_set.questions if e.key == key)
            if not isinstance(group, QuestionGroup):  # only groups offer removal
                raise TypeError(f"{key} is not a group")
            items = answers[key]
            first = group.items[0].key
            which = _pick(
                prompter,
                f"Remove which {group.label.lower()}?",
                [
                    Choice(
                        value=str(n), title=f"{group.label} {n + 1}: {x.get(first, '')}"
                    )
                    for n, x in enumerate(items)
                ],
            )
            return remove_item(answers, key=key, item=int(which))
    except (KeyboardInterrupt, EOFError) as err:
        raise QuestionnaireInterrupted(answers=answers) from err
    index = None if item in ("", "+") else int(item)
    if item == "+":
        index = len(answers.get(key) or [])
    return change_answer(
        question_set, answers, prompter, key=key, item=index, check=check
    )


def _shown_path(spec: AnySpec, project: Path) -> str:
    return _relative(spec_path(project, spec.plan_name), project)


def _relative(path: Path, project: Path) -> str:
    try:
        return path.relative_to(project).as_posix()
    except ValueError:
        return path.as_posix()
