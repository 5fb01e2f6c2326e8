"""Deterministic models: `ScriptedModel` answers from a list, `ReplayModel` from a recorded transcript."""

from __future__ import annotations

import threading
from pathlib import Path

from pydantic import BaseModel, model_validator

from optimizer_agent.errors import ModelFailure
from optimizer_agent.models.base import Message, ModelUnavailable, Reply, RequestRejected, check_purpose
from optimizer_agent.models.ledger import Ledger, estimate_tokens
from optimizer_agent.models.transcript import TranscriptEntry, read_transcript
from optimizer_agent.prompts import prompt_hash

SCRIPTED_MODEL_NAME = "scripted-model"
FATAL_STATUSES = frozenset({401, 403, 404})
"""Statuses that OpenAIModel turns into ModelFailure; the scripted model mirrors it."""
TRANSIENT_STATUSES = frozenset({408, 409, 429})
SERVER_ERROR_MIN = 500


class ScriptUsage(BaseModel):
    """Token counts a scripted reply claims; missing counts are estimated from the text."""

    prompt_tokens: int | None = None
    completion_tokens: int | None = None


class ScriptStep(BaseModel):
    """One scripted answer: a reply text, an HTTP error, a delay, or a delayed reply."""

    text: str | None = None
    usage: ScriptUsage | None = None
    status: int | None = None
    """An HTTP error status to answer with instead of a reply."""
    message: str | None = None
    """The error message sent with `status`."""
    retry_after: float | None = None
    """Seconds sent in a Retry-After header with `status`."""
    delay: float = 0.0
    """Seconds to wait before answering; longer than the client's timeout provokes a read timeout."""
    finish_reason: str = "stop"

    @model_validator(mode="before")
    @classmethod
    def _flatten_error(cls, data: object) -> object:
        # `{"error": {"status": 429}}` is accepted as a spelling of `{"status": 429}`.
        if isinstance(data, dict) and isinstance(data.get("error"), dict):
            data = {**{k: v for k, v in data.items() if k != "error"}, **data["error"]}
        return data

    @classmethod
    def of(cls, entry: str | dict | ScriptStep) -> ScriptStep:
        """A step from a script entry: a bare string is a reply text."""
        if isinstance(entry, ScriptStep):
            return entry
        if isinstance(entry, str):
            return cls(text=entry)
        return cls.model_validate(entry)

    @property
    def is_error(self) -> bool:
        """True when the step answers with an HTTP error status."""
        return self.status is not None

    @property
    def is_timeout(self) -> bool:
        """True when the step only waits, standing for a reply that never comes in time."""
        return self.status is None and self.text is None and self.delay > 0

    def token_counts(self, messages: list[Message]) -> tuple[int, int]:
        """The usage this step reports: scripted counts, else estimates from the texts."""
        usage = self.usage or ScriptUsage()
        prompt = usage.prompt_tokens
        if prompt is None:
            prompt = estimate_tokens("".join(m.get("content") or "" for m in messages))
        completion = usage.completion_tokens
        if completion is None:
            completion = estimate_tokens(self.text or "")
        return prompt, completion


def step_error(step: ScriptStep, where: str) -> Exception:
    """The exception OpenAIModel would end with after retrying a steady stream of `step`."""
    detail = step.message or f"scripted error {step.status}"
    if step.status in FATAL_STATUSES:
        return ModelFailure(f"scripted LLM answered {step.status} at {where}: {detail}")
    if step.status in TRANSIENT_STATUSES or (step.status or 0) >= SERVER_ERROR_MIN:
        return ModelUnavailable(f"scripted LLM answered {step.status} at {where}: {detail}")
    return RequestRejected(f"scripted LLM rejected the request ({step.status}) at {where}: {detail}")


class ScriptedModel:
    """Answers requests from a fixed script in order; no network, no retries, fully deterministic."""

    def __init__(self, replies: list[str | dict], *, name: str = SCRIPTED_MODEL_NAME, ledger: Ledger | None = None):
        """Each entry is a reply text or a ScriptStep dict (`text`, `usage`, `status`, `delay`)."""
        self.name = name
        self.ledger = ledger or Ledger()
        self.steps = [ScriptStep.of(entry) for entry in replies]
        self.requests: list[dict] = []
        """What each call asked for: `{"purpose", "messages"}`, in order."""
        self._lock = threading.Lock()

    @property
    def remaining(self) -> int:
        """Script entries not yet used."""
        return len(self.steps) - len(self.requests)

    def complete(self, messages: list[Message], *, purpose: str) -> Reply:
        """The next scripted reply; error entries raise what OpenAIModel would raise."""
        check_purpose(purpose)
        self.ledger.check(self.name, estimate_tokens("".join(m["content"] for m in messages)))
        with self._lock:
            index = len(self.requests)
            if index >= len(self.steps):
                raise ModelUnavailable(f"scripted model has no reply left for request {index + 1}")
            self.requests.append({"purpose": purpose, "messages": [dict(m) for m in messages]})
        step = self.steps[index]
        if step.is_error:
            raise step_error(step, f"script entry {index}")
        if step.is_timeout:
            raise ModelUnavailable(f"scripted LLM timed out at script entry {index}")
        prompt_tokens, completion_tokens = step.token_counts(messages)
        self.ledger.record(self.name, prompt_tokens, completion_tokens, purpose)
        return Reply(
            text=step.text or "",
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            latency=step.delay,
            model=self.name,
            request_id=f"scripted-{index}",
            finish_reason=step.finish_reason,
            request_hash=prompt_hash(messages),
        )


class ReplayModel:
    """Answers with the replies of a recorded transcript: same request hash first, else in order."""

    def __init__(self, transcript_path: Path, *, ledger: Ledger | None = None) -> None:
        """Load the transcript's successful replies; failed attempts are not replayed."""
        self.path = Path(transcript_path)
        self.entries: list[TranscriptEntry] = [e for e in read_transcript(self.path) if e.reply is not None]
        self.name = self.entries[0].model if self.entries else SCRIPTED_MODEL_NAME
        self.ledger = ledger or Ledger()
        self._used = [False] * len(self.entries)
        self._lock = threading.Lock()

    def complete(self, messages: list[Message], *, purpose: str) -> Reply:
        """The recorded reply to these messages, or the next unused one when none matches."""
        check_purpose(purpose)
        self.ledger.check(self.name, estimate_tokens("".join(m["content"] for m in messages)))
        wanted = prompt_hash(messages)
        with self._lock:
            index = self._pick(wanted)
            if index is None:
                raise ModelUnavailable(f"transcript {self.path} has no reply left to replay")
            self._used[index] = True
        entry = self.entries[index]
        reply = entry.reply.model_copy(update={"request_hash": wanted})
        self.ledger.record(entry.model, reply.prompt_tokens, reply.completion_tokens, purpose)
        return reply

    def _pick(self, wanted: str) -> int | None:
        unused = [i for i, used in enumerate(self._used) if not used]
        for index in unused:
            if self.entries[index].request_hash == wanted:
                return index
        return unused[0] if unused else None
