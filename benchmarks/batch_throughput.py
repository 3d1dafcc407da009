"""Batch throughput: model requests a footage batch sends per second, ÷ what the backend serves.

The vision role is a local OpenAI-compatible server with bounded capacity: ``--slots``
requests at once, each held ``--hold`` seconds (8 x 200 ms: 40 requests/s at most); it counts
the most requests it ever had in flight. It runs in a process of its own, as a model server
does (``CapacityProcess``), on the same cores. The ``footage-batch-analysis`` flow (a Prefect test
server) then analyses ``--clips`` synthetic clips of ``--scenes`` scenes each (one vision
call per scene), and the batch's rate of model requests over its wall time is set against
the backend's capacity. Target (issue 13): at least 90%.

Every clip is distinct content (a copy would be skipped as already analysed, sending no
request). When the ratio misses, the CPU figures say whether the client could have done better:
the client's CPU seconds per model request (this process's CPU over the batch, all threads)
bound the rate at ``cores / CPU per request`` however the requests
are scheduled; the Prefect API server (a subprocess on the same cores) is shown beside it.

    .venv/bin/python benchmarks/batch_throughput.py [--clips 48] [--scenes 6]

``measure(...)`` returns the figures as a dict (``benchmarks/run.py`` runs it inside its own
Prefect test server).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

__all__ = ["TARGET", "CapacityProcess", "CapacityServer", "measure"]

TARGET = 0.9


class CapacityServer:
    """Chat completions with ``slots`` served at once, each held ``hold_s``; the rest queue."""

    def __init__(self, answer: dict[str, Any], slots: int = 8, hold_s: float = 0.2) -> None:
        self.slots, self.hold_s = slots, hold_s
        self.served = 0
        self.most_in_flight = 0
        self.cpu_s = 0.0  # CPU its handlers spent (this process's, not the client's)
        # perf_counter() when the first request came in and the last reply went out.
        self.first_at: float | None = None
        self.last_at: float | None = None
        self._in_flight = 0
        self._gate = threading.Semaphore(slots)
        self._lock = threading.Lock()
        body = json.dumps(
            {
                "id": "chatcmpl-capacity",
                "object": "chat.completion",
                "created": 1,
                "model": "capacity",
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": json.dumps(answer)},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {"prompt_tokens": 100, "completion_tokens": 50, "total_tokens": 150},
            }
        ).encode()
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            # TCP_NODELAY, as real servers set it: without it every reply (headers, then body:
            # two writes) waited ~40 ms for the client's delayed ACK, and 8 slots x 200 ms
            # served 32 req/s instead of 40 with nothing else running.
            disable_nagle_algorithm = True

            def log_message(self, format: str, *args: Any) -> None:
                return

            def _reply(self, status: int, data: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_GET(self) -> None:
                self._reply(200, b'{"status": "ok"}')

            def do_POST(self) -> None:
                began = time.thread_time()
                with server._lock:
                    if server.first_at is None:
                        server.first_at = time.perf_counter()
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                with server._gate:
                    with server._lock:
                        server._in_flight += 1
                        server.most_in_flight = max(server.most_in_flight, server._in_flight)
                    time.sleep(server.hold_s)
                    with server._lock:
                        server._in_flight -= 1
                        server.served += 1
                self._reply(200, body)
                with server._lock:
                    server.cpu_s += time.thread_time() - began
                    server.last_at = time.perf_counter()

        self._http = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._http.daemon_threads = True
        self.port = int(self._http.server_address[1])
        self._thread = threading.Thread(target=self._http.serve_forever, args=(0.05,), daemon=True)

    @property
    def capacity_rps(self) -> float:
        """Requests per second the server can serve."""
        return self.slots / self.hold_s

    def __enter__(self) -> CapacityServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._http.shutdown()
        self._http.server_close()


def _serve(answer: dict[str, Any], slots: int, hold_s: float, conn: Any) -> None:
    """The capacity server's own process: its port out, a stop in, its counters out."""
    import resource

    with CapacityServer(answer, slots, hold_s) as server:
        conn.send(server.port)
        conn.recv()
        usage = resource.getrusage(resource.RUSAGE_SELF)
        conn.send(
            {
                "served": server.served,
                "most_in_flight": server.most_in_flight,
                "first_at": server.first_at,
                "last_at": server.last_at,
                "cpu_s": usage.ru_utime + usage.ru_stime,
            }
        )


