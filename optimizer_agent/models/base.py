"""The Model protocol, its reply record and the exceptions every model raises."""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal, Protocol, TypedDict, runtime_checkable

from pydantic import BaseModel

if TYPE_CHECKING:
    from optimizer_agent.models.ledger import Ledger

Purpose = Literal["diagnose", "rerank", "plan", "generate", "repair", "fix-json", "mine"]
"""Why a request was made; it labels transcript lines and ledger rows."""

PURPOSES: tuple[str, ...] = ("diagnose", "rerank", "plan", "generate", "repair", "fix-json", "mine")


class Message(TypedDict):
    """One chat message in the OpenAI wire format."""

    role: Literal["system", "user", "assistant"]
    content: str


class Reply(BaseModel):
    """What a model answered to one request, with its cost in tokens and time."""

    text: str
    prompt_tokens: int = 0
    completion_tokens: int = 0
    latency: float = 0.0
    """Seconds from sending the successful attempt to having its answer."""
    model: str = ""
    request_id: str | None = None
    finish_reason: str | None = None
    """`length` means the reply was cut at max_tokens."""
    request_hash: str = ""
    """The prompt hash of the messages, as written to the transcript."""

    @property
    def tokens(self) -> int:
        """Prompt and completion tokens together."""
        return self.prompt_tokens + self.completion_tokens


class ModelError(Exception):
    """Base of the model layer's own exceptions; a node catches it and carries on without the LLM."""


class ModelUnavailable(ModelError):
    """No reply could be had: retries ran out on timeouts, 5xx or 429, or the script ran dry."""


class RequestRejected(ModelUnavailable):
    """The endpoint refused this one request (400/422, e.g. prompt too long); others may still work."""


class BudgetExhausted(ModelError):
    """The run's token or USD budget is spent; raised before a request is sent."""


def check_purpose(purpose: str) -> None:
    """Raise ValueError for a purpose outside PURPOSES, so typos never reach the ledger."""
    if purpose not in PURPOSES:
        raise ValueError(f"unknown model purpose {purpose!r}; expected one of {', '.join(PURPOSES)}")


@runtime_checkable
class Model(Protocol):
    """Anything that turns chat messages into a Reply and accounts for it in a ledger."""

    name: str
    ledger: Ledger

    def complete(self, messages: list[Message], *, purpose: str) -> Reply:
        """Answer the conversation; raise ModelError subclasses or ModelFailure when it cannot."""
        ...
