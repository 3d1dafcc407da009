"""The embedded CPU tier: a detached llama.cpp server (``llama-cpp-python[server]``).

``CpuTier.up()`` verifies the model, refuses a port some other program holds, starts
llama-cpp-python's server (``python -m inference._llama_server``: ``llama_cpp.server`` with
llama.cpp's own grammar sampling) in its own session with its output in a log file and its pid
in a pid file under ``<home>/tier/``, and waits until it answers (the server loads the model
before it listens, so answering means ready). ``down()`` stops only the
process recorded in the pid file. Every failure is a one-line :class:`TierError`; a server
that dies is reported with the last line of its log.
The process facts this rests on (is a pid alive and ours, is a port taken, the log's last
line, stopping a pid) are :mod:`inference._cpu_tier_process`.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import asdict, dataclass
from typing import Any

import httpx

from core.exceptions import TierError
from core.settings import Settings, get_settings
from inference._cpu_tier_process import is_llama, last_log_line, pid_alive, port_in_use, stop_pid
from inference.model_file import verify_model

__all__ = ["MODEL_ALIAS", "CpuTier", "TierStatus"]

MODEL_ALIAS = "qwen2.5-coder-1.5b-instruct"
_PROBE_TIMEOUT_S = 1.0
_BUSY_TIMEOUT_S = 5.0


@dataclass(frozen=True)
class TierStatus:
    """What ``studio tier status`` reports about the CPU tier.

    Attributes:
        url: Base URL (``/v1``) the tier serves on.
        running: A server answers on that URL.
        managed: It is the process in our pid file (not one started elsewhere).
        pid: Its pid, when managed.
        model_path: The GGUF it should serve.
        model_present: Whether that file exists.
        log_path: Where a managed server writes its log.
        detail: A few words on the state (``ok``, connection error, ``stale pid file``...).
    """

    url: str
    running: bool
    managed: bool
    pid: int | None
    model_path: str
    model_present: bool
    log_path: str
    detail: str

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-able form."""
        return asdict(self)


