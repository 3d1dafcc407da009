"""vLLM launch scripts generated from the routing file, so the two cannot drift.

Every vLLM deployment in the routing file's ``vllm`` profile carries its launch data under
``model_info.serve`` (GPU sizing, parallelism, precision, multimodal limits). Everything
else the script needs comes from the deployment itself: the served model name from
``litellm_params.model`` (minus the ``hosted_vllm/`` prefix), the port from ``api_base`` and the
name of the API-key variable from ``api_key: os.environ/NAME``. ``render_scripts`` turns that
into one ``deployments/vllm/<deployment-id>.sh`` per deployment; ``check_scripts`` re-renders
and reports any committed script that differs, and ``check_fit`` refuses a sizing whose
weights cannot fit the GPUs it names (the seed's "DeepSeek-V3 671B FP8 on one A100 80GB").
The text of one script (``render_script``: vLLM's flags and the bash around them) is
:mod:`inference._vllm_script`.

Example ``serve`` block::

    serve:
      gpu: A100/H100 80GB
      gpu_memory_gb: 80
      params_b: 73.4
      weight_dtype: bf16
      tensor_parallel_size: 4
      max_model_len: 32768
      gpu_memory_utilization: 0.90
      limit_mm_per_prompt: {image: 8, video: 0}
      mm_processor_kwargs: {max_pixels: 200704}
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from core.exceptions import ConfigError
from inference._vllm_script import render_script

__all__ = [
    "VLLM_PREFIX",
    "Drift",
    "ServeSpec",
    "VllmService",
    "check_fit",
    "check_scripts",
    "render_script",
    "render_scripts",
    "services",
]

VLLM_PREFIX = "hosted_vllm/"
_ENV_PREFIX = "os.environ/"
# Bytes per parameter of the checkpoint's weights; int4 (AWQ/GPTQ) carries ~3% of scales.
_BYTES_PER_PARAM: dict[str, float] = {"bf16": 2.0, "fp16": 2.0, "fp8": 1.0, "int4": 0.53}
# Weights may take at most this share of vLLM's memory budget per GPU: the rest is the KV
# cache, activations and CUDA graphs. Below ~15% headroom vLLM starts but serves almost
# no concurrent context, which is not a deployment.
_WEIGHT_SHARE = 0.85


class ServeSpec(BaseModel):
    """Launch data for one vLLM deployment (the ``model_info.serve`` block)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    weights: str | None = Field(
        default=None,
        description="HF repo or path of the weights; default: the served model name.",
    )
    gpu: str = Field(description="GPU model the sizing is for, e.g. 'H200 141GB'.")
    gpu_memory_gb: float = Field(gt=0, description="Memory of one GPU, in GB.")
    nodes: int = Field(default=1, ge=1, description="Hosts the service spans.")
    params_b: float = Field(gt=0, description="Parameters, in billions (for the fit check).")
    weight_dtype: Literal["bf16", "fp16", "fp8", "int4"] = Field(
        description="Precision of the weights as loaded (for the fit check)."
    )
    tensor_parallel_size: int = Field(default=1, ge=1)
    pipeline_parallel_size: int = Field(default=1, ge=1)
    enable_expert_parallel: bool = Field(default=False, description="MoE experts sharded (EP).")
    dtype: Literal["auto", "bfloat16", "float16"] = "auto"
    quantization: str | None = Field(
        default=None, description="--quantization (awq, fp8...); None for native checkpoints."
    )
    kv_cache_dtype: Literal["auto", "fp8", "fp8_e4m3", "fp8_e5m2"] = "auto"
    max_model_len: int = Field(ge=512)
    gpu_memory_utilization: float = Field(gt=0.1, le=0.98)
    max_num_seqs: int | None = Field(default=None, ge=1)
    enable_prefix_caching: bool = True
    trust_remote_code: bool = False
    limit_mm_per_prompt: dict[str, int] | None = None
    mm_processor_kwargs: dict[str, int | float | str] | None = None
    host: str = Field(default="0.0.0.0", description="Bind address of the vLLM server.")
    extra_args: list[str] = Field(default_factory=list, description="Flags passed verbatim.")

    @property
    def gpus(self) -> int:
        """GPUs the service occupies (tensor x pipeline parallel)."""
        return self.tensor_parallel_size * self.pipeline_parallel_size

    @property
    def weights_gb(self) -> float:
        """Approximate weight memory in GB."""
        return self.params_b * _BYTES_PER_PARAM[self.weight_dtype]


@dataclass(frozen=True)
class VllmService:
    """One vLLM deployment of the routing file, resolved for launching."""

    deployment_id: str
    role: str
    served_model: str
    port: int
    api_key_env: str
    spec: ServeSpec

    @property
    def script_name(self) -> str:
        """File name of the launch script."""
        return f"{self.deployment_id}.sh"


@dataclass(frozen=True)
class Drift:
    """A launch script that differs from what the routing file renders."""

    path: Path
    reason: str


def _entry_dict(entry: Any) -> dict[str, Any]:
    # The routing loader may hand back plain dicts or pydantic models.
    if isinstance(entry, Mapping):
        return dict(entry)
    dump = getattr(entry, "model_dump", None)
    if callable(dump):
        return dict(dump())
    raise ConfigError(f"routing entry is neither a mapping nor a model: {type(entry).__name__}")


