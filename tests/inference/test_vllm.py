"""vLLM launch scripts: generated from the routing file, checked against it, runnable."""

from __future__ import annotations

import copy
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from core.exceptions import ConfigError
from inference.routing import default_routing_file, load_routing
from inference.vllm import (
    ServeSpec,
    VllmService,
    check_fit,
    check_scripts,
    render_script,
    render_scripts,
    services,
)

SCRIPTS = default_routing_file().parent / "vllm"


def _vllm_model_list() -> list[dict[str, Any]]:
    return load_routing("vllm").model_list


def _argv(script: str) -> list[str]:
    """The argv of the script's `exec vllm serve ...` line (continuations joined)."""
    command = script[script.index("exec vllm serve") :].replace("\\\n", " ")
    return shlex.split(command, posix=True)[2:]


def _flags(argv: list[str]) -> dict[str, str | None]:
    out: dict[str, str | None] = {}
    i = 2  # skip "serve MODEL"
    while i < len(argv):
        flag = argv[i]
        if i + 1 < len(argv) and not argv[i + 1].startswith("--"):
            out[flag] = argv[i + 1]
            i += 2
        else:
            out[flag] = None
            i += 1
    return out


def test_committed_scripts_match_the_routing_file() -> None:
    assert check_scripts(_vllm_model_list(), SCRIPTS) == []
    assert sorted(p.name for p in SCRIPTS.glob("*.sh")) == [
        "vllm-deepseek-v3.sh",
        "vllm-qwen2.5-coder-32b.sh",
        "vllm-qwen2.5-vl-72b.sh",
    ]


def test_scripts_carry_the_routing_files_model_port_key_and_sizing() -> None:
    resolved = {s.role: s for s in services(_vllm_model_list())}
    assert set(resolved) == {"reasoning", "vision", "coder"}
    for role, service in resolved.items():
        text = (SCRIPTS / service.script_name).read_text(encoding="utf-8")
        argv = _argv(text)
        assert argv[:2] == ["serve", service.served_model], role
        flags = _flags(argv)
        assert flags["--served-model-name"] == service.served_model
        assert flags["--port"] == str(service.port)
        assert flags["--api-key"] == "${STUDIO_VLLM_API_KEY}"
        assert "--enable-prefix-caching" in flags
        assert flags["--tensor-parallel-size"] == str(service.spec.tensor_parallel_size)
        assert flags["--max-model-len"] == str(service.spec.max_model_len)
        assert "--gpu-memory-utilization" in flags
    vision = _flags(_argv((SCRIPTS / resolved["vision"].script_name).read_text()))
    assert json.loads(vision["--limit-mm-per-prompt"] or "") == {"image": 8, "video": 0}
    assert json.loads(vision["--mm-processor-kwargs"] or "") == {"max_pixels": 448 * 448}
    reasoning = _flags(_argv((SCRIPTS / resolved["reasoning"].script_name).read_text()))
    assert reasoning["--tensor-parallel-size"] == "8" and "--enable-expert-parallel" in reasoning
    assert "--quantization" not in reasoning  # DeepSeek-V3 ships FP8: no quantization flag
    # Ports follow the routing file's api_base defaults.
    assert {r: s.port for r, s in resolved.items()} == {
        "reasoning": 8001,
        "vision": 8002,
        "coder": 8003,
    }


def test_scripts_run_vllm_with_exactly_the_rendered_argv(tmp_path: Path) -> None:
    """Run each script with a stand-in ``vllm`` on PATH that records its argv."""
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    record = tmp_path / "argv.json"
    (fake_bin / "vllm").write_text(
        f"#!{sys.executable}\nimport json, sys\n"
        f"open({str(record)!r}, 'w').write(json.dumps(sys.argv[1:]))\n",
        encoding="utf-8",
    )
    (fake_bin / "vllm").chmod(0o755)
    env = {"PATH": f"{fake_bin}:/usr/bin:/bin", "STUDIO_VLLM_API_KEY": "sk-launch-test"}
    for service in services(_vllm_model_list()):
        script = SCRIPTS / service.script_name
        subprocess.run(["bash", str(script)], env=env, check=True, timeout=30)
        argv = json.loads(record.read_text())
        expected = [
            a.replace("${STUDIO_VLLM_API_KEY}", "sk-launch-test") for a in _argv(script.read_text())
        ]
        assert argv == expected
        assert argv[argv.index("--api-key") + 1] == "sk-launch-test"
        missing = subprocess.run(
            ["bash", str(script)],
            env={"PATH": env["PATH"]},
            capture_output=True,
            text=True,
            timeout=30,
        )
        assert missing.returncode != 0
        assert "set STUDIO_VLLM_API_KEY" in missing.stderr


def _service(**serve: Any) -> VllmService:
    base = {
        "gpu": "H200 141GB",
        "gpu_memory_gb": 141,
        "params_b": 671,
        "weight_dtype": "fp8",
        "tensor_parallel_size": 8,
        "max_model_len": 32768,
        "gpu_memory_utilization": 0.9,
    }
    spec = ServeSpec.model_validate({**base, **serve})
    return VllmService("dsv3", "reasoning", "deepseek-ai/DeepSeek-V3", 8001, "KEY", spec)


