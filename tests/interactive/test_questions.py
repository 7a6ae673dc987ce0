"""Question logic with no terminal: `when`, defaults, validation, building specs."""

from __future__ import annotations

import keyword
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, get_args, get_origin

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError

from planner.errors import QuestionnaireInterrupted, QuestionsError, SpecError
from planner.interactive.answers import (
    Validator,
    build_spec,
    build_spec_data,
    check_answer,
    collect_answers,
    default_for,
    default_text,
    parse_answer,
    split_list,
    typed_value,
)
from planner.interactive.questions import (
    Question,
    QuestionGroup,
    QuestionSet,
    condition_holds,
    load_question_set,
    parse_question_set,
)
from planner.kinds import KINDS
from planner.spec import (
    AuthSpec,
    CrudResourceSpec,
    EndpointSpec,
    FieldSpec,
    PaginationSpec,
)
from planner.specfile import dump_spec, parse_spec

MODELS: dict[str, type[BaseModel]] = {
    "crud-resource": CrudResourceSpec,
    "endpoint": EndpointSpec,
    "auth": AuthSpec,
    "pagination": PaginationSpec,
}


@dataclass
class Each:
    """Successive answers to a question asked more than once."""

    values: list[Any]


# Answers to the required questions without a default, unless a test gives its own.
REQUIRED = {
    "resource.name": "item",
    "resource.fields.name": "title",
    "path": "/x",
    "summary": "Do x",
    "target": "GET /items",
    "issuer": "https://id.example.com/",
}


@dataclass
class Script:
    """A prompter that answers by key, takes the default otherwise, and records."""

    answers: Mapping[str, Any]
    asked: list[str] = field(default_factory=list)
    interrupt_at: str | None = None
    fill: bool = True

    def __call__(self, question: Question, default: Any, validate: Validator) -> Any:
        self.asked.append(question.key)
        if question.key == self.interrupt_at:
            raise KeyboardInterrupt
        answers = {**REQUIRED, **self.answers} if self.fill else self.answers
        if question.key not in answers:
            if question.type in {"text", "integer", "list"}:
                return default_text(question, default)
            return default
        value = answers[question.key]
        if isinstance(value, Each):
            return value.values.pop(0)
        return value


def question(key: str, kind: str) -> Question:
    """Return a top-level question of a bundled set."""
    for entry in load_question_set(kind).questions:
        if isinstance(entry, Question) and entry.key == key:
            return entry
    raise LookupError(key)


def item(group_key: str, key: str, kind: str) -> Question:
    """Return a question inside a bundled group."""
    for entry in load_question_set(kind).questions:
        if isinstance(entry, QuestionGroup) and entry.key == group_key:
            return next(q for q in entry.items if q.key == key)
    raise LookupError(group_key)


# -- the bundled sets ---------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_bundled_sets_load(kind: str) -> None:
    question_set = load_question_set(kind)
    assert question_set.kind == kind
    assert question_set.questions


def _annotation_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _annotation_model(arg)
        if found is not None:
            return found
    return None


def _resolve(model: type[BaseModel], dotted: str) -> Any:
    """Return the pydantic field at a dotted path, failing on any unknown part."""
    current: type[BaseModel] | None = model
    info = None
    for part in dotted.split("."):
        if current is None and info is not None and get_origin(info.annotation) is dict:
            # A table keyed by a Literal (`auth.operation_scopes.delete`).
            keys = get_args(get_args(info.annotation)[0])
            assert part in keys, f"{dotted}: {part!r} is not one of {keys}"
            info = None
            continue
        assert current is not None, f"{dotted}: {part!r} is below a plain value"
        assert part in current.model_fields, f"{dotted}: no key {part!r}"
        info = current.model_fields[part]
        current = _annotation_model(info.annotation)
    return info


@pytest.mark.parametrize("kind", KINDS)
def test_every_question_key_is_a_spec_key(kind: str) -> None:
    model = MODELS[kind]
    for entry in load_question_set(kind).questions:
        if isinstance(entry, Question) and not entry.spec:
            # It steers the questionnaire only; a spec key of its name would
            # be silently left out of the spec.
            with pytest.raises(AssertionError):
                _resolve(model, entry.key)
            continue
        _resolve(model, entry.key)
        if isinstance(entry, QuestionGroup):
            element = _annotation_model(_resolve(model, entry.key).annotation)
            assert element is not None, entry.key
            for sub in entry.items:
                _resolve(element, sub.key)


