"""Routing overhead: what the inference tier adds on top of a direct HTTP call.

A local OpenAI-compatible server (a raw ASGI app under uvicorn, in its own process) answers
every chat completion instantly with the same small body. The same request is then sent
N times each way, in alternating blocks so machine noise hits both alike:

* ``direct``  -- ``httpx.Client.post`` + ``response.json()`` (keep-alive, no env proxies);
* ``tier``    -- ``InferenceClient.complete("reasoning", ...)``: the whole tier as the
  product calls it (health probe, pool pick, message shaping, wire client, call record)
  over a routing file whose deployment is the shipped CPU-tier entry aimed at the server;
* ``tier-litellm`` -- the same with ``transport: litellm``: the request goes through the
  litellm Router (what every deployment of another provider uses);
* ``gateway`` -- (``--gateway``) an HTTP call through ``inference.gateway`` (auth, rate
  limit, litellm router) running in its own process, cache bypassed.

Printed: p50 / p99 / mean per path, the p50/p99 added over ``direct``, and the client
process CPU time per request (less sensitive to a busy machine than wall time). Target: the
tier adds <= 2 ms at p50.

    .venv/bin/python benchmarks/routing_overhead.py [-n 1000] [--gateway]

``measure(...)`` returns the figures as a dict (``benchmarks/run.py`` uses it).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

_BODY = json.dumps(
    {
        "id": "chatcmpl-bench",
        "object": "chat.completion",
        "created": 1,
        "model": "bench",
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": "ok"},
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 9, "completion_tokens": 1, "total_tokens": 10},
    }
).encode()
_MESSAGES = [{"role": "user", "content": "Say ok."}]
_GATEWAY_KEY = "sk-bench-only-0123456789abcdef"
TARGET_P50_MS = 2.0


async def _instant_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    if scope["type"] == "lifespan":
        while True:
            message = await receive()
            if message["type"] == "lifespan.startup":
                await send({"type": "lifespan.startup.complete"})
            elif message["type"] == "lifespan.shutdown":
                await send({"type": "lifespan.shutdown.complete"})
                return
    while (await receive()).get("more_body"):
        pass
    await send(
        {
            "type": "http.response.start",
            "status": 200,
            "headers": [(b"content-type", b"application/json")],
        }
    )
    await send({"type": "http.response.body", "body": _BODY})


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_for(port: int, proc: subprocess.Popen[bytes], what: str) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"{what} exited with {proc.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.1)
    raise SystemExit(f"{what} did not start on port {port}")


def _write_routing(path: Path, port: int) -> None:
    """A routing file whose one deployment is the shipped CPU-tier entry, aimed at ``port``.

    Profile ``bench`` keeps the entry's ``litellm_params``/``model_info`` as shipped in
    ``deployments/inference.yaml`` (so the timing follows that file) except its rpm cap;
    ``bench-litellm`` is the same entry with ``transport: litellm``.
    """
    import copy

    import yaml

    from inference.routing import load_routing

    shipped = load_routing("embedded").model_list[0]
    entry = copy.deepcopy(shipped)
    entry["model_name"] = "reasoning"
    entry["litellm_params"].update(
        api_base=f"http://127.0.0.1:{port}/v1", api_key="os.environ/BENCH_BACKEND_KEY"
    )
    entry["model_info"]["id"] = "bench-instant"
    # The shipped rpm cap (600) would refuse a tight loop of 1,000 calls: the pool enforces it.
    entry["litellm_params"].pop("rpm", None)
    # The instant server answers JSON only; the gateway would stream from the CPU tier (so a
    # client that leaves stops it), which this server cannot do. Timed here: the plain path.
    entry["model_info"].pop("cancel_needs_stream", None)
    via_litellm = copy.deepcopy(entry)
    via_litellm["model_info"]["transport"] = "litellm"
    doc = {
        "profiles": {
            "bench": {"model_list": [entry], "fallbacks": []},
            "bench-litellm": {"model_list": [via_litellm], "fallbacks": []},
        }
    }
    path.write_text(yaml.safe_dump(doc), encoding="utf-8")


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def _proc_cpu_s(pid: int) -> float:
    """User + system CPU seconds of a process so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _measure(
    n: int, block: int, port: int, routing: Path, gw_port: int | None, gw_pid: int | None = None
) -> tuple[dict[str, list[float]], dict[str, float]]:
    from collections.abc import Callable

    import httpx

    from inference.client import InferenceClient
    from inference.routing import load_routing

    tier = InferenceClient(load_routing("bench", routing))
    tier_litellm = InferenceClient(load_routing("bench-litellm", routing))
    url = f"http://127.0.0.1:{port}/v1/chat/completions"
    payload = {"model": "bench", "messages": _MESSAGES}
    gw_headers = {"Authorization": f"Bearer {_GATEWAY_KEY}", "Cache-Control": "no-cache"}
    gw_url = f"http://127.0.0.1:{gw_port}/v1/chat/completions"
    gw_payload = {"model": "reasoning", "messages": _MESSAGES}

    # trust_env=False as in the wire client: a fair baseline skips proxy/netrc lookups too.
    with httpx.Client(timeout=30, trust_env=False) as http:

        def direct() -> None:
            resp = http.post(url, json=payload, headers={"Authorization": "Bearer x"})
            resp.raise_for_status()
            resp.json()

        def routed() -> None:
            assert tier.complete("reasoning", _MESSAGES).value == "ok"

        def routed_litellm() -> None:
            assert tier_litellm.complete("reasoning", _MESSAGES).value == "ok"

        def gateway() -> None:
            resp = http.post(gw_url, json=gw_payload, headers=gw_headers)
            resp.raise_for_status()
            resp.json()

        paths: dict[str, Callable[[], None]] = {
            "direct": direct,
            "tier": routed,
            "tier-litellm": routed_litellm,
        }
        if gw_port is not None:
            paths["gateway"] = gateway
        samples: dict[str, list[float]] = {name: [] for name in paths}
        cpu_ms: dict[str, float] = dict.fromkeys(paths, 0.0)
        server_cpu_s = 0.0  # the gateway process's own CPU, while its path runs
        for call in paths.values():  # warm-up: connections, imports, litellm's first-call setup
            for _ in range(50):
                call()
        done = 0
        while done < n:
            size = min(block, n - done)
            for name, call in paths.items():
                cpu_started = time.process_time()
                gw_started = _proc_cpu_s(gw_pid) if name == "gateway" and gw_pid else 0.0
                for _ in range(size):
                    started = time.perf_counter()
                    call()
                    samples[name].append((time.perf_counter() - started) * 1000)
                cpu_ms[name] += (time.process_time() - cpu_started) * 1000
                if name == "gateway" and gw_pid:
                    server_cpu_s += _proc_cpu_s(gw_pid) - gw_started
            done += size
    per_request = {name: total / n for name, total in cpu_ms.items()}
    if gw_pid:
        per_request["gateway server"] = server_cpu_s * 1000 / n
    return samples, per_request


