"""``studio gateway`` (the OpenAI-compatible gateway) and ``studio vllm`` (launch scripts)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal

import typer

from core.exceptions import ConfigError
from studio.cli._output import print_json

_RoutingFile = Annotated[Path | None, typer.Option(help="Routing YAML (default: the bundled one).")]
_Out = Annotated[
    Path | None,
    typer.Option("--output", "-o", help="Script directory (default: <routing dir>/vllm)."),
]
_OldOut = Annotated[Path | None, typer.Option("--out", hidden=True)]  # the old name of --output

vllm_app = typer.Typer(
    name="vllm",
    help="vLLM launch scripts generated from the routing file's model_info.serve blocks.",
    no_args_is_help=True,
)


def _vllm_inputs(
    profile: str, routing_file: Path | None, out: Path | None
) -> tuple[list[dict[str, object]], Path]:
    from core.settings import get_settings
    from inference.routing import default_routing_file, load_routing

    settings = get_settings()
    source = routing_file or settings.routing_file or default_routing_file()
    routing = load_routing(profile, source, settings=settings)
    return routing.model_list, out or source.parent / "vllm"


@vllm_app.command("render")
def vllm_render(
    profile: str = typer.Option("vllm", help="Routing profile whose vLLM deployments to render."),
    routing_file: _RoutingFile = None,
    output: _Out = None,
    out: _OldOut = None,
    as_json: bool = typer.Option(False, "--json", help="Print the written files as JSON."),
) -> None:
    """Write one launch script per vLLM deployment of the routing file.

    Examples: studio vllm render | studio vllm render --profile vllm -o deploy/vllm --json
    """
    from inference.vllm import render_scripts

    model_list, out_dir = _vllm_inputs(profile, routing_file, output or out)
    written = [str(path) for path in render_scripts(model_list, out_dir)]
    if as_json:
        print_json({"written": written})
        return
    for path in written:
        typer.echo(f"wrote {path}")


@vllm_app.command("check")
def vllm_check(
    profile: str = typer.Option("vllm", help="Routing profile whose vLLM deployments to check."),
    routing_file: _RoutingFile = None,
    output: _Out = None,
    as_json: bool = typer.Option(False, "--json", help="Print the services (or drifts) as JSON."),
    out: _OldOut = None,
) -> None:
    """Fail if a launch script drifted from the routing file, or a sizing cannot fit.

    Examples: studio vllm check | studio vllm check --json
    """
    from inference.vllm import check_scripts, services

    model_list, out_dir = _vllm_inputs(profile, routing_file, output or out)
    drifts = check_scripts(model_list, out_dir)
    if as_json:
        print_json(
            {
                "ok": not drifts,
                "drifts": [{"path": str(d.path), "reason": d.reason} for d in drifts],
                "services": [] if drifts else [_service_dict(s) for s in services(model_list)],
            }
        )
    if drifts:
        listing = "; ".join(f"{d.path.name}: {d.reason}" for d in drifts)
        raise ConfigError(f"vLLM launch scripts out of date ({listing}); run `studio vllm render`")
    for service in [] if as_json else services(model_list):
        spec = service.spec
        typer.echo(
            f"ok  {service.deployment_id:<24} {service.role:<10} port {service.port:<5} "
            f"{spec.gpus}x {spec.gpu} (TP={spec.tensor_parallel_size} "
            f"PP={spec.pipeline_parallel_size}) ~{spec.weights_gb / spec.gpus:.0f} GB weights/GPU"
        )


def _service_dict(service: Any) -> dict[str, Any]:
    spec = service.spec
    return {
        "deployment": service.deployment_id,
        "role": service.role,
        "port": service.port,
        "gpus": spec.gpus,
        "gpu": spec.gpu,
        "tensor_parallel_size": spec.tensor_parallel_size,
        "pipeline_parallel_size": spec.pipeline_parallel_size,
        "weights_gb_per_gpu": round(spec.weights_gb / spec.gpus, 1),
    }


def _start_cpu_tier_if_alone(settings: Any) -> None:
    """Start the CPU tier when every deployment of the profile is the CPU tier.

    With GPU deployments configured the CPU tier is only a fallback, so it is left alone.
    """
    from inference.cpu_tier import CpuTier
    from inference.routing import load_routing

    tier = CpuTier(settings)
    routing = load_routing(settings=settings)
    bases = {d.api_base for d in routing.all_deployments}
    if bases != {tier.url} or tier.answering()[0]:
        return
    typer.echo(f"starting the CPU tier on {tier.url} (no other tier is configured)...", err=True)
    tier.up()


def register(app: typer.Typer) -> None:
    """Add ``gateway`` and ``vllm`` to the root app."""

    @app.command("gateway")
    def gateway(
        host: str | None = typer.Option(None, help="Bind address (default: STUDIO_GATEWAY_HOST)."),
        port: int | None = typer.Option(
            None, min=1, max=65535, help="Port (default: STUDIO_GATEWAY_PORT)."
        ),
        log_level: Literal["critical", "error", "warning", "info", "debug"] = typer.Option(
            "info", help="uvicorn log level."
        ),
    ) -> None:
        """Serve the OpenAI-compatible gateway over the routing file (keys required).

        Examples: STUDIO_GATEWAY_KEYS=sk-local studio gateway |
        studio gateway --port 8000 --log-level warning
        """
        import logging

        import uvicorn

        from core.settings import get_settings
        from inference.gateway import KEEP_ALIVE_S, GatewayConfig, create_app

        logging.basicConfig(
            level=log_level.upper(), format="%(asctime)s %(levelname)s %(name)s: %(message)s"
        )
        settings = get_settings()
        config = GatewayConfig.from_settings(settings)  # no keys: fail before starting anything
        _start_cpu_tier_if_alone(settings)
        app_ = create_app(settings, config=config)
        bind_host = host or settings.gateway_host
        bind_port = port or settings.gateway_port
        shared = "shared across keys" if config.cache_scope == "shared" else "per key"
        typer.echo(
            f"gateway on http://{bind_host}:{bind_port}/v1 (profile {settings.profile!r}, "
            f"{len(config.keys)} key(s), response cache {shared})",
            err=True,
        )
        uvicorn.run(
            app_,
            host=bind_host,
            port=bind_port,
            log_level=log_level,
            timeout_keep_alive=KEEP_ALIVE_S,
        )

    app.add_typer(vllm_app)
