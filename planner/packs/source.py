"""Where a blueprint pack comes from: parse PATH_OR_URL[@REF], fetch it, pin it."""

from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from planner.errors import PackError, PackInputError

__all__ = ["FetchedPack", "PackRef", "content_sha256", "fetch_pack", "parse_pack_ref"]

GIT_TIMEOUT = 300.0
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*://")
_SCP = re.compile(r"^[\w.-]+@[\w.-]+:")
_SHORTCUTS = {"gh:": "https://github.com/", "gl:": "https://gitlab.com/"}


@dataclass(frozen=True)
class PackRef:
    """A pack as named by a user: a folder or git URL, and an optional git ref.

    Attributes:
        source: The folder or URL as written, without `@REF`.
        ref: The git tag, branch or commit after `@`, or None.
        base: The folder a relative `source` is read from.
    """

    source: str
    ref: str | None
    base: Path

    @property
    def is_remote(self) -> bool:
        """Whether `source` is a git URL rather than a local folder."""
        return bool(
            _SCHEME.match(self.source)
            or _SCP.match(self.source)
            or self.source.startswith(tuple(_SHORTCUTS))
        )

    @property
    def text(self) -> str:
        """The reference as a user writes it: `SOURCE[@REF]`."""
        return f"{self.source}@{self.ref}" if self.ref else self.source

    @property
    def folder(self) -> Path:
        """The local folder a non-remote source names."""
        return self.base / self.source


@dataclass(frozen=True)
class FetchedPack:
    """A pack's files copied to a private folder, and what pins them."""

    ref: PackRef
    root: Path
    commit: str
    sha256: str


# Longer than any path or URL a team writes; the file system refuses ~255.
MAX_REF = 1000


def _is_path(path: Path) -> bool:
    """Tell whether `path` exists; a name the file system refuses does not."""
    try:
        return path.exists()
    except OSError:
        return False


def parse_pack_ref(text: str, *, base: Path) -> PackRef:
    """Split `PATH_OR_URL[@REF]`; an existing local path is never split."""
    text = text.strip()
    if len(text) > MAX_REF:
        raise PackInputError(
            f"a pack reference of {len(text)} characters is too long",
            hint=f"name a pack in at most {MAX_REF} characters, as PATH_OR_URL[@REF]",
        )
    if not text or text.startswith("-"):
        raise PackInputError(
            f"{text!r} is not a pack source",
            hint="name a pack as PATH_OR_URL[@REF], e.g. packs/example or "
            "https://github.com/acme/planner-pack.git@v1",
        )
    if _is_path(base / text) and not _SCHEME.match(text):
        return PackRef(source=text, ref=None, base=base)
    start = 0
    if scheme := _SCHEME.match(text):
        authority_end = text.find("/", scheme.end())
        start = len(text) if authority_end < 0 else authority_end
    elif scp := _SCP.match(text):
        start = scp.end()
    at = text.rfind("@", start)
    if at <= 0:
        return PackRef(source=text, ref=None, base=base)
    source, ref = text[:at], text[at + 1 :]
    if not ref or ref.startswith("-") or any(c.isspace() for c in ref):
        raise PackInputError(
            f"{text!r}: {ref!r} is not a git ref",
            hint="write SOURCE@TAG, e.g. packs/example@v1",
        )
    return PackRef(source=source, ref=ref, base=base)


def fetch_pack(ref: PackRef, *, workdir: Path) -> FetchedPack:
    """Copy a pack's files into `workdir` (a fresh folder) and pin them.

    A folder without `@REF` is copied as it is on disk and pinned by a hash of
    its files; anything else is cloned with git, the ref resolved to a commit,
    and that commit's files copied.
    """
    root = workdir / "pack"
    if ref.ref is None and not ref.is_remote:
        folder = ref.folder
        if not folder.is_dir():
            raise PackError(
                f"pack folder {ref.source!r} does not exist",
                where=ref.text,
                hint="check the path (relative paths in [tool.planner] and specs "
                "are read from the project folder)",
            )
        _copy_tree(folder, root, shown=ref.text)
        return FetchedPack(ref=ref, root=root, commit="", sha256=content_sha256(root))
    clone = workdir / "clone"
    _git("clone", "--quiet", "--no-checkout", "--", _clone_url(ref), str(clone))
    commit = _resolve(clone, ref)
    _git("-C", str(clone), "checkout", "--quiet", "--detach", commit)
    _copy_tree(clone, root, shown=ref.text)
    shutil.rmtree(clone, ignore_errors=True)
    return FetchedPack(ref=ref, root=root, commit=commit, sha256=content_sha256(root))


