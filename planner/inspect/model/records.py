"""The public records of the project model (frozen, slotted, deterministic)."""

from __future__ import annotations

from dataclasses import dataclass

# Why an auth plan changes a conftest: its tests need a signed-in client.
SIGNED_IN_CLIENT = "authenticated test client"


@dataclass(frozen=True, slots=True)
class Route:
    """One endpoint the project serves, with its full served path."""

    method: str
    path: str
    file: str
    line: int
    function: str
    status_code: int | None
    calls: tuple[str, ...] = ()
    # Whether the API app reaches the route (an unmounted plugin's is not).
    served: bool = True
    # ``"list"`` when it answers a bare JSON list, else "" (not known).
    returns: str = ""
    # The dependencies that run before it without giving it a value:
    # ``dependencies=[Depends(x)]`` of its routers, includes and decorator,
    # each as ``name (module)``; the app's own run for every route and are
    # left out.
    guards: tuple[str, ...] = ()
    # Project files holding paging parameters the route takes through a
    # dependency (``Depends(parse_filters(...))``): it is paged already.
    paging: tuple[str, ...] = ()
    # The served prefix of the router the route is declared on: its decorator
    # path is written below it (`base_router` mounted at `/v1`).
    mount: str = ""
    # The class it answers with (``Run`` of ``-> List[Run]``), else "".
    response: str = ""
    # The project class it takes as its JSON body (``ListRunsRequest``), else "".
    body: str = ""
    # Each file of ``calls`` with the first function the handler calls there.
    called: tuple[tuple[str, str], ...] = ()
    # The router object its decorator names, as written (``base_router``).
    owner: str = ""
    # Whether the handler takes a database session as a parameter.
    session: bool = False
    # The files of ``calls`` holding the data access: modules named for it,
    # and others that reach a database (an ORM's or a driver's imports).
    data: tuple[str, ...] = ()
    # Called methods written in another module than their object's, with
    # that module (``crud_users.get_multi`` of a generic base's module).
    inherited: tuple[tuple[str, str], ...] = ()
    # Project files documenting by hand the query parameters ``paging``
    # reads (the decorator's ``openapi_extra=`` function).
    documented: tuple[str, ...] = ()
    # Where ``response`` is the route's own class around a list
    # (``ListOfCommentsInResponse``): its list field and the items' class,
    # ``comments Comment``; else "".
    items: str = ""
    # Each path parameter with the annotation its handler declares, as
    # written (``(("post_id", "UUID"),)``); one the handler leaves untyped
    # is left out.
    path_types: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class App:
    """A FastAPI application object or factory and how many routes it reaches."""

    file: str
    name: str
    line: int
    route_count: int
    mounted_at: str | None


@dataclass(frozen=True, slots=True)
class RouterModule:
    """A router object in a module and the full prefix it is served under."""

    file: str
    name: str
    line: int
    own_prefix: str
    served_prefix: str
    reachable: bool
    # ``dependencies=[...]`` every route of the router runs, its own and those
    # of the routers and includes above it (not the app's own), as
    # ``name (module)``.
    guards: tuple[str, ...] = ()
    # False when its own prefix is no constant planner could read
    # (``APIRouter(prefix=config.root_path)``): ``own_prefix`` is then "".
    prefix_read: bool = True


@dataclass(frozen=True, slots=True)
class Vote:
    """One convention measured over the project: each value with its count."""

    name: str
    counts: tuple[tuple[str, int], ...]
    # What was counted and what was left out, when that is not plain.
    note: str = ""
    # How many times the runner-up's count the most frequent value needs to
    # win: 1 lets the name break a tie; 2 leaves a split vote unsettled.
    lead: int = 1

    @property
    def winner(self) -> str | None:
        """The most frequent value, or None.

        None without votes, on a tie, or when the most frequent value is not
        ``lead`` times as frequent as the next: a split project has no habit
        to follow, and no name decides one.
        """
        if not self.counts:
            return None
        ranked = sorted(self.counts, key=lambda kv: (-kv[1], kv[0]))
        if len(ranked) > 1 and (
            ranked[0][1] < self.lead * ranked[1][1] or ranked[0][1] == ranked[1][1]
        ):
            return None
        return ranked[0][0]


@dataclass(frozen=True, slots=True)
class ResourceFile:
    """A file of a resource: ``own`` when its path names the resource."""

    path: str
    role: str
    own: bool


@dataclass(frozen=True, slots=True)
class Resource:
    """A router module and the project files that serve the same resource."""

    name: str
    singular: str
    plural: str
    router_file: str
    served_prefix: str
    files: tuple[ResourceFile, ...]
    tests: tuple[str, ...]
    tables: tuple[str, ...]
    routes: tuple[Route, ...]
    id_type: str | None
    # Where its code makes a string id, when no table column does.
    id_made: IdMaker | None = None
    # Its tests of helper modules alone (`test_secrets.py` importing only
    # `secrets/encryption.py`): named for it, yet no test of its routes.
    helper_tests: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Registry:
    """A file outside resources that names most siblings of one kind of file."""

    path: str
    role: str
    pattern: str
    named: int
    siblings: int
    # A router registry's collection of routers and the form of its entries,
    # the resource's name as `*` (`API_ROUTERS api.*.router`); else "".
    listed: str = ""


