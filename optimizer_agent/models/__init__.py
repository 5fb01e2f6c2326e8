"""LLM access: the Model protocol, an OpenAI-compatible client, deterministic models and the ledger."""

from optimizer_agent.models.base import (
    PURPOSES,
    BudgetExhausted,
    Message,
    Model,
    ModelError,
    ModelUnavailable,
    Purpose,
    Reply,
    RequestRejected,
)
from optimizer_agent.models.ledger import Ledger, Price, Usage, load_prices
from optimizer_agent.models.openai_model import ModelConfig, OpenAIModel
from optimizer_agent.models.scripted import ReplayModel, ScriptedModel, ScriptStep

__all__ = [
    "PURPOSES",
    "BudgetExhausted",
    "Ledger",
    "Message",
    "Model",
    "ModelConfig",
    "ModelError",
    "ModelUnavailable",
    "OpenAIModel",
    "Price",
    "Purpose",
    "ReplayModel",
    "Reply",
    "RequestRejected",
    "ScriptStep",
    "ScriptedModel",
    "Usage",
    "load_prices",
]
