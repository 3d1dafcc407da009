"""A batch clip's frames: a retried clip reuses the frames its failed try sampled; a folder
that is partial, for other sampling or missing a frame is sampled again."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from core.settings import get_settings
from flows._batch_frames import STAMP_NAME, sampled_frames
from tests.fakes.openai_server import Fail, FakeOpenAI, Reply, write_routing
from tests.faults.clips import write_clip
from tests.flows.conftest import ANALYSIS


@pytest.fixture
def sampled(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The clips ``tasks.footage.sample_frames`` was called for, in order."""
    import tasks.footage

    calls: list[Path] = []
    real: Callable[..., Any] = tasks.footage.sample_frames

    def counting(path: Path, *args: Any, **kwargs: Any) -> Any:
        calls.append(Path(path))
        return real(path, *args, **kwargs)

    monkeypatch.setattr(tasks.footage, "sample_frames", counting)
    return calls


@pytest.fixture
def clip(tmp_path: Path) -> Path:
    footage = tmp_path / "footage"
    footage.mkdir()
    return write_clip(footage / "clip.mp4", seed=3)


def _sha(clip: Path) -> str:
    from core.files import sha256_file

    return sha256_file(clip)


def test_same_content_and_sampling_reuses_the_frames(
    clip: Path, tmp_path: Path, sampled: list[Path]
) -> None:
    frames = tmp_path / "frames"
    first = sampled_frames(clip, frames, _sha(clip), 4, "scene", force=False)
    again = sampled_frames(clip, frames, _sha(clip), 4, "scene", force=False)

    assert sampled == [clip]
    assert again == first


@pytest.mark.parametrize(
    "spoil",
    [
        pytest.param(lambda d: (d / STAMP_NAME).unlink(), id="killed-before-the-stamp"),
        pytest.param(lambda d: next(d.glob("frame_*.jpg")).unlink(), id="a-frame-missing"),
        pytest.param(lambda d: (d / "manifest.json").write_text('{"vid'), id="manifest-cut"),
        pytest.param(
            lambda d: (d / STAMP_NAME).write_text(
                json.dumps({**json.loads((d / STAMP_NAME).read_text()), "schema": -1})
            ),
            id="older-schema",
        ),
    ],
)
def test_an_incomplete_or_stale_folder_is_sampled_again(
    clip: Path, tmp_path: Path, sampled: list[Path], spoil: Callable[[Path], object]
) -> None:
    frames = tmp_path / "frames"
    sampled_frames(clip, frames, _sha(clip), 4, "scene", force=False)
    spoil(frames)

    manifest = sampled_frames(clip, frames, _sha(clip), 4, "scene", force=False)

    assert sampled == [clip, clip]
    assert all(Path(f.path).is_file() for f in manifest.frames)
    assert (frames / STAMP_NAME).is_file()


def test_other_sampling_or_force_samples_again(
    clip: Path, tmp_path: Path, sampled: list[Path]
) -> None:
    frames = tmp_path / "frames"
    sampled_frames(clip, frames, _sha(clip), 4, "scene", force=False)
    sampled_frames(clip, frames, _sha(clip), 3, "scene", force=False)
    sampled_frames(clip, frames, _sha(clip), 3, "uniform", force=False)
    sampled_frames(clip, frames, _sha(clip), 3, "uniform", force=True)

    assert len(sampled) == 4


@pytest.fixture
def flaky_vision(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeOpenAI]:
    """A vision backend whose first answer is a 503 (transient), then good answers."""
    server = FakeOpenAI("flaky-vision").default(Reply.json(ANALYSIS)).script(Fail(503))
    server.start()
    routing = write_routing(
        tmp_path / "routing.yaml",
        server,
        vision=True,
        router_settings={"num_retries": 0, "allowed_fails": 5, "cooldown_time": 1},
    )
    monkeypatch.setenv("STUDIO_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("STUDIO_ROUTING_FILE", str(routing))
    monkeypatch.setenv("STUDIO_PROFILE", "fake")
    monkeypatch.setenv("STUDIO_FOOTAGE_ROOTS", str(tmp_path / "footage"))
    monkeypatch.setenv("STUDIO_REDIS_URL", "")
    get_settings.cache_clear()
    yield server
    server.kill()
    get_settings.cache_clear()


def test_a_clip_retried_after_a_model_failure_is_not_sampled_again(
    flaky_vision: FakeOpenAI, clip: Path, tmp_path: Path, sampled: list[Path]
) -> None:
    from flows.batch_analysis import batch_analysis

    summary = batch_analysis(
        folder=str(clip.parent), glob="*", output=str(tmp_path / "library"), max_frames=4
    )

    assert isinstance(summary, dict), summary
    assert summary["analysed"] == 1 and summary["failed"] == 0
    # The first try failed on the 503 and was retried: one more request than the clip's calls.
    assert flaky_vision.chat_count > summary["llm_calls"] >= 1
    assert sampled == [clip]  # the retry reused the first try's frames