class CapacityProcess:
    """A :class:`CapacityServer` in a process of its own, as every model server runs.

    In the batch's process its handler threads would take the interpreter lock from the
    batch's threads for every request they read and answer: a cost no deployment has, since
    a vLLM or llama.cpp server is never inside its client. ``perf_counter`` is the system's
    monotonic clock, so the child's first and last times compare with the parent's.
    """

    def __init__(self, answer: dict[str, Any], slots: int = 8, hold_s: float = 0.2) -> None:
        import multiprocessing

        self.slots, self.hold_s = slots, hold_s
        context = multiprocessing.get_context("spawn")  # no fork of a threaded process
        self._conn, child = context.Pipe()
        self._process = context.Process(
            target=_serve, args=(answer, slots, hold_s, child), daemon=True
        )
        self.port = 0
        self.counters: dict[str, Any] = {}

    @property
    def capacity_rps(self) -> float:
        """Requests per second the server can serve."""
        return self.slots / self.hold_s

    @property
    def pid(self) -> int | None:
        """The server process's id (once started)."""
        return self._process.pid

    def __enter__(self) -> CapacityProcess:
        self._process.start()
        if not self._conn.poll(60):
            self._process.kill()
            raise RuntimeError("the capacity server did not start")
        self.port = int(self._conn.recv())
        return self

    def __exit__(self, *exc: object) -> None:
        try:
            self._conn.send("stop")
            if self._conn.poll(30):
                self.counters = dict(self._conn.recv())
        finally:
            self._process.join(10)
            if self._process.is_alive():
                self._process.kill()


def _clips(folder: Path, count: int, scenes: int) -> list[Path]:
    from tests.tasks.conftest import write_clip

    frames_per_scene = 24  # a second at 24 fps: every scene is a clear cut
    paths = []
    for i in range(count):
        cuts = [frames_per_scene * s for s in range(1, scenes)]
        clip = write_clip(
            folder / f"clip{i:03d}.avi",
            cuts=cuts,
            frames=frames_per_scene * scenes,
            # A seed per scene of the whole batch: every clip is distinct content (a copy
            # would be skipped, sending no request), neighbouring scenes differ in colour.
            scene_seeds=[i * scenes + s for s in range(scenes)],
        )
        paths.append(clip.path)
    return paths


def measure(
    clips: int = 48, scenes: int = 6, slots: int = 8, hold_s: float = 0.2
) -> dict[str, Any]:
    """Run one batch against the bounded server (call inside a Prefect server's reach).

    Returns:
        ``{clips, calls, seconds, throughput_rps, capacity_rps, ratio, span_s, span_ratio,
        most_in_flight, analysed, failed, target, cores, client_cpu_s, api_cpu_s,
        cpu_per_request_s, ceiling_rps, ceiling_ratio, api_cpu_per_request_s,
        shared_ceiling_ratio}``: the span is first request to last reply, and its ratio the
        rate within it (what a batch long enough to hide its flow's start and end would
        reach); the ceiling is ``cores / cpu_per_request_s`` (the client's CPU alone), in
        requests per second and as a share of capacity; the shared ceiling adds the Prefect
        API server's CPU per request (it runs on the same cores).
    """
    from core.settings import get_settings
    from flows.batch_analysis import batch_analysis
    from tests.fakes.openai_server import FakeOpenAI, write_routing
    from tests.flows.conftest import ANALYSIS

    work = Path(tempfile.mkdtemp(prefix="studio-bench-batch-"))
    footage = work / "footage"
    footage.mkdir()
    _clips(footage, clips, scenes)
    saved = {k: os.environ.get(k) for k in _ENV}
    with CapacityProcess(ANALYSIS, slots, hold_s) as server:
        # Only its name and URL are used: every role is routed to the capacity server.
        address = FakeOpenAI("capacity", port=server.port)
        routing = write_routing(work / "routing.yaml", address, timeout=60)
        os.environ.update(
            STUDIO_HOME=str(work / "home"),
            STUDIO_ROUTING_FILE=str(routing),
            STUDIO_PROFILE="fake",
            STUDIO_FOOTAGE_ROOTS=str(footage),
            STUDIO_REDIS_URL="",
        )
        get_settings.cache_clear()
        try:
            api_cpu = _children_cpu_s(but=server.pid)
            cpu = time.process_time()
            started = time.perf_counter()
            summary = batch_analysis(folder=str(footage), glob="*", max_frames=scenes)
            seconds = time.perf_counter() - started
            client_cpu = time.process_time() - cpu
            api_cpu = _children_cpu_s(but=server.pid) - api_cpu
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
            get_settings.cache_clear()
            shutil.rmtree(work, ignore_errors=True)  # clips, library and home: ~13 MB a run
    assert isinstance(summary, dict), summary
    counted = server.counters
    served = int(counted["served"])
    throughput = served / seconds
    # From the first request to the last reply: the batch without its flow's start (creating
    # the run, admission, the first clip's sampling) and end (final state, result, heartbeat).
    span = (counted["last_at"] or 0.0) - (counted["first_at"] or 0.0)
    cores = len(os.sched_getaffinity(0))
    per_request = client_cpu / max(1, served)
    ceiling = cores / per_request if per_request > 0 else float("inf")
    # With the Prefect API server's CPU on the same cores: what this machine can feed at most.
    all_in = (client_cpu + api_cpu) / max(1, served)
    shared_ceiling = cores / all_in if all_in > 0 else float("inf")
    return {
        "clips": clips,
        "calls": served,
        "seconds": seconds,
        "throughput_rps": throughput,
        "capacity_rps": server.capacity_rps,
        "ratio": throughput / server.capacity_rps,
        "span_s": span,
        "span_ratio": served / span / server.capacity_rps if span > 0 else 0.0,
        "most_in_flight": counted["most_in_flight"],
        "analysed": summary["analysed"],
        "failed": summary["failed"],
        "target": TARGET,
        "cores": cores,
        "client_cpu_s": client_cpu,
        "api_cpu_s": api_cpu,
        "cpu_per_request_s": per_request,
        "ceiling_rps": ceiling,
        "ceiling_ratio": ceiling / server.capacity_rps,
        "api_cpu_per_request_s": api_cpu / max(1, served),
        "backend_cpu_s": counted["cpu_s"],
        "shared_ceiling_ratio": shared_ceiling / server.capacity_rps,
    }