@pytest.mark.parametrize("kind", KINDS)
def test_every_default_passes_its_own_validation(kind: str) -> None:
    for entry in load_question_set(kind).questions:
        for q in entry.items if isinstance(entry, QuestionGroup) else (entry,):
            raw = default_for(q)
            shown = (
                default_text(q, raw) if q.type in {"text", "integer", "list"} else raw
            )
            if q.required and q.default is None:
                continue  # nothing sensible to offer; the user must answer
            assert check_answer(q, shown) is None, q.key


# -- when ---------------------------------------------------------------------


def _when(raw: dict[str, Any]) -> Any:
    data = {"key": "x", "type": "confirm", "prompt": "?", "when": raw}
    return Question.model_validate(data).when


@pytest.mark.parametrize(
    ("when", "answers", "expected"),
    [
        ({"key": "a", "equals": True}, {"a": True}, True),
        ({"key": "a", "equals": True}, {"a": False}, False),
        ({"key": "a", "equals": True}, {"a": 1}, False),
        ({"key": "a", "equals": 1}, {"a": True}, False),
        ({"key": "a", "equals": True}, {}, False),
        ({"key": "a", "not_equals": "x"}, {"a": "y"}, True),
        ({"key": "a", "not_equals": "x"}, {}, False),
        ({"key": "a", "in": ["str", "text"]}, {"a": "text"}, True),
        ({"key": "a", "in": ["str", "text"]}, {"a": "int"}, False),
        ({"key": "a", "not_in": ["none"]}, {"a": "offset"}, True),
        ({"key": "a", "not_in": ["none"]}, {"a": "none"}, False),
        ({"key": "a", "contains": "list"}, {"a": ("list", "read")}, True),
        ({"key": "a", "contains": "list"}, {"a": ("read",)}, False),
        ({"key": "a", "contains": "list"}, {"a": "list"}, False),
        (
            {"all": [{"key": "a", "equals": "GET"}, {"key": "b", "equals": "list"}]},
            {"a": "GET", "b": "list"},
            True,
        ),
        (
            {"all": [{"key": "a", "equals": "GET"}, {"key": "b", "equals": "list"}]},
            {"a": "GET", "b": "read"},
            False,
        ),
        (
            {"any": [{"key": "a", "equals": 1}, {"key": "b", "equals": 2}]},
            {"b": 2},
            True,
        ),
    ],
)
def test_when_conditions(
    when: dict[str, Any], answers: dict[str, Any], expected: bool
) -> None:
    assert condition_holds(_when(when), answers) is expected


def test_no_condition_always_holds() -> None:
    assert condition_holds(None, {})


@pytest.mark.parametrize(
    "when",
    [
        {"key": "a"},
        {"key": "a", "equals": 1, "in": [1]},
        {"key": "a", "eval": "__import__('os')"},
        {"all": []},
    ],
)
def test_malformed_conditions_are_refused(when: dict[str, Any]) -> None:
    with pytest.raises(ValidationError):
        _when(when)


def test_crud_asks_max_length_only_for_string_types() -> None:
    script = Script(
        {
            "resource.name": "item",
            "resource.fields.name": Each(["title", "count", "status", "owner_ref"]),
            "resource.fields.type": Each(["str", "int", "enum", "ref"]),
            "resource.fields.choices": "draft, done",
            "resource.fields.references": "user",
            "resource.fields.more": Each([True, True, True, False]),
        }
    )
    answers = collect_answers(load_question_set("crud-resource"), script)
    fields = answers["resource.fields"]
    assert "max_length" in fields[0]
    assert "max_length" not in fields[1]
    assert set(fields[2]) >= {"choices"} and "references" not in fields[2]
    assert set(fields[3]) >= {"references", "on_delete"} and "choices" not in fields[3]


