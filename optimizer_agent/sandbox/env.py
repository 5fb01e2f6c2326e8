"""The environment every sandboxed command sees: deterministic, and without the user's secrets."""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

# Untrusted code must not read credentials; these name fragments cover the usual ones.
SECRET_NAME = re.compile(r"(KEY|TOKEN|SECRET|PASSWORD|CREDENTIAL)", re.IGNORECASE)
FIXED_HASH_SEED = "0"
CPUSET_ENV = "OA_SANDBOX_CPUSET"
"""The CPUs a Docker sandbox pins to when its config names none; batch runs give each concurrent job its own."""


def sandbox_env(base: Mapping[str, str], cwd: str, python_dir: str | None = None) -> dict[str, str]:
    """Build the command environment: secrets dropped, hash seed fixed, the staged tree first on sys.path."""
    env = {k: v for k, v in base.items() if not SECRET_NAME.search(k)}
    # The staged copy must win over any editable install of the same package.
    paths = [cwd, os.path.join(cwd, "src")]
    if env.get("PYTHONPATH"):
        paths.append(env["PYTHONPATH"])
    env["PYTHONPATH"] = os.pathsep.join(paths)
    env["PYTHONHASHSEED"] = FIXED_HASH_SEED
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env.pop("VIRTUAL_ENV_PROMPT", None)
    if python_dir:
        env["PATH"] = python_dir + os.pathsep + env.get("PATH", "")
    return env
