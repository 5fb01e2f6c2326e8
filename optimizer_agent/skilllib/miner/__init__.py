"""Stage I skill mining: slow/fast pairs -> structured deltas -> clusters -> draft skill cards for review."""

from optimizer_agent.skilllib.miner.config import DUPLICATE_COSINE, MinerConfig

__all__ = ["DUPLICATE_COSINE", "MinerConfig", "mine"]


def __getattr__(name: str):
    # `mine` pulls in scikit-learn and the model layer; load them only when it is asked for.
    if name == "mine":
        from optimizer_agent.skilllib.miner.pipeline import mine

        return mine
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
