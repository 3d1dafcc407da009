"""vLLM launch scripts generated from the routing file, so the two cannot drift.

Every vLLM deployment in the routing file's ``vllm`` profile carries its launch data under
``model_info.serve`` (GPU sizing, parallelism, precision, multimodal limits). Everything
else the script needs comes from the deployment itself: the served model name from
``litellm_params.model`` (minus the ``hosted_vllm/`` prefix), the port from ``api_base`` and the
name of the API-key variable from ``api_key: os.environ/NAME``. ``render_scripts`` turns that
into one ``deployments/vllm/<deployment-id>.sh`` per deployment; ``check_scripts`` re-renders
and reports any committed script that differs, and ``check_fit`` refuses a sizing whose
weights cannot fit the GPUs it names (the seed's "DeepSeek-V3 671B FP8 on one A100 80GB").

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

import json
import shlex
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from core.exceptions import ConfigError

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


def _flag_args(service: VllmService) -> list[tuple[str, str | None]]:
    spec = service.spec
    args: list[tuple[str, str | None]] = [
        ("--served-model-name", service.served_model),
        ("--host", spec.host),
        ("--port", str(service.port)),
        ("--api-key", None),  # rendered from the env variable, never a literal
        ("--tensor-parallel-size", str(spec.tensor_parallel_size)),
    ]
    if spec.pipeline_parallel_size > 1:
        args.append(("--pipeline-parallel-size", str(spec.pipeline_parallel_size)))
    if spec.enable_expert_parallel:
        args.append(("--enable-expert-parallel", None))
    args.append(("--dtype", spec.dtype))
    if spec.quantization:
        args.append(("--quantization", spec.quantization))
    if spec.kv_cache_dtype != "auto":
        args.append(("--kv-cache-dtype", spec.kv_cache_dtype))
    args += [
        ("--max-model-len", str(spec.max_model_len)),
        ("--gpu-memory-utilization", f"{spec.gpu_memory_utilization:g}"),
    ]
    if spec.max_num_seqs:
        args.append(("--max-num-seqs", str(spec.max_num_seqs)))
    if spec.enable_prefix_caching:
        args.append(("--enable-prefix-caching", None))
    if spec.trust_remote_code:
        args.append(("--trust-remote-code", None))
    if spec.limit_mm_per_prompt:
        args.append(("--limit-mm-per-prompt", json.dumps(spec.limit_mm_per_prompt)))
    if spec.mm_processor_kwargs:
        args.append(("--mm-processor-kwargs", json.dumps(spec.mm_processor_kwargs)))
    return args


def render_script(service: VllmService) -> str:
    """Render the bash launch script of one deployment.

    Args:
        service: The resolved deployment.

    Returns:
        The script text (deterministic: the same input renders byte-identical output).
    """
    spec = service.spec
    env = service.api_key_env
    lines = [
        "#!/usr/bin/env bash",
        f"# GENERATED by `studio vllm render` from the routing file (deployment "
        f"{service.deployment_id!r}, role {service.role!r}).",
        "# Do not edit: change model_info.serve in the routing file and re-render;",
        "# tests/inference/test_vllm.py fails when this file and the routing file disagree.",
        "#",
        f"# Hardware: {spec.nodes} node(s), {spec.gpus}x {spec.gpu} "
        f"(TP={spec.tensor_parallel_size}, PP={spec.pipeline_parallel_size}"
        f"{', EP' if spec.enable_expert_parallel else ''}).",
        f"# Weights: {spec.params_b:g}B params in {spec.weight_dtype} ≈ {spec.weights_gb:.0f} GB "
        f"({spec.weights_gb / spec.gpus:.1f} GB per GPU).",
    ]
    if spec.nodes > 1:
        lines.append(
            "# Multi-node: start a Ray cluster spanning the nodes first (`ray start --head` on"
            " this host, `ray start --address=HEAD:6379` on the others); run this on the head."
        )
    lines += [
        "set -euo pipefail",
        f': "${{{env}:?set {env} to the key the routing file sends (api_key: os.environ/{env})}}"',
        "",
        f"exec vllm serve {shlex.quote(spec.weights or service.served_model)} \\",
    ]
    flags = _flag_args(service)
    for i, (flag, value) in enumerate(flags):
        if flag == "--api-key":
            text = f'{flag} "${{{env}}}"'
        elif value is None:
            text = flag
        else:
            text = f"{flag} {shlex.quote(value)}"
        last = i == len(flags) - 1 and not spec.extra_args
        lines.append(f"  {text}" + ("" if last else " \\"))
    for j, extra in enumerate(spec.extra_args):
        tail = "" if j == len(spec.extra_args) - 1 else " \\"
        lines.append(f"  {shlex.quote(extra)}{tail}")
    return "\n".join(lines) + "\n"


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
