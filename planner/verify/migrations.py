"""The planned migration: in the right tree, after the head the plan named."""

from __future__ import annotations

import ast
import posixpath
import re
from dataclasses import dataclass

from planner.inspect.model import MigrationTree, ProjectModel

from .code import SourceCache
from .planview import PlannedTable, PlanView
from .records import Finding

__all__ = ["check_migration", "is_planned_migration"]

_HEAD = re.compile(r"after head `([^`]+)`")
_DOWN = re.compile(r"`down_revision` must be `([^`]+)`")
_IN = re.compile(r" in `([^`]+)`")


@dataclass(frozen=True, slots=True)
class _Revision:
    file: str
    revision: str
    down: tuple[str, ...]
    down_line: int


def is_planned_migration(path: str, purpose: str) -> bool:
    """Whether a planned file is the migration (its name is only a placeholder)."""
    return purpose.startswith("migration") or "/versions/" in f"/{path}"


def check_migration(
    plan: PlanView, model: ProjectModel, code: SourceCache
) -> list[Finding]:
    """One finding per table the plan creates or alters."""
    tables = [t for t in plan.tables if t.action in ("create", "alter")]
    if not tables:
        return []
    folder = _planned_folder(plan)
    tree = next((t for t in model.migrations if t.versions_dir == folder), None)
    if tree is None and len(model.migrations) == 1 and not folder:
        tree = model.migrations[0]
    if tree is None:
        return [
            Finding(
                "migration",
                t.name,
                "missing",
                f"no migration tree at {folder or 'the planned folder'}",
                folder,
                plan.line_of("migration"),
            )
            for t in tables
        ]
    heads = _planned_heads(plan)
    revisions = _revisions(tree, code)
    after = _successors(revisions, heads) if heads else {r.file for r in revisions}
    if plan.rebuilt:
        after |= {r.file for r in revisions if r.revision in heads}
    return [_table(t, tree, revisions, after, heads, code, plan) for t in tables]


def _planned_folder(plan: PlanView) -> str:
    for line in plan.migration:
        if found := _IN.search(line):
            return found.group(1).rstrip("/")
    for f in plan.files:
        if is_planned_migration(f.path, f.purpose):
            return posixpath.dirname(f.path)
    return ""


def _planned_heads(plan: PlanView) -> frozenset[str]:
    text = "\n".join([*plan.migration, *(f.guidance for f in plan.files)])
    found = _HEAD.search(text) or _DOWN.search(text)
    if found is None:
        return frozenset()
    return frozenset(h.strip() for h in found.group(1).split(","))


def _revisions(tree: MigrationTree, code: SourceCache) -> list[_Revision]:
    out = []
    for path in tree.files:
        parsed = code.tree(path)
        revision, line = "", 0
        down: tuple[str, ...] = ()
        for node in parsed.body if parsed else ():
            target, value = _assignment(node)
            if target == "revision":
                revision = _strings(value)[0] if _strings(value) else ""
            elif target == "down_revision":
                down, line = _strings(value), node.lineno
        out.append(_Revision(path, revision, down, line))
    return out


def _assignment(node: ast.stmt) -> tuple[str, ast.expr | None]:
    if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
        return node.targets[0].id, node.value
    if isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
        return node.target.id, node.value
    return "", None


def _strings(node: ast.expr | None) -> tuple[str, ...]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return (node.value,)
    if isinstance(node, ast.Tuple | ast.List):
        return tuple(s for e in node.elts for s in _strings(e))
    return ()


def _successors(revisions: list[_Revision], heads: frozenset[str]) -> set[str]:
    """Files of the revisions that descend from any of `heads` (not the heads)."""
    reached = set(heads)
    files: set[str] = set()
    changed = True
    while changed:
        changed = False
        for rev in revisions:
            if rev.file not in files and reached & set(rev.down):
                files.add(rev.file)
                reached.add(rev.revision)
                changed = True
    return files


def _table(
    table: PlannedTable,
    tree: MigrationTree,
    revisions: list[_Revision],
    after: set[str],
    heads: frozenset[str],
    code: SourceCache,
    plan: PlanView,
) -> Finding:
    pattern = re.compile(
        rf"""create_table\(\s*["']{re.escape(table.name)}["']"""
        if table.action == "create"
        else rf"""["']{re.escape(table.name)}["']"""
    )
    touching = [
        (path, line)
        for path in tree.files
        if (line := _line_matching(code.text(path), pattern))
    ]
    head_text = ", ".join(sorted(heads)) or "the head"
    for path, line in touching:
        if path in after:
            return Finding(
                "migration",
                table.name,
                "ok",
                f"{table.action}s `{table.name}` after {head_text}",
                f"{path}:{line}",
            )
    if touching and heads:
        path, line = touching[-1]
        rev = next((r for r in revisions if r.file == path), None)
        down = ", ".join(rev.down) if rev and rev.down else "nothing"
        return Finding(
            "migration",
            table.name,
            "differs",
            f"{table.action}s `{table.name}` but revises {down}, not {head_text} "
            "or a successor",
            f"{path}:{rev.down_line if rev else line}",
        )
    prefixed = _prefixed(table, tree, after, code)
    if prefixed is not None:
        path, line, name = prefixed
        return Finding(
            "migration",
            table.name,
            "differs",
            f"creates `{name}`; the plan names the table `{table.name}`",
            f"{path}:{line}",
        )
    after_head = f" after {head_text}" if heads else ""
    return Finding(
        "migration",
        table.name,
        "missing",
        f"no migration in {tree.versions_dir} {table.action}s "
        f"`{table.name}`{after_head}",
        tree.versions_dir,
        plan.line_of("migration"),
    )


def _prefixed(
    table: PlannedTable, tree: MigrationTree, after: set[str], code: SourceCache
) -> tuple[str, int, str] | None:
    """A new table named like the planned one: a project prefix, or singular."""
    if table.action != "create":
        return None
    names = {re.escape(table.name), re.escape(table.name.removesuffix("s"))}
    pattern = re.compile(
        rf"""create_table\(\s*["']((?:\w+_)?(?:{"|".join(sorted(names))}))["']"""
    )
    for path in sorted(after):
        text = code.text(path)
        if found := pattern.search(text):
            return path, text.count("\n", 0, found.start()) + 1, found.group(1)
    return None


def _line_matching(text: str, pattern: re.Pattern[str]) -> int:
    found = pattern.search(text)
    return text.count("\n", 0, found.start()) + 1 if found else 0
