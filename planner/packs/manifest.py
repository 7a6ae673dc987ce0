"""A pack's copier.yml read by planner itself: metadata, questions and risks."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, ValidationError

from planner.errors import PackError
from planner.fileio import read_bytes
from planner.spec import SpecKind

__all__ = [
    "RESERVED_NAMES",
    "UNSAFE_KEYS",
    "PackManifest",
    "PackMeta",
    "PackQuestion",
    "check_fit",
    "read_manifest",
]

CONFIG_NAMES = ("copier.yml", "copier.yaml")
MAX_MANIFEST_BYTES = 500_000
MAX_YAML_DEPTH = 100
MAX_YAML_ALIASES = 100
MAX_YAML_ITEMS = 100_000
# What each copier feature does that plain rendering does not; shown on refusal.
UNSAFE_KEYS = {
    "_tasks": "runs shell commands after rendering",
    "_migrations": "runs shell commands when a project is updated",
    "_jinja_extensions": "imports Python code into the template engine",
}
# Data planner passes to every pack; a question of the same name would hide it.
RESERVED_NAMES = frozenset({"spec", "plan", "planner"})
QuestionType = Literal["str", "int", "float", "bool", "json", "yaml", "path"]
PackName = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9_-]{0,62}$")]


class PackMeta(BaseModel):
    """The `_planner` table of a pack's copier.yml."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: PackName | None = None
    description: str = ""
    kinds: Annotated[tuple[SpecKind, ...], Field(min_length=1)]
    planner: Annotated[str, StringConstraints(min_length=1)]
    markdown: str | None = None


@dataclass(frozen=True)
class PackQuestion:
    """One copier question, as far as planner needs to know it."""

    name: str
    type: QuestionType | None
    help: str
    default: Any
    has_default: bool
    choices: tuple[Any, ...]
    multiselect: bool
    conditional: bool

    @property
    def templated(self) -> bool:
        """Whether the default is a Jinja expression only copier can work out."""
        text = self.default
        return isinstance(text, str) and ("{{" in text or "{%" in text)


@dataclass(frozen=True)
class PackManifest:
    """What planner learns from a pack's copier.yml before copier runs."""

    name: str
    meta: PackMeta
    questions: tuple[PackQuestion, ...]
    unsafe: tuple[str, ...]
    answers_file: str


def read_manifest(root: Path, *, fallback_name: str, shown: str) -> PackManifest:
    """Read `copier.yml` under `root`; errors name the pack as `shown`."""
    path = _config_path(root, shown)
    documents = _load(path, root, shown)
    merged: dict[str, Any] = {}
    unsafe: set[str] = set()
    for document in documents:
        unsafe.update(key for key in UNSAFE_KEYS if document.get(key))
        merged.update(document)
    meta = _meta(merged.get("_planner"), shown)
    questions = tuple(_questions(merged, shown))
    return PackManifest(
        name=meta.name or _slug(fallback_name),
        meta=meta,
        questions=questions,
        unsafe=tuple(sorted(unsafe)),
        answers_file=str(merged.get("_answers_file") or ".copier-answers.yml"),
    )


def check_fit(
    manifest: PackManifest, *, kind: str, version: str, trust: bool, shown: str
) -> None:
    """Refuse a pack for another kind, another planner, or unsafe without trust."""
    meta = manifest.meta
    if kind not in meta.kinds:
        raise PackError(
            f"pack {manifest.name!r} supports {', '.join(meta.kinds)}, not {kind!r}",
            where=shown,
            hint="drop the pack for this plan, or add the kind to `_planner.kinds` "
            "in the pack's copier.yml once its templates handle it",
        )
    if not version_allowed(meta.planner, version, shown=shown):
        raise PackError(
            f"pack {manifest.name!r} needs planner {meta.planner}; this is "
            f"planner {version}",
            where=shown,
            hint="use a pack release made for this planner (pin another @TAG), or "
            "install a planner version the pack supports",
        )
    if manifest.unsafe and not trust:
        reasons = "; ".join(f"{key} {UNSAFE_KEYS[key]}" for key in manifest.unsafe)
        raise PackError(
            f"pack {manifest.name!r} is refused: its copier.yml uses {reasons}",
            where=shown,
            hint="read the pack's copier.yml; if you trust it, run again with "
            "--trust (tasks run in a scratch folder, not your project)",
        )


