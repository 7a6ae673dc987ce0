"""The project's app-wide exception handlers, as rules use them."""

from __future__ import annotations

from dataclasses import dataclass

from planner.engine.builder import Context
from planner.render.escape import code


@dataclass(frozen=True, slots=True)
class AppHandler:
    """An exception the app answers for every route, and where that is written."""

    exception: str
    handler: str
    where: str

    @property
    def named(self) -> str:
        """The handler as a plan names it, with where it is registered."""
        return f"the app's {code(self.handler)} ({code(self.where)})"


def unique_handler(ctx: Context) -> AppHandler | None:
    """The handler that answers a unique violation with 409, if the app has one."""
    found = ctx.targets.convention("handler_unique") if ctx.targets else ""
    parts = found.split(" ")
    return AppHandler(*parts) if len(parts) == 3 else None


def propagates(handler: AppHandler) -> str:
    """Data-access guidance where the app answers unique violations itself."""
    if handler.exception == "IntegrityError":
        return (
            "Let `IntegrityError` from the commit propagate: "
            f"{handler.named} answers it with 409 for every route, so catching "
            "it here would only repeat that; a pre-check query alone is racy."
        )
    return (
        f"The app answers {code(handler.exception)} with 409 ({handler.named}): "
        "on a unique violation raise it, as the project's data access does, "
        "rather than a new error class; a pre-check query alone is racy."
    )