def test_crud_skips_owner_and_scopes_without_auth() -> None:
    script = Script({"resource.name": "tag", "auth.required": False})
    answers = collect_answers(load_question_set("crud-resource"), script)
    assert "resource.owned_by_user" not in answers
    assert "auth.scopes" not in script.asked


def test_crud_without_list_skips_pagination() -> None:
    script = Script({"resource.name": "tag", "resource.operations": ["read", "create"]})
    answers = collect_answers(load_question_set("crud-resource"), script)
    assert not [key for key in answers if key.startswith("pagination.")]
    assert "resource.update_method" not in answers


@pytest.mark.parametrize(
    ("method", "asked", "skipped"),
    [
        ("POST", {"idempotency_key", "request.fields.more"}, {"paginated.style"}),
        ("PATCH", {"idempotency_key"}, set()),
        ("PUT", {"request.fields.more"}, {"idempotency_key"}),
        ("GET", set(), {"idempotency_key", "request.fields.more"}),
        ("DELETE", set(), {"idempotency_key", "request.fields.more"}),
    ],
)
def test_endpoint_conditions_follow_the_method(
    method: str, asked: set[str], skipped: set[str]
) -> None:
    script = Script({"method": method, "path": "/x", "summary": "Do x"})
    collect_answers(load_question_set("endpoint"), script)
    assert asked <= set(script.asked)
    assert not skipped & set(script.asked)


def test_endpoint_asks_pagination_for_get_lists_only() -> None:
    answers = {"method": "GET", "path": "/items", "summary": "List", "effect": "list"}
    script = Script(answers)
    collect_answers(load_question_set("endpoint"), script)
    assert {"paginated.style", "paginated.max_size"} <= set(script.asked)


@pytest.mark.parametrize(
    ("scheme", "asked", "skipped"),
    [
        (
            "password-jwt",
            {"refresh_tokens", "registration", "login_rate_limit"},
            {"provider", "issuer", "audience", "api_key_header"},
        ),
        (
            "oauth2",
            {"provider", "refresh_tokens", "registration"},
            {"issuer", "login_rate_limit", "api_key_header"},
        ),
        (
            "oidc",
            {"issuer", "audience"},
            {"provider", "refresh_tokens", "registration"},
        ),
        ("api-key", {"api_key_header"}, {"refresh_tokens", "registration"}),
    ],
)
def test_auth_conditions_follow_the_scheme(
    scheme: str, asked: set[str], skipped: set[str]
) -> None:
    script = Script({"scheme": scheme, "issuer": "https://id.example.com/"})
    collect_answers(load_question_set("auth"), script)
    assert asked <= set(script.asked)
    assert not skipped & set(script.asked)


def test_refresh_days_only_with_refresh_tokens() -> None:
    script = Script({"scheme": "password-jwt", "refresh_tokens": False})
    collect_answers(load_question_set("auth"), script)
    assert "refresh_token_days" not in script.asked


# -- defaults -----------------------------------------------------------------


def test_defaults_prefer_the_previous_answer() -> None:
    q = question("pagination.max_size", "crud-resource")
    assert default_for(q) == 100
    assert default_for(q, 250) == 250
    assert default_text(q, default_for(q)) == "100"


def test_empty_defaults_by_type() -> None:
    assert default_for(question("resource.plural", "crud-resource")) == ""
    assert default_for(question("auth.scopes", "crud-resource")) == ()
    assert default_text(question("auth.scopes", "crud-resource"), ("a", "b")) == "a, b"
    assert default_text(question("default_size", "pagination"), None) == ""


def test_previous_answers_become_the_defaults() -> None:
    question_set = load_question_set("crud-resource")
    first = collect_answers(
        question_set,
        Script(
            {
                "resource.name": "item",
                "resource.fields.name": Each(["title", "done"]),
                "resource.fields.type": Each(["str", "bool"]),
                "resource.fields.more": Each([True, False]),
                "pagination.max_size": "30",
            }
        ),
    )
    again = collect_answers(question_set, Script({}, fill=False), previous=first)
    assert again == first


