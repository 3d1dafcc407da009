"""CPU tier: model assembly and verification, lifecycle errors, and the real llama.cpp tier."""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from core.exceptions import TierError
from core.settings import Settings
from inference import InferenceClient
from inference.cpu_tier import CpuTier
from inference.model_file import (
    MODEL_SIZE,
    _stamp,
    _stamp_path,
    assemble_model,
    part_paths,
    verify_model,
)
from tasks.analyze_frames import FrameInput, analyze_frames
from tasks.understand_intent import understand_intent

CLI = [sys.executable, "-c", "from studio.cli import main; main()"]


def run_cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        check=False,
    )


def _wait_dead(pid: int) -> None:
    for _ in range(100):
        with contextlib.suppress(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # reap it if it is our child
        if not Path(f"/proc/{pid}").exists():
            return
        time.sleep(0.05)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def fake_parts(tmp_path: Path) -> tuple[list[Path], bytes]:
    chunks = [os.urandom(1000 + 37 * i) for i in range(5)]
    parts = []
    for index, chunk in enumerate(chunks, start=1):
        path = tmp_path / "parts" / f"part{index:02d}.bin"
        path.parent.mkdir(exist_ok=True)
        path.write_bytes(chunk)
        parts.append(path)
    return parts, b"".join(chunks)


def test_assembly_concatenates_in_order_atomically(
    tmp_path: Path, fake_parts: tuple[list[Path], bytes]
) -> None:
    parts, whole = fake_parts
    target = tmp_path / "models" / "m.gguf"
    seen: list[int] = []

    assemble_model(
        target,
        lambda done, total: seen.append(done),
        parts=parts,
        expected_size=len(whole),
        expected_sha256=hashlib.sha256(whole).hexdigest(),
    )

    assert target.read_bytes() == whole
    assert seen[-1] == len(whole)
    assert sorted(p.name for p in target.parent.iterdir()) == ["m.gguf"]  # no temp left


def test_corrupt_parts_leave_no_model_behind(
    tmp_path: Path, fake_parts: tuple[list[Path], bytes]
) -> None:
    parts, whole = fake_parts
    target = tmp_path / "models" / "m.gguf"

    with pytest.raises(TierError, match="bad checksum for the assembled model") as caught:
        assemble_model(target, parts=parts, expected_size=len(whole), expected_sha256="0" * 64)

    assert "\n" not in str(caught.value)
    assert list(target.parent.iterdir()) == []


def test_verify_model_names_the_problem(tmp_path: Path) -> None:
    fake = tmp_path / "model.gguf"
    fake.write_bytes(b"GGUF not really")

    with pytest.raises(TierError, match="not found"):
        verify_model(tmp_path / "absent.gguf")
    with pytest.raises(TierError, match=r"bad checksum.*size 15 bytes"):
        verify_model(fake)
    with pytest.raises(TierError, match=r"bad checksum.*sha256"):
        verify_model(fake, expected_size=15, expected_sha256="0" * 64)
    digest = hashlib.sha256(fake.read_bytes()).hexdigest()
    verify_model(fake, expected_size=15, expected_sha256=digest)


def test_installed_parts_are_found_in_order() -> None:
    try:
        parts = part_paths()
    except TierError as exc:
        pytest.skip(f"model part packages not installed: {exc}")
    assert [p.name for p in parts] == [f"part{n:02d}.bin" for n in range(1, 23)]
    assert sum(p.stat().st_size for p in parts) == MODEL_SIZE


def test_fetch_is_idempotent_with_a_verified_model() -> None:
    model = Settings().model_path
    if not (model.is_file() and _stamp_path(model).is_file()):
        pytest.skip(f"no verified model at {model}")
    result = run_cli("tier", "fetch")
    assert result.returncode == 0, result.stderr
    assert "already verified" in result.stdout


def test_tier_up_refuses_a_bad_checksum_in_one_line(tmp_path: Path) -> None:
    fake = tmp_path / "fake.gguf"
    fake.write_bytes(b"GGUF" + b"\0" * 1000)

    result = run_cli(
        "tier",
        "up",
        env={"STUDIO_CPU_MODEL_PATH": str(fake), "STUDIO_CPU_PORT": str(_free_port())},
    )

    assert result.returncode == 1
    assert result.stderr.startswith("error: bad checksum for ")
    assert result.stderr.count("\n") == 1


def test_tier_up_reports_a_missing_model(tmp_path: Path) -> None:
    result = run_cli(
        "tier",
        "up",
        env={
            "STUDIO_CPU_MODEL_PATH": str(tmp_path / "absent.gguf"),
            "STUDIO_CPU_PORT": str(_free_port()),
        },
    )
    assert result.returncode == 1
    assert "CPU-tier model not found" in result.stderr and "studio tier fetch" in result.stderr


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A port held by a program that is not an OpenAI server (it hangs up on everyone)."""
    import threading

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen()
    stop = threading.Event()

    def hang_up() -> None:
        sock.settimeout(0.1)
        while not stop.is_set():
            try:
                conn, _ = sock.accept()
            except OSError:
                continue
            conn.sendall(b"SSH-2.0-not-http\r\n")
            conn.close()

    thread = threading.Thread(target=hang_up, daemon=True)
    thread.start()
    yield int(sock.getsockname()[1])
    stop.set()
    thread.join()
    sock.close()


def test_tier_up_reports_a_port_clash(busy_port: int) -> None:
    result = run_cli("tier", "up", env={"STUDIO_CPU_PORT": str(busy_port)})

    assert result.returncode == 1
    assert result.stderr == (
        f"error: port {busy_port} on 127.0.0.1 is already in use by another program: "
        "stop it or set STUDIO_CPU_PORT\n"
    )


def test_a_server_that_dies_is_reported_with_its_last_log_line(tmp_path: Path) -> None:
    pytest.importorskip("llama_cpp")
    # Right size and a matching stamp pass verification cheaply; llama.cpp then fails to
    # load the zeros and exits.
    fake = tmp_path / "zeros.gguf"
    with fake.open("wb") as handle:
        handle.truncate(MODEL_SIZE)
    _stamp_path(fake).write_text(json.dumps(_stamp(fake)))
    settings = Settings(
        home=tmp_path / "home", cpu_model_path=fake, cpu_port=_free_port(), cpu_ctx=512
    )
    tier = CpuTier(settings)

    with pytest.raises(TierError, match="exited during startup") as caught:
        tier.up(timeout_s=60)

    message = str(caught.value)
    assert "\n" not in message
    assert str(tier.log_path) in message
    assert not tier.pid_file.exists()
    assert tier.status().running is False


# --- the real CPU tier ----------------------------------------------------------------------


@pytest.mark.cpu_tier
def test_status_json_lists_every_role_healthy(cpu_tier: str) -> None:
    result = run_cli("tier", "status", "--json")

    assert result.returncode == 0, result.stderr
    doc = json.loads(result.stdout)
    assert doc["profile"] == "embedded"
    assert doc["cpu_tier"]["running"] is True
    assert doc["cpu_tier"]["url"] == cpu_tier
    for role in ("reasoning", "vision", "coder"):
        [entry] = doc["roles"][role]
        assert entry["healthy"] is True
        assert entry["api_base"] == cpu_tier


@pytest.mark.cpu_tier
def test_tier_up_is_idempotent_on_a_running_tier(cpu_tier: str) -> None:
    result = run_cli("tier", "up", "--json")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["running"] is True


@pytest.mark.cpu_tier
def test_intent_on_the_cpu_tier_is_schema_valid(cpu_tier: str) -> None:
    client = InferenceClient.from_settings()

    intent = understand_intent(
        client,
        "Cut a 15 second upbeat teaser for kids from a cartoon clip, fast cuts on the action.",
    )

    assert intent.goal.strip() and intent.target_audience.strip()
    # The schema guarantees the shape; check the content answers this request.
    assert all(c.strip() for c in intent.success_criteria)
    said = intent.model_dump_json().lower()
    assert any(word in said for word in ("teaser", "kid", "child", "15")), said
    [*_, record] = client.records
    assert record.ok and record.deployment.startswith("cpu-qwen2.5-coder-1.5b-q4km")
    assert 0 < record.tokens_out <= 256


@pytest.mark.cpu_tier
def test_a_second_request_waits_instead_of_cutting_a_running_stream(cpu_tier: str) -> None:
    def ask(max_tokens: int, stream: bool) -> dict[str, object]:
        return {
            "model": "qwen2.5-coder-1.5b-instruct",
            "max_tokens": max_tokens,
            "temperature": 0,
            "stream": stream,
            "messages": [{"role": "user", "content": "Count from 1 to 500, one per line."}],
        }

    started = threading.Event()
    chunks: list[str] = []
    finish: list[str | None] = []
    second: list[httpx.Response] = []

    def meanwhile(http: httpx.Client) -> None:
        started.wait(120)
        second.append(http.post(f"{cpu_tier}/chat/completions", json=ask(4, stream=False)))

    with httpx.Client(timeout=300) as http:
        waiting = threading.Thread(target=meanwhile, args=(http,), daemon=True)
        waiting.start()
        with http.stream("POST", f"{cpu_tier}/chat/completions", json=ask(40, True)) as resp:
            for line in resp.iter_lines():
                if not line.startswith("data: {"):
                    continue
                choice = json.loads(line[len("data: ") :])["choices"][0]
                chunks.append(choice["delta"].get("content") or "")
                finish.append(choice.get("finish_reason"))
                started.set()
        waiting.join(300)

    # Interrupted, the stream ends with "[DONE]" after a few tokens and no finish reason.
    assert finish[-1] == "length", (len(chunks), finish[-3:])
    assert sum(1 for c in chunks if c) >= 30
    assert second and second[0].status_code == 200


@pytest.mark.cpu_tier
def test_vision_on_the_text_only_tier_is_a_labelled_blind_analysis(cpu_tier: str) -> None:
    client = InferenceClient.from_settings()
    frames = [
        FrameInput(
            label="scene 1",
            timestamp=0.0,
            jpeg=b"\xff\xd8\xff\xe0 not really a jpeg",
            descriptors="brightness 0.71, warm palette, edge density 0.12, motion 0.02",
        ),
        FrameInput(
            label="scene 2",
            timestamp=4.2,
            descriptors="brightness 0.25, blue palette, edge density 0.44, motion 0.65",
        ),
    ]

    analysis = analyze_frames(client, frames, "pacing", max_tokens=220)

    assert analysis.blind is True
    assert analysis.deployment == "cpu-qwen2.5-coder-1.5b-q4km/vision"
    assert analysis.summary.strip()


@pytest.mark.cpu_tier
def test_embedded_profile_starts_the_tier_on_demand(
    cpu_tier: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    # A second tier on a free port, so the shared session tier is not disturbed.
    from core.settings import get_settings

    monkeypatch.setenv("STUDIO_CPU_PORT", str(_free_port()))
    monkeypatch.setenv("STUDIO_CPU_CTX", "512")
    get_settings.cache_clear()
    settings = get_settings()
    client = InferenceClient.from_settings(settings)
    try:
        completion = client.complete(
            "coder", [{"role": "user", "content": "Say OK."}], max_tokens=2
        )
        assert completion.record.ok and completion.record.tokens_out >= 1
        assert "starting the CPU tier" in capsys.readouterr().err
        status = CpuTier(settings).status()
        assert status.managed and status.pid is not None

        # The server dies: the next status check names it, the next call restarts it.
        os.kill(status.pid, signal.SIGKILL)
        _wait_dead(status.pid)
        with pytest.raises(TierError, match=r"the CPU tier \(pid \d+\) has died: ") as died:
            CpuTier(settings).ensure_alive()
        assert "\n" not in str(died.value)
        again = client.complete("coder", [{"role": "user", "content": "Say OK."}], max_tokens=1)
        assert again.record.ok
        assert "has died" in capsys.readouterr().err
    finally:
        CpuTier(settings).down()
    assert not CpuTier(settings).status().running