def version_allowed(specifiers: str, version: str, *, shown: str) -> bool:
    """Return whether `version` is inside a PEP 440 range like `>=0.1,<1`."""
    # packaging comes with copier, so it is there whenever a pack is used.
    from packaging.specifiers import InvalidSpecifier, SpecifierSet

    try:
        allowed = SpecifierSet(specifiers)
    except InvalidSpecifier as err:
        raise PackError(
            f"_planner.planner: {specifiers!r} is not a version range",
            where=shown,
            hint='write a PEP 440 range, e.g. planner: ">=0.1,<1"',
        ) from err
    return allowed.contains(version, prereleases=True)


def _config_path(root: Path, shown: str) -> Path:
    found = [root / name for name in CONFIG_NAMES if (root / name).is_file()]
    if not found:
        raise PackError(
            "not a pack: there is no copier.yml at its top",
            where=shown,
            hint="point at the folder holding copier.yml (see docs/packs.md)",
        )
    if len(found) > 1:
        raise PackError("the pack has both copier.yml and copier.yaml", where=shown)
    return found[0]


def _load(path: Path, root: Path, shown: str) -> list[dict[str, Any]]:
    """Load every YAML document, following copier's `!include` inside the pack."""
    import yaml  # type: ignore[import-untyped]  # PyYAML ships no type information

    Loader: Any = _bounded_loader(yaml, shown)

    def include(loader: Any, node: Any) -> list[Any]:
        pattern = str(loader.construct_scalar(node))
        items: list[Any] = []
        for found in sorted(root.glob(pattern)):
            if not found.resolve().is_relative_to(root.resolve()):
                raise PackError(f"!include {pattern!r} leaves the pack", where=shown)
            items.extend(_flatten(yaml.load_all(_manifest(found), Loader=Loader)))
        return items

    Loader.add_constructor("!include", include)
    try:
        loaded = _flatten(yaml.load_all(_manifest(path), Loader=Loader))
    except OSError as err:
        raise PackError(f"cannot read copier.yml: {err.strerror}", where=shown) from err
    except RecursionError as err:
        raise PackError("copier.yml nests too deeply", where=shown) from err
    except yaml.YAMLError as err:
        raise PackError(f"copier.yml is not valid YAML: {err}", where=shown) from err
    documents = [item for item in loaded if item]
    if _expanded_size(documents, {}) > MAX_YAML_ITEMS:
        raise PackError(
            f"copier.yml expands to over {MAX_YAML_ITEMS:,} values (YAML aliases "
            "repeating each other)",
            where=shown,
        )
    if not all(isinstance(item, dict) for item in documents):
        raise PackError("copier.yml must hold mappings of settings", where=shown)
    return documents


def _bounded_loader(yaml: Any, shown: str) -> Any:
    """A SafeLoader class that refuses deep nesting and many aliases as it reads.

    Bounded before anything else is checked, `--trust` included: nesting
    deeper than MAX_YAML_DEPTH, and more than MAX_YAML_ALIASES aliases (a
    "billion laughs" expands a few aliases into billions of items).
    """

    class Loader(yaml.SafeLoader):  # type: ignore[misc]  # untyped base class
        """SafeLoader plus copier's `!include GLOB`, kept inside the pack."""

        depth = 0
        aliases = 0

        def compose_node(self, parent: Any, index: Any) -> Any:
            if self.check_event(yaml.AliasEvent):
                Loader.aliases += 1
                if Loader.aliases > MAX_YAML_ALIASES:
                    raise PackError(
                        f"copier.yml uses over {MAX_YAML_ALIASES} YAML aliases",
                        where=shown,
                    )
            Loader.depth += 1
            try:
                if Loader.depth > MAX_YAML_DEPTH:
                    raise PackError(
                        f"copier.yml nests over {MAX_YAML_DEPTH} levels deep",
                        where=shown,
                    )
                return super().compose_node(parent, index)
            finally:
                Loader.depth -= 1

    return Loader


