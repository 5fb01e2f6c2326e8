"""Rendering a draft as a skill-card Markdown file in the library's format (DESIGN §3)."""

from __future__ import annotations

import yaml

from optimizer_agent.skilllib.miner.config import MEMBERS_LISTED
from optimizer_agent.skilllib.miner.draft import Draft
from optimizer_agent.skilllib.miner.records import Pair

REVIEW_NOTE = (
    "Mined draft for review; it is not in the library. To adopt it, give it a free `O###` id, "
    "rewrite the Example as a function with `example: {entry, inputs}` in the front matter, "
    "and run `optimizer-agent skills check` on it."
)


def front_matter(draft: Draft) -> dict:
    """The card's front matter fields, in the library's order."""
    data: dict = {"id": draft.id, "type": "operator", "language": "python", "family": draft.family,
                  "name": draft.name, "description": draft.description, "tags": draft.tags,
                  "triggers": draft.triggers}
    if draft.complexity:
        data["complexity"] = draft.complexity
    data["provenance"] = {"source": "mined", "pairs": draft.support, "dataset": draft.dataset}
    if draft.duplicate_of:
        data["duplicate_of"] = draft.duplicate_of
    return data


def _bullets(items: list[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def _numbered(items: list[str]) -> str:
    return "\n".join(f"{n}. {item}" for n, item in enumerate(items, start=1))


def _speed(pair: Pair) -> str:
    if pair.speedup is None:
        return "CPU time unknown"
    return f"CPU time {pair.cpu_time_slow:g} -> {pair.cpu_time_fast:g}, {pair.speedup:.2f}x"


def _evidence(draft: Draft, pairs: dict[int, Pair]) -> str:
    labels = ", ".join(f"{label} ({n})" for label, n in draft.labels.items())
    median = f"{draft.median_speedup:.2f}x" if draft.median_speedup is not None else "unknown"
    lines = [f"- Support: {draft.support} pairs; median CPU-time speedup {median}.",
             f"- Labels: {labels}.", f"- Top terms: {', '.join(draft.top_terms)}."]
    if draft.duplicate_of:
        lines.append(f"- Duplicate of {draft.duplicate_of} (cosine {draft.nearest_cosine:.2f}).")
    elif draft.nearest_skill:
        lines.append(f"- Nearest library skill: {draft.nearest_skill} (cosine {draft.nearest_cosine:.2f}).")
    lines += [f"- LLM: {m}" for m in draft.mechanisms]
    lines.append("- Representative pair evidence:")
    lines += [f"  - `{e.replace('`', chr(39))}`" for e in draft.evidence]
    lines.append("- Members (pair index, problem, speedup):")
    for index in draft.members[:MEMBERS_LISTED]:
        pair = pairs[index]
        speed = f"{pair.speedup:.2f}x" if pair.speedup is not None else "?"
        lines.append(f"  - {index}, {pair.problem_id or '?'}, {speed}")
    if len(draft.members) > MEMBERS_LISTED:
        lines.append(f"  - ... and {len(draft.members) - MEMBERS_LISTED} more (see summary.json)")
    return "\n".join(lines)


def render_card(draft: Draft, pairs: dict[int, Pair]) -> str:
    """The draft as Markdown: YAML front matter, the card sections, the mined example and its evidence."""
    front = yaml.safe_dump(front_matter(draft), sort_keys=False, allow_unicode=True, width=120,
                           default_flow_style=None)
    rep = pairs[draft.representative]
    when = _bullets(draft.triggers)
    if draft.mechanisms:
        when += "\n\nWhat changed in the mined pairs, as traced by the LLM:\n" + _bullets(draft.mechanisms)
    return (
        f"---\n{front}---\n"
        f"<!-- {REVIEW_NOTE} -->\n\n"
        f"## When to use\n{when}\n\n"
        f"## Steps\n{_numbered(draft.steps)}\n\n"
        f"## Pitfalls\n{_bullets(draft.pitfalls)}\n\n"
        f"## When not to use\n{_bullets(draft.when_not)}\n\n"
        f"## Example\nFrom pair {rep.index} (problem {rep.problem_id or '?'}, {_speed(rep)}), the member "
        f"closest to the cluster's centre; trimmed to the changed region.\n\n"
        f"```python before\n{draft.before}```\n\n"
        f"```python after\n{draft.after}```\n\n"
        f"## Evidence\n{_evidence(draft, pairs)}\n"
    )
