"""The JSONL transcript of every model request and response, written for audit and replay."""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path

from pydantic import BaseModel, Field

from optimizer_agent.models.base import Reply


class TranscriptEntry(BaseModel):
    """One attempt at one request: what was sent and what came back (or why nothing did)."""

    ts: float = Field(default_factory=time.time)
    purpose: str
    model: str
    request_hash: str
    attempt: int = 0
    """0 for the first try; retries of the same request count up."""
    messages: list[dict]
    params: dict = Field(default_factory=dict)
    """Sampling parameters sent with the messages (temperature, max_tokens)."""
    reply: Reply | None = None
    error: str | None = None


class TranscriptWriter:
    """Appends entries to a JSONL file; safe to share between threads of one run."""

    def __init__(self, path: Path) -> None:
        """Create the file's folder; entries are appended, so earlier lines are kept."""
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = threading.Lock()

    def write(self, entry: TranscriptEntry) -> None:
        """Append one entry as a single JSON line."""
        line = entry.model_dump_json(exclude_none=True)
        with self._lock, self.path.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")


def read_transcript(path: Path) -> list[TranscriptEntry]:
    """All entries of a transcript file, in the order they were written; blank lines skipped."""
    entries = []
    for number, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            entries.append(TranscriptEntry.model_validate(json.loads(line)))
        except (json.JSONDecodeError, ValueError) as exc:
            raise ValueError(f"{path}:{number}: not a transcript entry ({exc})") from exc
    return entries
