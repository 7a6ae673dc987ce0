"""The part of Jinja2's runtime that the precompiled plan template calls.

`tools/gen_docs.py` compiles `blueprints/templates/plan.md.j2` with Jinja2's
own compiler into `planner/_plan_template.py` and points that module's runtime
import here. A cold `planner new` then renders its plan without importing
Jinja2, which costs about 55 ms: a third of the whole command (see
docs/performance.md). Everything else, and the fallback when the template
changed without the module being regenerated, still uses Jinja2 itself.

Only what the compiled template uses is here, with Jinja2 3.1's semantics for
a non-autoescaping environment with `StrictUndefined`:

- `environment.getattr` (attribute first, then item, else undefined),
- the filters `code`, `cell`, `join`, `map` (with `attribute=`), `unique`,
- `loop.index`, `context.call` and `context.resolve_or_missing`.

`precompiled_names` tells the generator which names this runtime provides;
it refuses to write a module that needs anything else. The tests render every
golden plan, and the fuzzed ones, both ways and compare the bytes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any, NoReturn

from planner._markdown import cell, code


class TemplateRuntimeError(Exception):
    """The template failed at run time (Jinja2's class of the same name)."""


class UndefinedError(TemplateRuntimeError):
    """The template used a value that is not defined (StrictUndefined)."""


class _Missing:
    def __repr__(self) -> str:
        return "missing"


missing: Any = _Missing()


class Undefined:
    """Jinja2's `StrictUndefined`: any use of the value is an error."""

    __slots__ = ("_hint", "_name", "_obj")

    def __init__(
        self, hint: str | None = None, obj: Any = missing, name: str | None = None
    ) -> None:
        self._hint = hint
        self._obj = obj
        self._name = name

    def _fail(self, *_args: Any, **_kwargs: Any) -> NoReturn:
        if self._hint is not None:
            message = self._hint
        elif self._obj is missing:
            message = f"{self._name!r} is undefined"
        else:
            message = f"{_type_repr(self._obj)!r} has no attribute {self._name!r}"
        raise UndefinedError(message)

    __str__ = __bool__ = __iter__ = __len__ = __eq__ = __call__ = _fail
    __getattr__ = __getitem__ = __add__ = __lt__ = _fail
    __hash__ = None  # type: ignore[assignment]


def _type_repr(obj: Any) -> str:
    """Name an object's type as Jinja2's error messages do."""
    if obj is None:
        return "None"
    cls = type(obj)
    if cls.__module__ == "builtins":
        return f"{cls.__name__} object"
    return f"{cls.__module__}.{cls.__name__} object"


def internalcode(func: Callable[..., Any]) -> Callable[..., Any]:
    """Jinja2 marks its own frames with this; here it changes nothing."""
    return func


class _EvalContext:
    autoescape = False


class _Loop:
    """The `loop` variable of a `for` block; the template reads `loop.index`."""

    __slots__ = ("index",)

    def __init__(self, index: int) -> None:
        self.index = index


# Named as Jinja2 names it, since compiled templates call it by that name.
def LoopContext(
    iterable: Iterable[Any], _undefined: Any
) -> Iterator[tuple[Any, _Loop]]:
    for index, item in enumerate(iterable, start=1):
        yield item, _Loop(index)


def _attrgetter(attribute: str | int) -> Callable[[Any], Any]:
    parts = attribute.split(".") if isinstance(attribute, str) else [attribute]
    keys = [int(p) if isinstance(p, str) and p.isdigit() else p for p in parts]

    def get(item: Any) -> Any:
        for key in keys:
            item = environment.getitem(item, key)
        return item

    return get


def _join(
    _eval_ctx: _EvalContext,
    value: Iterable[Any],
    d: str = "",
    attribute: str | None = None,
) -> str:
    if attribute is not None:
        value = map(_attrgetter(attribute), value)
    return str(d).join(map(str, value))


def _map(
    _context: Context, value: Iterable[Any], *args: Any, **kwargs: Any
) -> Iterator[Any]:
    if args or set(kwargs) - {"attribute", "default"} or "attribute" not in kwargs:
        raise TemplateRuntimeError("this runtime supports only map(attribute=...)")
    if value:
        get = _attrgetter(kwargs["attribute"])
        default = kwargs.get("default")
        for item in value:
            found = get(item)
            yield (
                default
                if default is not None and isinstance(found, Undefined)
                else found
            )


def _unique(
    _environment: _Environment,
    value: Iterable[Any],
    case_sensitive: bool = False,
    attribute: str | int | None = None,
) -> Iterator[Any]:
    get = _attrgetter(attribute) if attribute is not None else (lambda item: item)
    seen = set()
    for item in value:
        key = get(item)
        if not case_sensitive and isinstance(key, str):
            key = key.lower()
        if key not in seen:
            seen.add(key)
            yield item


class _Environment:
    """The attributes of `jinja2.Environment` that compiled code reads."""

    undefined = Undefined

    def __init__(self) -> None:
        self.filters: dict[str, Callable[..., Any]] = {
            "cell": cell,
            "code": code,
            "join": _join,
            "map": _map,
            "unique": _unique,
        }

    @staticmethod
    def concat(parts: Iterable[str]) -> str:
        return "".join(parts)

    @staticmethod
    def getattr(obj: Any, attribute: str) -> Any:
        try:
            return getattr(obj, attribute)
        except AttributeError:
            pass
        try:
            return obj[attribute]
        except (TypeError, LookupError, AttributeError):
            return Undefined(obj=obj, name=attribute)

    @staticmethod
    def getitem(obj: Any, argument: Any) -> Any:
        try:
            return obj[argument]
        except (AttributeError, TypeError, LookupError):
            if isinstance(argument, str):
                try:
                    return getattr(obj, argument)
                except AttributeError:
                    pass
            return Undefined(obj=obj, name=argument)


environment = _Environment()


class Context:
    """What the compiled `root` function is given: the template's variables."""

    __slots__ = ("_vars",)

    environment = environment
    eval_ctx = _EvalContext()

    def __init__(self, variables: dict[str, Any]) -> None:
        self._vars = variables

    def resolve_or_missing(self, key: str) -> Any:
        return self._vars.get(key, missing)

    def call(self, func: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        kwargs.pop("_loop_vars", None)
        kwargs.pop("_block_vars", None)
        return func(*args, **kwargs)


def render(root: Callable[[Context], Iterable[str]], variables: dict[str, Any]) -> str:
    """Run a compiled template's `root` function over `variables`."""
    return "".join(root(Context(variables)))


#: Recorded in the generated module; a module written for another version of
#: this runtime is not used (planner compiles the template itself instead).
RUNTIME_VERSION = 1

#: The names a compiled template may use: what `from jinja2.runtime import …`
#: gives it, and the attributes it reads on `environment` and `context`.
RUNTIME_NAMES = frozenset(
    {"LoopContext", "TemplateRuntimeError", "Undefined", "internalcode", "missing"}
)
ENVIRONMENT_ATTRIBUTES = frozenset({"concat", "filters", "getattr", "undefined"})
CONTEXT_ATTRIBUTES = frozenset({"call", "eval_ctx", "resolve_or_missing"})
