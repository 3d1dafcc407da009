from __future__ import annotations

from pathlib import Path

import pytest

from tests.sandbox.clips import make_clip

HERE = Path(__file__).parent


@pytest.fixture(scope="session")
def clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """4 s, 160x120, 24 fps test pattern with a sine tone."""
    return make_clip(tmp_path_factory.mktemp("clips") / "clip.mp4")


@pytest.fixture(scope="session")
def second_clip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """2 s, 160x120 colour bars."""
    return make_clip(
        tmp_path_factory.mktemp("clips2") / "bars.mp4", seconds=2.0, pattern="smptebars"
    )
