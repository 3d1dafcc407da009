"""The GPU-smoke scripts' pure parts: payload staging and the GGUF q/k un-permutation."""

from __future__ import annotations

import hashlib
import importlib.util
import json
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

HERE = Path(__file__).resolve().parents[2] / "deployments/vllm/gpu-smoke"


def _load(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, HERE / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
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
