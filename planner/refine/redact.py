"""Find secrets in a project and blank them out of text bound for a model."""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from planner.fileio import read_bytes

__all__ = ["MASK", "Redacted", "project_secrets", "redact"]

MASK = "[REDACTED]"
MAX_FILE_BYTES = 200_000
MAX_PY_FILES = 400
SKIP_DIRS = frozenset(
    {".git", ".venv", "venv", "env", "node_modules", "__pycache__", "build", "dist"}
)
_NAME = r"[A-Za-z0-9_.\-]*?(?:SECRET|KEY|TOKEN|PASSWORD|PASSWD|PWD|CREDENTIAL|PRIVATE|AUTH|SALT|DSN|COOKIE|SESSION)[A-Za-z0-9_.\-]*"  # noqa: E501 (one regex reads best whole)
SECRET_NAME = re.compile(rf"(?i)^{_NAME}$")
# Under these names any non-placeholder value is taken for a secret.
_STRONG_NAME = re.compile(r"(?i)SECRET|PASSWORD|PASSWD|PRIVATE|CREDENTIAL")
# Known credential shapes; each match is replaced whole.
KEY_PATTERNS = (
    re.compile(
        r"-----BEGIN [A-Z0-9 ]*(?:PRIVATE KEY|CERTIFICATE)[A-Z ]*-----"
        r".*?-----END [A-Z0-9 ]*-----",
        re.S,
    ),
    re.compile(r"\bsk-[A-Za-z0-9_\-]{16,}"),  # OpenAI, Anthropic and lookalikes
    re.compile(r"\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{20,}"),  # GitHub tokens
    re.compile(r"\bgithub_pat_[A-Za-z0-9_]{20,}"),
    re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),  # AWS access key ids
    re.compile(r"\bxox[abposr]-[A-Za-z0-9\-]{10,}"),  # Slack
    re.compile(r"\bAIza[0-9A-Za-z_\-]{35}"),  # Google API keys
    re.compile(r"\bglpat-[A-Za-z0-9_\-]{20,}"),  # GitLab
    re.compile(r"\beyJ[A-Za-z0-9_\-]{8,}\.eyJ[A-Za-z0-9_\-]{8,}\.[A-Za-z0-9_\-]{8,}"),
    re.compile(r"\b(?:sk|rk|pk)_(?:live|test)_[A-Za-z0-9]{16,}"),  # Stripe
    re.compile(r"\bnpm_[A-Za-z0-9]{30,}"),  # npm
    # An AWS secret access key: 40 characters of base64, near its key id.
    re.compile(r"(?<=[\s\"'=:])[A-Za-z0-9/+]{40}(?=[\s\"',]|$)", re.M),
)
# `Authorization: Bearer <token>` (and Basic, Token) in headers and logs.
_BEARER = re.compile(
    r"(?i)(?P<lead>\b(?:bearer|basic|token)\s+)(?=[^\s\d]*\d)[A-Za-z0-9._~+/\-]{8,}=*"
)
# JSON inside a string: `{\"password\": \"...\"}`, quotes escaped.
_ESCAPED_JSON = re.compile(
    rf'(?i)(?P<lead>\b{_NAME}\\"\s*:\s*\\")(?P<value>[^"\\\n]{{3,}})(?P<tail>\\")'
)
# `name = value` where the name looks secret: the value goes, the name stays.
_ASSIGNED = re.compile(
    rf"""(?ix)
    (?P<name>\b{_NAME})
    (?P<sep>["']?\s*(?::\s*[A-Za-z_][\w\[\], |]*)?\s*(?:=|:)\s*)
    (?P<value>"[^"\n]{{3,}}"|'[^'\n]{{3,}}'|[A-Za-z0-9+/=_\-.~]{{8,}}(?![\w+/=\-.~(]))
    """
)
# Long hex or base64 after key= / token: even under an innocent-looking name.
_LONG_VALUE = re.compile(
    r"(?i)(?P<lead>(?:key|secret|token|signature|sig)\w*\s*[=:]\s*[\"']?)"
    r"(?P<value>[A-Fa-f0-9]{32,}|[A-Za-z0-9+/_\-]{32,}={0,2})"
)
# Passwords in URLs: scheme://user:password@host.
_URL_PASSWORD = re.compile(r"(?P<lead>\b[a-z][a-z0-9+.\-]*://[^\s:/@]+:)[^\s@/]+(?=@)")
# Python settings defaults: NAME: str = "value", Field(default="value"), getenv.
_PY_DEFAULT = re.compile(
    rf"""(?ix)
    (?:(?P<name>\b{_NAME})\s*(?::[^=\n]*)?=\s*(?:Field\(\s*(?:default\s*=\s*)?)?
      |(?:getenv|environ\.get)\(\s*["'](?P<env>{_NAME})["']\s*,\s*)
    (?P<q>["'])(?P<value>[^"'\n]{{4,}})(?P=q)
    """
)
_SETTINGS_FILE = re.compile(r"(?i)settings|config|env|secret|core")
_PLAIN_WORDS = frozenset({"true", "false", "none", "null", "changeme", "required"})
# Placeholders docs and plans quote ("Instead of: SECRET_KEY = 'secret'"); a
# project that really uses one has a weak key, not a secret worth hiding.
_PLACEHOLDERS = _PLAIN_WORDS | {
    "secret", "changethis", "password", "example", "placeholder", "dummy", "xxx",
}  # fmt: skip