# -- validation ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("title", None),
        ("due_date", None),
        ("", "an answer is required"),
        ("Title", "'Title': use lower-case letters, digits and underscores"),
        ("2nd", "'2nd': use lower-case letters"),
        ("due-date", "'due-date': use lower-case letters"),
        ("class", "'class' is a Python keyword; choose another name"),
        ("match", "'match' is a Python keyword; choose another name"),
        ("id", "'id': planner generates id, owner_id"),
        ("created_at", "'created_at': planner generates"),
        ("x" * 64, "is longer than 63 characters"),
    ],
)
def test_field_name_messages(raw: str, message: str | None) -> None:
    got = check_answer(item("resource.fields", "name", "crud-resource"), raw)
    if message is None:
        assert got is None
    else:
        assert got is not None and message in got


def test_field_names_must_differ_within_the_group() -> None:
    q = item("resource.fields", "name", "crud-resource")
    taken = frozenset({"title"})
    assert check_answer(q, "title", taken=taken) == (
        "'title' is used already; each must be different"
    )
    assert check_answer(q, "body", taken=taken) is None


NAMES = st.one_of(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz_0123456789ABC-é", max_size=70),
    st.sampled_from([*keyword.kwlist, *keyword.softkwlist]),
)


@given(NAMES)
def test_name_validation_agrees_with_the_spec(name: str) -> None:
    q = question("resource.name", "crud-resource")
    message = check_answer(q, name)
    try:
        FieldSpec(name=name, type="str")
    except ValidationError as err:
        assert message is not None
        spec_message = str(err)
        if message.startswith(f"{name!r}: "):
            assert message.removeprefix(f"{name!r}: ") in spec_message
        elif keyword.iskeyword(name) or keyword.issoftkeyword(name):
            assert message in spec_message
    else:
        assert message is None


def test_answers_are_stripped_before_checking() -> None:
    assert check_answer(question("resource.name", "crud-resource"), "  item ") is None


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("50", None),
        (" 7 ", None),
        ("", None),
        ("ten", "'ten' is not a whole number"),
        ("0", "0 is below the minimum, 1"),
        ("10001", "10001 is above the maximum, 10000"),
    ],
)
def test_integer_messages(raw: str, message: str | None) -> None:
    assert check_answer(question("pagination.default_size", "crud-resource"), raw) == (
        message
    )


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ("", None),
        ("orders:write, admin.read", None),
        ("a b", "'a b': a scope is 1-64 letters, digits or _ . : -"),
        ("x, x", "an item is listed twice"),
    ],
)
def test_list_messages(raw: str, message: str | None) -> None:
    assert check_answer(question("auth.scopes", "crud-resource"), raw) == message


def test_choice_messages() -> None:
    ops = question("resource.operations", "crud-resource")
    assert (
        check_answer(ops, []) == "choose at least one (space toggles, enter confirms)"
    )
    assert check_answer(ops, ["list"]) is None
    assert check_answer(ops, ["fly"]) is not None
    style = question("pagination.style", "crud-resource")
    assert check_answer(style, "keyset") is not None


def test_pattern_messages_for_paths_and_rate_limits() -> None:
    path = question("path", "endpoint")
    assert check_answer(path, "/orders/{order_id}/cancel") is None
    assert "start with /" in (check_answer(path, "orders") or "")
    limit = question("rate_limit", "endpoint")
    assert check_answer(limit, "10/minute") is None
    assert "COUNT/PERIOD" in (check_answer(limit, "10 per minute") or "")


def test_parse_answer_by_type() -> None:
    assert parse_answer(question("auth.scopes", "crud-resource"), " a, ,b ") == (
        "a",
        "b",
    )
    assert parse_answer(question("pagination.max_size", "crud-resource"), " 20") == 20
    assert parse_answer(question("pagination.max_size", "crud-resource"), "") is None
    assert parse_answer(question("resource.operations", "crud-resource"), ["a"]) == (
        "a",
    )
    assert split_list("a,, b ,") == ("a", "b")


# -- building specs -----------------------------------------------------------


