"""What comes back over the wire: a chat completion read into a reply, or an error.

:class:`inference.wire.ChatWire` decides where a request goes and how (one POST, or streamed
while someone listens for tokens); this module reads what the server sent back: the one rule
for which HTTP statuses are worth another attempt, the server's error message in one line, an
unstreamed body parsed into a :class:`WireReply`, and a server-sent-event stream read to its
end with each piece of text told to the token listeners. Anything unusable is a
:class:`WireError` whose ``transient`` says whether another attempt may succeed. The public
names are re-exported by :mod:`inference.wire`, where callers import them.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass

import httpx

from inference._usage import StreamTally, tell

__all__ = [
    "WireError",
    "WireReply",
    "check_status",
    "parse_reply",
    "read_events",
    "timeout_error",
    "transient_status",
]

# Statuses worth another attempt elsewhere: overload, throttling and server faults.
_TRANSIENT_STATUSES = frozenset({408, 409, 425, 429})


def transient_status(status: int) -> bool:
    """Whether an HTTP error status is worth another attempt (the one rule, for every path)."""
    return status >= 500 or status in _TRANSIENT_STATUSES


class WireError(Exception):
    """A request that got no usable answer.

    Attributes:
        kind: Short name of what happened (``HTTP 503``, ``Timeout``, ``ConnectError``,
            ``MalformedResponse``).
        status: The HTTP status, when there was one.
        transient: Whether another attempt (here or on another deployment) may succeed.
    """

    def __init__(self, kind: str, detail: str, *, status: int | None, transient: bool) -> None:
        super().__init__(f"{kind}: {detail}" if detail else kind)
        self.kind = kind
        self.status = status
        self.transient = transient


@dataclass(frozen=True)
class WireReply:
    """The parts of a chat completion the tier uses.

    Attributes:
        text: ``choices[0].message.content`` (empty when the server sent none).
        prompt_tokens: ``usage.prompt_tokens`` (0 when absent).
        completion_tokens: ``usage.completion_tokens`` (0 when absent).
        finish_reason: ``choices[0].finish_reason`` (``stop``, ``length``...).
        tokens_estimated: ``completion_tokens`` was counted from a stream and may be low
            (:mod:`inference._usage`).
    """

    text: str
    prompt_tokens: int
    completion_tokens: int
    finish_reason: str
    tokens_estimated: bool = False


def _detail(response: httpx.Response) -> str:
    """The server's error message in one short line (OpenAI error shape, else the body)."""
    try:
        body = response.json()
    except ValueError:
        text = response.text
    else:
        error = body.get("error") if isinstance(body, dict) else None
        text = error.get("message", "") if isinstance(error, dict) else json.dumps(body)
    return " ".join(str(text).split())[:300]


def check_status(response: httpx.Response) -> None:
    """Raise the :class:`WireError` of an HTTP error status (the body must have been read)."""
    status = response.status_code
    if status >= 400:
        raise WireError(
            f"HTTP {status}",
            _detail(response),
            status=status,
            transient=transient_status(status),
        )


def parse_reply(response: httpx.Response) -> WireReply:
    """The :class:`WireReply` of an unstreamed answer (its status already checked)."""
    try:
        body = response.json()
        choice = body["choices"][0]
        usage = body.get("usage") or {}
        return WireReply(
            text=str(choice["message"].get("content") or ""),
            prompt_tokens=int(usage.get("prompt_tokens") or 0),
            completion_tokens=int(usage.get("completion_tokens") or 0),
            finish_reason=str(choice.get("finish_reason") or ""),
        )
    except (ValueError, KeyError, IndexError, TypeError, AttributeError) as exc:
        # A 200 that is not a chat completion: the server is broken (or was cut off
        # mid-answer); another deployment may well answer.
        raise WireError(
            "MalformedResponse", type(exc).__name__, status=response.status_code, transient=True
        ) from None


def timeout_error(timeout: float) -> WireError:
    """The :class:`WireError` of an answer that did not come within ``timeout`` seconds."""
    return WireError("Timeout", f"no answer in {timeout:g} s", status=None, transient=True)


def read_events(response: httpx.Response, deadline: float, timeout: float) -> StreamTally:
    """Read a streamed chat completion (server-sent events) to its end, telling listeners."""
    tally, ended = StreamTally(), False
    for line in response.iter_lines():
        if time.monotonic() > deadline:
            raise timeout_error(timeout)
        if not line.startswith("data:"):
            continue
        data = line[len("data:") :].strip()
        if data == "[DONE]":
            ended = True
            break
        try:
            chunk = json.loads(data)
            if chunk.get("error"):
                detail = " ".join(str(chunk["error"]).split())[:300]
                raise WireError("StreamError", detail, status=response.status_code, transient=True)
            pieces = tally.add(chunk)
        except (ValueError, TypeError, AttributeError) as exc:
            raise WireError(
                "MalformedResponse", type(exc).__name__, status=response.status_code, transient=True
            ) from None
        if pieces:
            tell(pieces)
    if not (ended and tally.finish_reason):
        raise WireError(
            "MalformedResponse",
            "the stream ended before the answer did",
            status=response.status_code,
            transient=True,
        )
    return tally
