"""Gateway limits under load: is the 429 exact?

An instant local OpenAI-compatible server stands behind a real gateway process with Redis
(limits counted by the sliding-window Lua script). ``-c`` async clients with one key send
requests as fast as they can for ``-t`` seconds against a limit of ``--limit`` requests per
``--window`` seconds. Printed: requests sent, 200s, 429s, other statuses, the most 200s seen
in any window (by client receive times, so a few ms of slack), and the verdict: never more
than the limit in any window, and the limit actually reached (the rate is not just blocking).

    .venv/bin/python benchmarks/gateway_limits.py [-t 6] [-c 16] [--limit 30] [--window 2]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from routing_overhead import _GATEWAY_KEY, _free_port, _wait_for, _write_routing

_REDIS_URL = os.environ.get("STUDIO_REDIS_URL", "redis://127.0.0.1:6379/0")


def _serve_gateway(port: int, routing: Path, limit: int, window: float, prefix: str) -> None:
    import uvicorn

    from core.settings import Settings
    from inference.gateway import KEEP_ALIVE_S, GatewayConfig, create_app
    from inference.routing import load_routing

    config = GatewayConfig(
        keys=(_GATEWAY_KEY,),
        rate_limit=limit,
        rate_window_s=window,
        token_limit=0,
        redis_url=_REDIS_URL,
        redis_prefix=prefix,
        health_interval_s=0,
    )
    app = create_app(Settings(), config=config, routing=load_routing("bench", routing))
    uvicorn.run(
        app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        access_log=False,
        timeout_keep_alive=KEEP_ALIVE_S,
    )


def _watch_admissions(prefix: str, stop: threading.Event, seen: dict[bytes, float]) -> None:
    """Copy every admission (member -> Redis time in ms) out of the limiter's sorted sets.

    Entries live one window; polling every 0.1 s sees each of them, so these are the
    limiter's own admission times, free of client-side latency jitter.
    """
    import redis

    client = redis.Redis.from_url(_REDIS_URL)
    while not stop.is_set():
        for key in client.scan_iter(match=f"{prefix}:rl:*"):
            if not key.endswith(b":tok"):
                pairs: Any = client.zrange(key, 0, -1, withscores=True)  # (member, score)
                seen.update(pairs)
        time.sleep(0.1)


async def _load(url: str, seconds: float, clients: int) -> list[tuple[float, int]]:
    import httpx

    results: list[tuple[float, int]] = []
    body = {"model": "reasoning", "messages": [{"role": "user", "content": "Say ok."}]}
    headers = {"Authorization": f"Bearer {_GATEWAY_KEY}", "Cache-Control": "no-store"}
    end = time.monotonic() + seconds
    async with httpx.AsyncClient(base_url=url, timeout=30, trust_env=False) as http:

        async def one_client() -> None:
            while time.monotonic() < end:
                resp = await http.post("/v1/chat/completions", json=body, headers=headers)
                results.append((time.monotonic(), resp.status_code))

        await asyncio.gather(*(one_client() for _ in range(clients)))
    return results


def _most_in_window(times: list[float], window: float) -> int:
    best, start = 0, 0
    for end, t in enumerate(times):
        while t - times[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


def main() -> None:
    """Run the load and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-t", type=float, default=6.0, help="seconds of load")
    parser.add_argument("-c", type=int, default=16, help="concurrent clients")
    parser.add_argument("--limit", type=int, default=30)
    parser.add_argument("--window", type=float, default=2.0)
    parser.add_argument("--serve", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--serve-gateway", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--routing", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--prefix", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.serve_gateway:
        _serve_gateway(args.serve_gateway, args.routing, args.limit, args.window, args.prefix)
        return
    os.environ.setdefault("BENCH_BACKEND_KEY", "bench-backend-key")
    here = Path(__file__).resolve().parent
    port, gw_port = _free_port(), _free_port()
    prefix = f"bench-gw-{uuid.uuid4().hex[:8]}"
    procs: list[subprocess.Popen[bytes]] = []
    with tempfile.TemporaryDirectory() as tmp:
        routing = Path(tmp) / "routing.yaml"
        _write_routing(routing, port)
        # The shipped CPU entry serves one request at a time; this load is about the gateway.
        doc = yaml.safe_load(routing.read_text(encoding="utf-8"))
        doc["profiles"]["bench"]["model_list"][0]["litellm_params"].pop("max_parallel_requests")
        routing.write_text(yaml.safe_dump(doc), encoding="utf-8")
        try:
            server = [sys.executable, str(here / "routing_overhead.py"), "--serve", str(port)]
            procs.append(subprocess.Popen(server))
            _wait_for(port, procs[-1], "instant server")
            gateway = [
                sys.executable, __file__, "--serve-gateway", str(gw_port), "--routing",
                str(routing), "--limit", str(args.limit), "--window", str(args.window),
                "--prefix", prefix,
            ]  # fmt: skip
            procs.append(subprocess.Popen(gateway))
            _wait_for(gw_port, procs[-1], "gateway")
            stop, admitted = threading.Event(), dict[bytes, float]()
            watcher = threading.Thread(target=_watch_admissions, args=(prefix, stop, admitted))
            watcher.start()
            try:
                results = asyncio.run(_load(f"http://127.0.0.1:{gw_port}", args.t, args.c))
            finally:
                stop.set()
                watcher.join()
        finally:
            for proc in procs:
                proc.terminate()
                proc.wait(timeout=10)
            import redis

            client = redis.Redis.from_url(_REDIS_URL)
            for key in client.scan_iter(match=f"{prefix}:*"):
                client.delete(key)
    ok = sorted(t for t, status in results if status == 200)
    limited = sum(1 for _, status in results if status == 429)
    other = len(results) - len(ok) - limited
    most_client = _most_in_window(ok, args.window * 0.99)
    most = _most_in_window(sorted(ms / 1000 for ms in admitted.values()), args.window)
    print(
        f"Gateway limit under load: {args.limit} req / {args.window:g} s, {args.c} clients, "
        f"{args.t:g} s, Redis sliding window ({os.cpu_count()} CPUs, load "
        f"{os.getloadavg()[0]:.1f})"
    )
    print(
        f"{'sent':>6} {'200':>6} {'429':>6} {'other':>6} {'admitted':>9} "
        f"{'max admitted in any window':>27} {'max 200 by client clock':>24}"
    )
    print(
        f"{len(results):>6} {len(ok):>6} {limited:>6} {other:>6} {len(admitted):>9} "
        f"{most:>27} {most_client:>24}"
    )
    exact = args.limit * 0.9 <= most <= args.limit and other == 0 and len(admitted) == len(ok)
    print(f"429 exactness: {'holds' if exact else 'FAILS'} (at most {args.limit} in any window)")


if __name__ == "__main__":
    main()
