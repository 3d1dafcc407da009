"""The one settings object: every knob, its env variable and what it means.

Environment variables use the ``STUDIO_`` prefix (``STUDIO_PROFILE=vllm``). Nothing here
touches the disk or the network at import time; directories are created by the code that
writes into them.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

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
    cpu_port: int = Field(default=8088, description="Port of the llama.cpp CPU-tier server.")
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
        default=14 * 86400, description="How long cached task results live in Redis, in seconds."
    )
    cache_prefix: str = Field(
        default="studio", description="Key prefix for everything the studio stores in Redis."
    )

    # --- gateway -----------------------------------------------------------------------
    gateway_host: str = Field(default="127.0.0.1", description="Bind address of the gateway.")
    gateway_port: int = Field(default=4000, description="Port of the OpenAI-compatible gateway.")
    gateway_keys_file: Path | None = Field(
        default=None, description="File with one gateway bearer key per line (secret)."
    )
    gateway_rpm: int = Field(default=60, description="Requests per minute allowed per key.")

    @property
    def model_path(self) -> Path:
        """The CPU-tier GGUF path, defaulted under ``home``."""
        return self.cpu_model_path or self.home / "models" / MODEL_FILENAME


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """Return the process-wide settings (tests clear the cache with ``cache_clear``)."""
    return Settings()
