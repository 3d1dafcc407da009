"""Fixtures for the flow tests: one Prefect test harness per session, fake model roles."""

from __future__ import annotations

import json
import textwrap
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.fakes.openai_server import FakeOpenAI, Reply, write_routing

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
EXAMPLE_CLIP = EXAMPLES / "clip.mp4"

INTENT = {
    "goal": "A punchy teaser that keeps each scene's most dynamic moment.",
    "style_and_mood": "fast, bright, playful",
    "target_audience": "viewers scrolling a feed",
    "success_criteria": ["under 8 seconds", "keeps the hard cuts"],
    "technical_challenges": ["short scenes"],
}
ANALYSIS = {
    "summary": "A coloured ground with one moving shape.",
    "subjects": ["shape"],
    "mood": "playful",
    "composition": "centred subject on a flat ground",
    "motion": "the shape moves steadily",
    "edit_suggestions": ["keep the middle of the scene"],
}
EDIT_SCRIPT = textwrap.dedent(
    """\
    Here is the edit.

    ```python
    from moviepy import concatenate_videoclips


    def edit(source):
        first = source.subclipped(0.5, 1.5)
        second = source.subclipped(3.0, 4.0)
        third = source.subclipped(5.5, 6.5)
        fourth = source.subclipped(8.0, 9.0)
        return concatenate_videoclips([first, second, third, fourth])
    ```
    """
)


@pytest.fixture(scope="session", autouse=True)
def _prefect_harness() -> Iterator[None]:
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@dataclass
class FakeRoles:
    reasoning: FakeOpenAI
    vision: FakeOpenAI
    coder: FakeOpenAI
    reasoning_alt: FakeOpenAI
    routing: Path

    @property
    def chat_count(self) -> int:
        servers = (self.reasoning, self.vision, self.coder, self.reasoning_alt)
        return sum(s.chat_count for s in servers)


@pytest.fixture
def fake_roles(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeRoles]:
    """Three scripted servers, one per role, routed with a custom routing file."""
    servers = {
        "reasoning": FakeOpenAI("reasoning").default(Reply.json(INTENT)).start(),
        "vision": FakeOpenAI("vision").default(Reply.json(ANALYSIS)).start(),
        "coder": FakeOpenAI("coder")
        .default(Reply(EDIT_SCRIPT, tokens_in=300, tokens_out=90))
        .start(),
    }
    # A second reasoning deployment, not serving any role unless a spec's `models` picks it.
    servers["reasoning_alt"] = FakeOpenAI("reasoning-alt").default(Reply.json(INTENT)).start()
    groups = {role: [s] for role, s in servers.items() if role != "reasoning_alt"}
    groups["reasoning-alt"] = [servers["reasoning_alt"]]
    routing = write_routing(tmp_path / "routing.yaml", groups, timeout=30.0)
    monkeypatch.setenv("STUDIO_ROUTING_FILE", str(routing))
    monkeypatch.setenv("STUDIO_PROFILE", "fake")
    monkeypatch.setenv("STUDIO_REDIS_URL", "")
    from core.settings import get_settings

    get_settings.cache_clear()
    try:
        yield FakeRoles(routing=routing, **servers)
    finally:
        for server in servers.values():
            server.kill()


@pytest.fixture
def embedded_roles(
    tmp_path: Path, fake_roles: FakeRoles, monkeypatch: pytest.MonkeyPatch
) -> FakeRoles:
    """The same fake servers under a routing profile named 'embedded': the plan route."""
    groups = {"reasoning": [fake_roles.reasoning], "vision": [fake_roles.vision],
              "coder": [fake_roles.coder]}  # fmt: skip
    routing = write_routing(tmp_path / "embedded.yaml", groups, timeout=30.0, profile="embedded")
    monkeypatch.setenv("STUDIO_ROUTING_FILE", str(routing))
    monkeypatch.setenv("STUDIO_PROFILE", "embedded")
    from core.settings import get_settings

    get_settings.cache_clear()
    return fake_roles


def write_job(folder: Path, clip: Path = EXAMPLE_CLIP, **extra: object) -> Path:
    """Write a job spec for ``clip`` (absolute) with small sampling, plus ``extra`` keys."""
    spec: dict[str, object] = {
        "name": "test-teaser",
        "request": "Cut a short teaser that keeps the hard cuts.",
        "footage": str(clip),
        "output_dir": "out",
        "sample_frames": {"strategy": "scene", "max_frames": 4},
    }
    spec.update(extra)
    path = folder / "job.yaml"
    path.write_text(json.dumps(spec, indent=2), encoding="utf-8")
    return path


def edit_prompt(folder: Path, monkeypatch: pytest.MonkeyPatch, template: str, extra: str) -> None:
    """The prompts as shipped, copied into ``folder`` with ``extra`` added to ``template``.

    The copy replaces the package's prompt folder for the test: a new prompt version.
    """
    import shutil

    import prompts

    edited = folder / "prompts"
    shutil.copytree(
        Path(prompts.__file__).parent, edited, ignore=shutil.ignore_patterns("*.py", "__pycache__")
    )
    path = edited / template
    path.write_text(path.read_text() + extra)
    monkeypatch.setattr(prompts, "_DIR", edited)
