"""One deployment of a routing profile: a typed view of a litellm ``model_list`` entry."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = ["Deployment", "StreamUsage", "StructuredMode", "Transport", "speaks_openai"]

StructuredMode = Literal["json_schema", "json_object_schema", "none"]
Transport = Literal["openai", "litellm"]
# True: a stream ends with its usage (vLLM); "chunks": one token a chunk, no usage (llama.cpp).
StreamUsage = bool | Literal["chunks"]
# litellm providers that are plain OpenAI chat completions on the wire (model prefix dropped).
_OPENAI_WIRE_PROVIDERS: frozenset[str] = frozenset({"hosted_vllm", "openai"})


def speaks_openai(model: str) -> bool:
    """Whether a litellm model string names a plain OpenAI-compatible server (``provider/name``)."""
    provider, _, name = model.partition("/")
    return provider in _OPENAI_WIRE_PROVIDERS and bool(name)


@dataclass(frozen=True)
class Deployment:
    """A typed view of one ``model_list`` entry.

    Attributes:
        id: ``model_info.id``: stable identity, used in cache keys and call records.
        group: ``model_name``: the role or fallback group it serves.
        model: litellm model string (``hosted_vllm/...``).
        api_base: OpenAI-compatible base URL (ends in ``/v1``).
        supports_vision: Whether image parts may be sent.
        structured_output: How the server constrains JSON output.
        health_url: Absolute URL of the active health probe.
        timeout: Per-call timeout, in seconds.
        transport: ``openai``: the client posts to the server itself (:mod:`inference.wire`);
            ``litellm``: through the litellm Router, for providers that need translation.
        api_key: The key *reference* from the file (``os.environ/NAME`` or a literal), never
            the resolved secret.
        max_parallel: ``max_parallel_requests``: requests in flight at once (None: no cap).
        rpm: Requests started per rolling minute (None: no cap).
        serve: vLLM launch data (empty for non-vLLM deployments).
        stream_usage: How a streamed answer keeps exact token counts, so that the client
            may stream answers for progress (``model_info.stream_usage``): ``True``, the
            server ends a stream with its usage (default for vLLM deployments); ``"chunks"``,
            it streams one token a chunk and no usage (llama-cpp-python, see
            :mod:`inference._usage`); ``False``, never streamed.
    """

    id: str
    group: str
    model: str
    api_base: str
    supports_vision: bool
    structured_output: StructuredMode
    health_url: str
    timeout: float
    transport: Transport = "openai"
    api_key: str | None = field(default=None, repr=False)
    max_parallel: int | None = None
    rpm: int | None = None
    serve: Mapping[str, Any] = field(default_factory=dict)
    stream_usage: StreamUsage = False

    @classmethod
    def from_entry(cls, entry: Mapping[str, Any]) -> Deployment:
        """The deployment of one validated ``model_list`` entry, defaults filled in."""
        params = entry["litellm_params"]
        info = entry["model_info"]
        api_base = str(params["api_base"]).rstrip("/")
        root = api_base[: -len("/v1")] if api_base.endswith("/v1") else api_base
        health_path = str(info.get("health_path", "/health"))
        default_transport = "openai" if speaks_openai(str(params["model"])) else "litellm"
        max_parallel = params.get("max_parallel_requests")
        rpm = params.get("rpm")
        key = params.get("api_key")
        return cls(
            id=str(info["id"]),
            group=str(entry["model_name"]),
            model=str(params["model"]),
            api_base=api_base,
            supports_vision=bool(info.get("supports_vision", False)),
            structured_output=info.get("structured_output", "json_schema"),
            health_url=root + (health_path if health_path.startswith("/") else "/" + health_path),
            timeout=float(params.get("timeout", 300)),
            transport=info.get("transport", default_transport),
            api_key=None if key is None else str(key),
            max_parallel=None if max_parallel is None else int(max_parallel),
            rpm=None if rpm is None else int(rpm),
            serve=dict(info.get("serve") or {}),
            stream_usage=info.get("stream_usage", bool(info.get("serve"))),
        )

    @property
    def local(self) -> bool:
        """True for a deployment on this machine (the CPU tier)."""
        return self.api_base.startswith(("http://127.0.0.1", "http://localhost"))

    @property
    def wire_model(self) -> str:
        """The ``model`` the server itself is asked for: the litellm string minus its provider."""
        return self.model.partition("/")[2] if speaks_openai(self.model) else self.model
