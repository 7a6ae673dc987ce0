"""The bundled rules, a package per kind; importing a module registers its rules.

A blueprint imports only the modules of the rule-id prefixes it names, so a
crud-resource plan never loads the auth rules.
"""

from __future__ import annotations

import importlib

__all__ = ["MODULES", "import_rules"]

# Rule ids read `<prefix>.<name>`; these modules register each prefix's rules.
MODULES: dict[str, tuple[str, ...]] = {
    "auth": ("auth.core",),
    "common": ("shared.common",),
    "crud": ("crud.http",),
    "endpoint": ("endpoint.core", "endpoint.options", "endpoint.router"),
    "pagination": ("pagination.core",),
    "resource": ("crud.data",),
}


def import_rules(prefix: str | None = None) -> None:
    """Import the modules registering the rules of `prefix` (None: every module)."""
    groups = MODULES.values() if prefix is None else [MODULES.get(prefix, ())]
    for group in groups:
        for name in group:
            importlib.import_module(f"planner.rules.{name}")
