"""The local stack behind ``studio up|down|status``: Prefect server, work pool, worker, tier.

Every process this package starts gets a pid file under ``<home>/run`` and a log under
``<home>/logs``, runs in its own session (so ``down`` can stop its whole process group)
and is recognised on later calls by pid *and* command line, so a recycled pid is never
taken for ours. ``up`` is idempotent: it starts only what is not running, creates the work
pool only when missing and re-deploys from ``prefect.yaml`` (an update, never a duplicate).
The server's database is PostgreSQL where one is reachable, else SQLite (``studio.database``);
``down`` keeps it, ``reset`` drops it.
"""

from studio.stack._components import (
    deploy,
    ensure_work_pool,
    server_healthy,
    start_server,
    start_worker,
)
from studio.stack._env import REPO_DIR, StackPaths, api_url, prefect_env, prefect_settings
from studio.stack._lifecycle import ComponentStatus, down, reset, status, up

__all__ = [
    "REPO_DIR",
    "ComponentStatus",
    "StackPaths",
    "api_url",
    "deploy",
    "down",
    "ensure_work_pool",
    "prefect_env",
    "prefect_settings",
    "reset",
    "server_healthy",
    "start_server",
    "start_worker",
    "status",
    "up",
]