def services(model_list: Iterable[Any]) -> list[VllmService]:
    """Resolve the vLLM deployments (those with ``model_info.serve``) of a model list.

    Args:
        model_list: litellm ``model_list`` entries, e.g. ``load_routing("vllm").model_list``.

    Returns:
        One ``VllmService`` per deployment that carries a ``serve`` block, in file order.

    Raises:
        ConfigError: A serve block is invalid, the deployment is not ``hosted_vllm/``, its
            ``api_base`` has no port, or its key is not an ``os.environ/`` reference.
    """
    out: list[VllmService] = []
    for raw in model_list:
        entry = _entry_dict(raw)
        info = dict(entry.get("model_info") or {})
        if "serve" not in info:
            continue
        params = dict(entry.get("litellm_params") or {})
        role = str(entry.get("model_name", ""))
        dep_id = str(info.get("id") or role)
        where = f"deployment {dep_id!r}"
        try:
            spec = ServeSpec.model_validate(info["serve"])
        except ValidationError as exc:
            first = exc.errors()[0]
            loc = ".".join(str(p) for p in first["loc"])
            raise ConfigError(f"{where}: model_info.serve.{loc}: {first['msg']}") from None
        model = str(params.get("model", ""))
        if not model.startswith(VLLM_PREFIX):
            raise ConfigError(f"{where}: serve block on a non-vLLM model {model!r}")
        base = urlsplit(str(params.get("api_base", "")))
        if base.port is None:
            raise ConfigError(f"{where}: api_base needs an explicit port to launch vLLM on")
        key = params.get("api_key")
        if not (isinstance(key, str) and key.startswith(_ENV_PREFIX)):
            raise ConfigError(
                f"{where}: api_key must be 'os.environ/NAME' (keys stay out of files)"
            )
        out.append(
            VllmService(
                deployment_id=dep_id,
                role=role,
                served_model=model.removeprefix(VLLM_PREFIX),
                port=base.port,
                api_key_env=key.removeprefix(_ENV_PREFIX),
                spec=spec,
            )
        )
    ids = [s.deployment_id for s in out]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise ConfigError(f"duplicate vLLM deployment ids: {', '.join(dupes)}")
    return out


def check_fit(service: VllmService) -> None:
    """Refuse a sizing whose weights cannot fit the GPUs it names.

    Per GPU, the weights (split over tensor x pipeline parallel) must stay under 85% of
    ``gpu_memory_gb * gpu_memory_utilization``; the rest is KV cache and activations.

    Raises:
        ConfigError: The weights do not fit, or the parallel layout does not add up.
    """
    spec = service.spec
    if spec.pipeline_parallel_size != spec.nodes and spec.nodes > 1:
        raise ConfigError(
            f"{service.deployment_id}: {spec.nodes} nodes need pipeline_parallel_size "
            f"{spec.nodes} (TP inside a node, PP across nodes)"
        )
    per_gpu = spec.weights_gb / spec.gpus
    budget = spec.gpu_memory_gb * spec.gpu_memory_utilization * _WEIGHT_SHARE
    if per_gpu > budget:
        raise ConfigError(
            f"{service.deployment_id}: {spec.params_b:g}B params in {spec.weight_dtype} "
            f"≈ {spec.weights_gb:.0f} GB of weights = {per_gpu:.1f} GB per GPU on "
            f"{spec.gpus}x {spec.gpu}, over the {budget:.1f} GB weight budget per GPU"
        )


def render_scripts(model_list: Iterable[Any], out_dir: Path) -> list[Path]:
    """Write one executable launch script per vLLM deployment.

    Args:
        model_list: litellm ``model_list`` entries of the vLLM profile.
        out_dir: Directory for the scripts (created if missing).

    Returns:
        The paths written.

    Raises:
        ConfigError: A deployment is invalid or its weights cannot fit its GPUs.
    """
    resolved = services(model_list)
    if not resolved:
        raise ConfigError("no deployment in this profile has a model_info.serve block")
    for service in resolved:
        check_fit(service)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for service in resolved:
        path = out_dir / service.script_name
        path.write_text(render_script(service), encoding="utf-8")
        path.chmod(0o755)
        written.append(path)
    return written


def check_scripts(model_list: Iterable[Any], out_dir: Path) -> list[Drift]:
    """Compare committed launch scripts with what the routing file renders.

    Returns:
        Every drifted, missing or orphaned script (empty when all agree).

    Raises:
        ConfigError: A deployment is invalid or its weights cannot fit its GPUs.
    """
    resolved = services(model_list)
    drifts: list[Drift] = []
    expected: set[str] = set()
    for service in resolved:
        check_fit(service)
        path = out_dir / service.script_name
        expected.add(path.name)
        want = render_script(service)
        if not path.exists():
            drifts.append(Drift(path, "missing"))
        elif path.read_text(encoding="utf-8") != want:
            drifts.append(Drift(path, "differs from the routing file"))
    if out_dir.is_dir():
        for path in sorted(out_dir.glob("*.sh")):
            if path.name not in expected:
                drifts.append(Drift(path, "no deployment in the routing file renders it"))
    return drifts
