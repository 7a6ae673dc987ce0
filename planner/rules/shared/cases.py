"""Shared test naming: one distinct test name per error case of an endpoint."""

from __future__ import annotations

import re
from functools import lru_cache

from planner.inspect.layout import Layout
from planner.plan import Endpoint, ErrorCase
from planner.render.escape import codes

_BY_STATUS = {
    401: "unauthenticated",
    404: "not_found",
    409: "conflict",
    412: "precondition_failed",
    428: "precondition_required",
    429: "rate_limited",
    502: "upstream_error",
}
# (status, word in `when`, suffix): the first match wins, so specific words
# come before general ones.
_BY_WORD = (
    (403, "scope", "missing_scope"),
    (403, "registration", "registration_closed"),
    (403, "role", "wrong_role"),
    (403, "inactive", "inactive"),
    (403, "disabled", "inactive"),
    (422, "the guard reads", "bad_guard_parameter"),
    (400, "cursor", "bad_cursor"),
    (400, "Idempotency-Key", "bad_idempotency_key"),
    (400, "`state`", "bad_state"),
    (409, "Idempotency-Key", "idempotency_in_flight"),
    (422, "Idempotency-Key", "idempotency_key_reused"),
    (422, "body", "invalid_body"),
    (422, "form field", "missing_form_field"),
    (422, "points to", "unknown_reference"),
    (422, "paging", "bad_paging"),
    (422, "limit", "bad_paging"),
    (422, "size", "bad_paging"),
    (422, "not an integer", "invalid_id"),
    (422, "not a UUID", "invalid_id"),
)


def case_suffix(case: ErrorCase) -> str:
    """Return a short snake_case name for an error case (`missing_scope`)."""
    return _suffix(case.status, case.when)


@lru_cache(maxsize=4096)  # pure; most plans share their error cases' texts
def _suffix(status: int, when: str) -> str:
    if status in (401, 403) and when.startswith("no "):
        return "unauthenticated"  # the guard's refusal of a missing credential
    for known, word, suffix in _BY_WORD:
        if status == known and word in when:
            return suffix
    if status in _BY_STATUS:
        return _BY_STATUS[status]
    return _slug(when)


_FILLER = frozenset(
    {"a", "an", "the", "is", "are", "was", "be", "by", "of", "to", "it", "its", "with"}
)


_WORD = re.compile(r"[a-z0-9]+")


def _slug(text: str) -> str:
    words = [w for w in _WORD.findall(text.lower()) if w not in _FILLER]
    return "_".join(words[:4]) or "error"


def error_tests(ep: Endpoint) -> list[tuple[str, str]]:
    """Return (test name, checks) for every error case of `ep`, names distinct."""
    found: list[tuple[str, str]] = []
    seen: set[str] = set()
    for case in ep.errors:
        name = f"test_{ep.function}_{case.status}_{case_suffix(case)}"
        if name in seen:  # two causes share a name: tell them apart by cause
            name = f"test_{ep.function}_{case.status}_{_slug(case.when)}"
        if name in seen:
            continue
        seen.add(name)
        headers = "".join(f", with `{h.split(':', 1)[0]}`" for h in case.headers)
        found.append((name, f"{case.when} → {case.status}{headers}"))
    return found


def grouped_error_tests(endpoints: tuple[Endpoint, ...]) -> list[tuple[str, str]]:
    """Return (test name, checks): one test per error status and cause.

    Operations that answer the same status for the same cause share one
    parametrized test rather than a test each.
    """
    groups: dict[tuple[int, str], list[tuple[Endpoint, ErrorCase]]] = {}
    for ep in endpoints:
        for case in ep.errors:
            groups.setdefault((case.status, case_suffix(case)), []).append((ep, case))
    found: list[tuple[str, str]] = []
    for (status, suffix), members in groups.items():
        if len(members) == 1:
            found.extend(error_tests(_only(*members[0])))
            continue
        whens = list(dict.fromkeys(case.when for _, case in members))
        headers = list(dict.fromkeys(h for _, c in members for h in c.headers))
        shown = "".join(f", with `{h.split(':', 1)[0]}`" for h in headers)
        # Two causes of one status on one operation are one parameter each.
        ops = ", ".join(dict.fromkeys(f"`{ep.function}`" for ep, _ in members))
        found.append(
            (
                f"test_{suffix}_{status}",
                f"{'; or '.join(whens)} → {status}{shown}; parametrized over {ops}",
            )
        )
    return found


def _only(ep: Endpoint, case: ErrorCase) -> Endpoint:
    from dataclasses import replace

    return replace(ep, errors=(case,))


def signed_in_users(layout: Layout, *, owned: bool) -> str:
    """How tests sign users in with the project's own fixtures and helpers.

    Empty where the project's tests have none planner could find.
    """
    if not layout.test_user_fixtures:
        return ""
    names = codes(layout.test_user_fixtures)
    second = "; the ownership tests need a second user made the same way"
    return f"Sign users in as the project's tests do, with {names}" + (
        f"{second}." if owned else "."
    )
