"""The prompt sent to the model: plan, spec and context, redacted and hashed."""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from planner.config import LlmConfig
from planner.plan import Plan
from planner.refine.guard import REFINEMENT_TITLE
from planner.refine.redact import project_secrets, redact
from planner.render.markdown import render_markdown
from planner.spec import AnySpec

__all__ = ["SYSTEM_PROMPT", "Prompt", "build_prompt", "show_prompt", "unrefined"]

SYSTEM_PROMPT = f"""\
You refine implementation plans written by planner, a deterministic planning tool \
for FastAPI projects. The plan is authoritative: its files, API contract, data \
model and notes were decided by tested rules and must not change.

Reply with ONE Markdown section and nothing else:
- Start with the heading "## {REFINEMENT_TITLE}".
- Under it use only "###" subheadings: "Open questions" (answer each of the \
plan's open questions, or say what must be decided and by whom), "Project-specific \
notes" (risks, edge cases and ordering advice specific to this spec and session \
context) and, only if needed, "Disagreements" (where you think the plan is wrong, \
and why).
- Do not repeat the plan, its tables or its headings. Do not add, remove or rename \
files, endpoints, status codes, fields or tables.
- Write guidance, not code: at most a few lines of code in any example.
- Some values were replaced by [REDACTED]; never guess them.
Be concise: about 600 words at most."""


@dataclass(frozen=True)
class Prompt:
    """The exact messages for the model, their hash, and the plan they refine."""

    messages: tuple[tuple[str, str], ...]  # (role, content)
    model: str | None
    temperature: float
    max_tokens: int
    sha256: str
    redactions: int
    deterministic: str  # the plan's Markdown the guard compares answers with

    def payload(self, *, stream: bool = False) -> dict[str, Any]:
        """Return the chat-completions request body."""
        body = _hashed_fields(
            self.messages, self.model, self.temperature, self.max_tokens
        )
        if stream:
            body["stream"] = True
        return body


def build_prompt(
    plan: Plan, /, *, spec: AnySpec, settings: LlmConfig, project: Path
) -> Prompt:
    """Build the redacted prompt for a deterministic plan (no network)."""
    base = unrefined(plan)
    deterministic = render_markdown(base)
    spec_json = json.dumps(spec.model_dump(mode="json"), indent=2, sort_keys=True)
    context = "\n".join(base.context) or "(none was given)"
    user = (
        "----- BEGIN PLAN (Markdown, rendered by planner) -----\n"
        f"{deterministic.rstrip()}\n"
        "----- END PLAN -----\n\n"
        "----- BEGIN SPEC (JSON) -----\n"
        f"{spec_json}\n"
        "----- END SPEC -----\n\n"
        f"----- BEGIN SESSION CONTEXT (.claude/tasks/session_context_{base.name}.md)"
        " -----\n"
        f"{context}\n"
        "----- END SESSION CONTEXT -----\n"
    )
    cleaned = redact(user, secrets=project_secrets(project))
    messages = (("system", SYSTEM_PROMPT), ("user", cleaned.text))
    fields = _hashed_fields(
        messages, settings.model, settings.temperature, settings.max_tokens
    )
    canonical = json.dumps(
        fields, sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return Prompt(
        messages=messages,
        model=settings.model,
        temperature=settings.temperature,
        max_tokens=settings.max_tokens,
        sha256=hashlib.sha256(canonical.encode("utf-8")).hexdigest(),
        redactions=cleaned.count,
        deterministic=deterministic,
    )


def show_prompt(prompt: Prompt, /, *, settings: LlmConfig) -> str:
    """Return the prompt as `--show-prompt` prints it: what would be sent, exactly."""
    where = "(base_url is not set)"
    if settings.base_url:
        where = settings.base_url.rstrip("/") + "/chat/completions"
    lines = [
        f"# planner would POST this to {where}; nothing was sent",
        f"# model: {prompt.model or '(not set)'}  temperature: {prompt.temperature:g}"
        f"  max_tokens: {prompt.max_tokens}",
        f"# prompt sha256: {prompt.sha256}  cache: .planner/cache/{prompt.sha256}.json",
        f"# values redacted: {prompt.redactions}",
    ]
    for role, content in prompt.messages:
        lines += [f"===== {role} =====", content.rstrip("\n")]
    return "\n".join(lines) + "\n"


def _hashed_fields(
    messages: tuple[tuple[str, str], ...],
    model: str | None,
    temperature: float,
    max_tokens: int,
) -> dict[str, Any]:
    return {
        "model": model,
        "messages": [{"role": r, "content": c} for r, c in messages],
        "temperature": temperature,
        "max_tokens": max_tokens,
    }


def unrefined(plan: Plan) -> Plan:
    """Return a plan without its refinement section and refined provenance."""
    if plan.refinement is None:
        return plan
    provenance = dataclasses.replace(
        plan.provenance, refined_model=None, refined_host=None, prompt_sha256=None
    )
    return dataclasses.replace(plan, refinement=None, provenance=provenance)
