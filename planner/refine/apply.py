"""Optional LLM refinement: one model call (or its cached answer), guarded."""

from __future__ import annotations

import dataclasses
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from planner.config import LlmConfig, load_config
from planner.errors import RefineError
from planner.plan import Plan
from planner.refine.cache import CACHE_FORMAT, cache_path, read_cache, write_cache
from planner.refine.guard import compare, extract_refinement
from planner.refine.progress import NullProgress, Progress
from planner.refine.prompt import Prompt, build_prompt, show_prompt, unrefined
from planner.refine.trust import Trust
from planner.render.markdown import render_markdown
from planner.spec import AnySpec

if TYPE_CHECKING:
    import httpx

__all__ = [
    "Endpoint",
    "Prompt",
    "build_prompt",
    "cache_path",
    "cached_refinement",
    "endpoint_of",
    "reapply_cached",
    "refine_plan",
    "run_refinement",
    "show_prompt",
]

CONFIG_HINT = (
    "set base_url and model under [tool.planner.llm] in pyproject.toml, e.g. "
    'base_url = "http://localhost:11434/v1" and model = "llama3.1" (docs/llm.md)'
)


@dataclass(frozen=True)
class Endpoint:
    """A validated `base_url` and model: the URL to POST to and its host."""

    url: str
    host: str
    model: str


def endpoint_of(settings: LlmConfig) -> Endpoint:
    """Validate `base_url` and `model`; return where to POST.

    Raises:
        RefineError: Either is missing, or base_url is not a plain http(s) URL.
    """
    if not settings.base_url or not settings.model:
        missing = " and ".join(
            k for k in ("base_url", "model") if not getattr(settings, k)
        )
        raise RefineError(
            f"no model is configured ({missing} not set)", hint=CONFIG_HINT
        )
    if any(c.isspace() or ord(c) < 32 or ord(c) == 127 for c in settings.base_url):
        raise RefineError(
            "base_url holds a space, newline or control character",
            hint=CONFIG_HINT,
        )
    try:
        parts = urlsplit(settings.base_url)
        port = parts.port
    except ValueError as err:
        raise RefineError(f"base_url is not a URL: {err}", hint=CONFIG_HINT) from err
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RefineError(
            f"base_url {settings.base_url!r} is not an http(s) URL", hint=CONFIG_HINT
        )
    if parts.username or parts.password or parts.query or parts.fragment:
        raise RefineError(
            "base_url must not hold credentials, a query or a fragment",
            hint=f"put the key in the environment variable ${settings.api_key_env}",
        )
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    if port is not None:
        host = f"{host}:{port}"
    url = settings.base_url.rstrip("/") + "/chat/completions"
    return Endpoint(url=url, host=host, model=settings.model)


def cached_refinement(plan: Plan, /, *, prompt: Prompt, project: Path) -> Plan | None:
    """Return the plan refined from a cached answer, or None (never calls a model).

    Raises:
        RefineError: The cached answer no longer passes the guardrails.
    """
    entry = read_cache(cache_path(project, prompt.sha256), prompt.sha256)
    if entry is None:
        return None
    return _apply(plan, prompt, entry)


def reapply_cached(plan: Plan, /, *, spec: AnySpec, project: Path) -> Plan | None:
    """Return a deterministic plan with its cached refinement, or None if none.

    For `planner check` and CI: uses the project's `[tool.planner.llm]` settings
    to rebuild the prompt, never the network, and never imports httpx.

    Raises:
        RefineError: The cached answer no longer passes the guardrails.
    """
    settings = load_config(project).llm
    prompt = build_prompt(plan, spec=spec, settings=settings, project=project)
    return cached_refinement(plan, prompt=prompt, project=project)


