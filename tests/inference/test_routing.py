"""The routing file: profiles, validation, variables, the litellm Router built from it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from core.exceptions import ConfigError
from core.settings import get_settings
from inference.routing import ROLES, build_router, default_routing_file, load_routing


def test_embedded_profile_serves_every_role_on_the_cpu_tier(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("STUDIO_CPU_PORT", "9123")
    get_settings.cache_clear()

    routing = load_routing("embedded")

    for role in ROLES:
        [deployment] = routing.deployments(role)
        assert deployment.api_base == "http://127.0.0.1:9123/v1"
        assert deployment.structured_output == "json_object_schema"
        assert deployment.supports_vision is False
        assert routing.chain(role) == [role]
    ids = [d.id for d in routing.all_deployments]
    assert len(ids) == len(set(ids))


def test_vllm_profile_falls_back_from_each_gpu_role_to_the_cpu_tier() -> None:
    routing = load_routing("vllm")

    assert routing.deployments("vision")[0].supports_vision is True
    assert routing.deployments("vision")[0].model == "hosted_vllm/Qwen/Qwen2.5-VL-72B-Instruct"
    assert routing.deployments("reasoning")[0].model == "hosted_vllm/deepseek-ai/DeepSeek-V3"
    assert routing.deployments("coder")[0].model == "hosted_vllm/Qwen/Qwen2.5-Coder-32B-Instruct"
    for role in ROLES:
        assert routing.chain(role) == [role, "cpu"]
        entry = next(e for e in routing.model_list if e["model_name"] == role)
        assert entry["litellm_params"]["api_key"] == "os.environ/STUDIO_VLLM_API_KEY"
        assert entry["litellm_params"]["model"].startswith("hosted_vllm/")
        assert {"rpm", "max_parallel_requests", "timeout"} <= set(entry["litellm_params"])
        assert "serve" in entry["model_info"]
        assert routing.deployments(role)[0].health_url.endswith("/health")


def test_env_overrides_vllm_urls(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("STUDIO_VLLM_VISION_URL", "http://gpu-box:9000/v1")
    assert load_routing("vllm").deployments("vision")[0].api_base == "http://gpu-box:9000/v1"
    assert load_routing("vllm").deployments("vision")[0].health_url == "http://gpu-box:9000/health"


def test_profile_and_file_come_from_settings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    doc = yaml.safe_load(default_routing_file().read_text())
    doc["profiles"]["mine"] = doc["profiles"]["embedded"]
    custom = tmp_path / "custom.yaml"
    custom.write_text(yaml.safe_dump(doc))
    monkeypatch.setenv("STUDIO_ROUTING_FILE", str(custom))
    monkeypatch.setenv("STUDIO_PROFILE", "mine")
    get_settings.cache_clear()

    routing = load_routing()

    assert (routing.profile, routing.source) == ("mine", custom)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda p: p.pop("model_list"), "model_list must be a non-empty list"),
        (lambda p: p["model_list"][0]["model_info"].pop("id"), "needs an id"),
        (
            lambda p: p["model_list"][1]["model_info"].update(
                id=p["model_list"][0]["model_info"]["id"]
            ),
            "duplicate deployment id",
        ),
        (lambda p: p.update(fallbacks=[{"reasoning": ["nowhere"]}]), "unknown group 'nowhere'"),
        (lambda p: p.update(router_settings={"num_retry": 3}), "unknown router_settings"),
        (
            lambda p: p["model_list"][0]["model_info"].update(structured_output="xml"),
            r"structured_output must be one of \('json_schema', 'json_object_schema', 'none'\)$",
        ),
        (
            lambda p: p["model_list"][0]["litellm_params"].update(api_base="${NOPE_NOT_SET}"),
            r"needs \$\{NOPE_NOT_SET\}",
        ),
        (
            lambda p: p["model_list"][0]["model_info"].update(transport="grpc"),
            r"transport must be one of \('openai', 'litellm'\)$",
        ),
        (
            lambda p: p["model_list"][0]["model_info"].update(stream_usage="sometimes"),
            "stream_usage must be true, false or chunks",
        ),
        (
            lambda p: (
                p["model_list"][0]["model_info"].update(transport="openai"),
                p["model_list"][0]["litellm_params"].update(model="anthropic/claude"),
            ),
            "transport 'openai' needs a hosted_vllm/ or openai/ model",
        ),
    ],
)
def test_invalid_routing_is_a_one_line_config_error(
    tmp_path: Path, mutate: object, message: str
) -> None:
    doc = yaml.safe_load(default_routing_file().read_text())
    mutate(doc["profiles"]["vllm"])  # type: ignore[operator]
    path = tmp_path / "bad.yaml"
    path.write_text(yaml.safe_dump(doc))

    with pytest.raises(ConfigError, match=message) as caught:
        load_routing("vllm", path)
    assert "\n" not in str(caught.value)


def test_unknown_profile_and_missing_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"no profile 'tpu'.*embedded, gpu, vllm"):
        load_routing("tpu")
    with pytest.raises(ConfigError, match="routing file not found"):
        load_routing("embedded", tmp_path / "absent.yaml")


def test_a_group_must_agree_on_vision(tmp_path: Path) -> None:
    doc = yaml.safe_load(default_routing_file().read_text())
    vllm = doc["profiles"]["vllm"]
    twin = {**vllm["model_list"][0], "model_name": "vision"}
    twin["model_info"] = {**twin["model_info"], "id": "twin"}
    vllm["model_list"].append(twin)
    path = tmp_path / "mixed.yaml"
    path.write_text(yaml.safe_dump(doc))

    with pytest.raises(ConfigError, match="group 'vision' mixes"):
        load_routing("vllm", path)


def test_build_router_keeps_every_deployment_and_fallback() -> None:
    routing = load_routing("vllm")
    router = build_router(routing)

    assert sorted(router.get_model_names()) == sorted(routing.groups)
    ids = {d["model_info"]["id"] for d in router.get_model_list()}
    assert ids == {d.id for d in routing.all_deployments}
    assert routing.model_list[0]["litellm_params"]["api_key"] == "os.environ/STUDIO_VLLM_API_KEY"


def test_transport_defaults_to_the_wire_for_openai_compatible_servers(tmp_path: Path) -> None:
    doc = yaml.safe_load(default_routing_file().read_text())
    vllm = doc["profiles"]["vllm"]
    vllm["model_list"][0]["litellm_params"]["model"] = "anthropic/claude-sonnet"
    vllm["model_list"][1]["model_info"]["transport"] = "litellm"
    path = tmp_path / "mixed.yaml"
    path.write_text(yaml.safe_dump(doc))

    routing = load_routing("vllm", path)

    transports = {d.id: d.transport for d in routing.all_deployments}
    assert transports == {
        "vllm-deepseek-v3": "litellm",  # a provider that needs litellm's translation
        "vllm-qwen2.5-vl-72b": "litellm",  # asked for in the file
        "vllm-qwen2.5-coder-32b": "openai",
        "cpu-qwen2.5-coder-1.5b-q4km": "openai",
    }
    coder = routing.deployments("coder")[0]
    assert coder.wire_model == "Qwen/Qwen2.5-Coder-32B-Instruct"
    assert (coder.max_parallel, coder.api_key) == (16, "os.environ/STUDIO_VLLM_API_KEY")
    assert routing.deployments("reasoning")[0].wire_model == "anthropic/claude-sonnet"
    assert routing.setting("num_retries") == 2
    assert routing.setting("retry_after") == 0  # not in the file: the default


def test_how_each_shipped_server_streams_with_exact_counts() -> None:
    # vLLM sends usage with a stream; llama-cpp-python (the CPU tier) one token a chunk.
    cpu_url = load_routing("embedded").deployments("reasoning")[0].api_base
    for profile in ("embedded", "gpu", "vllm"):
        for d in load_routing(profile).all_deployments:
            if d.api_base == cpu_url:
                assert d.stream_usage == "chunks", (profile, d.id)
            elif d.serve:
                assert d.stream_usage is True, (profile, d.id)


def test_importing_routing_does_not_import_litellm() -> None:
    # Every process that reads the routing file pays for its imports; litellm is only needed
    # once a Router is built (build_router), so it must stay out of ``import inference.routing``.
    probe = "import sys, inference.routing; print('litellm' in sys.modules)"
    done = subprocess.run(
        [sys.executable, "-c", probe],
        cwd=Path(__file__).resolve().parents[2],
        capture_output=True,
        text=True,
        check=True,
    )
    assert done.stdout.strip() == "False", done.stdout
