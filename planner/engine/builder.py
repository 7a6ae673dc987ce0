"""The API for rule authors: Rule, @rule, and the PlanBuilder rules write into."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TypeVar, cast

from planner.engine.knowledge import KnowledgeBase, PracticeNote, applies, at_least
from planner.inspect.layout import FileAction, Layout
from planner.inspect.model import Targets
from planner.plan import (
    Diagram,
    Endpoint,
    FileChange,
    Note,
    NoteCategory,
    Schema,
    Step,
    Table,
    TestCase,
)
from planner.spec import AnySpec

__all__ = ["Context", "PlanBuilder", "Rule", "RuleFn", "registered_rules", "rule"]


T = TypeVar("T")


@dataclass(frozen=True)
class Context:
    """What a rule reads: the spec, the project's layout and the knowledge base."""

    spec: AnySpec
    layout: Layout
    knowledge: KnowledgeBase
    # What the project's own resources say this spec touches (None: no model).
    targets: Targets | None = None
    session_context: tuple[str, ...] = ()
    context_source: str | None = None
    # Which project files the rules asked about, and the answers: the plan
    # depends on these, not on every file the project has.
    checked: dict[str, bool] = field(default_factory=dict, compare=False)
    # What `derive` computed for this plan, by function.
    _derived: dict[Callable[[Context], object], object] = field(
        default_factory=dict, compare=False, repr=False
    )

    def exists(self, path: str) -> bool:
        """Tell whether the project has `path`, remembering that it was asked."""
        found = path in self.layout.existing
        self.checked[path] = found
        return found

    def derive(self, fn: Callable[[Context], T]) -> T:
        """Return `fn(self)`, computed once per plan: several rules share it.

        `fn` must be pure (it reads the context only) and its result is shared,
        so it must not be changed by the caller.
        """
        if fn not in self._derived:
            self._derived[fn] = fn(self)
        return cast("T", self._derived[fn])


RuleFn = Callable[[Context, "PlanBuilder"], None]


@dataclass(frozen=True)
class Rule:
    """A named, documented function that adds to a plan."""

    id: str
    fn: RuleFn
    doc: str


_REGISTRY: dict[str, Rule] = {}


def rule(rule_id: str) -> Callable[[RuleFn], RuleFn]:
    """Register a function as the rule `rule_id` (ids are unique)."""

    def register(fn: RuleFn) -> RuleFn:
        if rule_id in _REGISTRY:
            raise ValueError(f"rule {rule_id!r} is registered twice")
        doc = (fn.__doc__ or "").strip().splitlines()
        _REGISTRY[rule_id] = Rule(rule_id, fn, doc[0] if doc else "")
        return fn

    return register


def registered_rules() -> dict[str, Rule]:
    """Return every registered rule by id (importing the bundled rules first)."""
    from planner.rules import import_rules

    import_rules()
    return dict(_REGISTRY)


def _registered_rule(rule_id: str) -> Rule | None:
    """Return the rule `rule_id`, importing only the bundled modules of its prefix."""
    from planner.rules import import_rules

    import_rules(rule_id.partition(".")[0])
    return _REGISTRY.get(rule_id)


# The order of the notes' categories in a plan.
_CATEGORY_ORDER = {
    category: rank
    for rank, category in enumerate(
        ("security", "performance", "practice", "testing", "compatibility")
    )
}


@lru_cache(maxsize=1024)  # pure; every plan quotes the same notes
def _practice_note(entry: PracticeNote, has: str | None) -> Note:
    """Return a knowledge note as plans quote it, given what the project has.

    ``has`` says the project's version is older than the note's (``has
    pydantic 1.10.13``, ``allows pydantic <2.0.0 only``), None when it is not
    known to be.
    """
    text = entry.text
    if has is not None:
        older = (
            entry.older or "this plan keeps the older idiom, as the project writes it"
        )
        text = (
            f"Your project {has}, older than {entry.since}: "
            f"{older.rstrip('.')}. Once upgraded: {text}"
        )
    return Note(
        category=entry.category,
        text=text,
        id=entry.id,
        old=entry.old,
        since=entry.since_label(),
        source=entry.source,
    )


# What a file that serves routes is called, whatever else it holds.
ROUTES_PURPOSE = "path operations"


@dataclass
class _FileDraft:
    path: str
    action: FileAction
    purpose: str
    guidance: list[str] = field(default_factory=list)


