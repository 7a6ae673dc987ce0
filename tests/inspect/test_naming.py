"""Route and file patterns: which resource a path names, and how."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from planner.inspect.naming import Patterns
from planner.spec import pluralize

NAMES = ["user", "item", "order", "order_item", "category", "box", "status", "a"]
PIECES = [*NAMES, *map(pluralize, NAMES), "/", "_", "-", ".", "{", "}", "x", "1"]


def _by_regex(resources: list[str], path: str) -> tuple[str, str] | None:
    """The regex this scan replaced: whole words, longest form first."""
    forms: dict[str, tuple[str, str]] = {}
    for single in resources:
        forms[pluralize(single)] = (single, "{plural}")
        forms.setdefault(single, (single, "{singular}"))
    words = sorted(forms, key=lambda word: (-len(word), word))
    alternation = "|".join(re.escape(word) for word in words) or "(?!)"
    regex = re.compile(rf"(?<![A-Za-z0-9])({alternation})(?![A-Za-z0-9])")
    seen: set[str] = set()

    def replace(match: re.Match[str]) -> str:
        resource, placeholder = forms[match.group(1)]
        seen.add(resource)
        return placeholder

    pattern = regex.sub(replace, path)
    return (pattern, seen.pop()) if len(seen) == 1 else None


@given(
    st.lists(st.sampled_from(NAMES), max_size=5, unique=True),
    st.lists(st.sampled_from(PIECES), max_size=8).map("".join),
)
def test_a_path_names_what_the_word_regex_finds(
    resources: list[str], path: str
) -> None:
    assert Patterns(resources).pattern(path) == _by_regex(resources, path)


def test_the_longest_form_wins_and_words_stay_whole() -> None:
    patterns = Patterns(["order", "order_item"])
    assert patterns.pattern("app/order_items/router.py") == (
        "app/{plural}/router.py",
        "order_item",
    )
    # Letters and digits join a word; anything else, `_` too, ends it.
    assert patterns.pattern("app/orders2/x.py") is None
    assert patterns.pattern("app/orders_v2/x.py") == ("app/{plural}_v2/x.py", "order")
