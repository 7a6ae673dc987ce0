"""Access to the data planner ships: blueprints and question sets."""

from __future__ import annotations

import sys
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
    """Return the `planner` package's folder as importlib.resources sees it.

    For a package installed as plain files (the usual case), that is the folder
    on disk that `importlib.resources.files` would return; finding it directly
    spares a cold `planner new` importing importlib's resource readers (and
    zipfile with them), about 2 ms. A package imported any other way, from a
    zip file say, goes through `importlib.resources.files`.
    """
    spec = sys.modules["planner"].__spec__
    locations = list(spec.submodule_search_locations or []) if spec else []
    if len(locations) == 1 and Path(locations[0], "__init__.py").is_file():
        return Path(locations[0])
    from importlib.resources import files

    return files("planner")
