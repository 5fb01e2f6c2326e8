"""A Model backed by any OpenAI-compatible chat endpoint, with our own retries, ledger and transcript."""

from __future__ import annotations

import random
import re
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Literal

import openai
from openai.types.chat import ChatCompletion
from pydantic import BaseModel, SecretStr

from optimizer_agent.errors import ModelFailure
from optimizer_agent.models.backoff import next_delay
from optimizer_agent.models.base import Message, ModelUnavailable, Reply, RequestRejected, check_purpose
from optimizer_agent.models.ledger import Ledger, Price, estimate_tokens, load_prices
from optimizer_agent.models.transcript import TranscriptEntry, TranscriptWriter
from optimizer_agent.prompts import prompt_hash

DEFAULT_BASE_URL = "https://api.openai.com/v1"
NO_KEY = "no-key"
"""Sent when no key is configured: local servers ignore it, and the SDK refuses an empty key."""
RETRYABLE_STATUSES = frozenset({408, 409, 429})
"""Besides every 5xx: timeouts, lock conflicts and rate limits pass on their own."""
SERVER_ERROR_MIN = 500
ERROR_TEXT_CHARS = 300


class ModelConfig(BaseModel):
    """How to reach an OpenAI-compatible endpoint and how hard to try."""

    base_url: str = DEFAULT_BASE_URL
    """The API root including `/v1`, e.g. `http://localhost:8000/v1` for vLLM."""
    api_key: SecretStr | None = None
    model: str
    temperature: float | None = 0.2
    """None leaves it out, for models that only accept their default."""
    max_tokens: int = 4096
    token_param: Literal["max_tokens", "max_completion_tokens"] = "max_tokens"
    """Newer OpenAI reasoning models take `max_completion_tokens` instead of `max_tokens`."""
    timeout: float = 120.0
    """Seconds one attempt may take before it counts as a timeout."""
    max_retries: int = 4
    """Retries after the first attempt, on timeouts, connection errors, 429 and 5xx."""
    backoff_base: float = 1.0
    """Seconds before the first retry; doubles each retry, with jitter."""
    backoff_cap: float = 60.0
    """The longest single wait, also applied to the server's Retry-After."""
    prices: dict[str, Price] | Path | None = None
    """Overrides of the default price table: a dict or a JSON/TOML file path."""
    budget_tokens: int | None = None
    budget_usd: float | None = None
    transcript_path: Path | None = None
    """JSONL file that receives every attempt, for audit and `ReplayModel`."""
    seed: int | None = None
    """Seeds the backoff jitter, for reproducible waits."""


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()[:ERROR_TEXT_CHARS]


def _error_text(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, Mapping) and isinstance(body.get("message"), str):
        return _one_line(body["message"])
    return _one_line(exc.message)


