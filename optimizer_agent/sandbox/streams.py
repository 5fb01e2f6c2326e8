"""Reading a `docker exec` output stream to its end without letting a chatty command exhaust memory."""

from __future__ import annotations

MAX_STREAM_BYTES = 32 * 1024**2
"""Bytes kept of each of stdout and stderr; the rest is counted and reported as dropped."""


class Drain:
    """Reads a demultiplexed exec stream to the end, keeping at most MAX_STREAM_BYTES of each side."""

    def __init__(self, stream) -> None:
        self.stream = stream
        self.out = bytearray()
        self.err = bytearray()
        self.dropped = 0
        self.error: BaseException | None = None

    def run(self) -> None:
        """Consume the stream; called on a worker thread."""
        try:
            for out, err in self.stream:
                self._keep(self.out, out)
                self._keep(self.err, err)
        except Exception as exc:  # the stream is closed under us when the host gives up
            self.error = exc

    def _keep(self, buf: bytearray, chunk: bytes | None) -> None:
        """Append up to the cap; count the rest."""
        if not chunk:
            return
        room = max(0, MAX_STREAM_BYTES - len(buf))
        buf.extend(chunk[:room])
        self.dropped += len(chunk) - min(room, len(chunk))