def test_crud_answers_with_two_fields_build_the_expected_spec() -> None:
    question_set = load_question_set("crud-resource")
    answers = collect_answers(
        question_set,
        Script(
            {
                "resource.name": "item",
                "resource.fields.name": Each(["title", "status"]),
                "resource.fields.type": Each(["str", "enum"]),
                "resource.fields.max_length": "200",
                "resource.fields.choices": "draft, published",
                "resource.fields.more": Each([True, False]),
                "pagination.style": "cursor",
                "pagination.sort": "-created_at, id",
            }
        ),
    )
    spec = build_spec(question_set, answers)
    assert isinstance(spec, CrudResourceSpec)
    assert [f.name for f in spec.resource.fields] == ["title", "status"]
    assert spec.resource.fields[0].max_length == 200
    assert spec.resource.fields[1].choices == ("draft", "published")
    assert spec.pagination.style == "cursor"
    assert spec.pagination.sort == ("-created_at", "id")
    assert spec.plan_name == "items-crud"
    data = build_spec_data(question_set, answers)
    assert "plural" not in data["resource"]  # empty answers leave spec defaults


def test_endpoint_answers_build_the_issue_example() -> None:
    question_set = load_question_set("endpoint")
    answers = collect_answers(
        question_set,
        Script(
            {
                "method": "POST",
                "path": "/orders/{order_id}/cancel",
                "summary": "Cancel an order",
                "auth.scopes": "orders:write",
                "request.fields.more": Each([True, False]),
                "request.fields.name": "reason",
                "request.fields.required": False,
                "errors.more": Each([True, False]),
                "errors.status": "409",
                "errors.when": "the order has shipped",
            }
        ),
    )
    spec = build_spec(question_set, answers)
    assert isinstance(spec, EndpointSpec)
    assert spec.auth.required and spec.auth.scopes == ("orders:write",)
    assert spec.request is not None
    assert spec.request.fields[0].name == "reason"
    assert not spec.request.fields[0].required
    assert spec.errors[0].status == 409
    assert spec.plan_name == "post-orders-order-id-cancel"


def test_endpoint_without_body_fields_leaves_request_out() -> None:
    question_set = load_question_set("endpoint")
    script = Script({"method": "POST", "path": "/x", "summary": "X"})
    data = build_spec_data(question_set, collect_answers(question_set, script))
    assert "request" not in data and "errors" not in data


def test_auth_answers_build_the_issue_example() -> None:
    question_set = load_question_set("auth")
    answers = collect_answers(question_set, Script({"roles": "admin, member"}))
    spec = build_spec(question_set, answers)
    assert spec == AuthSpec(
        kind="auth",
        scheme="password-jwt",
        refresh_tokens=True,
        roles=("admin", "member"),
        registration=True,
    )


def test_pagination_answers_build_the_issue_example() -> None:
    question_set = load_question_set("pagination")
    answers = collect_answers(
        question_set,
        Script(
            {
                "target": "GET /items",
                "style": "cursor",
                "default_size": "20",
                "sort": "created_at, id",
            }
        ),
    )
    spec = build_spec(question_set, answers)
    assert isinstance(spec, PaginationSpec)
    assert (spec.style, spec.default_size, spec.max_size) == ("cursor", 20, 100)
    assert spec.sort == ("created_at", "id")
    assert spec.include_total is None  # not asked for cursors: the rules decide


def test_an_invalid_combination_is_a_spec_error() -> None:
    question_set = load_question_set("pagination")
    answers = collect_answers(
        question_set, Script({"target": "GET /items", "default_size": "500"})
    )
    with pytest.raises(SpecError) as exc:
        build_spec(question_set, answers)
    assert "default_size (500) exceeds max_size (100)" in exc.value.message
    assert exc.value.where == "answers"


def test_sort_naming_a_missing_field_is_a_spec_error() -> None:
    question_set = load_question_set("crud-resource")
    script = Script({"resource.name": "item", "pagination.sort": "rank"})
    with pytest.raises(SpecError, match=r"pagination\.sort names 'rank'"):
        build_spec(question_set, collect_answers(question_set, script))


# -- the driver ---------------------------------------------------------------