def refine_plan(
    plan: Plan,
    /,
    *,
    client: httpx.Client,
    prompt: Prompt,
    settings: LlmConfig,
    project: Path | None,
    use_cache: bool = True,
    stream: bool = False,
    environ: Mapping[str, str] | None = None,
    sleep: Callable[[float], None] = time.sleep,
    progress: Progress | None = None,
    trust: Trust | None = None,
) -> Plan:
    """Refine a plan with one model call (or its cached answer) and the guardrails.

    Args:
        plan: The deterministic plan `prompt` was built from.
        client: The httpx client to call with; the caller owns it.
        prompt: From `build_prompt`.
        settings: `[tool.planner.llm]`; the key is read from `environ` under
            `settings.api_key_env` and from nowhere else.
        project: Where `.planner/cache/` lives; None disables the cache.
        use_cache: Read a cached answer when there is one (answers are always
            written to the cache).
        stream: Ask for a server-sent-events stream.
        environ: The environment to read the key from (default `os.environ`).
        sleep: Called between retries (tests inject a fake).
        progress: Told about waiting, retries and cache hits.
        trust: The user's choice of key variable and trusted hosts (default:
            the user-level config, `Trust.load`).

    Raises:
        RefineError: The call failed or the answer broke the plan; the caller
            keeps the deterministic plan.
    """
    progress = progress or NullProgress()
    target = endpoint_of(settings)
    if project is not None and use_cache:
        hit = cached_refinement(plan, prompt=prompt, project=project)
        if hit is not None:
            progress.note(
                f"using the cached answer .planner/cache/{prompt.sha256}.json"
            )
            return hit
    # Imported here: only a real model call may load httpx.
    from planner.refine.http import Call, post_chat

    env = os.environ if environ is None else environ
    trust = trust or Trust.load(env)
    key_env = trust.key_env(settings.api_key_env)
    key = env.get(key_env) or None
    trust.check_endpoint(str(settings.base_url), sends_key=bool(key), key_env=key_env)
    call = Call(
        url=target.url,
        host=target.host,
        model=target.model,
        payload=prompt.payload(stream=stream),
        timeout=settings.timeout,
        api_key=key,
        api_key_env=key_env,
        stream=stream,
    )
    answer = post_chat(client, call, sleep=sleep, progress=progress)
    entry = {
        "format": CACHE_FORMAT,
        "prompt_sha256": prompt.sha256,
        "model": target.model,
        "host": target.host,
        "finish_reason": answer.finish_reason,
        "answer": answer.content,
    }
    refined = _apply(plan, prompt, entry)
    if project is not None:
        write_cache(cache_path(project, prompt.sha256), entry, progress)
    return refined


def run_refinement(
    plan: Plan,
    /,
    *,
    prompt: Prompt,
    settings: LlmConfig,
    project: Path,
    use_cache: bool = True,
    stream: bool = False,
    progress: Progress | None = None,
    trust: Trust | None = None,
) -> Plan:
    """Refine from the cache if possible, else open an httpx client and call.

    Raises:
        RefineError: As `refine_plan`; also when httpx is not installed.
    """
    endpoint_of(settings)
    if use_cache:
        hit = cached_refinement(plan, prompt=prompt, project=project)
        if hit is not None:
            (progress or NullProgress()).note(
                f"using the cached answer .planner/cache/{prompt.sha256}.json"
            )
            return hit
    try:
        import httpx
    except ImportError as err:
        raise RefineError(
            "refinement needs httpx, which is not installed",
            hint="pip install 'fastapi-planner[llm]'",
        ) from err
    with httpx.Client(timeout=httpx.Timeout(settings.timeout)) as client:
        return refine_plan(
            plan,
            client=client,
            prompt=prompt,
            settings=settings,
            project=project,
            use_cache=False,
            stream=stream,
            progress=progress,
            trust=trust,
        )


def _apply(plan: Plan, prompt: Prompt, entry: Mapping[str, Any]) -> Plan:
    """Put a checked answer into the plan as its marked refinement section."""
    if entry.get("finish_reason") == "length":
        raise RefineError(
            f"the model's answer was rejected: it was cut off at max_tokens "
            f"({prompt.max_tokens})",
            hint="raise max_tokens in [tool.planner.llm]",
        )
    body = extract_refinement(str(entry["answer"]), deterministic=prompt.deterministic)
    base = unrefined(plan)
    provenance = dataclasses.replace(
        base.provenance,
        refined_model=_label(str(entry["model"])),
        refined_host=_label(str(entry["host"])),
        prompt_sha256=prompt.sha256,
    )
    refined = dataclasses.replace(base, refinement=body, provenance=provenance)
    problems = compare(render_markdown(refined), prompt.deterministic)
    if problems:
        raise RefineError(
            "the model's answer was rejected: the refined plan "
            + "; ".join(problems[:3]),
            hint="the deterministic plan was kept",
        )
    return refined


def _label(text: str) -> str:
    """Keep a model or host name to one safe token in headings and comments."""
    safe = "".join(c if c.isalnum() or c in "._:/@+-[]" else "_" for c in text)
    return safe[:100] or "unknown"