@dataclass(frozen=True)
class Redacted:
    """Text with secrets blanked out, and how many blanks were made."""

    text: str
    count: int


def project_secrets(project: Path) -> tuple[str, ...]:
    """Return secret values found in a project's `.env*` files and settings.

    Every value in a `.env*` file (in any folder) counts, except booleans, numbers
    and very short values, which would blank out ordinary words. In Python files,
    string defaults of settings whose names look secret (SECRET_KEY, db_password,
    ...) count; settings and config modules are read first. Longest first, so a
    value containing another is blanked whole.
    """
    env_files, py_files = _project_files(project)
    found: set[str] = set()
    for path in env_files:
        found.update(_env_values(_read(path)))
    for path in py_files[:MAX_PY_FILES]:
        found.update(_settings_defaults(_read(path)))
    return tuple(sorted(found, key=lambda v: (-len(v), v)))


def redact(text: str, /, *, secrets: Iterable[str] = ()) -> Redacted:
    """Blank out known secret values, credential shapes and `NAME=value` secrets."""
    count = 0
    for value in secrets:
        if value and value in text:
            count += text.count(value)
            text = text.replace(value, MASK)
    for pattern in KEY_PATTERNS:
        text, n = pattern.subn(MASK, text)
        count += n
    text, n = _URL_PASSWORD.subn(lambda m: m["lead"] + MASK, text)
    count += n
    text, n = _BEARER.subn(lambda m: m["lead"] + MASK, text)
    count += n
    text, n = _ESCAPED_JSON.subn(lambda m: m["lead"] + MASK + m["tail"], text)
    count += n
    masked = [0]
    text = _ASSIGNED.sub(lambda m: _mask_assigned(m, masked), text)
    text, n = _LONG_VALUE.subn(lambda m: m["lead"] + MASK, text)
    return Redacted(text=text, count=count + masked[0] + n)


def _mask_assigned(match: re.Match[str], masked: list[int]) -> str:
    value = match["value"]
    quote = value[0] if value[0] in "\"'" else ""
    bare = value[1:-1] if quote else value
    if MASK in value or not _looks_secret(bare, name=match["name"], quoted=bool(quote)):
        return match[0]
    masked[0] += 1
    return f"{match['name']}{match['sep']}{quote}{MASK}{quote}"


def _looks_secret(value: str, *, name: str, quoted: bool) -> bool:
    """Tell a credential from a type name, path, placeholder or ordinary word."""
    if value.lower() in _PLACEHOLDERS or value.startswith(("<", "{", "$", "/", ".")):
        return False
    if re.match(r"https?://", value) and "@" not in value:
        return False
    if " " in value.strip() and len(value) < 24:
        return False  # prose, not a credential
    if quoted and _STRONG_NAME.search(name):
        return True
    # `SecretStr`, `X-API-Key`, `insufficient_scope`: names and words; generated
    # credentials have digits.
    return not re.fullmatch(r"[A-Za-z_][A-Za-z_.:/\-]*(?:\[[^\]]*\])?", value)


def _env_values(text: str) -> Iterator[str]:
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        name, _, value = line.removeprefix("export ").partition("=")
        value = value.strip()
        if value[:1] in "\"'" and value.endswith(value[:1]) and len(value) >= 2:
            value = value[1:-1]
        else:
            value = value.split(" #", 1)[0].strip()
        secret_name = bool(SECRET_NAME.match(name.strip()))
        if _worth_hiding(value, secret_name=secret_name):
            yield value
        # The password in a URL (DATABASE_URL) shows up alone elsewhere.
        found = _URL_PASSWORD.search(value)
        if found:
            password = value[found.end("lead") : found.end()]
            if _worth_hiding(password, secret_name=True):
                yield password


def _worth_hiding(value: str, *, secret_name: bool) -> bool:
    if value.lower() in _PLAIN_WORDS or re.fullmatch(r"[\d.]+", value):
        return False
    return len(value) >= (4 if secret_name else 6)


def _settings_defaults(text: str) -> Iterator[str]:
    for match in _PY_DEFAULT.finditer(text):
        value = match["value"]
        if _looks_secret(value, name=match["name"] or match["env"], quoted=True):
            yield value


def _project_files(project: Path) -> tuple[list[Path], list[Path]]:
    """Return the project's `.env*` and Python files, skipping virtualenvs."""
    env_files: list[Path] = []
    py_files: list[Path] = []
    for folder, dirs, files in os.walk(project):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and d[0] != ".")
        for name in sorted(files):
            if name.startswith(".env"):
                env_files.append(Path(folder, name))
            elif name.endswith(".py"):
                py_files.append(Path(folder, name))
    py_files.sort(key=lambda p: (not _SETTINGS_FILE.search(p.name), p))
    return env_files, py_files


def _read(path: Path) -> str:
    try:
        # Regular files only: a FIFO named .env must not hang refinement.
        data = read_bytes(path, limit=MAX_FILE_BYTES)
        return data.decode("utf-8", errors="replace")
    except OSError:
        return ""  # an unreadable file cannot leak through us either
