"""Resource names: words, plural and singular, and their spellings in paths and code."""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

_WORD = re.compile(r"[A-Z]+(?=[A-Z][a-z]|\d|\b|_)|[A-Z]?[a-z]+|[A-Z]+|\d+")

# Last path segments that name an action on a collection, not the collection.
COLLECTION_ACTIONS = frozenset(
    {"list", "search", "filter", "query", "all", "paginated"}
)
# File and folder names that say what a module does, never which resource it serves.
GENERIC = frozenset(
    {
        "router",
        "routers",
        "api",
        "apis",
        "views",
        "view",
        "routes",
        "route",
        "endpoints",
        "endpoint",
        "handlers",
        "controller",
        "controllers",
        "main",
        "app",
        "server",
        "v1",
        "v2",
        "v3",
        "init",
        "__init__",
        "rest",
        "rest_api",
        "web",
        "http",
        "core",
        "internal",
        "public",
        "admin",
        "features",
        "feature",
        "sdk",
        "base",
        "common",
    }
)


def words(text: str) -> tuple[str, ...]:
    """Lower-case words of an identifier in any case style."""
    return tuple(w.lower() for w in _WORD.findall(text))


def pluralise(word: str) -> str:
    """A regular English plural."""
    if word.endswith("y") and word[-2:-1] not in ("a", "e", "o", "u"):
        return word[:-1] + "ies"
    if word.endswith(("s", "x", "z", "ch", "sh")):
        return word + "es"
    return word + "s"


# Plurals in -es whose singular ends in -s, -z or -ch, not in -se, -ze or -che.
_ES_PLURALS = frozenset(
    {"statuses", "buses", "campuses", "viruses", "bonuses", "corpuses", "aliases"}
    | {"canvases", "biases", "quizzes"}
)
# Plurals of singulars ending in -che (`caches`), not -ch.
_CHE_PLURALS = frozenset({"caches", "niches", "headaches"})


def singularise(word: str) -> str:
    """An English singular: ``licenses`` → ``license``, ``classes`` → ``class``."""
    if word.endswith("ies"):
        return word[:-3] + "y"
    if word in _ES_PLURALS:
        return word[:-3] if word.endswith("zzes") else word[:-2]
    if word.endswith(("sses", "xes", "shes")) or (
        word.endswith("ches") and word not in _CHE_PLURALS
    ):
        return word[:-2]
    if word.endswith("s") and not word.endswith("ss"):
        return word[:-1]
    return word


@dataclass(frozen=True, slots=True)
class Names:
    """A resource's singular and plural as word tuples."""

    singular: tuple[str, ...]
    plural: tuple[str, ...]

    @classmethod
    def of(cls, singular: str, plural: str | None = None) -> Names:
        """Names from a singular (and an optional irregular plural)."""
        s = words(singular)
        if plural:
            p = words(plural)
        else:
            p = (*s[:-1], pluralise(s[-1])) if s else ()
        return cls(s, p)

    @classmethod
    def guess(cls, name: str) -> Names:
        """Names from a word that may be singular or plural."""
        w = words(name)
        if not w:
            return cls((), ())
        sing = (*w[:-1], singularise(w[-1]))
        plur = (*w[:-1], pluralise(sing[-1])) if w == sing else w
        return cls(sing, plur)


def spellings(w: tuple[str, ...], *, url: bool = False) -> list[tuple[str, str]]:
    """Ways a word tuple is written, as (style, spelling), most specific first.

    Single words spell alike in several styles; the order decides which new
    spelling replaces them: kebab for URLs, snake for paths and identifiers.
    """
    if not w:
        return []
    pascal = "".join(x.capitalize() for x in w)
    lower = [("kebab", "-".join(w)), ("snake", "_".join(w))]
    if not url:
        lower.reverse()
    return [
        ("pascal", pascal),
        ("upper", "_".join(w).upper()),
        *lower,
        ("compact", "".join(w)),
        ("camel", pascal[0].lower() + pascal[1:]),
    ]


def _pattern(spelling: str) -> re.Pattern[str]:
    # A spelling matches where it is not glued to more letters of the same case.
    head = r"(?<![a-z])" if spelling[0].islower() else r"(?<![A-Z])"
    tail = r"(?![a-z])"
    return re.compile(head + re.escape(spelling) + tail)


@functools.lru_cache(maxsize=4096)
def spelled(names: Names) -> tuple[str, ...]:
    """Every spelling :func:`mentions` looks for, singular and plural."""
    return _spelled(names)


def _spelled(names: Names) -> tuple[str, ...]:
    return tuple(
        sorted({sp for w in (names.plural, names.singular) for _, sp in spellings(w)})
    )


def _free(text: str, start: int, spelling: str) -> bool:
    """Whether the spelling at ``start`` is not glued to more letters of its case."""
    if start:
        prev = text[start - 1]
        if ("a" <= prev <= "z") if spelling[0].islower() else ("A" <= prev <= "Z"):
            return False
    end = start + len(spelling)
    return end >= len(text) or not ("a" <= text[end] <= "z")


def mentions(text: str, names: Names) -> bool:
    """Whether a path or identifier names the resource (singular or plural)."""
    if not names.singular:
        return False
    # Plain substring search: called tens of thousands of times per project,
    # where compiling a pattern per name cost more than all the matching.
    for sp in spelled(names):
        i = text.find(sp)
        while i >= 0:
            if _free(text, i, sp):
                return True
            i = text.find(sp, i + 1)
    return False


def replace_names(text: str, old: Names, new: Names, *, url: str | None = None) -> str:
    """Replace the old resource's names with the new one's, spelling for spelling.

    One pass over the text, longest spelling first, so that a new name that
    contains the old one (``user`` -> ``user_field``) is not replaced twice.
    ``url`` is the case the project's URLs settled on (``kebab`` or ``snake``;
    None for code and file paths): a single word takes it, and so does an old
    name run together (``/searchspaces``), which says only that the exemplar
    lacks a separator, never which one the project uses. Path parameters
    (``{tag_id}``) keep identifier spelling.
    """
    if url and "{" in text:
        parts = re.split(r"(\{[^}]*\})", text)
        return "".join(
            replace_names(p, old, new, url=None if p.startswith("{") else url)
            for p in parts
        )
    table, pattern = _replacer(old, new, url=url)
    if pattern is None:
        return text
    return pattern.sub(lambda m: table[m.group(0)], text)


@functools.lru_cache(maxsize=256)
def _replacer(
    old: Names, new: Names, *, url: str | None
) -> tuple[dict[str, str], re.Pattern[str] | None]:
    """The spelling table and its pattern, compiled once per pair of names."""
    table: dict[str, str] = {}
    for old_w, new_w in ((old.plural, new.plural), (old.singular, new.singular)):
        new_sp = dict(spellings(new_w, url=url == "kebab"))
        if new_sp and url in ("kebab", "snake"):
            new_sp["compact"] = new_sp[url]
        for style, sp_old in spellings(old_w, url=url == "kebab"):
            if new_sp and sp_old not in table:
                table[sp_old] = new_sp[style]
    if not table:
        return table, None
    return table, re.compile(
        "|".join(_pattern(sp).pattern for sp in sorted(table, key=lambda x: -len(x)))
    )


# The names data-access classes end with (`ClientManager`, `BookRepository`).
ACCESS_CLASS = re.compile(
    r"[a-z](Service|Manager|Repository|Repo|Store|Dao|DAO|Crud|CRUD)$"
)