def _children_cpu_s(but: int | None = None) -> float:
    """CPU seconds used so far by this process's live children (the Prefect API server).

    Read from ``/proc`` (Linux): ``RUSAGE_CHILDREN`` counts only children already reaped.
    ``but``: a child left out (the capacity server: the backend, not the client's side).
    """
    me, tick, total = str(os.getpid()), os.sysconf("SC_CLK_TCK"), 0.0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        if stat.parent.name == str(but):
            continue
        try:
            # Fields after the command name (which may hold spaces): state, ppid, ...
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if fields[1] == me:
            total += (int(fields[11]) + int(fields[12])) / tick  # utime + stime
    return total


_ENV = (
    "STUDIO_HOME",
    "STUDIO_ROUTING_FILE",
    "STUDIO_PROFILE",
    "STUDIO_FOOTAGE_ROOTS",
    "STUDIO_REDIS_URL",
)


def report(figures: dict[str, Any]) -> str:
    """The figures as a table."""
    verdict = "meets" if figures["ratio"] >= TARGET else "MISSES"
    return "\n".join(
        [
            f"Batch throughput: {figures['clips']} clips, {figures['calls']} vision calls in "
            f"{figures['seconds']:.2f} s ({figures['analysed']} analysed, "
            f"{figures['failed']} failed)",
            f"throughput {figures['throughput_rps']:.1f} req/s of {figures['capacity_rps']:.0f} "
            f"(most in flight: {figures['most_in_flight']}): {figures['ratio']:.0%}, "
            f"{verdict} the >= {TARGET:.0%} target",
            f"first request to last reply: {figures['span_s']:.2f} s, "
            f"{figures['span_ratio']:.0%} of capacity within it (the flow's start and end: "
            f"{figures['seconds'] - figures['span_s']:.2f} s)",
            f"client CPU {figures['client_cpu_s']:.2f} s = "
            f"{figures['cpu_per_request_s'] * 1000:.0f} ms per request: on "
            f"{figures['cores']} cores at most {figures['ceiling_rps']:.1f} req/s "
            f"({figures['ceiling_ratio']:.0%} of capacity); Prefect API server "
            f"{figures['api_cpu_s']:.2f} s more: with it at most "
            f"{figures['shared_ceiling_ratio']:.0%}",
        ]
    )


def main() -> None:
    """Run the benchmark in a Prefect test server and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", type=int, default=48)
    parser.add_argument("--scenes", type=int, default=6)
    parser.add_argument("--slots", type=int, default=8)
    parser.add_argument("--hold", type=float, default=0.2)
    parser.add_argument("--json", type=Path, help="write the figures here too")
    args = parser.parse_args()
    from job_cache import prefect_sandbox

    with prefect_sandbox():
        figures = measure(args.clips, args.scenes, args.slots, args.hold)
    print(report(figures))
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2), encoding="utf-8")


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT / "benchmarks"))
    main()