@dataclass(frozen=True, slots=True)
class MigrationTree:
    """A migration folder: Alembic versions or a numbered/own system."""

    system: str
    versions_dir: str
    files: tuple[str, ...]
    tables: tuple[str, ...]
    # The revisions no other revision of this tree revises.
    heads: tuple[str, ...] = ()
    # The alembic.ini and its section whose version folder holds the tree;
    # None where no ini names the folder (the project's code picks it).
    config: str | None = None
    section: str | None = None
    # The section's `file_template`, Alembic's default where it sets none;
    # None where no ini was read.
    template: str | None = None
    # The template is the `[alembic]` section's, which its files follow and
    # `alembic -n SECTION` does not read.
    main_template: bool = False
    # The id the history's own pattern gives its next revision (`109` after
    # `108`); None where its ids are Alembic's random ones.
    next_revision: str | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class PlannedRevision:
    """A new Alembic revision: its file, its id and the history it extends."""

    path: str
    versions_dir: str
    revision: str
    # The `-m` message; Alembic's slug of it is the name's `%(slug)s` part.
    message: str
    heads: tuple[str, ...]
    config: str | None
    section: str | None
    # Its name follows the `[alembic]` section's `file_template`, not its
    # own section's (see `MigrationTree.main_template`).
    main_template: bool = False


@dataclass(frozen=True, slots=True)
class Unparsed:
    """A file planner could not parse: its facts are unknown, not absent."""

    path: str
    reason: str


@dataclass(frozen=True, slots=True)
class IdMaker:
    """Code that makes ids: ``default=uuid.uuid4``, ``uuid_string()``, and where."""

    code: str
    file: str
    line: int


@dataclass(frozen=True, slots=True)
class IdColumn:
    """How a table's ``id`` is declared, in its own body or in a base class.

    ``type`` is the annotation or column type as written (``str``, ``UUID4``,
    ``Integer``); ``owner`` the class that declares it; ``maker`` the default
    that makes it, None where the declaration makes none.
    """

    type: str
    owner: str
    maker: IdMaker | None


@dataclass(frozen=True, slots=True)
class TableBase:
    """A class a table class derives from, and the columns planner saw it declare.

    ``module`` is where it is defined ("" when the name is not a project
    class); ``known`` is False where a class of its chain is not the
    project's (a library's), so it may give columns planner could not see.
    """

    name: str
    module: str
    file: str
    columns: tuple[str, ...]
    known: bool


@dataclass(frozen=True, slots=True)
class TableClass:
    """A class mapped to a database table (``__tablename__`` or ``table=True``)."""

    name: str
    tablename: str
    file: str
    line: int
    columns: tuple[str, ...] = ()
    bases: tuple[TableBase, ...] = ()
    id: IdColumn | None = None
    # The primary key column when it is not `id` (`browser_profile_id`).
    key: str = ""
    # The base class (`module.Class`) whose computed `__tablename__` names
    # this table, where the class writes none of its own.
    named_by: str = ""
    # Its own columns that point at another table, with the key as written
    # and whether the row is owned by what it names (`foreignkeys.py`):
    # `("user_id", "user.id", True)`.
    foreign_keys: tuple[tuple[str, str, bool], ...] = ()


@dataclass(frozen=True, slots=True)
class TableNamer:
    """A base's computed `__tablename__`, kept as the code it runs.

    So a class the project does not have yet (the plan's new table) is named
    as the base would name it, from a model read back from its cache.
    ``code`` is the function's source, "" where planner found none it can
    follow; ``defs`` are the top-level names it and its helpers use
    (``module name where source``), ``re_names`` the names that are ``re``.
    """

    key: str
    module: str
    code: str
    defs: tuple[tuple[str, str, str, str], ...] = ()
    re_names: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class Guard:
    """A dependency that identifies the caller or checks a role, and its users.

    ``files`` are the project modules (tests aside) that apply it or import it,
    ``routers`` those of them that define routes; ``routes`` counts the routes
    that depend on it, in any way, and ``uses`` names each by the file and
    line of its decorator, as ``Route`` does.
    """

    name: str
    module: str
    file: str | None
    kind: str
    routes: int
    files: tuple[str, ...]
    routers: tuple[str, ...]
    uses: tuple[tuple[str, int], ...] = ()
    # What it reads from a request, through the dependencies it runs:
    # ``bearer``, ``basic``, ``cookie:<name>``, ``header:<name>``, ``query:<name>``.
    reads: tuple[str, ...] = ()
    # The ``WWW-Authenticate`` value its code writes, and the 401/403 it raises.
    challenge: str = ""
    refuses: tuple[int, ...] = ()
    # Whether a FastAPI security class it reads refuses a missing credential.
    automatic: bool = False
    # Whether an OAuth2 bearer class refuses a missing token first, with 401.
    oauth2: bool = False
    # What it returns, and how routes take it as a parameter
    # (``user: User = Depends(current_active_user)``); "" where they apply it
    # through ``dependencies=[...]``.
    returns: str = ""
    written: str = ""
    # The status its own code raises first for a caller with no credential
    # (0 where the path it takes is not known), and the request parameters
    # it declares (``query:workspace_id:UUID4:required``).
    missing: int = 0
    params: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """``name (module)``, as routes and votes show a dependency."""
        return f"{self.name} ({self.module})"


