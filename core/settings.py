"""The one settings object: every knob, its env variable and what it means.

Environment variables use the ``STUDIO_`` prefix (``STUDIO_PROFILE=vllm``). Nothing here
touches the disk or the network at import time; directories are created by the code that
writes into them.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from core.exceptions import ConfigError

__all__ = ["Settings", "get_settings"]

MODEL_FILENAME = "qwen2.5-coder-1.5b-instruct-q4_k_m.gguf"


def _default_home() -> Path:
    return Path.home() / ".cache" / "animation-ai-studio"


class Settings(BaseSettings):
    """Runtime configuration, read from ``STUDIO_*`` environment variables."""

    model_config = SettingsConfigDict(env_prefix="STUDIO_", extra="ignore")

    # --- where things live -------------------------------------------------------------
    home: Path = Field(
        default_factory=_default_home,
        description="Root for state the studio writes: models, pid files, logs, local results.",
    )
    debug: bool = Field(
        default=False, description="Show tracebacks instead of one-line errors in the CLI."
    )

    # --- inference tier ----------------------------------------------------------------
    profile: str = Field(
        default="embedded",
        description="Routing profile from the routing file: 'embedded' (CPU tier) or 'vllm'.",
    )
    routing_file: Path | None = Field(
        default=None,
        description="A routing YAML to use instead of the bundled deployments/inference.yaml.",
    )
    cpu_host: str = Field(default="127.0.0.1", description="Bind address of the llama.cpp server.")
    cpu_port: int = Field(
        default=8088, ge=1, le=65535, description="Port of the llama.cpp CPU-tier server."
    )
    cpu_threads: int = Field(default=2, description="Threads llama.cpp may use.")
    cpu_ctx: int = Field(default=8192, description="Context window of the CPU tier, in tokens.")
    cpu_model_path: Path | None = Field(
        default=None,
        description=f"GGUF for the CPU tier; default <home>/models/{MODEL_FILENAME}.",
    )
    request_timeout_s: float = Field(
        default=300.0, description="Per-call timeout for model requests, in seconds."
    )
    vllm_api_key: SecretStr | None = Field(
        default=None, description="Bearer key for the vLLM services (profile 'vllm')."
    )

    # --- caching -----------------------------------------------------------------------
    redis_url: str | None = Field(
        default="redis://127.0.0.1:6379/0",
        description="Redis for shared task-result caching; empty to use local storage.",
    )
    cache_ttl_s: int = Field(
        default=14 * 86400,
        description="How long cached task results live (Redis or local files), in seconds; "
        "0 keeps them forever.",
    )
    cache_prefix: str = Field(
        default="studio", description="Key prefix for everything the studio stores in Redis."
    )

    # --- gateway -----------------------------------------------------------------------
    gateway_host: str = Field(default="127.0.0.1", description="Bind address of the gateway.")
    gateway_port: int = Field(
        default=4000, ge=1, le=65535, description="Port of the OpenAI-compatible gateway."
    )
    gateway_keys_file: Path | None = Field(
        default=None, description="File with one gateway bearer key per line (secret)."
    )
    gateway_rpm: int = Field(default=60, description="Requests per minute allowed per key.")
    # (gateway engineer) keys from env, response cache and rate-limit window.
    gateway_keys: SecretStr | None = Field(
        default=None,
        description="Comma-separated gateway bearer keys (secret); added to gateway_keys_file's.",
    )
    gateway_cache_ttl_s: int = Field(
        default=3600,
        ge=0,
        description="How long the gateway caches identical non-streaming answers; 0 disables.",
    )
    gateway_rate_window_s: float = Field(
        default=60.0, gt=0, description="Sliding window of the per-key limits, in seconds."
    )
    # (issue 20) bounded requests, token limits, failed-auth throttling, cache scope.
    gateway_tokens_per_window: int = Field(
        default=200_000,
        ge=0,
        description="Tokens (prompt estimate + max_tokens, then actual usage) per key and "
        "window; 0 disables.",
    )
    gateway_auth_failures: int = Field(
        default=20, ge=1, description="Failed-auth requests allowed per client address and window."
    )
    gateway_max_body_bytes: int = Field(
        default=4_000_000, gt=0, description="Largest request body, checked before parsing."
    )
    gateway_max_tokens: int = Field(
        default=2048,
        gt=0,
        description="max_tokens cap (and default) where the routing file gives no "
        "model_info.max_output_tokens.",
    )
    gateway_cache_scope: Literal["key", "shared"] = Field(
        default="key",
        description="Who shares cached answers: `key` (each key its own) or `shared` (every "
        "key sees every other key's identical requests and their answers).",
    )
    gateway_secret: SecretStr | None = Field(
        default=None,
        description="HMAC secret naming per-key counters and cache entries in Redis; default "
        "derived from the set of keys.",
    )
    # (issue 13) never an empty success: a deployment that cannot start answering in time
    # (the CPU tier busy with another job) is a 503 with Retry-After, not a minutes-long wait.
    gateway_first_token_s: float = Field(
        default=60.0,
        gt=0,
        description="Seconds the gateway waits for a deployment's first output before it "
        "tries the next one (or answers 503 with Retry-After).",
    )

    # --- operations (issue 6: ops) -----------------------------------------------------
    prefect_host: str = Field(
        default="127.0.0.1", description="Bind address of the Prefect server `studio up` starts."
    )
    prefect_port: int = Field(
        default=4200,
        ge=1,
        le=65535,
        description="Port of the Prefect server (API and UI) `studio up` starts.",
    )
    prefect_home: Path | None = Field(
        default=None,
        description=(
            "PREFECT_HOME for the server and worker `studio up` starts; default <home>/prefect."
        ),
    )
    work_pool: str = Field(
        default="studio-process",
        description="Name of the local process work pool the deployments and the worker use.",
    )
    footage_dir: Path | None = Field(
        default=None,
        description="Folder the scheduled footage batch analyses; default <home>/footage.",
    )
    library_dir: Path | None = Field(
        default=None,
        description="Where batch analysis writes analysis.json files and the catalog; "
        "default <home>/library.",
    )
    postgres_admin_url: str = Field(
        default="postgresql://postgres@127.0.0.1:5432/postgres",
        description="PostgreSQL admin connection through which `studio up` provisions the "
        "Prefect server's own role and database; empty for SQLite.",
    )
    metrics_port: int = Field(
        default=0,
        ge=0,
        le=65535,
        description="Port of the worker's Prometheus exporter; 0 disables it.",
    )
    # --- end operations ---------------------------------------------------------------

    # --- creative jobs (issue 4: flow) -------------------------------------------------
    job_concurrency: int | None = Field(
        default=None,
        ge=1,
        description="Scenes analysed at once; default: the vision tier's capacity "
        "(sum of max_parallel_requests; the CPU tier serves 1).",
    )
    gpu_price_per_hour: dict[str, float] = Field(
        default_factory=lambda: {"default": 2.0},
        description="USD per GPU-hour by deployment id ('default' for the rest), for the "
        "vLLM profile's cost line (JSON in STUDIO_GPU_PRICE_PER_HOUR).",
    )
    # --- end creative jobs ---------------------------------------------------------------

    # --- edit sandbox (issue 5: sandbox) -----------------------------------------------
    sandbox_cpu_s: int = Field(
        default=300, ge=1, description="CPU seconds an edit script run may use (RLIMIT_CPU)."
    )
    sandbox_memory_mb: int = Field(
        default=3072,
        ge=256,
        description="Address space per sandboxed process, MiB (RLIMIT_AS; ffmpeg included).",
    )
    sandbox_wall_s: float = Field(
        default=600.0, gt=0, description="Wall-clock timeout of one sandboxed run, seconds."
    )
    sandbox_processes: int = Field(
        default=64,
        ge=8,
        description="Processes and threads the sandbox user may have (RLIMIT_NPROC); raised "
        "to 24 + 8 per CPU core when lower, since ffmpeg's thread pools grow with cores.",
    )
    sandbox_max_duration_s: float = Field(
        default=900.0, gt=0, description="Longest clip an edit script may return, seconds."
    )
    # --- end edit sandbox --------------------------------------------------------------

    # --- who may run what (issue 18: auth) ---------------------------------------------
    footage_roots: Annotated[list[Path], NoDecode] = Field(
        default_factory=list,
        description="Comma-separated folders that jobs may read footage from (symlinks and "
        "'..' resolved). Deployment runs: default footage_dir (<home>/footage); the CLI "
        "applies them only when set.",
    )
    output_root: Path | None = Field(
        default=None,
        description="The folder under which jobs may write their outputs. Deployment runs: "
        "default <home>/output; the CLI applies it only when set.",
    )
    prefect_auth_file: Path | None = Field(
        default=None,
        description="File holding the Prefect API credential (user:password, mode 0600); "
        "default <home>/prefect-auth, generated by `studio up` on first use.",
    )

    @field_validator("footage_roots", mode="before")
    @classmethod
    def _comma_separated(cls, value: Any) -> Any:
        if isinstance(value, str):
            return [part.strip() for part in value.split(",") if part.strip()]
        return value

    # --- end who may run what ------------------------------------------------------------

    @property
    def model_path(self) -> Path:
        """The CPU-tier GGUF path, defaulted under ``home``."""
        return self.cpu_model_path or self.home / "models" / MODEL_FILENAME


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings (tests clear the cache with ``cache_clear``).

    Raises:
        ConfigError: A ``STUDIO_*`` variable holds a value of the wrong kind (one line naming
            it; the value itself is not repeated, as it may be a secret).
    """
    try:
        return Settings()
    except ValidationError as exc:
        first = exc.errors()[0]
        field = "_".join(str(part) for part in first.get("loc", ())) or "settings"
        prefix = str(Settings.model_config.get("env_prefix", ""))
        message = " ".join(str(first.get("msg", "invalid value")).split())
        raise ConfigError(f"{prefix}{field}".upper() + f": {message}") from None
