"""Shared role and scope checks: how routes admit only some signed-in callers."""

from __future__ import annotations

import ast

from planner.engine.builder import Context, PlanBuilder
from planner.inspect.model.names import words
from planner.render.escape import code


def existing_role_check(ctx: Context) -> tuple[str, str] | None:
    """The project's own role-check dependency and its module, if routes use one.

    Read from the routes (``require_admin``, ``get_current_active_superuser``,
    ``PermissionDependency``...), as the project model measured it.
    """
    if ctx.targets is None:
        return None
    found = dict(ctx.targets.conventions).get("role_check_dependency", "")
    if not found:
        return None
    name, _, module = found.partition(" (")
    return name, module.rstrip(")")


def _module_file(ctx: Context, module: str) -> str:
    """The project file of a dotted module, else the layout's deps module."""
    tail = module.replace(".", "/")
    for path in sorted(ctx.layout.existing):
        if path in (f"{tail}.py", f"{tail}/__init__.py") or path.endswith(
            (f"/{tail}.py", f"/{tail}/__init__.py")
        ):
            return path
    return ctx.layout.deps_module


def plan_role_check(
    ctx: Context,
    plan: PlanBuilder,
    roles: tuple[str, ...],
    *,
    beside: str = "",
    router_file: str = "",
) -> None:
    """Plan the role check of role-restricted routes: the project's own, else new.

    A project whose routes already admit callers by role through a dependency
    gets that dependency reused: one its routes call with the roles
    (``require_role(["admin"])``) is called with the spec's in
    ``router_file``, with no change to it. Only a project without one gets a
    `require_role` factory, in ``beside`` (the module of the current-user
    dependency it builds on) or else the layout's dependencies module.
    """
    names = ", ".join(code(r) for r in roles)
    found = existing_role_check(ctx)
    applied = _role_check_for(ctx, found[0], roles) if found and router_file else ""
    if found is not None and applied:
        name, module = found
        plan.file(
            router_file,
            "path operations",
            f"Restrict the routes to {names} with the project's own {code(name)} "
            f"(from {code(module)}), which takes the roles as its routes pass "
            f"them: {code(applied)} in the decorator's `dependencies=[...]`.",
        )
        plan.practice("admin-route-dependencies")
        return
    if found is not None and router_file:
        # Applied as the routes apply it: its module does not change.
        reuse_role_check(plan, found, roles, router_file=router_file)
        return
    if found is not None:
        name, module = found
        plan.file(
            _module_file(ctx, module),
            "shared dependencies",
            f"Restrict the routes to {names} with the project's own "
            f"{code(name)} (from {code(module)}), as its other admin routes "
            "do; extend it to these roles if it checks another one, rather than "
            "adding a second role-check dependency.",
        )
        _ask_roles(plan, name, names)
        plan.practice("admin-route-dependencies")
        return
    plan.file(
        beside or ctx.layout.deps_module,
        "shared dependencies",
        f"Add a `require_role(*roles)` dependency factory (roles: {names}) that "
        "answers 403 for a caller without the role; attach it with "
        "`dependencies=[Depends(require_role(...))]`, on the `APIRouter` when "
        "every route of it needs the role.",
    )
    plan.practice("admin-route-dependencies")


def reuse_role_check(
    plan: PlanBuilder,
    found: tuple[str, str],
    roles: tuple[str, ...],
    *,
    router_file: str,
) -> None:
    """Apply the project's role check, which takes no roles, to the new routes.

    Written in the router module: the check's own module does not change.
    Where its name does not say it admits the roles (``get_admin_user`` for
    ``admin``), the plan asks rather than assuming it must be extended.
    """
    name, module = found
    names = ", ".join(code(r) for r in roles)
    plan.file(
        router_file,
        "path operations",
        f"Restrict the routes to {names} with the project's own {code(name)} "
        f"(from {code(module)}), as its other admin routes do; its module does "
        "not change.",
    )
    if not names_roles(name, roles):
        _ask_roles(plan, name, names)
    plan.practice("admin-route-dependencies")


def _ask_roles(plan: PlanBuilder, name: str, names: str) -> None:
    plan.ask(
        f"Does {code(name)} admit exactly the roles {names}? If it checks "
        "another role, extend it (or add a sibling beside it) instead of "
        "writing a new factory."
    )


def names_roles(name: str, roles: tuple[str, ...]) -> bool:
    """Whether a check's name spells every role (``get_current_super_admin``).

    A role is spelled by consecutive words of the name, however joined:
    ``superadmin`` and ``super_admin`` alike.
    """
    parts = words(name)
    spelled = {
        "".join(parts[i:j])
        for i in range(len(parts))
        for j in range(i + 1, len(parts) + 1)
    }
    return bool(roles) and all("".join(words(r)) in spelled for r in roles)


def _role_check_for(ctx: Context, name: str, roles: tuple[str, ...]) -> str:
    """The project's role-check call as its routes write it, with ``roles``.

    "" unless routes call it with role names (a list of them, or one each).
    """
    written = ctx.targets.convention("role_check_written") if ctx.targets else ""
    try:
        tree = ast.parse(written, mode="eval")
    except SyntaxError:
        return ""
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and node.args):
            continue
        func = node.func
        called = (
            func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        )
        first = node.args[0]
        if called != name:
            continue
        given: list[ast.expr] = [ast.Constant(r) for r in roles]
        if isinstance(first, ast.List | ast.Tuple | ast.Set):
            first.elts = given
        elif isinstance(first, ast.Constant) and isinstance(first.value, str):
            node.args = given
        else:
            return ""
        return ast.unparse(tree)
    return ""


def plan_scope_check(ctx: Context, plan: PlanBuilder) -> None:
    """Plan the `SecurityScopes` check for scope-restricted routes."""
    dep = ctx.layout.current_user_dep or "get_current_user"
    if dep[:1].isupper():  # an `Annotated` alias: Security() takes the function
        dep = "get_current_user"
    plan.file(
        ctx.layout.deps_module,
        "shared dependencies",
        f"Check scopes with `Security({dep}, scopes=[...])` (the dependency "
        "function itself, not an `Annotated` alias) and a "
        "`SecurityScopes` parameter; answer 403 with `WWW-Authenticate: Bearer "
        'error="insufficient_scope", scope="..."` when one is missing.',
    )
    plan.practice("security-scopes")