@dataclass(frozen=True, slots=True)
class ErrorHandler:
    """An exception handler an app registers, and the statuses its body answers."""

    exception: str
    handler: str
    file: str
    line: int
    # Empty when its body names no status planner could read.
    statuses: tuple[int, ...] = ()


@dataclass(frozen=True, slots=True)
class HttpErrorClass:
    """A project exception that is an ``HTTPException`` with a status of its own.

    ``headers`` are those it always sends (``WWW-Authenticate: Bearer``).
    """

    name: str
    file: str
    line: int
    status: int
    headers: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class BaseWrite:
    """A write method of a table base class, and what it makes of a database error.

    ``caught`` is the database error it catches ("" where it lets every one
    through); ``raises`` what it raises instead, and ``status`` the status
    that raise names itself (0 where it names none: a handler decides).
    """

    base: str
    owner: str
    file: str
    line: int
    method: str
    caught: str = ""
    raises: str = ""
    status: int = 0


@dataclass(frozen=True, slots=True)
class SettingsClass:
    """A settings class (a `BaseSettings` subclass) and the fields it declares."""

    file: str
    name: str
    fields: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ProjectModel:
    """Everything read from a FastAPI project, relative to its root."""

    apps: tuple[App, ...]
    api_app: App | None
    app_reason: str
    routers: tuple[RouterModule, ...]
    routes: tuple[Route, ...]
    resources: tuple[Resource, ...]
    conventions: tuple[Vote, ...]
    registries: tuple[Registry, ...]
    migrations: tuple[MigrationTree, ...]
    unparsed: tuple[Unparsed, ...]
    unknowns: tuple[str, ...]
    paths: frozenset[str]
    dirs: frozenset[str]
    api_root: str
    tables: tuple[TableClass, ...] = ()
    # The bases that compute their tables' names (`TableClass.named_by`).
    table_namers: tuple[TableNamer, ...] = ()
    guards: tuple[Guard, ...] = ()
    settings: tuple[SettingsClass, ...] = ()
    # The top-level names of each schema and data-access module: what a plan
    # can reuse, and the classes it follows.
    module_names: tuple[tuple[str, tuple[str, ...]], ...] = ()
    error_handlers: tuple[ErrorHandler, ...] = ()
    http_errors: tuple[HttpErrorClass, ...] = ()
    base_writes: tuple[BaseWrite, ...] = ()
    # A users table keeps a bare `password` column and no code hashes one.
    plain_passwords: bool = False

    def convention(self, name: str) -> Vote:
        """The vote of a named convention (empty when nothing was measured)."""
        return next((v for v in self.conventions if v.name == name), Vote(name, ()))


@dataclass(frozen=True, slots=True)
class Target:
    """A file a plan touches: created or modified, with its role and why."""

    path: str
    action: str
    role: str
    why: str
    # The new resource's own file (named for it), not a shared one it joins.
    own: bool = False
    # A new Alembic revision's `-m` message: its name may not carry it (a
    # `file_template` without `%(slug)s`).
    message: str = ""


@dataclass(frozen=True, slots=True)
class Endpoint:
    """An endpoint a plan adds or changes, with its full served path."""

    method: str
    path: str
    status_code: int
    operation: str
    # The route function of an endpoint that exists already.
    function: str = ""


@dataclass(frozen=True, slots=True)
class Targets:
    """The files and paths a change should touch, by analogy with an exemplar."""

    exemplar: Resource | None
    reason: str
    files: tuple[Target, ...]
    served_prefix: str
    item_param: str
    trailing_slash: bool
    endpoints: tuple[Endpoint, ...]
    conventions: tuple[tuple[str, str], ...]
    unknowns: tuple[str, ...]
    # Named parts of the plan (``security``, ``auth_prefix``...) and the file
    # or served path that holds each, for kinds whose rules name parts.
    slots: tuple[tuple[str, str], ...] = ()
    # The table class of the exemplar, and the resource's own where it exists.
    exemplar_table: TableClass | None = None
    own_table: TableClass | None = None
    # The new Alembic revisions among `files`, one per history they extend.
    revisions: tuple[PlannedRevision, ...] = ()

    def slot(self, name: str) -> str | None:
        """The file or served path that holds a named part of the plan."""
        return dict(self.slots).get(name)

    def convention(self, name: str) -> str:
        """The project's measured habit (``delete_status``: ``"200"``), or ""."""
        return dict(self.conventions).get(name, "")
