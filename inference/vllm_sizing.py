"""What a ``serve`` block predicts for vLLM's KV cache, to hold against what vLLM reports.

``check_fit`` only asks whether the weights fit; this module says how much KV cache the
rest of the budget should buy: ``gpu_memory_gb * gpu_memory_utilization`` per GPU, minus the
weights' share, is the KV pool upper bound (vLLM also keeps activations, CUDA graphs and
non-torch memory out of it, so it reports less). Tokens follow from the model's KV layout.
"""

from __future__ import annotations

from dataclasses import dataclass

from inference.vllm import ServeSpec

__all__ = ["KvLayout", "KvPrediction", "predict_kv"]

_KV_BYTES = {"auto": None, "fp8": 1, "fp8_e4m3": 1, "fp8_e5m2": 1}
_DTYPE_BYTES = {"bf16": 2, "fp16": 2, "fp8": 2, "int4": 2}  # activations/KV stay 16-bit


@dataclass(frozen=True)
class KvLayout:
    """The attention shape that sets the KV cost of a token."""

    layers: int
    kv_heads: int
    head_dim: int

    def bytes_per_token(self, element_bytes: int) -> int:
        """K and V, every layer, this GPU's share of the heads counted by the caller."""
        return 2 * self.layers * self.kv_heads * self.head_dim * element_bytes


@dataclass(frozen=True)
class KvPrediction:
    """The serve block's KV cache, per GPU and in tokens."""

    budget_gb: float
    weights_gb: float
    kv_gb: float
    bytes_per_token: int
    tokens: int
    max_concurrency: float

    def to_dict(self) -> dict[str, float | int]:
        """Plain JSON-able form."""
        return dict(self.__dict__)


def predict_kv(spec: ServeSpec, layout: KvLayout) -> KvPrediction:
    """Upper bound of the KV cache that ``spec`` leaves on each GPU.

    Args:
        spec: The serve block.
        layout: The model's layers, KV heads and head size.

    Returns:
        Budget, weights and KV in GB (1e9 bytes, as ``gpu_memory_gb``), KV bytes per token
        per GPU, the tokens that fit and ``tokens / max_model_len``: vLLM's "maximum
        concurrency" for full-length requests.
    """
    element = _KV_BYTES[spec.kv_cache_dtype] or _DTYPE_BYTES[spec.weight_dtype]
    # Tensor parallelism splits the KV heads (a head is never split: at least one per GPU).
    heads = max(1, layout.kv_heads // spec.tensor_parallel_size)
    layers = max(1, layout.layers // spec.pipeline_parallel_size)
    per_token = KvLayout(layers, heads, layout.head_dim).bytes_per_token(element)
    budget = spec.gpu_memory_gb * spec.gpu_memory_utilization
    weights = spec.weights_gb / spec.gpus
    kv = max(0.0, budget - weights)
    tokens = int(kv * 1e9 // per_token)
    return KvPrediction(
        budget_gb=round(budget, 3),
        weights_gb=round(weights, 3),
        kv_gb=round(kv, 3),
        bytes_per_token=per_token,
        tokens=tokens,
        max_concurrency=round(tokens / spec.max_model_len, 2),
    )