class CpuTier:
    """Lifecycle of the local llama.cpp server described by ``settings``."""

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or get_settings()
        self.state_dir = self.settings.home / "tier"
        self.pid_file = self.state_dir / "llama.pid"
        self.log_path = self.state_dir / "llama.log"

    @property
    def url(self) -> str:
        """Base URL of the OpenAI-compatible API (ends in ``/v1``)."""
        return f"http://{self.settings.cpu_host}:{self.settings.cpu_port}/v1"

    # --- state ------------------------------------------------------------------------
    def _read_pid(self) -> dict[str, Any] | None:
        try:
            data = json.loads(self.pid_file.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) and isinstance(data.get("pid"), int) else None

    def _managed_pid(self) -> int | None:
        record = self._read_pid()
        if record is None:
            return None
        pid = int(record["pid"])
        same_place = record.get("port") == self.settings.cpu_port
        return pid if same_place and pid_alive(pid) and is_llama(pid) else None

    @property
    def root_url(self) -> str:
        """Server root (no ``/v1``)."""
        return f"http://{self.settings.cpu_host}:{self.settings.cpu_port}"

    def answering(self, timeout_s: float = _PROBE_TIMEOUT_S) -> tuple[bool, str]:
        """Whether a llama.cpp server answers on the tier's port.

        llama-cpp-python serves every ``/v1`` route (``/v1/models`` included) behind the
        model lock, so a probe there waits for the running generation and, worse, makes a
        running stream yield to it. ``/openapi.json`` is lock-free and names the server;
        ``/health`` covers llama.cpp's own ``llama-server``.
        """
        try:
            response = httpx.get(f"{self.root_url}/openapi.json", timeout=timeout_s)
            if response.status_code == 200:
                title = str(response.json().get("info", {}).get("title", ""))
                if "llama" in title.lower():
                    return True, "ok"
            health = httpx.get(f"{self.root_url}/health", timeout=timeout_s)
        except httpx.HTTPError as exc:
            return False, type(exc).__name__
        except ValueError:
            return False, "not a llama.cpp server"
        if health.status_code == 200:
            return True, "ok"
        return False, f"not a llama.cpp server (HTTP {health.status_code})"

    def status(self) -> TierStatus:
        """Inspect the tier without changing anything."""
        pid = self._managed_pid()
        running, detail = self.answering()
        if pid is None and self._read_pid() is not None:
            detail = f"{detail}; stale pid file"
        return TierStatus(
            url=self.url,
            running=running,
            managed=pid is not None,
            pid=pid,
            model_path=str(self.settings.model_path),
            model_present=self.settings.model_path.is_file(),
            log_path=str(self.log_path),
            detail=detail,
        )

    # --- lifecycle --------------------------------------------------------------------
    def command(self) -> list[str]:
        """The server command line."""
        s = self.settings
        return [
            sys.executable,
            "-m",
            "inference._llama_server",
            "--model",
            str(s.model_path),
            "--model_alias",
            MODEL_ALIAS,
            "--host",
            s.cpu_host,
            "--port",
            str(s.cpu_port),
            "--n_ctx",
            str(s.cpu_ctx),
            "--n_threads",
            str(s.cpu_threads),
            "--n_threads_batch",
            str(s.cpu_threads),
            # By default a request that arrives while a stream runs ends that stream with
            # "[DONE]", so the first caller takes a cut-off answer for a whole one. Queue instead:
            # the gateway answers 503 upstream_busy when the wait outlasts its first-token limit.
            "--interrupt_requests",
            "false",
        ]

    def up(self, timeout_s: float = 120.0) -> TierStatus:
        """Start the server (idempotent) and wait until it answers.

        Raises:
            TierError: llama-cpp-python missing, model missing or corrupt, port taken by
                another program, or the server died or did not answer in ``timeout_s``.
        """
        existing = self._managed_pid()
        if existing is not None:
            # Ours, maybe still loading (another process started it): wait for it.
            return self._wait(existing, None, timeout_s)
        s = self.settings
        if port_in_use(s.cpu_host, s.cpu_port):
            # Patient: a llama.cpp server deep in a generation on a busy machine is slow.
            if self.answering(_BUSY_TIMEOUT_S)[0]:
                return self.status()  # a tier started elsewhere (e.g. by CI) on our port
            raise TierError(
                f"port {s.cpu_port} on {s.cpu_host} is already in use by another program: "
                "stop it or set STUDIO_CPU_PORT"
            )
        verify_model(s.model_path)
        try:
            import llama_cpp  # noqa: F401 - only checking it is installed
        except ImportError:
            raise TierError(
                "llama-cpp-python is not installed: pip install 'llama-cpp-python[server]' "
                "(see DEVELOPERS.md for the build flags)"
            ) from None
        self.state_dir.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            log.write(f"\n--- start {time.strftime('%Y-%m-%dT%H:%M:%S')} ---\n".encode())
            log.flush()
            process = subprocess.Popen(
                self.command(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                env={**os.environ, "PYTHONUNBUFFERED": "1"},
            )
        self.pid_file.write_text(
            json.dumps({"pid": process.pid, "port": s.cpu_port, "host": s.cpu_host}),
            encoding="utf-8",
        )
        return self._wait(process.pid, process, timeout_s)

    def _wait(
        self, pid: int, process: subprocess.Popen[bytes] | None, timeout_s: float
    ) -> TierStatus:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            code = process.poll() if process is not None else None
            if code is not None or (process is None and not pid_alive(pid)):
                self.pid_file.unlink(missing_ok=True)
                exit_note = f" (code {code})" if code is not None else ""
                raise TierError(
                    f"the CPU tier exited during startup{exit_note}: "
                    f"{last_log_line(self.log_path) or 'no log output'} (log: {self.log_path})"
                )
            if self.answering()[0]:
                return self.status()
            time.sleep(0.25)
        stop_pid(pid)
        self.pid_file.unlink(missing_ok=True)
        raise TierError(
            f"the CPU tier did not answer within {timeout_s:.0f}s: "
            f"{last_log_line(self.log_path) or 'no log output'} (log: {self.log_path})"
        )

    def ensure_alive(self) -> None:
        """Raise a one-line error if a managed server has died (shows its last log line)."""
        record = self._read_pid()
        if record is not None and self._managed_pid() is None and not self.answering()[0]:
            raise TierError(
                f"the CPU tier (pid {record['pid']}) has died: "
                f"{last_log_line(self.log_path) or 'no log output'} (log: {self.log_path})"
            )

    def down(self) -> bool:
        """Stop the server in our pid file. Returns False when there was none to stop."""
        pid = self._managed_pid()
        if pid is None:
            self.pid_file.unlink(missing_ok=True)  # stale: nothing of ours is running
            return False
        stop_pid(pid)
        self.pid_file.unlink(missing_ok=True)
        return True
