"""The one ``litellm.Router`` of a routing profile; litellm is imported when one is built."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from inference.routing.profile import ROUTER_DEFAULTS, Routing

if TYPE_CHECKING:
    from litellm.router import Router

__all__ = ["build_router"]


def _retry_policy() -> Any:
    from litellm import RetryPolicy

    # Only transient failures are worth another attempt; a 400/401 will fail the same way.
    # A timeout is not retried on the same group either: the server is overloaded (a CPU
    # tier keeps generating the abandoned answer), so the client moves to the next group.
    return RetryPolicy(
        BadRequestErrorRetries=0,
        AuthenticationErrorRetries=0,
        ContentPolicyViolationErrorRetries=0,
        NotFoundErrorRetries=0,
        TimeoutErrorRetries=0,
        RateLimitErrorRetries=None,
        InternalServerErrorRetries=None,
    )


def build_router(routing: Routing, **overrides: Any) -> Router:
    """Build the one ``litellm.Router`` for a routing profile.

    Args:
        routing: The loaded profile.
        **overrides: Router keyword arguments that win over the file's ``router_settings``.

    Returns:
        A router with the profile's deployments, fallbacks, cooldowns and a retry policy
        that retries only transient errors.
    """
    from inference._litellm import offline

    offline()
    import litellm
    from litellm.router import Router

    litellm.suppress_debug_info = True
    kwargs: dict[str, Any] = {**ROUTER_DEFAULTS, **routing.router_settings, **overrides}
    router: Router = Router(
        model_list=copy.deepcopy(routing.model_list),
        fallbacks=copy.deepcopy(routing.fallbacks),
        retry_policy=_retry_policy(),
        **kwargs,
    )
    return router
