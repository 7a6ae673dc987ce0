"""The parsed project: module names, summaries (cached) and name resolution."""

from __future__ import annotations

import ast
import bisect
import dataclasses
import sys
from dataclasses import dataclass
from pathlib import Path

from .codec import decode, encode
from .files import STRONG_TOKENS, ParseCache, ProjectFiles, SourceFile, calls_any
from .modulenames import import_roots, module_name, namespace_packages
from .shared import (
    forget_tree,
    kept_tree,
    parse_block,
    parse_bytes,
    parse_store,
    paused_gc,
    project_files,
    sharing,
)
from .summary import ClassInfo, ModuleSummary

MAX_DEPTH = 8


@dataclass(frozen=True, slots=True)
class Entity:
    """What a reference resolves to: a router/app, function, class, module or value."""

    kind: str  # router | func | class | module | const
    module: str
    scope: str
    name: str


def _plain_names(names: list[str]) -> list[str]:
    """The names whose call can occur in a module without a strong token.

    ``build_router(`` holds ``router``: where the relevance test found no
    strong token (`SourceFile.plain`), no such name can be called.
    """
    return [n for n in names if not any(t in n.encode() for t in STRONG_TOKENS)]


class ProjectIndex:
    """Summaries by module and path, with reference resolution across modules."""

    def __init__(
        self, root: Path, *, cache: bool, ignore: frozenset[str] = frozenset()
    ) -> None:
        from .roles import is_test_path

        self.files: ProjectFiles = project_files(root, ignore)
        packages = frozenset(
            s.path.rsplit("/", 1)[0]
            for s in self.files.sources
            if s.path.endswith("/__init__.py")
        )
        store = parse_store(root) if cache else ParseCache(None)
        self.by_module: dict[str, ModuleSummary] = {}
        self.path_of: dict[str, str] = {}
        self.module_of: dict[str, str] = {}
        self.unparsed: list[tuple[str, str]] = []
        self._callers: dict[str, list[str]] | None = None
        self._refs: dict[str, set[str]] = {}
        self._defined: dict[str, str] = {}
        self._importers: dict[str, list[str]] | None = None
        self._importing: dict[str, list[str]] | None = None
        self._by_path: dict[str, SourceFile] | None = None
        self._whole: set[str] = set()
        self.siblings: dict[str, set[str]] = {}
        self._sorted_paths: list[str] | None = None
        self._splits: dict[str, tuple[str, tuple[str, ...]] | None] = {}
        self._ref_mods: dict[str, tuple[str, ...]] = {}
        self._prefixes: frozenset[str] | None = None
        packages = import_roots(self.files.sources, packages)
        packages |= namespace_packages(self.files.sources, packages)
        self._names = {
            s.path: module_name(s.path, packages) for s in self.files.sources
        }
        first = {src.path: src.relevant for src in self.files.sources}
        with paused_gc():
            summaries = self._summaries(store)
            # Second pass: a file that calls an app factory or a route-registering
            # function (``register_routes(app)``) matters even without FastAPI
            # tokens.
            # Scopes in tests (a test building its own app) serve no app.
            names = sorted(
                {
                    sc.split(".")[0]
                    for path, s in summaries.items()
                    if not is_test_path(path)
                    for sc in [
                        *(r.scope for r in s.routers),
                        *(i.scope for i in s.includes),
                    ]
                    if sc
                }
            )
            plain = _plain_names(names)
            for src in self.files.sources:
                if not src.relevant and calls_any(
                    src.data, plain if src.plain else names
                ):
                    first[src.path] = True
                    summaries[src.path] = self._summary(
                        store, dataclasses.replace(src, relevant=True)
                    )
        for src in self.files.sources:
            mod, _ = self._names[src.path]
            summary = summaries[src.path]
            self.module_of[src.path] = mod
            if summary.error is not None:
                self.unparsed.append((src.path, summary.error))
            # Two files may claim one module name (tests, scripts): keep the first.
            if mod not in self.by_module:
                self.by_module[mod] = summary
                self.path_of[mod] = src.path
        store.save({s.digest for s in self.files.sources})

    def _summaries(self, store: ParseCache) -> dict[str, ModuleSummary]:
        """Every source's summary, from the cache or else read.

        While a run shares its reads, each file's facts' share is taken too:
        the facts read the same files next, the syntax tree is at hand now,
        and the share joins the store before it is saved, so the store is
        written once. A summary found in the store may still lack its share
        (an empty ``tests/__init__.py`` under a module name another file of
        the same bytes took first).
        """
        from planner.inspect.corpus import MAX_PY_BYTES, file_share, share_key

        out: dict[str, ModuleSummary] = {}
        shares = sharing()
        for src in self.files.sources:
            summary = self._cached(store, src.digest, src.path, src.relevant)
            read = summary is None
            if summary is None:
                summary = self._read_source(src)
                self._keep(store, src.digest, src.path, src.relevant, summary)
            out[src.path] = summary
            if (
                shares
                and len(src.data) <= MAX_PY_BYTES
                and (read or store.get(share_key(src.path, src.digest)) is None)
            ):
                file_share(src.path, src, store)
                forget_tree(src.digest)
        return out

    def _read_source(self, src: SourceFile) -> ModuleSummary:
        # Imported here: a run that finds the model cached never reads a file.
        from .parse import parse_source
        from .scan import scan_summary

        mod, is_pkg = self._names[src.path]
        if not src.relevant:
            return scan_summary(src.data, mod, is_package=is_pkg)
        summary = parse_source(src.data, mod, is_package=is_pkg, digest=src.digest)
        if isinstance(kept_tree(src.digest), ast.Module):
            self._whole.add(src.path)
        return summary

    def _key(self, digest: str, path: str, relevant: bool) -> str:
        """A file's key in the parse cache: its bytes, how it is read, its module.

        The module name is part of it: relative imports resolve against it,
        and files of the same bytes (empty ``__init__.py`` files) under other
        names would otherwise take each other's entry, run after run.
        """
        return f"{digest}{'r' if relevant else 'i'}{self._names[path][0]}"

    def _cached(
        self, store: ParseCache, digest: str, path: str, relevant: bool
    ) -> ModuleSummary | None:
        mod, _ = self._names[path]
        cached = store.get(self._key(digest, path, relevant))
        if isinstance(cached, list) and len(cached) == 2 and cached[0] == mod:
            try:
                summary: ModuleSummary = decode(ModuleSummary, cached[1])
            except (TypeError, ValueError):
                return None  # a damaged entry: read the file again
            return summary
        return None

    def _keep(
        self,
        store: ParseCache,
        digest: str,
        path: str,
        relevant: bool,
        summary: ModuleSummary,
    ) -> None:
        if store.enabled:
            store.put(
                self._key(digest, path, relevant),
                [self._names[path][0], encode(summary)],
            )

    def _summary(self, store: ParseCache, src: SourceFile) -> ModuleSummary:
        summary = self._cached(store, src.digest, src.path, src.relevant)
        if summary is None:
            summary = self._read_source(src)
            self._keep(store, src.digest, src.path, src.relevant, summary)
        return summary

    # -- resolution -----------------------------------------------------------
    def split_module(self, dotted: str) -> tuple[str, list[str]] | None:
        """The longest known module prefix of a dotted name and the rest."""
        # Remembered per name: the same imports recur in thousands of modules.
        if dotted not in self._splits:
            self._splits[dotted] = self._split_module(dotted)
        split = self._splits[dotted]
        return None if split is None else (split[0], list(split[1]))

    def _split_module(self, dotted: str) -> tuple[str, tuple[str, ...]] | None:
        parts = dotted.split(".")
        for i in range(len(parts), 0, -1):
            mod = ".".join(parts[:i])
            if mod in self.by_module:
                return mod, tuple(parts[i:])
        return None

    def resolve(
        self, module: str, scope: str, ref: str, depth: int = 0
    ) -> list[Entity]:
        """Entities a reference written in ``module``/``scope`` stands for."""
        if depth > MAX_DEPTH or module not in self.by_module:
            return []
        call = ref.endswith("()")
        parts = ref.removesuffix("()").split(".")
        found = self._lookup_head(module, scope, parts[0], depth)
        for attr in parts[1:]:
            found = [e for x in found for e in self._attr(x, attr, depth)]
        if call:
            found = [e for x in found for e in self._call(x, depth)]
        return found

    def _lookup_head(
        self, module: str, scope: str, name: str, depth: int
    ) -> list[Entity]:
        if depth > MAX_DEPTH:
            return []
        scopes = [scope]
        while scope:
            scope = scope.rpartition(".")[0]
            scopes.append(scope)
        for sc in scopes:
            found = self._in_scope(module, sc, name, depth)
            if found is not None:
                return found
        return self._in_module(module, scopes[0], name, depth)

    def _in_scope(
        self, module: str, sc: str, name: str, depth: int
    ) -> list[Entity] | None:
        s = self.by_module[module]
        if any(r.scope == sc and r.name == name for r in s.routers):
            return [Entity("router", module, sc, name)]
        if sc == "" and any(c.name == name for c in s.constants):
            return [Entity("const", module, "", name)]
        aliases = [a for a in s.aliases if a.scope == sc and a.name == name]
        if not aliases:
            return None
        return [
            e
            for a in aliases
            for r in a.refs
            for e in self.resolve(module, sc, r, depth + 1)
        ]

    def _in_module(
        self, module: str, scope: str, name: str, depth: int
    ) -> list[Entity]:
        s = self.by_module[module]
        if any(f.name == name for f in s.functions):
            return [Entity("func", module, "", name)]
        top = scope.split(".")[0] if scope else ""
        fn = next((f for f in s.functions if f.name == top), None)
        if fn is not None and name in fn.params:
            return self._argument(module, fn.name, fn.params.index(name), name, depth)
        if any(c.name == name for c in s.classes):
            return [Entity("class", module, "", name)]
        for imp in s.imports:
            if imp.local == name:
                return self.resolve_absolute(imp.target, depth + 1)
        if (
            self.path_of[module].endswith("__init__.py")
            and f"{module}.{name}" in self.by_module
        ):
            return [Entity("module", f"{module}.{name}", "", "")]
        for imp in s.imports:
            if imp.local == "*":
                found = self._attr(
                    Entity("module", imp.target[:-2], "", ""), name, depth + 1
                )
                if found:
                    return found
        return []

    def resolve_absolute(self, dotted: str, depth: int = 0) -> list[Entity]:
        """Entities an absolute dotted name (``pkg.mod.name``) stands for."""
        split = self.split_module(dotted)
        if split is None:
            return []
        mod, rest = split
        found = [Entity("module", mod, "", "")]
        for attr in rest:
            found = [e for x in found for e in self._attr(x, attr, depth + 1)]
        return found

    def _attr(self, ent: Entity, attr: str, depth: int) -> list[Entity]:
        if ent.kind == "module":
            sub = f"{ent.module}.{attr}"
            if sub in self.by_module:
                return [Entity("module", sub, "", "")]
            return self._lookup_head(ent.module, "", attr, depth + 1)
        if ent.kind == "router":
            # routers.values(), router_list.copy(): a method of a collection of routers.
            return [ent]
        if ent.kind == "class":
            cls = self.class_info(ent)
            if cls is not None and any(f.name == attr for f in cls.fields):
                return [Entity("field", ent.module, ent.name, attr)]
        return []

    def _argument(
        self, module: str, func: str, pos: int, param: str, depth: int
    ) -> list[Entity]:
        # A parameter (``def register_routes(app)``) stands for what callers pass.
        target = Entity("func", module, "", func)
        out: list[Entity] = []
        for mod in self.callers_of(func):
            for call in self.by_module[mod].calls:
                if call.func.rsplit(".", 1)[-1] != func:
                    continue
                positional = [a for a in call.args if "=" not in a]
                named = [
                    a.split("=", 1)[1] for a in call.args if a.startswith(param + "=")
                ]
                arg = (
                    named[0]
                    if named
                    else (positional[pos] if pos < len(positional) else "")
                )
                if arg and target in self.resolve(
                    mod, call.scope, call.func, depth + 1
                ):
                    out.extend(self.resolve(mod, call.scope, arg, depth + 1))
        return out

    def callers_of(self, func: str) -> list[str]:
        """Modules holding a call statement of a function with this name."""
        if self._callers is None:
            table: dict[str, list[str]] = {}
            for mod in sorted(self.by_module):
                for call in self.by_module[mod].calls:
                    names = table.setdefault(call.func.rsplit(".", 1)[-1], [])
                    if not names or names[-1] != mod:
                        names.append(mod)
            self._callers = table
        return self._callers.get(func, [])

    def _call(self, ent: Entity, depth: int) -> list[Entity]:
        if ent.kind == "func":
            fn = next(
                f for f in self.by_module[ent.module].functions if f.name == ent.name
            )
            out: list[Entity] = []
            for r in fn.returns:
                out.extend(self.resolve(ent.module, ent.name, r, depth + 1))
            return out
        return [ent]

    def class_info(self, ent: Entity) -> ClassInfo | None:
        """The class an entity names, if it is one."""
        s = self.by_module.get(ent.module)
        if s is None:
            return None
        return next((c for c in s.classes if c.name == (ent.name or ent.scope)), None)

    def defined_text(self, module: str) -> str:
        """The top-level names of a module, one a line, for one name search."""
        text = self._defined.get(module)
        if text is None:
            text = "\n".join(self.by_module[module].defined)
            self._defined[module] = text
        return text

    def module_refs(self, module: str) -> set[str]:
        """Project modules a module imports or names through attributes."""
        cached = self._refs.get(module)
        if cached is None:
            cached = self._module_refs(module)
            self._refs[module] = cached
        return cached

    def _source_file(self, path: str) -> SourceFile | None:
        if self._by_path is None:
            self._by_path = {s.path: s for s in self.files.sources}
        return self._by_path.get(path)

    def source(self, path: str) -> bytes:
        """The bytes of a Python file of the project (empty if not listed)."""
        src = self._source_file(path)
        return src.data if src is not None else b""

    def block(self, path: str, line: int, through: int = 0) -> ast.Module | None:
        """The statements of a file from ``line`` on, parsed alone (None if not).

        Only where this run parsed the file whole, as it is (no rewrite), so
        that they are the file's own: see :func:`parse_block`.
        """
        src = self._source_file(path)
        if src is None or path not in self._whole:
            return None
        return parse_block(src.data, src.digest, line, through)

    def tree(self, module: str) -> ast.Module | None:
        """A module's syntax tree, None if it does not parse as it is.

        Parsed once per run that shares its reads (see :func:`parse_bytes`).
        """
        src = self._source_file(self.path_of.get(module, ""))
        found = parse_bytes(src.data, src.digest) if src is not None else None
        return found if isinstance(found, ast.Module) else None

    def importers_of(self, module: str) -> list[str]:
        """Paths of the files that import or name a module (reverse of module_refs)."""
        if self._importers is None:
            table: dict[str, list[str]] = {}
            for path, mod in sorted(self.module_of.items()):
                if self.path_of.get(mod) != path:
                    continue
                for ref in self.module_refs(mod):
                    table.setdefault(ref, []).append(path)
            self._importers = table
        return self._importers.get(module, [])

    def modules_importing(self, target: str) -> list[str]:
        """Modules holding an import of exactly ``target`` (``pkg.mod.name``)."""
        # One table for every target: a guard asks it of every module, and
        # a project has thousands of modules and tens of guards.
        if self._importing is None:
            table: dict[str, list[str]] = {}
            for mod, summary in self.by_module.items():
                for imp in summary.imports:
                    mods = table.setdefault(imp.target, [])
                    if not mods or mods[-1] != mod:
                        mods.append(mod)
            self._importing = table
        return self._importing.get(target, [])

    def paths_starting(self, prefix: str) -> list[str]:
        """Paths of the project's modules that start with ``prefix``, sorted."""
        if self._sorted_paths is None:
            self._sorted_paths = sorted(self.module_of)
        paths = self._sorted_paths
        if not prefix or prefix[-1] == chr(sys.maxunicode):
            return [p for p in paths if p.startswith(prefix)]
        # The paths that start with "a/b" sort from "a/b" up to, not including, "a/c".
        after = prefix[:-1] + chr(ord(prefix[-1]) + 1)
        return paths[
            bisect.bisect_left(paths, prefix) : bisect.bisect_left(paths, after)
        ]

    def _module_refs(self, module: str) -> set[str]:
        s = self.by_module[module]
        out: set[str] = set()
        for imp in s.imports:
            self._add_ref(imp.target, out)
        heads = {
            imp.local: imp.target for imp in s.imports if imp.local not in ("", "*")
        }
        for a in s.aliases:
            for r in a.refs:
                head, _, rest = r.removesuffix("()").partition(".")
                if head in heads and rest:
                    self._add_ref(f"{heads[head]}.{rest}", out)
        # Chains used anywhere (``schemas.tag.Tag`` in an annotation) name the
        # modules a file uses. Only a name bound to a module, or to a folder
        # above one, can name another: any other chain (``Tag.query``) stands
        # for what its import already added.
        from .scan import chain_heads, scan_chains

        prefixes = self._module_prefixes()
        searched = [h for h in chain_heads(s.imports) if heads[h] in prefixes]
        if searched:
            data = self.source(self.path_of[module])
            for chain in scan_chains(data, searched):
                head, _, rest = chain.partition(".")
                self._add_ref(f"{heads[head]}.{rest}", out)
        out.discard(module)
        return out

    def _module_prefixes(self) -> frozenset[str]:
        """Every module name and every dotted name a module name starts with."""
        if self._prefixes is None:
            self._prefixes = frozenset(
                ".".join(parts[:k])
                for mod in self.by_module
                for parts in [mod.split(".")]
                for k in range(1, len(parts) + 1)
            )
        return self._prefixes

    def _add_ref(self, dotted: str, out: set[str]) -> None:
        """Add the modules a dotted name stands for (see :meth:`_ref_modules`)."""
        # Remembered per name: every module of a project imports the same few.
        found = self._ref_mods.get(dotted)
        if found is None:
            found = self._ref_mods[dotted] = self._ref_modules(dotted)
        out.update(found)

    def _ref_modules(self, dotted: str) -> tuple[str, ...]:
        """The module a dotted name lives in, and the one a package re-exports.

        ``from app.managers import TagManager`` names the package; the class
        lives in ``app/managers/tag.py``, which the package ``__init__`` imports.
        """
        split = self.split_module(dotted)
        if split is None:
            return ()
        mod, rest = split
        if rest and self.path_of[mod].endswith("__init__.py"):
            imports = self.by_module[mod].imports
            for imp in imports:
                if imp.local == rest[0]:
                    inner = self.split_module(imp.target)
                    if inner is not None and inner[0] != mod:
                        return mod, inner[0]
                    break
            else:
                # `from .user import *` re-exports what `user` defines.
                for imp in imports:
                    star = imp.target[:-2] if imp.local == "*" else ""
                    if star in self.by_module and star != mod:
                        if rest[0] in self.by_module[star].defined:
                            return mod, star
        return (mod,)
