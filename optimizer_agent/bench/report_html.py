"""The batch report as a self-contained HTML page (`report.html`, plots beside it)."""

from __future__ import annotations

from html import escape

from optimizer_agent.bench.report_doc import Doc

STYLE = """
body { font-family: system-ui, sans-serif; margin: 2rem; color: #222; }
table { border-collapse: collapse; margin: 0.5rem 0 1.5rem; font-size: 0.9rem; }
th, td { border: 1px solid #ccc; padding: 0.25rem 0.5rem; text-align: left; vertical-align: top; }
th { background: #f3f3f3; }
.note { color: #555; font-size: 0.85rem; }
img { max-width: 48%; margin: 0.5rem; border: 1px solid #eee; }
"""


def render_html(doc: Doc) -> str:
    """HTML text of the report."""
    parts = ["<!doctype html>", "<html><head><meta charset='utf-8'>", f"<title>{escape(doc.title)}</title>",
             f"<style>{STYLE}</style></head><body>", f"<h1>{escape(doc.title)}</h1>", "<ul>"]
    parts += [f"<li><b>{escape(name)}:</b> {escape(value)}</li>" for name, value in doc.facts]
    parts.append("</ul>")
    for table in doc.tables:
        parts.append(f"<h2>{escape(table.title)}</h2>")
        if table.note:
            parts.append(f"<p class='note'>{escape(table.note)}</p>")
        parts.append("<table><tr>" + "".join(f"<th>{escape(h)}</th>" for h in table.headers) + "</tr>")
        parts += ["<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in table.rows]
        parts.append("</table>")
    if doc.images:
        parts.append("<h2>Plots</h2>")
        parts += [f"<img src='{escape(name)}' alt='{escape(caption)}' title='{escape(caption)}'>"
                  for name, caption in doc.images]
    parts.append("</body></html>")
    return "\n".join(parts) + "\n"
