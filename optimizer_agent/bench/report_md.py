"""The batch report as Markdown (`report.md`)."""

from __future__ import annotations

from optimizer_agent.bench.report_doc import Doc


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def render_markdown(doc: Doc) -> str:
    """Markdown text of the report."""
    lines = [f"# {doc.title}", ""]
    lines += [f"- **{name}:** {_cell(value)}" for name, value in doc.facts]
    for table in doc.tables:
        lines += ["", f"## {table.title}", ""]
        if table.note:
            lines += [table.note, ""]
        lines.append("| " + " | ".join(table.headers) + " |")
        lines.append("|" + "---|" * len(table.headers))
        lines += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in table.rows]
    if doc.images:
        lines += ["", "## Plots", ""]
        lines += [f"![{caption}]({name})" for name, caption in doc.images]
    return "\n".join(lines) + "\n"
