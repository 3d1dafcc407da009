"""Job admission: deployment runs are confined to the footage and output roots (after
symlinks and '..'), the CLI only when roots are set, and bad footage fails before any model
call. The flow-level tests run the real flow with the deployment check forced on and count
the fake servers' calls and the files written.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from core.exceptions import ConfigError, FootageError
from core.settings import Settings
from flows.admission import admit_batch, admit_job, job_roots
from flows.spec import JobSpec
from tests.flows.conftest import EXAMPLE_CLIP, FakeRoles


@pytest.fixture
def rooted(tmp_path: Path) -> tuple[Settings, Path, Path]:
    footage, output = tmp_path / "footage", tmp_path / "output"
    footage.mkdir()
    output.mkdir()
    (footage / "clip.mp4").symlink_to(EXAMPLE_CLIP)  # a link that stays... somewhere else
    settings = Settings(home=tmp_path / "home", footage_roots=[footage], output_root=output)
    return settings, footage, output


def _spec(footage: Path, output_dir: Path) -> JobSpec:
    return JobSpec(name="j", request="r", footage=[footage], output_dir=output_dir)


def _copy_clip(folder: Path) -> Path:
    clip = folder / "real.mp4"
    clip.write_bytes(EXAMPLE_CLIP.read_bytes())
    return clip


def test_inside_the_roots_is_admitted_with_resolved_paths(
    rooted: tuple[Settings, Path, Path],
) -> None:
    settings, footage, output = rooted
    clip = _copy_clip(footage)
    spec = admit_job(
        _spec(footage / "sub" / ".." / clip.name, output / "a" / "b"),
        settings,
        via_deployment=True,
    )
    assert spec.footage == [clip.resolve()]
    assert spec.output_dir == (output / "a" / "b").resolve()


@pytest.mark.parametrize(
    ("field", "make"),
    [
        ("output_dir", lambda f, o, t: _spec(_copy_clip(f), t / "elsewhere")),
        ("output_dir", lambda f, o, t: _spec(_copy_clip(f), o / ".." / "escape")),
        ("footage[0]", lambda f, o, t: _spec(Path("/etc/passwd"), o)),
        ("footage[0]", lambda f, o, t: _spec(f / ".." / "home" / "x.mp4", o)),
        # The link's name is under the root; what it points to is not.
        ("footage[0]", lambda f, o, t: _spec(f / "clip.mp4", o)),
    ],
)
def test_outside_the_roots_is_rejected_naming_field_and_root(
    rooted: tuple[Settings, Path, Path], tmp_path: Path, field: str, make: object
) -> None:
    settings, footage, output = rooted
    spec = make(footage, output, tmp_path)  # type: ignore[operator]
    with pytest.raises(ConfigError) as info:
        admit_job(spec, settings, via_deployment=True)
    message = str(info.value)
    assert message.startswith(f"{field}: ")
    root = output if field == "output_dir" else footage
    assert str(root.resolve()) in message
    assert "\n" not in message


def test_a_symlinked_output_folder_that_points_out_is_rejected(
    rooted: tuple[Settings, Path, Path], tmp_path: Path
) -> None:
    settings, footage, output = rooted
    outside = tmp_path / "outside"
    outside.mkdir()
    (output / "link").symlink_to(outside)
    with pytest.raises(ConfigError, match=r"^output_dir: .* outside the output root"):
        admit_job(_spec(_copy_clip(footage), output / "link"), settings, via_deployment=True)


def test_relative_paths_are_refused_for_deployment_runs(
    rooted: tuple[Settings, Path, Path],
) -> None:
    settings, footage, _ = rooted
    with pytest.raises(ConfigError, match=r"^output_dir: 'out' must be an absolute path"):
        admit_job(_spec(_copy_clip(footage), Path("out")), settings, via_deployment=True)


def test_deployment_defaults_and_cli_only_when_set(tmp_path: Path) -> None:
    home = tmp_path / "home"
    plain = Settings(home=home)
    deployed = job_roots(plain, via_deployment=True)
    assert deployed.footage == ((home / "footage").resolve(),)
    assert deployed.output == (home / "output").resolve()
    cli = job_roots(plain, via_deployment=False)
    assert cli.footage == () and cli.output is None
    # The CLI is unconfined without roots, but still probes the footage.
    clip = _copy_clip(tmp_path)
    assert admit_job(_spec(clip, tmp_path / "o"), plain, via_deployment=False).footage == [clip]
    with pytest.raises(FootageError, match=r"^footage\[0\]: "):
        admit_job(_spec(Path("/etc/passwd"), tmp_path / "o"), plain, via_deployment=False)
    # ... and applies them when set.
    set_roots = Settings(home=home, output_root=tmp_path / "only-here")
    with pytest.raises(ConfigError, match=r"^output_dir: "):
        admit_job(_spec(clip, tmp_path / "o"), set_roots, via_deployment=False)


def test_roots_come_from_comma_separated_env(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDIO_FOOTAGE_ROOTS", "/srv/a, /srv/b,")
    monkeypatch.setenv("STUDIO_OUTPUT_ROOT", "/srv/out")
    settings = Settings()
    assert settings.footage_roots == [Path("/srv/a"), Path("/srv/b")]
    assert settings.output_root == Path("/srv/out")


def test_batch_folder_clips_and_library_are_confined(
    rooted: tuple[Settings, Path, Path], tmp_path: Path
) -> None:
    settings, footage, output = rooted
    library = output / "library"
    # footage/clip.mp4 links out of the root: the folder scan catches it.
    with pytest.raises(ConfigError, match=r"^folder clip clip.mp4: .* outside the footage roots"):
        admit_batch(footage, "*", library, None, settings, via_deployment=True)
    (footage / "clip.mp4").unlink()
    _copy_clip(footage)
    admit_batch(footage, "*", library, None, settings, via_deployment=True)
    with pytest.raises(ConfigError, match=r"^output: .* outside the output root"):
        admit_batch(footage, "*", tmp_path / "lib", None, settings, via_deployment=True)
    with pytest.raises(ConfigError, match=r"^files\[0\]: "):
        admit_batch(footage, "*", library, [Path("/etc/hosts")], settings, via_deployment=True)
    with pytest.raises(ConfigError, match=r"^folder: "):
        admit_batch(Path("/etc"), "*", library, None, settings, via_deployment=True)


# --- through the flow: rejected before any model call, nothing written ----------------------


def _as_deployment_run(monkeypatch: pytest.MonkeyPatch) -> None:
    import flows.admission

    monkeypatch.setattr(flows.admission, "from_deployment", lambda: True)


@pytest.mark.parametrize("case", ["output_outside", "footage_outside", "symlink_out"])
def test_deployment_run_outside_the_roots_fails_before_spending_or_writing(
    tmp_path: Path,
    fake_roles: FakeRoles,
    monkeypatch: pytest.MonkeyPatch,
    case: str,
) -> None:
    from flows.creative_job import creative_job

    footage, output, outside = tmp_path / "f", tmp_path / "o", tmp_path / "outside"
    for folder in (footage, output, outside):
        folder.mkdir()
    monkeypatch.setenv("STUDIO_FOOTAGE_ROOTS", str(footage))
    monkeypatch.setenv("STUDIO_OUTPUT_ROOT", str(output))
    from core.settings import get_settings

    get_settings.cache_clear()
    _as_deployment_run(monkeypatch)
    inside_clip = _copy_clip(footage)
    if case == "output_outside":
        spec, field = _spec(inside_clip, outside / "out"), "output_dir"
    elif case == "footage_outside":
        spec, field = _spec(_copy_clip(outside), output / "out"), "footage[0]"
    else:
        (footage / "link.mp4").symlink_to(_copy_clip(outside))
        spec, field = _spec(footage / "link.mp4", output / "out"), "footage[0]"

    state = creative_job(spec, return_state=True)
    assert state.is_failed()
    assert field in str(state.message) and "outside the" in str(state.message)
    assert fake_roles.chat_count == 0
    written = [p for p in (*output.rglob("*"), *outside.rglob("*")) if p.name != "real.mp4"]
    assert written == [], written


def test_footage_that_is_not_a_video_fails_before_the_intent_call(
    tmp_path: Path, fake_roles: FakeRoles
) -> None:
    from flows.creative_job import creative_job

    state = creative_job(_spec(Path("/etc/passwd"), tmp_path / "out"), return_state=True)
    assert state.is_failed() and "footage[0]" in str(state.message)
    assert fake_roles.chat_count == 0
    assert not (tmp_path / "out").exists()


# --- which runs count as deployment runs --------------------------------------------------


def test_from_deployment_tells_deployment_runs_from_direct_calls_without_asking_the_api(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from prefect import flow
    from prefect.client.orchestration import get_client
    from prefect.flow_engine import run_flow
    from prefect.runtime import deployment

    from flows.admission import from_deployment

    def no_api(*_: object) -> None:
        raise AssertionError("read the flow run from the API")

    monkeypatch.setattr(deployment, "_get_flow_run", no_api)

    @flow(name="admission-origin")
    def origin() -> bool:
        return from_deployment()

    assert origin() is False
    with get_client(sync_client=True) as client:
        flow_id = client.create_flow(origin)
        deployment_id = client.create_deployment(flow_id=flow_id, name="admission-origin")
        flow_run = client.create_flow_run_from_deployment(deployment_id)
    # As a worker's process runs it: the engine reads the run the deployment created.
    assert run_flow(origin, flow_run=flow_run) is True
