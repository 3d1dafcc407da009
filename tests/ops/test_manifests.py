"""Production files validated as far as this machine allows.

Run here: `docker-compose config` (the Compose v1.29 client, Debian's `docker-compose`;
the Docker CLI here has no `compose` plugin and there is no Docker engine), the Compose
spec JSON schema, `kubectl kustomize` (client only, no cluster) and structural checks.
Not run here: starting any container, any cluster apply, anything on a GPU.
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

REPO = Path(__file__).resolve().parents[2]
COMPOSE = REPO / "deployments" / "compose"
K8S = REPO / "deployments" / "k8s"
VLLM_SCRIPTS = REPO / "deployments" / "vllm"
DASHBOARD = COMPOSE / "grafana" / "dashboards" / "studio.json"
COMPOSE_ENV = {"STUDIO_VLLM_API_KEY": "k", "POSTGRES_PASSWORD": "p", "GRAFANA_ADMIN_PASSWORD": "g"}

# vLLM's Prometheus series (docs/design/metrics.md and docs/usage/metrics.md of vLLM, V1
# engine); gpu_cache_usage_perc is the pre-0.10 name kept as an `or` fallback.
VLLM_METRICS = {
    "vllm:num_requests_running",
    "vllm:num_requests_waiting",
    "vllm:kv_cache_usage_perc",
    "vllm:gpu_cache_usage_perc",
    "vllm:prefix_cache_queries_total",
    "vllm:prefix_cache_hits_total",
    "vllm:prompt_tokens_total",
    "vllm:generation_tokens_total",
    "vllm:request_success_total",
    "vllm:time_to_first_token_seconds_bucket",
    "vllm:e2e_request_latency_seconds_bucket",
    "vllm:inter_token_latency_seconds_bucket",
    "http_requests_total",
}


def _compose_v1() -> str:
    exe = shutil.which("docker-compose")
    if exe is None:
        pytest.skip("docker-compose client not installed (apt-get install docker-compose)")
    return exe


def _compose_config(
    *extra: str, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [_compose_v1(), "-f", str(COMPOSE / "docker-compose.yml"), *extra, "config"],
        cwd=COMPOSE,
        env={"PATH": "/usr/bin:/bin", **(env if env is not None else COMPOSE_ENV)},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_compose_file_validates_with_the_compose_client() -> None:
    proc = _compose_config("--profile", "reasoning")
    assert proc.returncode == 0, proc.stderr
    config = yaml.safe_load(proc.stdout)
    services = config["services"]
    assert {
        "redis",
        "postgres",
        "prefect-server",
        "deploy",
        "worker",
        "gateway",
        "vllm-vision",
        "vllm-coder",
        "vllm-reasoning",
        "prometheus",
        "grafana",
    } <= set(services)
    # Prefect server on Postgres.
    db_url = services["prefect-server"]["environment"]["PREFECT_API_DATABASE_CONNECTION_URL"]
    assert db_url.startswith("postgresql+asyncpg://prefect:p@postgres:5432/")
    assert services["worker"]["command"][:2] == ["studio", "worker"]
    assert services["worker"]["environment"]["STUDIO_METRICS_PORT"] == "9464"
    assert services["gateway"]["command"][:2] == ["studio", "gateway"]
    # GPU reservations never overlap between services.
    used: dict[str, str] = {}
    for name in ("vllm-vision", "vllm-coder", "vllm-reasoning"):
        devices = services[name]["deploy"]["resources"]["reservations"]["devices"]
        assert devices[0]["driver"] == "nvidia" and "gpu" in devices[0]["capabilities"]
        for gpu in devices[0]["device_ids"]:
            assert gpu not in used, f"GPU {gpu} given to {used.get(gpu)} and {name}"
            used[gpu] = name


def test_compose_refuses_to_start_without_secrets() -> None:
    proc = _compose_config(env={})
    assert proc.returncode != 0
    assert "set " in proc.stderr and ".env" in proc.stderr


def test_compose_matches_the_compose_spec_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema_path = Path("/usr/lib/python3/dist-packages/compose/config/compose_spec.json")
    if not schema_path.exists():
        pytest.skip("compose spec schema ships with Debian's docker-compose package")
    schema = json.loads(schema_path.read_text())
    doc = yaml.safe_load((COMPOSE / "docker-compose.yml").read_text())
    jsonschema.validate(doc, schema)


def _vllm_script_args(script: Path) -> list[str]:
    text = script.read_text()
    argv = shlex.split(text[text.index("exec vllm serve") :].replace("\\\n", " "))[3:]
    args, i = [], 0
    while i < len(argv):
        if argv[i].startswith("--") and i + 1 < len(argv) and not argv[i + 1].startswith("--"):
            value = argv[i + 1].replace("${STUDIO_VLLM_API_KEY}", "$(STUDIO_VLLM_API_KEY)")
            args.append(f"{argv[i]}={value}")
            i += 2
        else:
            args.append(argv[i])
            i += 1
    return args


def _kustomize(path: Path) -> list[dict[str, Any]]:
    kubectl = shutil.which("kubectl") or shutil.which("kustomize")
    if kubectl is None:
        pytest.skip("kubectl (kustomize) not installed")
    argv = (
        [kubectl, "kustomize", str(path)]
        if kubectl.endswith("kubectl")
        else [kubectl, "build", str(path)]
    )
    proc = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stderr
    return [doc for doc in yaml.safe_load_all(proc.stdout) if doc]


@pytest.mark.parametrize("target", ["base", "overlays/dev", "overlays/production"])
def test_kustomize_builds_complete_manifests(target: str) -> None:
    docs = _kustomize(K8S / target)
    kinds: dict[str, dict[str, Any]] = {}
    for doc in docs:
        assert doc.get("apiVersion") and doc.get("kind"), doc
        assert doc["metadata"].get("name"), doc
        kinds[f"{doc['kind']}/{doc['metadata']['name']}"] = doc
        if doc["kind"] in ("Deployment", "StatefulSet", "Job"):
            template = doc["spec"]["template"]
            if doc["kind"] != "Job":
                selector = doc["spec"]["selector"]["matchLabels"]
                labels = template["metadata"]["labels"]
                assert selector.items() <= labels.items(), doc["metadata"]["name"]
            for container in template["spec"]["containers"]:
                assert container.get("image") and ":" in container["image"], container
                assert container["image"] != "studio", "image placeholder not replaced"
                assert "resources" in container or doc["kind"] == "Job", container["name"]
    for needed in (
        "Deployment/prefect-server",
        "Deployment/prefect-worker",
        "Role/prefect-worker",
        "RoleBinding/prefect-worker",
        "Job/studio-deploy",
        "Deployment/gateway",
        "Deployment/vllm-vision",
        "Deployment/vllm-coder",
        "Deployment/vllm-reasoning",
        "StatefulSet/postgres",
        "Deployment/redis",
        "Deployment/prometheus",
        "Deployment/grafana",
    ):
        assert needed in kinds, f"{target}: {needed} missing"
    namespaces = {d["metadata"].get("namespace") for d in docs if d["kind"] != "Namespace"}
    assert len(namespaces) == 1
    worker = kinds["Deployment/prefect-worker"]["spec"]["template"]["spec"]["containers"][0]
    assert worker["command"][-4:] == ["--pool", "studio-kubernetes", "--type", "kubernetes"]
    # Secrets are referenced, never generated from files in the repo.
    assert not [d for d in docs if d["kind"] == "Secret"]


def test_k8s_vllm_services_match_the_generated_launch_scripts() -> None:
    docs = _kustomize(K8S / "base")
    by_port = {}
    for doc in docs:
        if doc["kind"] == "Deployment" and doc["metadata"]["name"].startswith("vllm-"):
            container = doc["spec"]["template"]["spec"]["containers"][0]
            port = next(a for a in container["args"] if a.startswith("--port="))
            by_port[port] = container
    scripts = sorted(VLLM_SCRIPTS.glob("*.sh"))
    assert len(scripts) == 3
    for script in scripts:
        args = _vllm_script_args(script)
        port = next(a for a in args if a.startswith("--port="))
        container = by_port[port]
        assert container["command"] == ["vllm", "serve"]
        assert container["args"] == args, script.name
        tp = int(next(a for a in args if a.startswith("--tensor-parallel-size=")).split("=")[1])
        assert container["resources"]["limits"]["nvidia.com/gpu"] == tp


def _metric_names(expr: str) -> set[str]:
    # Identifiers followed by `{` or `[` are series selectors (functions are followed by `(`).
    return set(re.findall(r"([a-zA-Z_:][a-zA-Z0-9_:]*)\s*[{\[]", expr)) - {"by", "without"}


def test_dashboard_queries_use_real_metric_names() -> None:
    from core import metrics
    from inference.gateway import GatewayMetrics

    dashboard = json.loads(DASHBOARD.read_text())
    assert json.loads((K8S / "base" / "monitoring" / "studio.json").read_text()) == dashboard
    # Series the studio itself exports, as rendered by the real registries.
    metrics.count_job("probe-flow", "Completed")
    with metrics.step_timer("probe-step"):
        pass
    metrics.count_cache_hits("probe-step")
    metrics.count_failure("probe-step", ValueError("x"))
    from inference.messages import CallRecord

    metrics.observe_calls([CallRecord(role="vision", deployment="d", model="m", tokens_in=3)])
    gateway = GatewayMetrics()
    gateway.requests.labels("chat", "m", "200").inc()
    gateway.latency.labels("chat", "m").observe(0.1)
    gateway.tokens.labels("m", "prompt").inc()
    gateway.cache.labels("chat", "hit").inc()
    gateway.errors.labels("rate_limited").inc()
    exposed = metrics.exposition() + gateway.render().decode()
    studio_series = set(re.findall(r"^([a-zA-Z_:][a-zA-Z0-9_:]*)[{ ]", exposed, re.M))

    titles = set()
    for panel in dashboard["panels"]:
        if panel["type"] == "row":
            continue
        titles.add(panel["title"])
        assert panel["datasource"]["uid"] == "prometheus"
        for target in panel["targets"]:
            for name in _metric_names(target["expr"]):
                if name.startswith("vllm:") or name == "http_requests_total":
                    assert name in VLLM_METRICS, name
                else:
                    assert name in studio_series, f"{panel['title']}: {name} is not exported"
    for wanted in (
        "Request rate",
        "Time to first token",
        "Tokens",
        "Cache hit rate",
        "Errors",
        "GPU KV-cache",
    ):
        assert any(wanted.lower() in t.lower() for t in titles), wanted
    assert any("P50 / P95 / P99" in t for t in titles)
    provisioning = yaml.safe_load(
        (COMPOSE / "grafana" / "provisioning" / "dashboards" / "dashboards.yml").read_text()
    )
    assert provisioning["providers"][0]["options"]["path"] == "/var/lib/grafana/dashboards"


def test_prometheus_scrapes_every_metrics_source() -> None:
    config = yaml.safe_load((COMPOSE / "prometheus" / "prometheus.yml").read_text())
    targets = {
        target
        for job in config["scrape_configs"]
        for static in job["static_configs"]
        for target in static["targets"]
    }
    compose = yaml.safe_load((COMPOSE / "docker-compose.yml").read_text())["services"]
    for target in targets:
        host, _port = target.split(":")
        assert host in compose, target
    assert {
        "vllm-vision:8002",
        "vllm-coder:8003",
        "vllm-reasoning:8001",
        "gateway:4000",
        "worker:9464",
    } == targets