class PlanBuilder:
    """Collects what rules contribute; repeats merge, order is rule order."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self._versions = dict(ctx.layout.versions)
        self._ceilings = dict(ctx.layout.ceilings)
        self.title = ""
        self.summary = ""
        self._files: dict[str, _FileDraft] = {}
        self.endpoints: list[Endpoint] = []
        self.schemas: list[Schema] = []
        self.tables: list[Table] = []
        self.migration: list[str] = []
        self.diagrams: list[Diagram] = []
        self._notes: dict[str, Note] = {}
        self.tests: list[TestCase] = []
        self._test_keys: set[tuple[str, str]] = set()
        self.steps: list[Step] = []
        self.assumptions: list[str] = []
        self.open_questions: list[str] = []
        self.risks: list[str] = []

    def file(
        self,
        path: str,
        purpose: str,
        *guidance: str,
        action: FileAction | None = None,
    ) -> None:
        """Add a file, or more guidance to one already planned.

        The first purpose wins, except that a file serving routes is named
        for that (its schemas or data access may share it).
        """
        draft = self._files.get(path)
        if draft is None:
            exists = self._ctx.exists(path)
            # A project that was read settles it; a rule's `modify` is a
            # premise (the list to page exists) only where nothing was read.
            read = self._ctx.layout.source != "default"
            chosen: FileAction = (
                action if action and not read else "modify" if exists else "create"
            )
            self._files[path] = draft = _FileDraft(path, chosen, purpose)
        elif purpose == ROUTES_PURPOSE and "routes" not in draft.purpose:
            draft.purpose = purpose
        draft.guidance.extend(g for g in guidance if g not in draft.guidance)

    def has_file(self, path: str) -> bool:
        """Tell whether a file is already part of the plan."""
        return path in self._files

    def creates(self, path: str) -> bool:
        """Tell whether the plan creates a file (not one it changes)."""
        draft = self._files.get(path)
        return draft is not None and draft.action == "create"

    def is_blank(self, path: str) -> bool:
        """Tell whether a planned file has no guidance yet."""
        draft = self._files.get(path)
        return draft is not None and not draft.guidance

    def note(self, category: NoteCategory, text: str, *, key: str = "") -> None:
        """Add a note written by the rule itself (deduplicated by key or text)."""
        self._notes.setdefault(key or text, Note(category=category, text=text))

    def practice(self, note_id: str, *, has: str | None = None) -> None:
        """Add a note from the knowledge base, aware of the project's versions.

        ``has`` says how the project is older than the note where its
        versions alone do not show it (``uses Pydantic v1``).
        """
        if note_id in self._notes:
            return
        entry = self._ctx.knowledge.get(note_id)
        self._notes[note_id] = _practice_note(entry, self._older(entry) or has)

    def habit(self, note_id: str) -> None:
        """Add a knowledge note the plan's own guidance already follows.

        The guidance says what to do, so the note would only repeat it; it is
        shown when the project's resolved version predates the note, since the
        reader then needs its version caveat.
        """
        entry = self._ctx.knowledge.get(note_id)
        if self._older(entry) is not None:
            self.practice(note_id)

    def _older(self, entry: PracticeNote) -> str | None:
        """How the project's version is older than a note's, if it is known to be.

        A resolved version (a lock or an exact pin) older than the note's, or
        an upper bound below it (``<2.0.0``); a lower bound alone says nothing
        of what is installed.
        """
        if not entry.since:
            return None
        installed = self._versions.get(entry.package)
        if applies(entry, installed) is False:
            return f"has {entry.package} {installed}"
        bound = self._ceilings.get(entry.package, "")
        limit = bound.lstrip("<=")
        below = at_least(limit, entry.since) is False or (
            not bound.startswith("<=") and at_least(entry.since, limit) is True
        )
        if installed is None and bound and below:
            return f"allows {entry.package} {bound} only"
        return None

    def step(self, title: str, detail: str = "") -> None:
        """Append a step to the order of work."""
        self.steps.append(Step(title=title, detail=detail))

    def test(self, file: str, name: str, checks: str) -> None:
        """Plan a test (deduplicated by file and name)."""
        if (file, name) not in self._test_keys:
            self._test_keys.add((file, name))
            self.tests.append(TestCase(file=file, name=name, checks=checks))

    def assume(self, text: str) -> None:
        """Record an assumption the plan makes."""
        if text not in self.assumptions:
            self.assumptions.append(text)

    def ask(self, text: str) -> None:
        """Record an open question for the team."""
        if text not in self.open_questions:
            self.open_questions.append(text)

    def risk(self, text: str) -> None:
        """Record a risk the summary names (once, in the order rules found it)."""
        if text not in self.risks:
            self.risks.append(text)

    def files(self) -> tuple[FileChange, ...]:
        """Return the planned files, in the order rules first named them."""
        return tuple(
            FileChange(
                path=d.path,
                action=d.action,
                purpose=d.purpose,
                guidance=tuple(d.guidance),
            )
            for d in self._files.values()
        )

    def notes(self) -> tuple[Note, ...]:
        """Return the notes grouped by category, in a fixed category order."""
        return tuple(
            sorted(self._notes.values(), key=lambda n: _CATEGORY_ORDER[n.category])
        )