def _table(samples: dict[str, list[float]], cpu_ms: dict[str, float]) -> str:
    base_p50 = _percentile(samples["direct"], 50)
    base_p99 = _percentile(samples["direct"], 99)
    rows = [
        f"{'path':<12} {'n':>5} {'p50 ms':>8} {'p99 ms':>8} {'mean ms':>8} "
        f"{'+p50 ms':>8} {'+p99 ms':>8} {'p50 ratio':>9} {'client CPU ms/req':>17}"
    ]
    for name, values in samples.items():
        p50, p99 = _percentile(values, 50), _percentile(values, 99)
        rows.append(
            f"{name:<12} {len(values):>5} {p50:>8.3f} {p99:>8.3f} {statistics.fmean(values):>8.3f} "
            f"{p50 - base_p50:>8.3f} {p99 - base_p99:>8.3f} {p50 / base_p50:>8.2f}x "
            f"{cpu_ms[name]:>17.3f}"
        )
    return "\n".join(rows)


def main() -> None:
    """Run the benchmark and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=1000, help="requests per path")
    parser.add_argument("--block", type=int, default=100, help="requests per alternating block")
    parser.add_argument("--gateway", action="store_true", help="also time the HTTP gateway")
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--serve-gateway", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--routing", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()

    import uvicorn

    if args.serve:
        uvicorn.run(
            _instant_app,
            host="127.0.0.1",
            port=args.serve,
            log_level="warning",
            access_log=False,
            lifespan="on",
        )
        return
    if args.serve_gateway:
        from core.settings import Settings
        from inference.gateway import KEEP_ALIVE_S, GatewayConfig, create_app
        from inference.routing import load_routing

        config = GatewayConfig(keys=(_GATEWAY_KEY,), rate_limit=10**9, redis_url=None)
        app = create_app(Settings(), config=config, routing=load_routing("bench", args.routing))
        uvicorn.run(
            app,
            host="127.0.0.1",
            port=args.serve_gateway,
            log_level="warning",
            access_log=False,
            timeout_keep_alive=KEEP_ALIVE_S,
        )
        return

    load_before = os.getloadavg()[0]
    figures = measure(args.n, args.block, args.gateway)
    samples, cpu_ms = figures["samples"], figures["cpu_ms"]
    print(f"Routing overhead, {args.n} sequential requests per path, instant local server")
    print(
        f"(python {sys.version.split()[0]}, {os.cpu_count()} CPUs, 1-min load avg "
        f"{load_before:.2f} before / {os.getloadavg()[0]:.2f} after)"
    )
    print(_table(samples, cpu_ms))
    if "gateway server" in cpu_ms:
        # Less sensitive to a busy machine than wall time: what one request costs the gateway.
        print(f"gateway process CPU: {cpu_ms['gateway server']:.2f} ms per request")
    added = figures["added_p50_ms"]
    verdict = "meets" if added <= TARGET_P50_MS else "MISSES"
    print(f"the tier adds {added:.3f} ms at p50: {verdict} the <= 2 ms target")


def measure(n: int = 1000, block: int = 100, gateway: bool = False) -> dict[str, Any]:
    """Time every path and return the figures.

    Returns:
        ``{"samples": {path: [ms...]}, "cpu_ms": {path: ms per request}, "added_p50_ms",
        "added_p99_ms"}``: what the tier adds over ``direct``.
    """
    os.environ.setdefault("BENCH_BACKEND_KEY", "bench-backend-key")
    port = _free_port()
    procs: list[subprocess.Popen[bytes]] = []
    with tempfile.TemporaryDirectory() as tmp:
        routing = Path(tmp) / "routing.yaml"
        _write_routing(routing, port)
        try:
            server = subprocess.Popen([sys.executable, __file__, "--serve", str(port)])
            procs.append(server)
            _wait_for(port, server, "instant server")
            gw_port = None
            if gateway:
                gw_port = _free_port()
                gw = subprocess.Popen(
                    [
                        sys.executable,
                        __file__,
                        "--serve-gateway",
                        str(gw_port),
                        "--routing",
                        str(routing),
                    ]
                )
                procs.append(gw)
                _wait_for(gw_port, gw, "gateway")
            gw_pid = procs[-1].pid if gateway else None
            samples, cpu_ms = _measure(n, block, port, routing, gw_port, gw_pid)
        finally:
            for proc in procs:
                proc.terminate()
                proc.wait(timeout=10)
    return {
        "samples": samples,
        "cpu_ms": cpu_ms,
        "added_p50_ms": _percentile(samples["tier"], 50) - _percentile(samples["direct"], 50),
        "added_p99_ms": _percentile(samples["tier"], 99) - _percentile(samples["direct"], 99),
        "target_p50_ms": TARGET_P50_MS,
    }


if __name__ == "__main__":
    main()
