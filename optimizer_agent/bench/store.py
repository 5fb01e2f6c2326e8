"""The SQLite results store of a batch: one row per problem, plus the settings the batch runs with."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

from optimizer_agent.bench.records import ProblemResult
from optimizer_agent.errors import BadInput

STORE_FILE = "results.db"
SCHEMA_VERSION = "1"
BUSY_TIMEOUT_S = 30.0

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS results (
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL,
    problem_hash TEXT NOT NULL,
    status TEXT NOT NULL,
    classification TEXT NOT NULL,
    finished_at TEXT NOT NULL,
    record TEXT NOT NULL
);
"""


class ResultStore:
    """Results of one batch folder; every write is committed at once, so a killed batch loses nothing finished."""

    def __init__(self, folder: Path, create: bool = True) -> None:
        self.path = Path(folder) / STORE_FILE
        if not create and not self.path.is_file():
            raise BadInput(f"{folder}: no batch results here (expected {STORE_FILE}; run `bench run` first)")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(str(self.path), timeout=BUSY_TIMEOUT_S)
        try:
            with self._conn:
                self._conn.executescript(_SCHEMA)
                self._conn.execute("INSERT OR IGNORE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
        except sqlite3.DatabaseError as exc:
            self._conn.close()
            raise BadInput(f"{self.path}: not a results store ({exc})") from None
        schema = self.meta("schema")
        if schema != SCHEMA_VERSION:
            self._conn.close()
            raise BadInput(f"{self.path}: results schema {schema}, this version reads {SCHEMA_VERSION}")

    def close(self) -> None:
        """Close the database connection."""
        self._conn.close()

    def __enter__(self) -> ResultStore:
        """Use as a context manager that closes the store."""
        return self

    def __exit__(self, *exc_info: object) -> None:
        """Close the store."""
        self.close()

    def meta(self, key: str) -> str | None:
        """One metadata value."""
        with closing(self._conn.execute("SELECT value FROM meta WHERE key = ?", (key,))) as cur:
            row = cur.fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        """Set one metadata value."""
        with self._conn:
            self._conn.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    def config(self) -> dict | None:
        """The decision-relevant settings the stored results were made with (None for a new store)."""
        raw = self.meta("config")
        return json.loads(raw) if raw else None

    def set_config(self, config: dict) -> None:
        """Record the settings the batch runs with."""
        self.set_meta("config", json.dumps(config, sort_keys=True))

    def finished(self) -> dict[str, str]:
        """Problem hash of every stored result, by problem id."""
        with closing(self._conn.execute("SELECT id, problem_hash FROM results")) as cur:
            return dict(cur.fetchall())

    def put(self, result: ProblemResult) -> None:
        """Store (or replace) one problem's result, committed immediately."""
        with self._conn:
            self._conn.execute(
                "INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?, ?, ?)",
                (result.id, result.position, result.problem_hash, result.status, result.classification,
                 result.finished_at, result.model_dump_json()),
            )

    def results(self) -> list[ProblemResult]:
        """Every stored result, in suite order."""
        with closing(self._conn.execute("SELECT record FROM results ORDER BY position, id")) as cur:
            return [ProblemResult.model_validate_json(row[0]) for row in cur.fetchall()]