def test_an_interrupt_carries_the_partial_answers() -> None:
    script = Script({"resource.name": "item"}, interrupt_at="resource.fields.type")
    with pytest.raises(QuestionnaireInterrupted) as exc:
        collect_answers(load_question_set("crud-resource"), script)
    assert exc.value.answers["resource.name"] == "item"
    assert exc.value.answers["resource.fields"] == [{"name": "title"}]
    assert exc.value.exit_code == 130


def test_a_prompter_returning_an_invalid_answer_is_a_bug() -> None:
    with pytest.raises(ValueError, match=r"invalid answer to resource\.name"):
        collect_answers(
            load_question_set("crud-resource"), Script({"resource.name": "Item"})
        )


def test_a_group_stops_at_max_items() -> None:
    text = """
kind = "auth"
title = "t"
[[questions]]
key = "scheme"
type = "select"
prompt = "s"
default = "api-key"
choices = [{ value = "api-key" }]
[[questions]]
key = "roles"
type = "group"
label = "Role"
more = "more?"
min_items = 1
max_items = 2
  [[questions.items]]
  key = "name"
  type = "text"
  prompt = "name"
"""
    question_set = parse_question_set(text, source="t.toml")
    script = Script({"roles.name": Each(["a", "b", "c"]), "roles.more": True})
    answers = collect_answers(question_set, script)
    assert answers["roles"] == [{"name": "a"}, {"name": "b"}]


# -- malformed question sets ----------------------------------------------------

GOOD = """
kind = "auth"
title = "t"
[[questions]]
key = "scheme"
type = "select"
prompt = "Scheme?"
default = "oidc"
choices = [{ value = "oidc" }, { value = "api-key" }]
"""


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("kind = ", "not valid TOML"),
        (GOOD + "colour = 1\n", "colour: Extra inputs are not permitted"),
        (GOOD.replace('default = "oidc"\n', ""), "needs a default among its choices"),
        (GOOD.replace('default = "oidc"', 'default = "saml"'), "not among the choices"),
        (GOOD.replace('default = "oidc"', "default = 3"), "does not fit a select"),
        (GOOD.replace('type = "select"', 'type = "slider"'), "questions[0]"),
        (GOOD.replace('prompt = "Scheme?"\n', ""), "prompt: Field required"),
        (
            GOOD + '[[questions]]\nkey = "a"\ntype = "text"\nprompt = "a"\n'
            'pattern = "^x$"\n',
            "pattern and pattern_message go together",
        ),
        (
            GOOD + '[[questions]]\nkey = "a"\ntype = "text"\nprompt = "a"\n'
            'pattern = "("\npattern_message = "m"\n',
            "pattern does not compile",
        ),
        (
            GOOD + '[[questions]]\nkey = "a"\ntype = "confirm"\nprompt = "a"\n'
            "when = { key = 'b', equals = true }\n",
            "`when` reads 'b', which is not an earlier question",
        ),
        (
            GOOD + '[[questions]]\nkey = "a"\ntype = "confirm"\nprompt = "a"\n'
            "when = { key = 'scheme', eq = 'oidc' }\n",
            "questions[1].when.eq: Extra inputs are not permitted",
        ),
        (
            GOOD + '[[questions]]\nkey = "scheme.x"\ntype = "confirm"\nprompt = "a"\n',
            "clashes with the key 'scheme'",
        ),
        (
            GOOD + '[[questions]]\nkey = "f"\ntype = "group"\nlabel = "F"\n'
            'more = "more?"\n[[questions.items]]\nkey = "n"\ntype = "text"\n'
            'prompt = "n"\n',
            "needs `start`",
        ),
        (
            GOOD + '[[questions]]\nkey = "n"\ntype = "integer"\nprompt = "n"\n'
            "min = 5\nmax = 1\n",
            "min exceeds max",
        ),
        (
            GOOD + '[[questions]]\nkey = "n"\ntype = "confirm"\nprompt = "n"\n'
            "choices = [{ value = 'a' }]\n",
            "choices apply to select and checkbox",
        ),
    ],
)
def test_malformed_question_sets_name_file_and_reason(text: str, reason: str) -> None:
    with pytest.raises(QuestionsError) as exc:
        parse_question_set(text, source="questions/auth.toml")
    assert exc.value.where == "questions/auth.toml"
    assert reason in exc.value.message
    assert exc.value.exit_code == 2


