"""Secrets in shapes the campaign found unredacted are blanked before sending."""

from __future__ import annotations

from pathlib import Path

import pytest

from planner.refine.redact import MASK, project_secrets, redact

AWS_ID = "AKIAABCDEFGHIJKLMNOP"
AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ('{\\"password\\": \\"hunter2xyz\\"}', "hunter2xyz"),
        ("Authorization: Bearer abcdefghijklmnop123", "abcdefghijklmnop123"),
        (f"id {AWS_ID} secret {AWS_SECRET}", AWS_SECRET),
        (f"aws_secret_access_key = {AWS_SECRET}", AWS_SECRET),
        ("STRIPE=sk_live_abcdefghijklmnop1234", "sk_live_abcdefghijklmnop1234"),
        ("//registry/:_authToken=npm_" + "a1" * 18, "npm_" + "a1" * 18),
    ],
)
def test_credential_shapes_are_blanked(text: str, secret: str) -> None:
    result = redact(text)
    assert secret not in result.text
    assert MASK in result.text


def test_prose_about_tokens_is_left_alone() -> None:
    text = "The token endpoint returns a bearer token for the items table."
    assert redact(text).text == text


def test_a_database_password_from_env_is_blanked_wherever_it_appears(
    tmp_path: Path,
) -> None:
    (tmp_path / ".env").write_text("DATABASE_URL=postgres://app:s3cretpw@db/app\n")
    secrets = project_secrets(tmp_path)
    text = "connect with password s3cretpw to the database"
    assert "s3cretpw" not in redact(text, secrets=secrets).text


def test_a_fifo_named_env_does_not_hang(tmp_path: Path) -> None:
    import os

    os.mkfifo(tmp_path / ".env")
    assert project_secrets(tmp_path) == ()
