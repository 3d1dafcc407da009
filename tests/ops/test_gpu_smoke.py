"""The GPU-smoke scripts' pure parts: payload staging and the GGUF q/k un-permutation."""

from __future__ import annotations

import asyncio
import hashlib
import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import numpy as np
import pytest

HERE = Path(__file__).resolve().parents[2] / "deployments/vllm/gpu-smoke"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(f"gpu_smoke_{name}", HERE / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # pydantic models resolve their annotations through it
    spec.loader.exec_module(module)
    return module


def _llama_cpp_permute(w: np.ndarray, heads: int) -> np.ndarray:
    # As convert_hf_to_gguf.py writes q/k rows for its rotary layout.
    return (
        w.reshape(heads, 2, w.shape[0] // heads // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)
    )


@pytest.mark.parametrize("heads", [1, 3, 9])
def test_unpermute_undoes_llama_cpp_permute(heads: int) -> None:
    convert = _load("convert_gguf")
    w = np.arange(heads * 64 * 5, dtype=np.float32).reshape(heads * 64, 5)
    permuted = _llama_cpp_permute(w, heads)
    assert not np.array_equal(permuted, w)
    assert np.array_equal(convert._unpermute(permuted, heads), w)


def test_gguf_names_map_to_hf_llama() -> None:
    convert = _load("convert_gguf")
    assert convert._hf_name("blk.7.attn_k.weight") == "model.layers.7.self_attn.k_proj.weight"
    assert (
        convert._hf_name("blk.0.ffn_norm.weight")
        == "model.layers.0.post_attention_layernorm.weight"
    )
    assert convert._hf_name("token_embd.weight") == "model.embed_tokens.weight"


def test_stage_joins_a_file_only_once_all_its_bytes_arrived(tmp_path: Path) -> None:
    stage = _load("stage")
    a, b = b"A" * 10, b"B" * 7
    stream = a + b
    parts = [{"name": f"part{i:02d}", "offset": o, "size": len(stream[o : o + 6])}
             for i, o in enumerate(range(0, len(stream), 6))]  # fmt: skip
    manifest = {
        "files": [
            {"name": "a", "offset": 0, "size": 10, "sha256": hashlib.sha256(a).hexdigest()},
            {"name": "b", "offset": 10, "size": 7, "sha256": hashlib.sha256(b).hexdigest()},
        ],
        "parts": parts,
    }
    state = tmp_path / "state"
    (state / "parts").mkdir(parents=True)
    (state / "files").mkdir()
    for p in parts[:2]:  # bytes 0..11: "a" complete, "b" not
        (state / "parts" / p["name"]).write_bytes(stream[p["offset"] : p["offset"] + p["size"]])
    assert stage._complete(state, manifest, manifest["files"][0])
    assert not stage._complete(state, manifest, manifest["files"][1])
    assert stage._join(state, manifest, manifest["files"][0]).read_bytes() == a
    p = parts[2]
    (state / "parts" / p["name"]).write_bytes(stream[p["offset"] :])
    assert stage._join(state, manifest, manifest["files"][1]).read_bytes() == b
    bad = {**manifest["files"][1], "sha256": "0" * 64}
    with pytest.raises(SystemExit, match="sha256"):
        stage._join(state, manifest, bad)
    assert json.dumps(manifest)  # the manifest stays plain JSON


def _sse(events: list[dict[str, Any]]) -> bytes:
    lines = [f"data: {json.dumps(e)}\n\n" for e in events] + ["data: [DONE]\n\n"]
    return "".join(lines).encode()


def _chunk(text: str | None, finish: str | None = None) -> dict[str, Any]:
    delta = {"content": text} if text is not None else {}
    return {"choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}


@pytest.mark.parametrize(
    ("tail", "tokens", "source"),
    [
        # vLLM: a last chunk with usage and no choices.
        ([_chunk(None, "length"), {"choices": [], "usage": {"completion_tokens": 37}}], 37,
         "usage"),
        # llama-cpp-python: no usage; a stream cut at max_tokens generated max_tokens.
        ([_chunk(None, "length")], 64, "max_tokens"),
        # no usage and a natural end: the content chunks are all there is.
        ([_chunk(None, "stop")], 3, "chunks"),
    ],
)  # fmt: skip
def test_stream_counts_tokens_from_what_the_server_reports(
    tail: list[dict[str, Any]], tokens: int, source: str
) -> None:
    measure = _load("measure")
    seen: list[dict[str, Any]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(json.loads(request.content))
        body = _sse([_chunk("Once"), _chunk(" upon"), _chunk(" a"), *tail])
        return httpx.Response(200, content=body, headers={"content-type": "text/event-stream"})

    async def go() -> dict[str, Any]:
        async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as http:
            body = measure.bench_body("m", 64, {"ignore_eos": True})
            result: dict[str, Any] = await measure.stream(http, "http://x", body)
            return result

    got = asyncio.run(go())
    assert (got["tokens"], got["tokens_from"]) == (tokens, source)
    assert seen[0]["stream"] is True and seen[0]["ignore_eos"] is True
    assert seen[0]["messages"][0]["content"] == measure.PROMPT
    assert 0 < got["ttft_s"] <= got["total_s"]


def test_checks_runs_as_a_script_with_measure_beside_it() -> None:
    # run_smoke.sh runs `python3 checks.py`: measure.py must import from the script's folder.
    env = {**os.environ, "PYTHONPATH": str(HERE.parents[2])}
    proc = subprocess.run(
        [sys.executable, str(HERE / "checks.py"), "--help"],
        capture_output=True, text=True, env=env, cwd="/", check=False,
    )  # fmt: skip
    assert proc.returncode == 0, proc.stderr
    assert "--launch" in proc.stdout


def test_schema_overhead_alternates_sides_and_divides_by_tokens(fake_openai: Any) -> None:
    from tests.fakes.openai_server import Hang, Reply

    measure = _load("measure")
    paris = {"city": "Paris", "country": "France", "population_millions": 2.1,
             "landmarks": ["Louvre"]}  # fmt: skip
    plain = Hang(0.3, Reply("word " * 10, tokens_out=10))
    constrained = Reply(json.dumps(paris), tokens_out=30)
    broken = Reply('{"city": 1}', tokens_out=30)
    fake_openai.script(plain, constrained, plain, constrained, plain, broken)
    rf = {"type": "json_object", "schema": measure.City.model_json_schema()}
    base = fake_openai.url.removesuffix("/v1")
    out = measure.schema_overhead(base, "k", "m", rf, {"ignore_eos": True}, reps=2)
    sent = fake_openai.requests
    assert ["response_format" in r for r in sent] == [False, True] * 3
    assert [r.get("ignore_eos") for r in sent] == [True, None] * 3
    assert out["reps"] == 2 and out["json_schema_invalid"] == 1  # the broken last answer
    # 0.3 s over 10 tokens against a prompt answer over 30: at least 30 ms a plain token
    assert out["plain_ms_per_token"] >= 30 > out["json_schema_ms_per_token"]
    assert out["overhead_pct"] < 0
