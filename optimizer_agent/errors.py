"""The few exceptions that cross node boundaries; the CLI turns each into one line and an exit code."""


class OptimizerError(Exception):
    """A failure the user must act on; its message is printed as one line."""

    exit_code = 2


class BadInput(OptimizerError):
    """The target, its tests or the given options cannot be worked on."""


class SandboxUnavailable(OptimizerError):
    """The requested sandbox backend cannot run here (for example, Docker is down)."""


class ModelFailure(OptimizerError):
    """The configured LLM endpoint rejected us for good (bad key, unknown model)."""
