"""Who may receive the API key: the user decides, never the project's files.

A cloned repository's pyproject.toml chooses `base_url` and `model`; it must
not be able to send a user's secret where the user did not approve. So the
variable the key is read from, the hosts it may go to and plain `http://` to
another machine come from the user: `~/.config/planner/config.toml`

```toml
[llm]
api_key_env = "OPENAI_API_KEY"
trusted_hosts = ["api.openai.com"]
allow_http = false
```

or the command line (`--api-key-env`, `--trust-host`, `--allow-http`).
Loopback hosts (`localhost`, `127.0.0.1`, `::1`) are always trusted.
"""

from __future__ import annotations

import ipaddress
import os
import tomllib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from planner.errors import RefineError, SpecError
from planner.fileio import read_text

__all__ = ["DEFAULT_KEY_ENV", "Trust", "is_loopback", "user_config_path"]

DEFAULT_KEY_ENV = "PLANNER_LLM_API_KEY"
MAX_USER_CONFIG_BYTES = 100_000


def user_config_path(environ: Mapping[str, str]) -> Path:
    """`$PLANNER_CONFIG`, else `$XDG_CONFIG_HOME/planner/config.toml` (~/.config)."""
    if environ.get("PLANNER_CONFIG"):
        return Path(environ["PLANNER_CONFIG"])
    base = environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "planner" / "config.toml"


def is_loopback(host: str) -> bool:
    """Tell whether a host name or address is this machine."""
    name = host.strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Trust:
    """The user's choices: the key's variable, trusted hosts, plain http."""

    api_key_env: str | None = None
    trusted_hosts: frozenset[str] = field(default_factory=frozenset)
    allow_http: bool = False

    @classmethod
    def load(
        cls,
        environ: Mapping[str, str] | None = None,
        *,
        api_key_env: str | None = None,
        hosts: Sequence[str] = (),
        allow_http: bool = False,
    ) -> Trust:
        """The user-level config, with command-line choices added on top.

        Raises:
            SpecError: The user config is unreadable or malformed.
        """
        env = os.environ if environ is None else environ
        table = _user_table(user_config_path(env))
        key_env = api_key_env or table.get("api_key_env")
        listed = table.get("trusted_hosts", [])
        if not isinstance(listed, list) or not all(isinstance(h, str) for h in listed):
            raise SpecError("llm.trusted_hosts: must be a list of host names")
        if key_env is not None and not (
            isinstance(key_env, str) and key_env.isidentifier()
        ):
            raise SpecError(f"api_key_env: {key_env!r} is not a variable name")
        return cls(
            api_key_env=key_env,
            trusted_hosts=frozenset(h.lower() for h in [*listed, *hosts]),
            allow_http=allow_http or table.get("allow_http") is True,
        )

    def key_env(self, project_choice: str) -> str:
        """The variable to read the key from.

        Raises:
            RefineError: The project's config names another variable than the
                user chose (or than the default, when the user chose none).
        """
        chosen = self.api_key_env or DEFAULT_KEY_ENV
        if project_choice not in (DEFAULT_KEY_ENV, chosen):
            raise RefineError(
                f"pyproject.toml sets api_key_env = {project_choice!r}; a project "
                "cannot choose which of your environment variables is sent",
                hint=f"if you mean it, pass --api-key-env {project_choice} or set "
                "api_key_env under [llm] in ~/.config/planner/config.toml",
            )
        return chosen

    def check_endpoint(self, base_url: str, *, sends_key: bool, key_env: str) -> None:
        """Refuse plain http to another machine, and a key to an untrusted host.

        Raises:
            RefineError: Either would happen.
        """
        parts = urlsplit(base_url)
        host = (parts.hostname or "").lower()
        if is_loopback(host):
            return
        if parts.scheme == "http" and not self.allow_http:
            raise RefineError(
                f"base_url {base_url!r} is plain http to another machine: the "
                "plan and any key would cross the network unencrypted",
                hint="use https, or pass --allow-http (or allow_http = true "
                "under [llm] in ~/.config/planner/config.toml)",
            )
        if sends_key and host not in self.trusted_hosts:
            raise RefineError(
                f"refusing to send ${key_env} to {host}, a host you have not "
                "trusted (base_url comes from the project's pyproject.toml)",
                hint=f"pass --trust-host {host}, or add it to trusted_hosts under "
                "[llm] in ~/.config/planner/config.toml",
            )


def _user_table(path: Path) -> dict[str, object]:
    try:
        text = read_text(path, limit=MAX_USER_CONFIG_BYTES)
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as err:
        raise SpecError(f"cannot read: {err}", where=str(path)) from err
    try:
        data = tomllib.loads(text)
    except (tomllib.TOMLDecodeError, RecursionError) as err:
        raise SpecError(f"not valid TOML: {err}", where=str(path)) from err
    table = data.get("llm", {})
    if not isinstance(table, dict):
        raise SpecError("llm: must be a table", where=str(path))
    return table
