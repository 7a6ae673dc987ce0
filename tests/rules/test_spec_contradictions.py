"""Specs whose keys contradict each other are refused, naming both keys."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.cli.main import main

CRUD = """kind = "crud-resource"
[resource]
name = "invoice"
[[resource.fields]]
name = "customer"
type = "ref"
references = "customer"
{extra}
"""

ENDPOINT = """kind = "endpoint"
method = "POST"
path = "/orders/{{order_id}}/cancel"
summary = "Cancel an order"
[[errors]]
status = {status}
when = "the order is already shipped"
"""


def _refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, kind: str
) -> str:
    spec = tmp_path / "spec.toml"
    spec.write_text(text, encoding="utf-8")
    code = main(["new", kind, "--spec", str(spec), "--no-input", "--out", "-"])
    err = capsys.readouterr().err
    assert code == 2, err
    return err


def test_required_with_set_null_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = CRUD.format(extra='required = true\non_delete = "set-null"')
    err = _refused(tmp_path, capsys, text, "crud-resource")
    assert "required = true" in err and 'on_delete = "set-null"' in err


def test_optional_with_set_null_is_accepted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "spec.toml"
    text = CRUD.format(extra='required = false\non_delete = "set-null"')
    spec.write_text(text, encoding="utf-8")
    argv = ["new", "crud-resource", "--spec", str(spec), "--no-input", "--out", "-"]
    assert main(argv) == 0
    assert "ON DELETE SET NULL" in capsys.readouterr().out


def test_unique_and_indexed_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = (
        'kind = "crud-resource"\n[resource]\nname = "coupon"\n'
        '[[resource.fields]]\nname = "code"\ntype = "str"\nunique = true\n'
        "indexed = true\n"
    )
    err = _refused(tmp_path, capsys, text, "crud-resource")
    assert "unique = true" in err and "indexed = true" in err


@pytest.mark.parametrize(
    ("status", "key"), [(401, "auth.required"), (403, "auth.scopes"), (422, "request")]
)
def test_statuses_the_plan_derives_are_not_domain_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], status: int, key: str
) -> None:
    err = _refused(tmp_path, capsys, ENDPOINT.format(status=status), "endpoint")
    assert f"errors.status = {status}" in err and key in err


def test_a_domain_error_is_accepted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    spec = tmp_path / "spec.toml"
    spec.write_text(ENDPOINT.format(status=409), encoding="utf-8")
    argv = ["new", "endpoint", "--spec", str(spec), "--no-input", "--out", "-"]
    assert main(argv) == 0
    assert "already shipped" in capsys.readouterr().out
