"""``report.md``: the report rendered for people (also the Prefect markdown artifact)."""

from __future__ import annotations

from tasks.report.model import JobReport

__all__ = ["render_markdown"]


def _cell(text: object) -> str:
    return " ".join(str(text).split()).replace("|", "\\|")


def render_markdown(report: JobReport, images: str = "") -> str:
    """Render the report as Markdown (also used as the Prefect markdown artifact).

    Args:
        report: The report data.
        images: Markdown for the contact sheets; default relative links to ``report.images``
            (the artifact passes them inline, as data URIs, since it has no folder).
    """
    out: list[str] = [f"# Creative job: {report.name}", ""]
    out += [f"**Request:** {report.request}", ""]
    out += [
        f"- Footage: `{report.video}`"
        + (f" (sha256 `{report.video_sha256[:12]}`)" if report.video_sha256 else "")
        + "".join(f", `{name}`" for name in report.videos[1:]),
        f"- Profile: `{report.profile}`; cache: {report.cache_backend or 'n/a'}",
        f"- Output video: `{report.output_video}`"
        if report.output_video
        else "- Output video: none",
        *(
            ["- Timeline: " + ", ".join(f"`{n}`" for n in report.timeline)]
            if report.timeline
            else []
        ),
        f"- Model calls sent: {report.llm_calls}; cache hits: {report.cache_hits}",
        f"- Cost: {report.cost.text}",
        f"- Wall time: {report.duration_s:.1f} s",
        "",
    ]
    out += _checklist(report)
    if report.images:
        looks = images or "\n".join(f"![{name}]({name})" for name in report.images)
        out += ["## Look", "", "The output, then the source shot behind each segment.", ""]
        out += [looks, ""]
    if report.intent is not None:
        intent = report.intent
        out += [
            "## Intent",
            "",
            f"- Goal: {intent.goal}",
            f"- Style and mood: {intent.style_and_mood}",
        ]
        out += [f"- Audience: {intent.target_audience}"]
        out += [f"- Success criterion: {c}" for c in intent.success_criteria]
        out += [f"- Challenge: {c}" for c in intent.technical_challenges]
        out.append("")
    if report.scenes:
        several = any(s.clip for s in report.scenes)
        clip_head, clip_rule = ("clip | ", "--- | ") if several else ("", "")
        out += ["## Scenes", "", f"| {clip_head}scene | start (s) | end (s) | frames | summary |"]
        out += [f"| {clip_rule}---: | ---: | ---: | ---: | --- |"]
        for s in report.scenes:
            summary = s.analysis.summary if s.analysis else ""
            clip_cell = f"{_cell(s.clip)} | " if several else ""
            out.append(
                f"| {clip_cell}{s.index} | {s.start_s:.2f} | {s.end_s:.2f} | {s.frames} "
                f"| {_cell(summary)} |"
            )
        out.append("")
        out += ["## Per-scene analysis", ""]
        for s in report.scenes:
            if s.analysis is None:
                continue
            a = s.analysis
            label = " (blind: from OpenCV descriptors, no image seen)" if a.blind else ""
            out += [f"### {s.label}{label}", "", a.summary, ""]
            if a.subjects:
                out.append(f"- Subjects: {', '.join(a.subjects)}")
            for name, value in (
                ("Mood", a.mood),
                ("Composition", a.composition),
                ("Motion", a.motion),
            ):
                if value:
                    out.append(f"- {name}: {value}")
            out += [f"- Suggestion: {x}" for x in a.edit_suggestions]
            if a.deployment:
                out.append(f"- Deployment: `{a.deployment}`")
            out.append("")
    if report.edit_code is not None:
        how = f"route {report.route or report.edit_mode}, {report.edit_attempts} model attempt(s)"
        if report.fell_back_to_edl:
            how += ", fell back to an edit decision list"
        out += [
            "## Edit script",
            "",
            f"_{how}_",
            "",
            "```python",
            report.edit_code.rstrip(),
            "```",
            "",
        ]
    if report.calls:
        out += [
            "## Model calls",
            "",
            "| role | deployment | tokens in | tokens out | latency (s) | cache hit |",
        ]
        out += ["| --- | --- | ---: | ---: | ---: | --- |"]
        for c in report.calls:
            out.append(
                f"| {c.role} | {_cell(c.deployment)} | {c.tokens_in} "
                f"| {'≥' if c.tokens_estimated else ''}{c.tokens_out} "
                f"| {c.latency_s:.2f} | {'yes' if c.cache_hit else 'no'} |"
            )
        out.append("")
    if report.notes:
        out += ["## Notes", ""] + [f"- {n}" for n in report.notes] + [""]
    return "\n".join(out).rstrip() + "\n"


def _checklist(report: JobReport) -> list[str]:
    """The brief checklist: each criterion, what the kept render measured, and the verdict."""
    if not report.checks:
        return []
    measured = [c for c in report.checks if c.passed is not None]
    passed = sum(1 for c in measured if c.passed)
    out = [
        "## Brief checklist",
        "",
        f"_{passed}/{len(measured)} checks passed; route {report.route or '-'}, "
        f"{report.rounds} round(s); - = not measurable_",
        "",
        "| criterion | measured | |",
        "| --- | --- | :---: |",
    ]
    for c in report.checks:
        mark = "-" if c.passed is None else ("✓" if c.passed else "✗")
        out.append(f"| {_cell(c.text)} | {_cell(c.measured)} | {mark} |")
    out.append("")
    return out
