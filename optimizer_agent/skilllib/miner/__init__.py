"""Stage I skill mining: slow/fast pairs -> structured deltas -> clusters -> draft skill cards for review."""

from optimizer_agent.skilllib.miner.config import DUPLICATE_COSINE, MinerConfig
from optimizer_agent.skilllib.miner.pipeline import mine

__all__ = ["DUPLICATE_COSINE", "MinerConfig", "mine"]
