"""How new data access is written where the project reaches data its own way.

A route beside others that call `ConversationAdapters.get_by_user(...)` (a
Django adapter) or `rpc._rpc_delete(...)` (an object a dependency hands
them) adds its data function the same way: beside the one they call, with
no SQLAlchemy session the project's routes never take.
"""

from __future__ import annotations

from dataclasses import dataclass

from planner.engine.builder import Context
from planner.render.escape import code
from planner.rules.shared.params import data_holder


@dataclass(frozen=True, slots=True)
class DataWay:
    """What a neighbouring route calls for its data, and where a new one goes.

    `call` is written as the handler writes it (`rpc._rpc_delete`), `caller`
    is that handler, and `owner` the class a new function joins as a method
    (`RPC`, `ConversationAdapters`), "" for a module's function.
    """

    call: str
    caller: str
    owner: str

    @property
    def beside(self) -> str:
        """Where the new function goes, in words."""
        where = f", a method of {code(self.owner)}," if self.owner else ""
        return (
            f"{where} beside {code(self.call)} (which {code(self.caller)} calls), "
            "written as that one is"
        )


def data_way(ctx: Context) -> DataWay | None:
    """The neighbouring route's data call, where planner read one."""
    found = ctx.targets.slot("data_like") if ctx.targets is not None else None
    call, _, caller = (found or "").partition(" ")
    if not call or not caller:
        return None
    head, dot, _ = call.rpartition(".")
    owner = ""
    if dot:
        holder = data_holder(ctx)
        if holder is not None and head == holder.name:
            owner = holder.type_
        elif head[:1].isupper():
            owner = head
    return DataWay(call, caller, owner)


def takes_session(ctx: Context) -> bool:
    """Whether a new data function takes a session its route hands it.

    Not where the project's routes reach their data another way planner
    read: an object a dependency hands them (`rpc: RPC`), or, with no
    session dependency used or defined, a data layer of their own (a Django
    adapter's methods, or no SQLAlchemy at all). A plan for no project read,
    or one whose routes show no way at all, keeps the session.
    """
    if ctx.targets is None:
        return True
    if data_holder(ctx) is not None:
        return False
    lay = ctx.layout
    if lay.session_dep_exists or ctx.targets.convention("session_dependency"):
        return True
    return lay.orm_found and data_way(ctx) is None


def layer_unread(ctx: Context) -> str:
    """What planner says of a data layer it does not read, "" where it does."""
    if ctx.targets is None or ctx.layout.orm_found:
        return ""
    return (
        "planner reads no ORM in this project (SQLAlchemy and SQLModel only), "
        "so it names no query code: use the project's own, as the functions "
        "beside it do."
    )
