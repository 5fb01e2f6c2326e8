"""optimizer-agent: find hot code, propose faster rewrites, keep only verified speedups."""

__version__ = "0.1.0"