def content_sha256(root: Path) -> str:
    """Return a hash of every file's path and bytes under `root`, in path order."""
    digest = hashlib.sha256()
    for path in sorted(_files(root)):
        relative = path.relative_to(root).as_posix()
        data = path.read_bytes()
        digest.update(f"{relative}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def _in_git(relative: Path) -> bool:
    return any(part.lower() == ".git" for part in relative.parts)


def _files(root: Path) -> list[Path]:
    return [
        path
        for path in root.rglob("*")
        if path.is_file() and not _in_git(path.relative_to(root))
    ]


def _copy_tree(source: Path, target: Path, *, shown: str) -> None:
    """Copy files but not `.git`; refuse symlinks, which could read outside."""
    for path in sorted(source.rglob("*")):
        relative = path.relative_to(source)
        if _in_git(relative):
            continue
        if path.is_symlink():
            raise PackError(
                f"the pack contains a symbolic link, {relative.as_posix()!r}",
                where=shown,
                hint="packs may not contain links (they could copy files from "
                "outside the pack); replace it with the file itself",
            )
        destination = target / relative
        if path.is_dir():
            destination.mkdir(parents=True, exist_ok=True)
        else:
            destination.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, destination)
    target.mkdir(parents=True, exist_ok=True)


def _clone_url(ref: PackRef) -> str:
    if not ref.is_remote:
        folder = ref.folder
        if not (folder / ".git").exists():
            raise PackError(
                f"{ref.source!r} is not a git repository, so @{ref.ref} means nothing",
                where=ref.text,
                hint=f"drop @{ref.ref} to use the folder as it is, or `git init` it",
            )
        return str(folder.resolve())
    for prefix, expansion in _SHORTCUTS.items():
        if ref.source.startswith(prefix):
            return f"{expansion}{ref.source.removeprefix(prefix)}.git"
    return ref.source.removeprefix("git+")


def _resolve(clone: Path, ref: PackRef) -> str:
    """Return the commit a ref names: a tag, a branch of origin, or a commit."""
    wanted = ref.ref or "HEAD"
    for candidate in (wanted, f"origin/{wanted}"):
        found = _git(
            "-C", str(clone), "rev-parse", "--verify", "--quiet",
            f"{candidate}^{{commit}}", check=False,
        )  # fmt: skip
        if found:
            return found
    raise PackError(
        f"git ref {wanted!r} is not in the pack's repository",
        where=ref.text,
        hint="check the tag or branch name (`git ls-remote --tags SOURCE` lists them)",
    )


def _git(*args: str, check: bool = True) -> str:
    # Never wait for a password prompt: planner may run in CI or under a pipe.
    env = {**os.environ, "GIT_TERMINAL_PROMPT": "0"}
    try:
        done = subprocess.run(
            ["git", *args],
            capture_output=True,
            text=True,
            env=env,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except FileNotFoundError as err:
        raise PackError(
            "git is not installed, and this pack is a git repository",
            hint="install git, or use a local folder without @REF",
        ) from err
    except subprocess.TimeoutExpired as err:
        raise PackError(
            f"git {args[0]} took longer than {GIT_TIMEOUT:.0f} seconds",
            hint="check the network, or copy the pack to a local folder",
        ) from err
    if done.returncode != 0 and check:
        lines = done.stderr.strip().splitlines()
        raise PackError(
            f"git {args[0]} failed: {lines[-1] if lines else done.returncode}",
            hint="check the pack's URL and that you can `git clone` it",
        )
    return done.stdout.strip() if done.returncode == 0 else ""
