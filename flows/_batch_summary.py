"""A footage batch's summary: the flow's result, its markdown artifact and failure headline."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from prefect.client.schemas.objects import State

from core import metrics
from core.exceptions import StudioError
from tasks import catalog

__all__ = ["headline", "markdown", "outcome", "summarise"]


def summarise(
    folder: Path,
    glob: str,
    output: Path,
    results: list[dict[str, Any]],
    ignored: int,
    started: float,
) -> dict[str, Any]:
    """The batch's summary from each clip's result, in clip order.

    Args:
        folder: The footage folder.
        glob: The pattern of clips inside it.
        output: The library folder.
        results: One entry per clip (``outcome``'s, or the task's own result).
        ignored: Matching files ignored as not video.
        started: ``time.perf_counter()`` when the batch began.
    """
    summary: dict[str, Any] = {
        "folder": str(folder),
        "glob": glob,
        "output": str(output),
        "catalog": str(output / catalog.CATALOG_FILE),
        "clips": len(results),
        "analysed": sum(r["status"] == "analysed" for r in results),
        "skipped": sum(r["status"] == "skipped" for r in results),
        "failed": sum(r["status"] == "failed" for r in results),
        "ignored": ignored,
        "llm_calls": sum(int(r.get("llm_calls", 0)) for r in results),
        "cache_hits": sum(r["status"] == "skipped" for r in results),
        "tokens_in": sum(int(r.get("tokens_in", 0)) for r in results),
        "tokens_out": sum(int(r.get("tokens_out", 0)) for r in results),
        # GPU cost is estimated only on the vLLM profile; None when nothing was priced.
        "cost_usd": _total_cost(results),
        "failures": [
            {"path": r["path"], "kind": r["kind"], "error": r["error"]}
            for r in results
            if r["status"] == "failed"
        ],
        "results": results,
        "duration_s": round(time.perf_counter() - started, 3),
    }
    return summary


def markdown(summary: dict[str, Any]) -> str:
    """The summary as the ``footage-batch-summary`` markdown artifact."""
    lines = [
        f"# Footage batch: {summary['folder']} ({summary['glob']})",
        "",
        f"{summary['clips']} clips: **{summary['analysed']} analysed**, "
        f"{summary['skipped']} already complete, **{summary['failed']} failed**, "
        f"{summary['ignored']} non-video files ignored. "
        f"{summary['llm_calls']} model calls in {summary['duration_s']:.1f} s.",
        "",
        f"Library: `{summary['output']}` (catalog `{catalog.CATALOG_FILE}`)",
        "",
        "| clip | status | scenes | model calls | detail |",
        "| --- | --- | --- | --- | --- |",
    ]
    for item in summary["results"]:
        lines.append(
            f"| {Path(item['path']).name} | {item['status']} | {item.get('analyses', '')} "
            f"| {item.get('llm_calls', 0)} | {item.get('error', '')} |"
        )
    return "\n".join(lines)


def outcome(clip: Path, state: State[Any], logger: Any) -> dict[str, Any]:
    """One clip's result, or its failure as a ``failed`` entry."""
    try:
        result: dict[str, Any] = state.result()
        return result
    except Exception as exc:
        kind = type(exc).__name__
        message = str(exc) if isinstance(exc, StudioError) else f"{kind}: {exc}"
        logger.error("clip failed: %s: %s", clip, message)
        metrics.count_failure("batch:clip", exc)
        return {"path": str(clip), "status": "failed", "kind": kind, "error": message}


def _total_cost(results: list[dict[str, Any]]) -> float | None:
    priced = [float(r["cost_usd"]) for r in results if r.get("cost_usd") is not None]
    return round(sum(priced), 6) if priced else None


def headline(summary: dict[str, Any]) -> str:
    """The failed run's message: every failed clip and why."""
    failed = ", ".join(f"{Path(f['path']).name} ({f['error']})" for f in summary["failures"])
    return f"{summary['failed']} of {summary['clips']} clips failed: {failed}"
