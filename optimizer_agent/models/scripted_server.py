"""A real OpenAI-compatible HTTP server on loopback that answers from a script, for tests and CI."""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

from optimizer_agent.models.scripted import SCRIPTED_MODEL_NAME, ScriptStep, pick_step

LOOPBACK = "127.0.0.1"
COMPLETIONS_PATH = "/v1/chat/completions"
MODELS_PATH = "/v1/models"
POLL_SECONDS = 0.02
"""How often the serve loop checks for shutdown; the stdlib default (0.5 s) makes every test slow."""
EXHAUSTED_STATUS = 400
"""A dry script answers 400: clients do not retry it, so the test fails fast and says why."""
ERROR_TYPES = {
    400: ("invalid_request_error", "invalid_request"),
    401: ("invalid_request_error", "invalid_api_key"),
    403: ("invalid_request_error", "permission_denied"),
    404: ("invalid_request_error", "model_not_found"),
    429: ("requests", "rate_limit_exceeded"),
}
SERVER_ERROR = ("server_error", "server_error")


def error_body(status: int, message: str) -> dict:
    """An error payload in OpenAI's format: `{"error": {"message", "type", "code"}}`."""
    kind, code = ERROR_TYPES.get(status, SERVER_ERROR)
    return {"error": {"message": message, "type": kind, "code": code, "param": None}}


def completion_body(step: ScriptStep, request: dict, number: int) -> dict:
    """A `chat.completion` object answering `request` with the step's text and usage."""
    prompt_tokens, completion_tokens = step.token_counts(request.get("messages") or [])
    return {
        "id": f"chatcmpl-scripted-{number}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": request.get("model") or SCRIPTED_MODEL_NAME,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": step.text or ""},
                "logprobs": None,
                "finish_reason": step.finish_reason,
            }
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


class ScriptedServer:
    """Serves `POST /v1/chat/completions` from a script and `GET /v1/models`, on a free loopback port."""

    def __init__(
        self,
        script: list[str | dict],
        *,
        api_key: str | None = None,
        models: list[str] | None = None,
        port: int = 0,
    ) -> None:
        """`api_key` makes a wrong Bearer token a 401; `models` makes other model names a 404.

        Steps are used in order; a step with `match` answers only requests whose last message contains it.
        """
        self.steps = [ScriptStep.of(entry) for entry in script]
        self._used = [False] * len(self.steps)
        self.api_key = api_key
        self.models = models
        self.requests: list[dict] = []
        """The JSON bodies of the completion requests received, in arrival order."""
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._httpd = ThreadingHTTPServer((LOOPBACK, port), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def remaining(self) -> int:
        """Script steps not yet used."""
        return self._used.count(False)

    @property
    def base_url(self) -> str:
        """The API root to give an OpenAI client, e.g. `http://127.0.0.1:PORT/v1`."""
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}/v1"

    def start(self) -> ScriptedServer:
        """Serve in a background thread until `close`."""
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, args=(POLL_SECONDS,), name="scripted-llm", daemon=True
        )
        self._thread.start()
        return self

    def close(self) -> None:
        """Stop serving; delayed answers still pending are abandoned. Safe to call twice."""
        if self._closing.is_set():
            return
        self._closing.set()
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
        self._httpd.server_close()

    def __enter__(self) -> ScriptedServer:
        """Start serving."""
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        """Stop serving."""
        self.close()

    def answer(self, headers: dict[str, str], body: dict) -> tuple[int, dict | bytes, dict[str, str]]:
        """Status, body (JSON, or raw bytes) and extra headers for one completion request (may wait first)."""
        if self.api_key is not None and headers.get("authorization") != f"Bearer {self.api_key}":
            return 401, error_body(401, "Incorrect API key provided."), {}
        model = body.get("model")
        if self.models is not None and model not in self.models:
            return 404, error_body(404, f"The model `{model}` does not exist."), {}
        messages = body.get("messages") if isinstance(body.get("messages"), list) else []
        with self._lock:
            number = len(self.requests)
            self.requests.append(body)
            index = pick_step(self.steps, self._used, [m for m in messages if isinstance(m, dict)])
            if index is not None:
                self._used[index] = True
        if index is None:
            message = f"scripted server: script exhausted ({len(self.steps)} entries, request {number + 1})"
            return EXHAUSTED_STATUS, error_body(EXHAUSTED_STATUS, message), {}
        step = self.steps[index]
        if step.delay and self._closing.wait(step.delay):
            return 503, error_body(503, "scripted server is shutting down"), {}
        if step.raw_body is not None:
            return step.status or 200, step.raw_body.encode("utf-8"), {"content-type": step.content_type}
        if step.is_error:
            extra = {} if step.retry_after is None else {"retry-after": f"{step.retry_after:g}"}
            message = step.message or f"scripted error {step.status}"
            return step.status, error_body(step.status, message), extra
        return 200, completion_body(step, body, number), {}

    def model_list(self) -> dict:
        """The `GET /v1/models` listing."""
        names = self.models or [SCRIPTED_MODEL_NAME]
        data = [{"id": n, "object": "model", "created": 0, "owned_by": "scripted"} for n in names]
        return {"object": "list", "data": data}


def _handler_for(server: ScriptedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
            if self.path.rstrip("/") == MODELS_PATH:
                self._send(200, server.model_list())
            else:
                self._send(404, error_body(404, f"no route {self.path}"))

        def do_POST(self) -> None:  # noqa: N802
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length)
            if self.path.rstrip("/") != COMPLETIONS_PATH:
                self._send(404, error_body(404, f"no route {self.path}"))
                return
            try:
                body = json.loads(raw or b"{}")
            except json.JSONDecodeError:
                self._send(400, error_body(400, "request body is not JSON"))
                return
            headers = {k.lower(): v for k, v in self.headers.items()}
            status, payload, extra = server.answer(headers, body)
            self._send(status, payload, extra)

        def _send(self, status: int, payload: dict | bytes, extra: dict[str, str] | None = None) -> None:
            data = payload if isinstance(payload, bytes) else json.dumps(payload).encode("utf-8")
            extra = dict(extra or {})
            try:
                self.send_response(status)
                self.send_header("content-type", extra.pop("content-type", "application/json"))
                self.send_header("content-length", str(len(data)))
                self.send_header("x-request-id", f"req_scripted_{len(server.requests)}")
                for name, value in (extra or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (its timeout), which is what a delay step is for

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass  # keep test output clean; `requests` is the record

    return Handler


def main(argv: list[str] | None = None) -> int:
    """Serve a JSON script file until interrupted, printing the base URL on the first line."""
    parser = argparse.ArgumentParser(prog="python -m optimizer_agent.models.scripted_server")
    parser.add_argument("--script", type=Path, required=True, help="JSON list of script entries")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--api-key", default=None, help="expected Bearer token; others get 401")
    args = parser.parse_args(argv)
    script = json.loads(args.script.read_text(encoding="utf-8"))
    server = ScriptedServer(script, api_key=args.api_key, port=args.port)
    with server:
        print(server.base_url, flush=True)
        try:
            threading.Event().wait()
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
