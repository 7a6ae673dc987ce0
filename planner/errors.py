"""The PlannerError tree and the stable exit codes it maps to.

```text
PlannerError (3)
├── SpecError (2)             a spec file or answer set that cannot work
├── QuestionsError (2)        a broken question set
├── BlueprintError (2)        a broken blueprint, template or rule
├── UsageError (2)            flags that do not fit together
├── OutputExistsError (2)     refusing to overwrite without --force
├── UnsafePathError (2)       a path that escapes the project
├── NotInteractiveError (3)   a questionnaire with no terminal
├── QuestionnaireInterrupted (130)
├── RunInterrupted (130)      a signal stopped a command after some writes
├── InspectionError (3)       the project folder cannot be read
├── PackError (3)             a blueprint pack that cannot be used
├── RefineError (3)           the optional LLM pass failed
└── WriteError (3)            the file system refused a write
```
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import IntEnum
from typing import Any, ClassVar

__all__ = [
    "BlueprintError",
    "ExitCode",
    "InspectionError",
    "NotInteractiveError",
    "OutputExistsError",
    "PackError",
    "PlannerError",
    "QuestionnaireInterrupted",
    "QuestionsError",
    "RefineError",
    "RunInterrupted",
    "SpecError",
    "UnsafePathError",
    "UsageError",
    "WriteError",
]


class ExitCode(IntEnum):
    """Process exit codes; scripts and CI depend on these numbers."""

    OK = 0
    STALE = 1
    INVALID_INPUT = 2
    FAILURE = 3
    INTERRUPTED = 130


class PlannerError(Exception):
    """Root of every error planner reports to a user."""

    exit_code: ClassVar[ExitCode] = ExitCode.FAILURE

    def __init__(
        self, message: str, *, hint: str | None = None, where: str | None = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint
        self.where = where

    def __str__(self) -> str:
        return f"{self.where}: {self.message}" if self.where else self.message


class SpecError(PlannerError):
    """A spec (file or answers) that is malformed or cannot work."""

    exit_code = ExitCode.INVALID_INPUT


class QuestionsError(PlannerError):
    """A question set that is malformed."""

    exit_code = ExitCode.INVALID_INPUT


class BlueprintError(PlannerError):
    """A blueprint manifest, rule or template that is broken."""

    exit_code = ExitCode.INVALID_INPUT


class UsageError(PlannerError):
    """Command-line options that do not fit together."""

    exit_code = ExitCode.INVALID_INPUT


class OutputExistsError(PlannerError):
    """A file exists and --force was not given."""

    exit_code = ExitCode.INVALID_INPUT


class UnsafePathError(PlannerError):
    """A path that would escape the project it belongs to."""

    exit_code = ExitCode.INVALID_INPUT


class NotInteractiveError(PlannerError):
    """A questionnaire was needed but there is no terminal to ask on."""


class QuestionnaireInterrupted(PlannerError):
    """The user stopped the questionnaire; carries the answers given so far."""

    exit_code = ExitCode.INTERRUPTED

    def __init__(
        self,
        message: str = "questionnaire interrupted; nothing was written",
        *,
        answers: Mapping[str, Any] | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message, hint=hint)
        self.answers: dict[str, Any] = dict(answers or {})


class RunInterrupted(PlannerError):
    """A signal stopped a command; the message says what was written first."""

    exit_code = ExitCode.INTERRUPTED


class InspectionError(PlannerError):
    """The target project could not be read."""


class PackError(PlannerError):
    """A blueprint pack could not be found, trusted or rendered."""


class PackInputError(PackError):
    """A pack reference, or a pack's template, that cannot be used as given."""

    exit_code = ExitCode.INVALID_INPUT


class RefineError(PlannerError):
    """The optional LLM refinement failed."""


class WriteError(PlannerError):
    """Writing a plan or spec failed (permissions, disk, missing folder)."""


def suggest(given: str, choices: list[str]) -> str | None:
    """Return the choice the user most likely meant, if any is close."""
    prefixed = sorted(c for c in choices if c.startswith(given) or given.startswith(c))
    if given and prefixed:
        return prefixed[0]
    import difflib  # only when something is misspelt

    close = difflib.get_close_matches(given, choices, n=1, cutoff=0.7)
    return close[0] if close else None
