"""String tests that replaced regular expressions on the cold path agree with them.

Each regular expression compiled on a cold `planner new` cost about 0.4 M
instructions; these checks give the same answers without compiling one.
"""

from __future__ import annotations

import fnmatch
import re

from hypothesis import given
from hypothesis import strategies as st

from planner import spec
from planner.inspect.naming import _INVERSE, _candidate
from planner.inspect.python import ModuleScan
from planner.inspect.versions import normalize_name
from planner.inspect.walk import CONFIG_NAMES, _is_config
from planner.spec import pluralize

# Text without newlines: `$` in the old patterns also matched before a final
# newline, and none of these names can hold one.
_WORDS = st.text(alphabet="abcesxyzhio0_", max_size=8)
_NAMES = st.text(alphabet="aZ9-_.", max_size=10)
_FILES = st.text(alphabet="requiments.txinop-cfg*", max_size=24)


def _old_pluralize(name: str) -> str:
    """Pluralize as it was, with its two regular expressions."""
    head, _, last = name.rpartition("_")
    prefix = f"{head}_" if head else ""
    if last in spec._UNCOUNTABLE:
        return name
    if last in spec._IRREGULAR:
        return prefix + spec._IRREGULAR[last]
    if re.search(r"[^aeiou]y$", last):
        return prefix + last[:-1] + "ies"
    if re.search(r"(s|x|z|ch|sh)$", last):
        return prefix + last + "es"
    return prefix + last + "s"


@given(_WORDS)
def test_plurals_follow_the_patterns(name: str) -> None:
    assert pluralize(name) == _old_pluralize(name)


@given(_WORDS)
def test_singulars_follow_the_pattern(last: str) -> None:
    matched = bool(re.search(r"(ss|x|z|ch|sh)es$", last))
    assert matched == last.endswith(("sses", "xes", "zes", "ches", "shes"))
    if matched and last not in _INVERSE and not last.endswith("ies"):
        assert _candidate(last) == last[:-2]


@given(_NAMES)
def test_package_names_normalise_as_pep_503_says(name: str) -> None:
    assert normalize_name(name) == re.sub(r"[-_.]+", "-", name).lower()


@given(_FILES)
def test_config_globs_match_as_fnmatch_does(name: str) -> None:
    globs = ("requirements*.txt", "requirements*.in", "openapi-ts.config.*")
    expected = name in CONFIG_NAMES or any(
        fnmatch.fnmatchcase(name, glob) for glob in globs
    )
    assert _is_config(name) == expected


@given(
    st.sampled_from(["get_db", "db", "SessionDep", "user", "_x", "a1"]),
    st.lists(
        st.sampled_from(["get_db", "db", "SessionDep", "user", "_x", "a1", " ",
                         "(", ".", "_", "é", "\n", "x"]),
        max_size=10,
    ),
)  # fmt: skip
def test_whole_words_are_found_as_word_boundaries_find_them(
    name: str, parts: list[str]
) -> None:
    text = "".join(parts).encode()
    scan = ModuleScan(path="m.py", text=text)
    expected = re.search(rb"\b%s\b" % re.escape(name.encode()), text) is not None
    assert scan.mentions(name) == expected