class OpenAIModel:
    """Chat completions over HTTP; transient failures are retried here, never inside the SDK."""

    def __init__(self, config: ModelConfig, ledger: Ledger | None = None) -> None:
        """Build the client; a shared `ledger` lets several models spend one budget."""
        self.config = config
        self.name = config.model
        self.ledger = ledger or Ledger(
            prices=load_prices(config.prices),
            budget_tokens=config.budget_tokens,
            budget_usd=config.budget_usd,
        )
        key = config.api_key.get_secret_value() if config.api_key else NO_KEY
        self._client = openai.OpenAI(
            base_url=config.base_url, api_key=key, timeout=config.timeout, max_retries=0
        )
        self._rng = random.Random(config.seed)
        self._transcript = TranscriptWriter(config.transcript_path) if config.transcript_path else None

    def complete(self, messages: list[Message], *, purpose: str) -> Reply:
        """Send the messages, retrying transient failures; raise ModelUnavailable when they persist."""
        check_purpose(purpose)
        request_hash = prompt_hash(messages)
        self.ledger.check(self.name, estimate_tokens("".join(m["content"] for m in messages)))
        attempts = self.config.max_retries + 1
        last_error = ""
        for attempt in range(attempts):
            headers = None
            started = time.monotonic()
            try:
                raw = self._client.chat.completions.with_raw_response.create(**self._request(messages))
                completion = raw.parse()
                if not isinstance(completion, ChatCompletion):
                    raise ValueError(f"not a chat completion: {_one_line(str(completion))[:80]!r}")
            except openai.APIStatusError as exc:
                last_error = f"HTTP {exc.status_code}: {_error_text(exc)}"
                self._log(purpose, messages, request_hash, attempt, error=last_error)
                self._raise_if_final(exc)
                headers = exc.response.headers
            except openai.APITimeoutError:
                last_error = f"no answer within {self.config.timeout:g}s"
                self._log(purpose, messages, request_hash, attempt, error=last_error)
            except openai.APIConnectionError as exc:
                last_error = f"connection failed: {_one_line(str(exc.__cause__ or exc))}"
                self._log(purpose, messages, request_hash, attempt, error=last_error)
            except (openai.APIError, ValueError) as exc:
                # A proxy's HTML page or a broken body answered with 200: retry it like a 5xx.
                last_error = f"malformed response: {_one_line(str(exc))}"
                self._log(purpose, messages, request_hash, attempt, error=last_error)
            else:
                reply = self._reply(completion, raw.request_id, messages, started, request_hash)
                self.ledger.record(reply.model or self.name, reply.prompt_tokens, reply.completion_tokens, purpose)
                self._log(purpose, messages, request_hash, attempt, reply=reply)
                return reply
            if attempt + 1 < attempts:
                time.sleep(next_delay(attempt, self.config.backoff_base, self.config.backoff_cap, self._rng, headers))
        raise ModelUnavailable(
            f"LLM endpoint at {self.config.base_url} gave no reply after {attempts} attempts: {last_error}"
        )

    def close(self) -> None:
        """Close the HTTP connection pool."""
        self._client.close()

    def _params(self) -> dict:
        params: dict = {self.config.token_param: self.config.max_tokens}
        if self.config.temperature is not None:
            params["temperature"] = self.config.temperature
        return params

    def _request(self, messages: list[Message]) -> dict:
        return {"model": self.name, "messages": messages, **self._params()}

    def _raise_if_final(self, exc: openai.APIStatusError) -> None:
        status, url, detail = exc.status_code, self.config.base_url, _error_text(exc)
        if status == 401:
            raise ModelFailure(f"LLM endpoint rejected the API key ({status}) at {url}: {detail}") from None
        if status == 403:
            raise ModelFailure(f"LLM endpoint refused access ({status}) at {url}: {detail}") from None
        if status == 404:
            raise ModelFailure(
                f"LLM endpoint has no model {self.name!r} ({status}) at {url}: {detail};"
                " check the model name and the base URL"
            ) from None
        if status not in RETRYABLE_STATUSES and status < SERVER_ERROR_MIN:
            raise RequestRejected(f"LLM endpoint rejected the request ({status}) at {url}: {detail}") from None

    def _reply(
        self, completion: ChatCompletion, request_id: str | None, messages: list[Message], started: float, request_hash: str
    ) -> Reply:
        choice = completion.choices[0] if completion.choices else None
        text = (choice.message.content if choice else None) or ""
        usage = completion.usage
        prompt_tokens = usage.prompt_tokens if usage else estimate_tokens("".join(m["content"] for m in messages))
        completion_tokens = usage.completion_tokens if usage else estimate_tokens(text)
        return Reply(
            text=text,
            prompt_tokens=prompt_tokens,
            completion_tokens=completion_tokens,
            latency=time.monotonic() - started,
            model=completion.model or self.name,
            request_id=request_id or completion.id,
            finish_reason=choice.finish_reason if choice else None,
            request_hash=request_hash,
        )

    def _log(
        self,
        purpose: str,
        messages: list[Message],
        request_hash: str,
        attempt: int,
        reply: Reply | None = None,
        error: str | None = None,
    ) -> None:
        if self._transcript is None:
            return
        self._transcript.write(
            TranscriptEntry(
                purpose=purpose,
                model=self.name,
                request_hash=request_hash,
                attempt=attempt,
                messages=[dict(m) for m in messages],
                params=self._params(),
                reply=reply,
                error=error,
            )
        )
