"""Turn a llama-architecture GGUF into an fp16 safetensors checkpoint that vLLM serves.

vLLM's own GGUF path produced garbage for SmolLM2-135M Q4_1 on the trial build, and
transformers refuses to ``save_pretrained`` a GGUF-loaded model; so: dequantize each tensor
with gguf-py, undo llama.cpp's q/k row permutation, write ``config.json`` (tied embeddings
when the GGUF has no ``output.weight``) and a byte-level BPE ``tokenizer.json`` with the chat
template. Usage: ``python3 convert_gguf.py MODEL.gguf OUT_DIR``.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import numpy as np

_NAMES = {
    "attn_norm": "input_layernorm",
    "ffn_norm": "post_attention_layernorm",
    "attn_q": "self_attn.q_proj",
    "attn_k": "self_attn.k_proj",
    "attn_v": "self_attn.v_proj",
    "attn_output": "self_attn.o_proj",
    "ffn_gate": "mlp.gate_proj",
    "ffn_up": "mlp.up_proj",
    "ffn_down": "mlp.down_proj",
}


def _field(reader: Any, key: str) -> Any:
    field = reader.fields.get(key)
    if field is None:
        return None
    if hasattr(field, "contents"):
        return field.contents()
    return field.parts[field.data[0]].tolist()[0]


def _unpermute(w: np.ndarray, heads: int) -> np.ndarray:
    # Inverse of llama.cpp's convert permute (rotary halves interleaved per head).
    return (
        w.reshape(heads, w.shape[0] // heads // 2, 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)
    )


def _hf_name(name: str) -> str:
    fixed = {
        "token_embd.weight": "model.embed_tokens.weight",
        "output_norm.weight": "model.norm.weight",
        "output.weight": "lm_head.weight",
    }
    if name in fixed:
        return fixed[name]
    _, layer, part, kind = name.split(".")
    return f"model.layers.{layer}.{_NAMES[part]}.{kind}"


def _tokenizer(reader: Any, out: Path) -> dict[str, int]:
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers

    tokens = [str(t) for t in _field(reader, "tokenizer.ggml.tokens")]
    types = list(_field(reader, "tokenizer.ggml.token_type") or [1] * len(tokens))
    merges = [tuple(str(m).split(" ", 1)) for m in _field(reader, "tokenizer.ggml.merges")]
    vocab = {t: i for i, t in enumerate(tokens)}
    tok = Tokenizer(models.BPE(vocab=vocab, merges=merges))
    # SmolLM2's tokenizer splits digits one by one before the GPT-2 byte-level split.
    tok.pre_tokenizer = pre_tokenizers.Sequence(
        [
            pre_tokenizers.Digits(individual_digits=True),
            pre_tokenizers.ByteLevel(add_prefix_space=False),
        ]
    )
    tok.decoder = decoders.ByteLevel()
    special = [t for t, kind in zip(tokens, types, strict=True) if int(kind) == 3]
    tok.add_special_tokens(special)
    tok.save(str(out / "tokenizer.json"))
    ids = {
        k: int(v)
        for k in ("bos", "eos", "padding", "unknown")
        if (v := _field(reader, f"tokenizer.ggml.{k}_token_id")) is not None
    }
    names = {k: tokens[v] for k, v in ids.items()}
    # The model's turns end with <|im_end|>: make it the end of sequence whatever the GGUF says.
    eos = "<|im_end|>" if "<|im_end|>" in vocab else names.get("eos", tokens[0])
    config = {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "bos_token": names.get("bos"),
        "eos_token": eos,
        "pad_token": names.get("padding", eos),
        "unk_token": names.get("unknown"),
        "model_max_length": 8192,
        "clean_up_tokenization_spaces": False,
    }
    template = _field(reader, "tokenizer.chat_template")
    if template:
        config["chat_template"] = str(template)
    (out / "tokenizer_config.json").write_text(json.dumps(config, indent=1))
    return {"bos": ids.get("bos", vocab[eos]), "eos": vocab[eos], "vocab": len(tokens)}


def convert(gguf_path: Path, out: Path) -> dict[str, Any]:
    """Write an HF llama checkpoint (fp16) for ``gguf_path`` into ``out``; return config.json."""
    from gguf import GGUFReader
    from gguf.quants import dequantize
    from safetensors.numpy import save_file

    reader = GGUFReader(str(gguf_path))
    arch = str(_field(reader, "general.architecture"))
    if arch != "llama":
        raise SystemExit(f"only llama-architecture GGUFs are handled, not {arch!r}")
    heads = int(_field(reader, "llama.attention.head_count"))
    kv_heads = int(_field(reader, "llama.attention.head_count_kv") or heads)
    out.mkdir(parents=True, exist_ok=True)
    tensors: dict[str, np.ndarray] = {}
    for t in reader.tensors:
        shape = tuple(int(d) for d in reversed(t.shape.tolist()))
        w = dequantize(t.data, t.tensor_type).reshape(shape).astype(np.float32)
        if t.name.endswith("attn_q.weight"):
            w = _unpermute(w, heads)
        elif t.name.endswith("attn_k.weight"):
            w = _unpermute(w, kv_heads)
        tensors[_hf_name(t.name)] = np.ascontiguousarray(w.astype(np.float16))
    save_file(tensors, str(out / "model.safetensors"))
    tok = _tokenizer(reader, out)
    hidden = int(_field(reader, "llama.embedding_length"))
    config = {
        "architectures": ["LlamaForCausalLM"],
        "model_type": "llama",
        "hidden_size": hidden,
        "intermediate_size": int(_field(reader, "llama.feed_forward_length")),
        "num_hidden_layers": int(_field(reader, "llama.block_count")),
        "num_attention_heads": heads,
        "num_key_value_heads": kv_heads,
        "head_dim": hidden // heads,
        "hidden_act": "silu",
        "max_position_embeddings": int(_field(reader, "llama.context_length")),
        "rms_norm_eps": float(_field(reader, "llama.attention.layer_norm_rms_epsilon")),
        "rope_theta": float(_field(reader, "llama.rope.freq_base") or 10000.0),
        "vocab_size": tok["vocab"],
        "tie_word_embeddings": "lm_head.weight" not in tensors,
        "bos_token_id": tok["bos"],
        "eos_token_id": tok["eos"],
        "torch_dtype": "float16",
    }
    (out / "config.json").write_text(json.dumps(config, indent=1))
    gen = {"bos_token_id": tok["bos"], "eos_token_id": tok["eos"]}
    (out / "generation_config.json").write_text(json.dumps(gen))
    return config


if __name__ == "__main__":
    print(json.dumps(convert(Path(sys.argv[1]), Path(sys.argv[2]))))
