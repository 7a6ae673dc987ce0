"""A verify report as the checklist `planner verify` prints, or as JSON data."""

from __future__ import annotations

from typing import Any

from .records import Finding, VerifyReport

__all__ = ["format_report", "report_data", "summary"]

_MARK = {"ok": "[x]", "missing": "[ ]", "differs": "[!]", "unknown": "[?]"}


def format_report(report: VerifyReport) -> str:
    """The checklist: one line per finding, its place, then the summary line."""
    lines = [f"verify {report.plan} ({report.source})"]
    lines.extend(_line(f) for f in report.findings)
    lines.extend(f"note: {n}" for n in report.notes)
    lines.append(summary(report))
    return "\n".join(lines) + "\n"


def _line(finding: Finding) -> str:
    where = f"  {finding.where}" if finding.where else ""
    planned = f" (planned at {finding.planned})" if finding.planned else ""
    state = "" if finding.state == "ok" else f"{finding.state}: "
    return (
        f"{_MARK[finding.state]} {finding.check} {finding.subject}: "
        f"{state}{finding.detail}{planned}{where}"
    )


def summary(report: VerifyReport) -> str:
    """`12 of 14 planned checks pass; 1 missing, 1 differs, 0 unknown`."""
    total = len(report.findings)
    ok = report.count("ok")
    counts = (
        f"{report.count('missing')} missing, {report.count('differs')} differ, "
        f"{report.count('unknown')} unknown"
    )
    verdict = "everything planned is there" if report.is_ok else "not matching"
    return f"{ok} of {total} checks pass ({counts}): {verdict}"


def report_data(report: VerifyReport) -> dict[str, Any]:
    """The report as JSON data, findings in checklist order."""
    return {
        "plan": report.plan,
        "source": report.source,
        "ok": report.is_ok,
        "summary": {
            state: report.count(state)
            for state in ("ok", "missing", "differs", "unknown")
        },
        "findings": [
            {
                "check": f.check,
                "subject": f.subject,
                "state": f.state,
                "detail": f.detail,
                "where": f.where,
                "planned": f.planned,
            }
            for f in report.findings
        ],
        "notes": list(report.notes),
    }
