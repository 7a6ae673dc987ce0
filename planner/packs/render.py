"""Render one pack with copier's public API into a scratch folder, and read it."""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any

from planner.errors import PackError, PackInputError
from planner.fileio import read_text
from planner.packs.manifest import PackManifest

MAX_RENDERED_BYTES = 5_000_000

__all__ = ["collect_output", "run_copier"]


def run_copier(
    source: Path, target: Path, *, data: dict[str, Any], trust: bool, shown: str
) -> None:
    """Run `copier.run_copy` non-interactively; its errors become PackError."""
    from copier import Settings, run_copy
    from copier.errors import CopierError
    from jinja2.exceptions import SecurityError, TemplateError

    try:
        run_copy(
            str(source),
            target,
            data=data,
            # Empty settings: a user's copier defaults or trusted prefixes must
            # not change what a pack renders, or let it skip the trust check.
            settings=Settings(),
            defaults=True,
            overwrite=True,
            quiet=True,
            unsafe=trust,
            cleanup_on_error=False,
        )
    except CopierError as err:
        raise PackError(f"copier failed: {err}", where=shown) from err
    except SecurityError as err:
        raise PackInputError(
            f"the pack's template did something its sandbox forbids: {err}",
            where=shown,
            hint="packs render in Jinja2's sandbox; fix the template",
        ) from err
    except TemplateError as err:
        raise PackInputError(f"the pack's template failed: {err}", where=shown) from err
    except ValueError as err:
        # copier reports answers it cannot use (wrong type, failed validator)
        # as ValueError rather than CopierError.
        raise PackError(
            f"copier refused an answer: {err}",
            where=shown,
            hint="check [packs.<name>.answers] in the spec against the pack's "
            "questions (`planner packs show`)",
        ) from err


def collect_output(
    staging: Path, manifest: PackManifest, *, shown: str
) -> tuple[list[tuple[str, str]], str | None]:
    """Return the rendered files (path, text) and the Markdown replacement, if any."""
    files: list[tuple[str, str]] = []
    replacement: str | None = None
    wanted = manifest.meta.markdown
    for path in sorted(staging.rglob("*")):
        relative = PurePosixPath(path.relative_to(staging).as_posix())
        text_path = relative.as_posix()
        if path.is_symlink():
            raise PackError(f"the pack renders a link, {text_path!r}", where=shown)
        if path.is_dir() or text_path == manifest.answers_file:
            # copier's answers file would hold a scratch path; planner records
            # the answers in the spec instead.
            continue
        # Case-insensitively: on macOS and Windows `.GIT/hooks` is `.git/hooks`.
        if any(part.lower() == ".git" for part in relative.parts):
            raise PackError(
                f"the pack renders {text_path!r}, inside .git",
                where=shown,
                hint="packs may not write into a repository's .git folder",
            )
        try:
            text = read_text(path, limit=MAX_RENDERED_BYTES)
        except OSError as err:
            raise PackError(
                f"the pack renders {text_path!r}: {err.strerror}", where=shown
            ) from err
        except UnicodeDecodeError as err:
            raise PackError(
                f"the pack renders {text_path!r}, which is not UTF-8 text",
                where=shown,
                hint="packs add text beside a plan; keep binary files out",
            ) from err
        if text_path == wanted:
            replacement = text
        else:
            files.append((text_path, text))
    # A pack may leave the file out (an empty Jinja file name) to keep planner's.
    return files, replacement