def _expanded_size(value: Any, sizes: dict[int, int]) -> int:
    """Count the values in loaded YAML as if every alias were written out.

    Each shared object is sized once (`sizes`, by id), so a "billion laughs"
    is counted in microseconds rather than expanded.
    """
    if not isinstance(value, dict | list):
        return 1
    known = sizes.get(id(value))
    if known is None:
        children = value.values() if isinstance(value, dict) else value
        known = 1 + sum(_expanded_size(child, sizes) for child in children)
        sizes[id(value)] = known
    return known


def _manifest(path: Path) -> bytes:
    return read_bytes(path, limit=MAX_MANIFEST_BYTES)


def _flatten(items: Any) -> list[Any]:
    out: list[Any] = []
    for item in items:
        out.extend(_flatten(item) if isinstance(item, list) else [item])
    return out


def _meta(raw: Any, shown: str) -> PackMeta:
    if raw is None:
        raise PackError(
            "copier.yml has no `_planner` table, so planner cannot tell which "
            "kinds and planner versions the pack supports",
            where=shown,
            hint='add `_planner: {kinds: [crud-resource], planner: ">=0.1,<1"}` '
            "(see docs/packs.md)",
        )
    try:
        return PackMeta.model_validate(raw)
    except ValidationError as err:
        first = err.errors(include_url=False)[0]
        key = ".".join(["_planner", *(str(part) for part in first["loc"])])
        raise PackError(
            f"{key}: {first['msg']}",
            where=shown,
            hint="see docs/packs.md for the `_planner` keys",
        ) from err


def _questions(merged: Mapping[str, Any], shown: str) -> Iterator[PackQuestion]:
    for name, raw in merged.items():
        if name.startswith("_"):
            continue
        if name in RESERVED_NAMES:
            raise PackError(
                f"question {name!r} would hide the `{name}` planner passes in",
                where=shown,
                hint="rename the question",
            )
        details = raw if isinstance(raw, dict) else {"default": raw}
        kind = details.get("type")
        if kind is not None and kind not in get_args(QuestionType):
            raise PackError(f"question {name!r}: unknown type {kind!r}", where=shown)
        yield PackQuestion(
            name=name,
            type=kind,
            help=str(details.get("help") or ""),
            default=details.get("default"),
            has_default="default" in details,
            choices=_choice_values(details.get("choices")),
            multiselect=bool(details.get("multiselect")),
            conditional="when" in details,
        )


def _choice_values(raw: Any) -> tuple[Any, ...]:
    if not raw:
        return ()
    items = list(raw.values()) if isinstance(raw, dict) else list(raw)
    values: list[Any] = []
    for item in items:
        if isinstance(item, list | tuple) and len(item) == 2:
            values.append(item[1])
        elif isinstance(item, dict):
            values.append(item.get("value"))
        else:
            values.append(item)
    return tuple(values)


def _slug(text: str) -> str:
    stem = text.rstrip("/").rsplit("/", 1)[-1].rsplit(":", 1)[-1]
    stem = stem.removesuffix(".git").lower()
    cleaned = "".join(c if c.isascii() and c.isalnum() else "-" for c in stem)
    cleaned = cleaned.strip("-")
    if not cleaned[:1].isalpha():
        cleaned = f"pack-{cleaned}".rstrip("-")
    return cleaned[:63]
