"""The jail's runtime view and its cache (sandbox/runtime.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from sandbox import runtime


@pytest.fixture
def fresh_view() -> Iterator[None]:
    runtime.runtime_view.cache_clear()
    yield
    runtime.runtime_view.cache_clear()


def test_checkouts_sharing_a_home_keep_their_own_views(
    fresh_view: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Two checkouts (or virtual environments) run from one home, one after the other: each
    # builds its view once, then finds it again however the runs interleave.
    built: list[str] = []
    real_build = runtime._built_view
    key = {"now": "checkout-a"}

    def build() -> runtime.Jail:
        built.append(key["now"])
        return real_build()

    monkeypatch.setattr(runtime, "_view_key", lambda: key["now"])
    monkeypatch.setattr(runtime, "_built_view", build)
    for now in ("checkout-a", "checkout-b", "checkout-a", "checkout-b"):
        key["now"] = now
        runtime.runtime_view.cache_clear()
        view = runtime.runtime_view()
        assert any(dest == runtime.JAIL_HARNESS for _, dest in view.binds)
    assert built == ["checkout-a", "checkout-b"]
