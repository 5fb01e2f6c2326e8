"""Deterministic models: `ScriptedModel` answers from a list, `ReplayModel` from a recorded transcript."""

from __future__ import annotations

import threading
from pathlib import Path

from pydantic import BaseModel, model_validator

from optimizer_agent.errors import ModelFailure
from optimizer_agent.models.base import Message, ModelUnavailable, Reply, RequestRejected, check_purpose
from optimizer_agent.models.ledger import Ledger, estimate_tokens
from optimizer_agent.models.transcript import TranscriptEntry, TranscriptWriter, read_transcript
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
    raw_body: str | None = None
    """Sent as the whole response body with status 200 (or `status`), e.g. a proxy's HTML page."""
    content_type: str = "application/json"
    """The Content-Type header sent with `raw_body`."""
    match: str | None = None
    """Answer only a request whose last message contains this text (e.g. a prompt's first words);
    such steps are taken in script order among themselves, so replies can be keyed by step."""

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
        return self.status is not None and self.raw_body is None

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

    def accepts(self, messages: list[Message]) -> bool:
        """True when this step may answer `messages` (always, for a step without `match`)."""
        if self.match is None:
            return True
        last = messages[-1].get("content") if messages else ""
        return self.match in (last if isinstance(last, str) else str(last or ""))


def pick_step(steps: list[ScriptStep], used: list[bool], messages: list[Message]) -> int | None:
    """The first unused step that accepts `messages`, or None when the script has none left for it."""
    return next((i for i, step in enumerate(steps) if not used[i] and step.accepts(messages)), None)


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
        self._used = [False] * len(self.steps)
        self._lock = threading.Lock()

    @property
    def remaining(self) -> int:
        """Script entries not yet used."""
        return self._used.count(False)

    def complete(self, messages: list[Message], *, purpose: str) -> Reply:
        """The next scripted reply; error entries raise what OpenAIModel would raise."""
        check_purpose(purpose)
        self.ledger.check(self.name, estimate_tokens("".join(m["content"] for m in messages)))
        with self._lock:
            index = pick_step(self.steps, self._used, messages)
            if index is None:
                raise ModelUnavailable(f"scripted model has no reply left for request {len(self.requests) + 1}")
            self._used[index] = True
            self.requests.append({"purpose": purpose, "messages": [dict(m) for m in messages]})
        step = self.steps[index]
        if step.is_error:
            raise step_error(step, f"script entry {index}")
        if step.is_timeout:
            raise ModelUnavailable(f"scripted LLM timed out at script entry {index}")
        if step.raw_body is not None:
            raise ModelUnavailable(f"scripted LLM sent a malformed response at script entry {index}")
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
    """Answers with the replies of a recorded transcript: same request hash first, else the same purpose in order."""

    def __init__(self, transcript_path: Path, *, ledger: Ledger | None = None,
                 record_to: Path | None = None) -> None:
        """Load the transcript's successful replies (failed attempts are not replayed).

        `record_to` names a transcript for this run, so that a replay can itself be replayed or audited;
        when it already holds entries (a resumed replay), the replies they used are not used again.
        """
        self.path = Path(transcript_path)
        self.entries: list[TranscriptEntry] = [e for e in read_transcript(self.path) if e.reply is not None]
        self.name = self.entries[0].model if self.entries else SCRIPTED_MODEL_NAME
        self.ledger = ledger or Ledger()
        self._used = [False] * len(self.entries)
        self._lock = threading.Lock()
        self._transcript = TranscriptWriter(record_to) if record_to is not None else None
        if record_to is not None and Path(record_to).is_file():
            # A resumed replay skips the replies its earlier process already used, picked the same way.
            for done in read_transcript(Path(record_to)):
                index = self._pick(done.request_hash, done.purpose) if done.reply is not None else None
                if index is not None:
                    self._used[index] = True

    @property
    def remaining(self) -> int:
        """Recorded replies not yet replayed."""
        return self._used.count(False)

    def complete(self, messages: list[Message], *, purpose: str) -> Reply:
        """The recorded reply to these messages, or the next unused reply recorded for the same purpose."""
        check_purpose(purpose)
        self.ledger.check(self.name, estimate_tokens("".join(m["content"] for m in messages)))
        wanted = prompt_hash(messages)
        with self._lock:
            index = self._pick(wanted, purpose)
            if index is None:
                raise ModelUnavailable(f"transcript {self.path} has no reply left to replay for a {purpose} request")
            self._used[index] = True
        entry = self.entries[index]
        reply = entry.reply.model_copy(update={"request_hash": wanted})
        self.ledger.record(entry.model, reply.prompt_tokens, reply.completion_tokens, purpose)
        if self._transcript is not None:
            self._transcript.write(TranscriptEntry(purpose=purpose, model=entry.model, request_hash=wanted,
                                                   messages=[dict(m) for m in messages], params=entry.params,
                                                   reply=reply))
        return reply

    def _pick(self, wanted: str, purpose: str) -> int | None:
        # Prompts that carry measured figures (profile shares, timings) differ between runs, so a
        # hash miss falls back to the recorded order of that purpose, which the graph reproduces.
        unused = [i for i, used in enumerate(self._used) if not used]
        for index in unused:
            if self.entries[index].request_hash == wanted:
                return index
        return next((i for i in unused if self.entries[i].purpose == purpose), None)