def test_fit_check_refuses_sizings_that_cannot_hold_the_weights() -> None:
    check_fit(_service())  # 8x H200: ~84 GB per GPU
    # The seed's claim: DeepSeek-V3 671B FP8 on one A100 80GB.
    with pytest.raises(ConfigError, match=r"671 GB of weights"):
        check_fit(_service(gpu="A100 80GB", gpu_memory_gb=80, tensor_parallel_size=1))
    with pytest.raises(ConfigError, match="over the"):
        check_fit(_service(gpu="H100 80GB", gpu_memory_gb=80))  # 8x H100 is not enough either
    # Two 8x H100 nodes with pipeline parallelism do fit.
    check_fit(_service(gpu="H100 80GB", gpu_memory_gb=80, nodes=2, pipeline_parallel_size=2))
    with pytest.raises(ConfigError, match="pipeline_parallel_size"):
        check_fit(_service(gpu="H100 80GB", gpu_memory_gb=80, nodes=2))
    # Coder-32B in BF16 on one 80 GB GPU leaves almost nothing for the KV cache.
    coder = {"gpu": "A100 80GB", "gpu_memory_gb": 80, "params_b": 32.8, "weight_dtype": "bf16"}
    with pytest.raises(ConfigError):
        check_fit(_service(**coder, tensor_parallel_size=1))
    check_fit(_service(**coder, tensor_parallel_size=2))
    check_fit(
        _service(**{**coder, "weight_dtype": "int4"}, tensor_parallel_size=1, quantization="awq")
    )


def _routing_copy(tmp_path: Path, edit: Any) -> Path:
    doc = yaml.safe_load(default_routing_file().read_text(encoding="utf-8"))
    doc = copy.deepcopy(doc)
    edit(doc["profiles"]["vllm"]["model_list"])
    path = tmp_path / "inference.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False), encoding="utf-8")
    return path


def test_drift_missing_and_orphaned_scripts_are_reported(tmp_path: Path) -> None:
    out = tmp_path / "vllm"
    render_scripts(_vllm_model_list(), out)
    assert check_scripts(_vllm_model_list(), out) == []

    def longer_context(model_list: list[dict[str, Any]]) -> None:
        model_list[2]["model_info"]["serve"]["max_model_len"] = 16384

    changed = load_routing("vllm", _routing_copy(tmp_path, longer_context)).model_list
    drifts = check_scripts(changed, out)
    assert [(d.path.name, d.reason) for d in drifts] == [
        ("vllm-qwen2.5-coder-32b.sh", "differs from the routing file")
    ]
    (out / "vllm-qwen2.5-vl-72b.sh").unlink()
    (out / "old-service.sh").write_text("#!/bin/sh\n")
    reasons = {d.path.name: d.reason for d in check_scripts(_vllm_model_list(), out)}
    assert reasons == {
        "vllm-qwen2.5-vl-72b.sh": "missing",
        "old-service.sh": "no deployment in the routing file renders it",
    }


def test_bad_serve_blocks_are_config_errors(tmp_path: Path) -> None:
    def literal_key(model_list: list[dict[str, Any]]) -> None:
        model_list[0]["litellm_params"]["api_key"] = "sk-literal"

    def typo(model_list: list[dict[str, Any]]) -> None:
        model_list[0]["model_info"]["serve"]["tensor_paralel_size"] = 8

    def too_small(model_list: list[dict[str, Any]]) -> None:
        model_list[0]["model_info"]["serve"].update(
            gpu="A100 80GB", gpu_memory_gb=80, tensor_parallel_size=1, enable_expert_parallel=False
        )

    with pytest.raises(ConfigError, match=r"os\.environ"):
        services(load_routing("vllm", _routing_copy(tmp_path, literal_key)).model_list)
    with pytest.raises(ConfigError, match="tensor_paralel_size"):
        services(load_routing("vllm", _routing_copy(tmp_path, typo)).model_list)
    with pytest.raises(ConfigError, match="A100"):
        render_scripts(
            load_routing("vllm", _routing_copy(tmp_path, too_small)).model_list, tmp_path / "o"
        )
    assert not (tmp_path / "o").exists()  # nothing written when a sizing is refused


def test_render_is_deterministic() -> None:
    for service in services(_vllm_model_list()):
        assert render_script(service) == render_script(service)


def _studio(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("STUDIO_VLLM")}
    return subprocess.run(
        [sys.executable, "-c", "from studio.cli import main; main()", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
        cwd=cwd,
    )


def test_cli_check_passes_on_the_repo_and_fails_on_drift(tmp_path: Path) -> None:
    ok = _studio("vllm", "check")
    assert ok.returncode == 0, ok.stderr
    assert "vllm-deepseek-v3" in ok.stdout and "8x H200" in ok.stdout

    def faster(model_list: list[dict[str, Any]]) -> None:
        model_list[1]["model_info"]["serve"]["gpu_memory_utilization"] = 0.95

    routing = _routing_copy(tmp_path, faster)
    rendered = _studio("vllm", "render", "--routing-file", str(routing), cwd=tmp_path)
    assert rendered.returncode == 0, rendered.stderr
    assert (
        "--gpu-memory-utilization 0.95"
        in (tmp_path / "vllm" / "vllm-qwen2.5-vl-72b.sh").read_text()
    )
    drift = _studio("vllm", "check", "--routing-file", str(routing), "--out", str(SCRIPTS))
    assert drift.returncode == 1
    assert drift.stderr.startswith("error: vLLM launch scripts out of date")
    assert "(vllm-qwen2.5-vl-72b.sh: differs from the routing file)" in drift.stderr
    assert "Traceback" not in drift.stderr


def test_gpu_smoke_profile_renders_its_launch_flags() -> None:
    # deployments/vllm/gpu-smoke/run_smoke.sh launches vLLM from exactly this rendering.
    from inference.routing import load_routing
    from inference.vllm import check_fit, render_script, services

    (service,) = services(load_routing("gpu").model_list)
    check_fit(service)
    script = render_script(service)
    assert "exec vllm serve /tmp/smollm2-135m-instruct" in script
    for flag in ("--port 8010", "--dtype float16", "--max-model-len 4096",
                 "--gpu-memory-utilization 0.2", "--host 127.0.0.1"):  # fmt: skip
        assert flag in script
