"""The bundled rules, a package per kind; importing a module registers its rules.

Rule ids read `<prefix>.<name>`. A prefix that names a package here
(`websocket.route` → `planner/rules/websocket/`) needs nothing else: importing
the package registers its rules. `MODULES` lists the prefixes whose rules live
in named modules instead. A blueprint imports only the modules of the prefixes
it names, so a crud-resource plan never loads the auth rules.
"""

from __future__ import annotations

import importlib
import pkgutil

__all__ = ["MODULES", "import_rules"]

# Prefixes whose rules live in modules other than a package of their name.
MODULES: dict[str, tuple[str, ...]] = {
    "auth": ("auth.core",),
    "common": ("shared.common",),
    "crud": ("crud.http",),
    "endpoint": ("endpoint.core", "endpoint.options", "endpoint.router"),
    "pagination": ("pagination.core",),
    "resource": ("crud.data", "crud.schemas", "crud.diagram"),
}


def _packages() -> list[str]:
    """The rule packages beside this module, by name."""
    return sorted(info.name for info in pkgutil.iter_modules(__path__) if info.ispkg)


def import_rules(prefix: str | None = None) -> None:
    """Import the modules registering the rules of `prefix` (None: every module)."""
    if prefix is None:
        names = [*(n for group in MODULES.values() for n in group), *_packages()]
    elif prefix in MODULES:
        names = list(MODULES[prefix])
    elif prefix in _packages():
        names = [prefix]
    else:
        return  # no such rules: the blueprint names them as unknown
    for name in names:
        importlib.import_module(f"planner.rules.{name}")
