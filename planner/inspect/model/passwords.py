"""Whether a project stores its users' passwords as given, unhashed.

A users table with a ``password`` column and no hashing anywhere in the
code (no passlib, pwdlib, bcrypt, Argon2 or KDF, no ``hash_password``)
keeps what users typed: a sign-in plan must hash it from now on and deal
with the rows already stored.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .names import words
from .records import TableClass

if TYPE_CHECKING:
    from .index import ProjectIndex

# What code that hashes passwords names: libraries, KDFs and the helpers
# projects wrap them in.
_HASHING = (
    b"passlib",
    b"pwdlib",
    b"bcrypt",
    b"argon2",
    b"pbkdf2",
    b"scrypt",
    b"hashpw",
    b"werkzeug.security",
    b"fastapi_users",
    b"hash_password",
    b"password_hash",
    b"hashed_password",
    b"make_password",
    b"check_password",
)


def stores_plain_passwords(index: ProjectIndex, tables: tuple[TableClass, ...]) -> bool:
    """Whether a table keeps a bare ``password`` column and nothing hashes one."""
    if not any(
        set(words(column)) <= {"password", "passwd"}
        for table in tables
        for column in table.columns
    ):
        return False
    # Only a module that says "password" can hash one.
    return not any(
        token in src.data
        for src in index.files.sources
        if b"password" in src.data
        for token in _HASHING
    )