def test_loading_an_unknown_kind_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="unknown spec kind"):
        load_question_set("blog")


# -- properties -----------------------------------------------------------------


def _raw_strategy(q: Question) -> st.SearchStrategy[Any]:
    if q.type == "confirm":
        return st.booleans()
    if q.type == "select":
        return st.sampled_from(q.values)
    if q.type == "checkbox":
        return st.lists(st.sampled_from(q.values), unique=True)
    if q.type == "integer":
        low = q.min if q.min is not None else -1000
        high = q.max if q.max is not None else 1000
        number = st.integers(low, min(high, low + 1000)).map(str)
        return number if q.required else st.one_of(st.just(""), number)
    one = (
        st.from_regex(q.pattern, fullmatch=True)
        if q.pattern
        else st.text(min_size=1, max_size=30)
    )
    if q.type == "list":
        return st.lists(one, max_size=3).map(", ".join)
    return one if q.required else st.one_of(st.just(""), one)


def _random_prompter(data: st.DataObject) -> Callable[..., Any]:
    counts: dict[str, int] = {}

    def prompt(q: Question, default: Any, validate: Validator) -> Any:
        if q.key.endswith(".more"):
            counts[q.key] = counts.get(q.key, 0) + 1
            return counts[q.key] <= 3 and data.draw(st.booleans())
        strategy = _raw_strategy(q).filter(lambda raw: validate(raw) is None)
        return data.draw(strategy, label=q.key)

    return prompt


@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_random_valid_answers_give_a_spec_or_a_clean_spec_error(
    kind: str, data: st.DataObject
) -> None:
    question_set: QuestionSet = load_question_set(kind)
    answers = collect_answers(question_set, _random_prompter(data))
    try:
        spec = build_spec(question_set, answers)
    except SpecError as err:
        assert err.message and err.where == "answers"
        assert "Traceback" not in err.message
        return
    assert spec.kind == kind
    assert parse_spec(dump_spec(spec)).spec == spec


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE"])
def test_endpoint_effects_offered_fit_the_method(method: str) -> None:
    from planner.interactive.answers import narrow_choices
    from planner.interactive.questions import Question, load_question_set
    from planner.spec import EFFECTS_BY_METHOD

    question = next(
        q
        for q in load_question_set("endpoint").questions
        if isinstance(q, Question) and q.key == "effect"
    )
    narrowed = narrow_choices(question, {"method": method})
    assert [c.value for c in narrowed.choices] == sorted(
        EFFECTS_BY_METHOD[method], key=[c.value for c in question.choices].index
    )
    assert narrowed.default == EFFECTS_BY_METHOD[method][0]


# -- typed defaults and steering answers ----------------------------------------


@pytest.mark.parametrize(
    ("text", "field_type", "value"),
    [("5", "int", 5), ("2.5", "float", 2.5), ("yes", "bool", True),
     ("False", "bool", False), ("0.50", "decimal", "0.50"), ("draft", "enum", "draft")],
)  # fmt: skip
def test_a_default_is_typed_as_its_field(
    text: str, field_type: str, value: Any
) -> None:
    typed = typed_value(text, field_type)
    assert typed == value and type(typed) is type(value)


@pytest.mark.parametrize(
    ("text", "field_type"),
    [("five", "int"), ("nan", "float"), ("maybe", "bool"), ("1e", "decimal"),
     ("Infinity", "decimal")],
)  # fmt: skip
def test_a_default_that_is_no_value_of_its_type_is_refused(
    text: str, field_type: str
) -> None:
    with pytest.raises(ValueError):
        typed_value(text, field_type)


def test_a_steering_answer_stays_out_of_the_spec() -> None:
    question_set = load_question_set("crud-resource")
    answers = {
        "resource.name": "item",
        "resource.fields": [{"name": "title", "type": "str"}],
        "auth.required": True,
        "auth.per_operation": True,
        "auth.operation_scopes.delete": ("items:admin",),
    }
    data = build_spec_data(question_set, answers)
    assert data["auth"] == {
        "required": True,
        "operation_scopes": {"delete": ["items:admin"]},
    }
