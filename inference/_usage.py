"""Token counts of a streamed answer, exact whether or not the server sends them.

A server marked ``stream_usage: true`` (vLLM) ends a stream with its usage. llama-cpp-python
(0.3.x, the CPU tier; marked ``stream_usage: chunks``) sends no usage with a stream, but
streams one generated token per chunk: ``Llama._create_completion`` sends each token as it is
sampled, and joins tokens only where one character is spelled by several byte tokens (it holds
them until the character is whole). So for such a server:

- **completion tokens** are the chunks with content, counted as they arrive (the live display
  and the record count the same chunks). No ASCII character spans two tokens, so the count is
  exact when the answer is ASCII; otherwise it is a lower bound and the reply says it is an
  estimate (``tokens_estimated``);
- **prompt tokens** are the server's own count: the same messages sent again unstreamed with
  ``max_tokens: 1`` (:func:`prompt_probe`). The server's prefix cache still holds the prompt,
  so that costs it about one token's work; the probe has no ``response_format``, because the
  grammar it becomes constrains sampling, not the prompt.

Not re-tokenizing the text (``/extras/tokenize``) is deliberate: it counts the tokenizer's own
split of the text, not the tokens the model sampled, and it cannot see the chat template.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

__all__ = ["StreamTally", "listening", "on_tokens", "prompt_probe", "tell"]

# Told ``pieces`` (streamed chunks, one token each on the servers we stream from) as answers
# arrive; a display only.
_token_listeners: list[Callable[[int], None]] = []


@contextlib.contextmanager
def on_tokens(listener: Callable[[int], None]) -> Iterator[None]:
    """Stream answers where that changes nothing, telling ``listener(pieces)`` as they arrive."""
    _token_listeners.append(listener)
    try:
        yield
    finally:
        _token_listeners.remove(listener)


def listening() -> bool:
    """Whether anyone listens for tokens (else answers are not streamed)."""
    return bool(_token_listeners)


def tell(pieces: int) -> None:
    """Tell every listener; a listener that fails is the display's problem, not the call's."""
    for listener in list(_token_listeners):
        with contextlib.suppress(Exception):
            listener(pieces)


# What the probe leaves out: the streaming itself, the grammar, and the answer's length.
_NOT_PROBED = frozenset(
    {"stream", "stream_options", "response_format", "max_tokens", "max_completion_tokens"}
)


@dataclass
class StreamTally:
    """What the chunks of one streamed chat completion said so far.

    Attributes:
        parts: The pieces of the answer's text, in order.
        finish_reason: The last ``finish_reason`` seen ('' until the stream says it).
        usage: The server's usage chunk, when it sent one.
        chunks: Chunks that carried content (a role-only first chunk does not count; an
            empty piece does: llama-cpp-python sends one for a token with no text).
        ascii: Whether every counted piece was ASCII, which makes ``chunks`` exact.
    """

    parts: list[str] = field(default_factory=list)
    finish_reason: str = ""
    usage: dict[str, Any] = field(default_factory=dict)
    chunks: int = 0
    ascii: bool = True

    def add(self, chunk: Mapping[str, Any]) -> int:
        """Take one parsed chunk; return how many pieces it brought (for the display).

        Raises:
            TypeError, AttributeError: The chunk is not a chat-completion chunk.
        """
        self.usage = dict(chunk.get("usage") or self.usage)
        pieces = 0
        for choice in chunk.get("choices") or []:
            delta = choice.get("delta") or {}
            piece = delta.get("content")
            # vLLM opens with {"role": "assistant", "content": ""}: an opening, not a token.
            if isinstance(piece, str) and "role" not in delta:
                pieces += 1
                self.ascii = self.ascii and piece.isascii()
            if piece:
                self.parts.append(str(piece))
            self.finish_reason = str(choice.get("finish_reason") or self.finish_reason)
        self.chunks += pieces
        return pieces

    @property
    def text(self) -> str:
        """The answer so far."""
        return "".join(self.parts)


def prompt_probe(payload: Mapping[str, Any]) -> dict[str, Any]:
    """The unstreamed one-token request whose usage counts ``payload``'s prompt tokens."""
    return {**{k: v for k, v in payload.items() if k not in _NOT_PROBED}, "max_tokens": 1}
