"""Read an existing FastAPI project into facts, from its files alone; read-only."""

from __future__ import annotations

import dataclasses
from pathlib import Path

from planner.errors import InspectionError
from planner.facts import PackageVersion, ProjectFacts
from planner.inspect.code import read_code
from planner.inspect.corpus import read_corpus
from planner.inspect.extras import (
    find_alembic,
    find_generated_client,
    find_sql_migrations,
    find_tests,
)
from planner.inspect.findings import describe
from planner.inspect.model.shared import parse_store, project_files, tree_listing
from planner.inspect.versions import read_versions
from planner.inspect.walk import Listing, is_requirements, listing_from

__all__ = ["inspect_project"]

_VERSION_FILES = ("pyproject.toml", "uv.lock", "poetry.lock", "Pipfile", "Pipfile.lock")


def _existing(listing: Listing) -> frozenset[str]:
    return frozenset(listing.python + listing.config + listing.sql)


def _list(root: Path, ignore: frozenset[str]) -> Listing:
    if not root.is_dir():
        raise InspectionError(
            f"project folder {root} does not exist or is not a folder",
            hint="pass --project DIR with the folder holding the FastAPI project",
        )
    tree = tree_listing(root, ignore)
    if tree.error is not None:
        raise InspectionError(
            f"project folder {root} cannot be read: {tree.error}",
            hint="check the folder's permissions",
        )
    return listing_from(tree.files, tree.links)


def _read_versions(
    root: Path, files: list[str]
) -> tuple[tuple[PackageVersion, ...], tuple[str, ...]]:
    """`read_versions`, with files nested too deeply for the parser set aside."""
    try:
        return read_versions(root, files)
    except RecursionError:
        deep = []
        for rel in files:
            try:
                read_versions(root, [rel])
            except RecursionError:
                deep.append(rel)
        versions, bad = read_versions(root, [f for f in files if f not in deep])
        return versions, (*bad, *deep)


def inspect_project(
    root: Path, *, ignore: frozenset[str] = frozenset(), api_app: str | None = None
) -> ProjectFacts:
    """Read the project at `root` into facts; never imports or runs its code.

    Files whose relative path is in `ignore` are read as absent. `api_app`
    (``path/to/module.py:name``) is the API app where the project has several.

    Raises:
        InspectionError: `root` is missing or cannot be listed.
    """
    listing = _list(root, ignore)
    sources = {src.path: src for src in project_files(root, ignore).sources}
    corpus = read_corpus(listing.python, sources, parse_store(root))
    version_files = [
        rel
        for rel in listing.config
        if rel.rpartition("/")[2] in _VERSION_FILES or is_requirements(rel)
    ]
    versions, bad_configs = _read_versions(root, version_files)
    code = read_code(corpus, listing.config, versions, api_app=api_app)
    alembic = find_alembic(root, listing, corpus)
    facts = dataclasses.replace(
        code,
        versions=versions,
        alembic=alembic,
        sql_migrations=None if alembic else find_sql_migrations(listing),
        tests=find_tests(root, listing, corpus, code),
        generated_client=find_generated_client(root, listing),
        existing=_existing(listing),
        unreadable=tuple(sorted({*corpus.unparsable, *bad_configs})),
    )
    return dataclasses.replace(facts, findings=describe(facts))
