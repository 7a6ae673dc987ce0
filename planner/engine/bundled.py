"""Access to the data planner ships: blueprints and question sets."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable


@cache
def bundled_root() -> Traversable:
    """Return the folder holding `blueprints/` and `questions/`.

    An installed wheel carries them as `planner/_bundled/`. A source checkout
    (an editable install, or tests run from the repository) keeps them at the
    repository root beside the package; hatchling's editable install would
    only hold a stale copy, so the checkout's own folders win there.
    """
    package = _package_folder()
    installed = package / "_bundled"
    if installed.is_dir():
        return installed
    return Path(str(package)).parent


def blueprints_dir() -> Traversable:
    """Return the bundled `blueprints/` folder."""
    return bundled_root() / "blueprints"


def questions_dir() -> Traversable:
    """Return the bundled `questions/` folder."""
    return bundled_root() / "questions"


def _package_folder() -> Traversable:
    """Return the `planner` package's folder, wherever it was imported from."""
    from importlib.resources import files

    return files("planner")
