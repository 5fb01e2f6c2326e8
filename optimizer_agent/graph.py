"""Wires the nodes into the optimize workflow. Nothing else lives here."""

from __future__ import annotations

from langgraph.graph import START, StateGraph

from optimizer_agent.context import RunContext
from optimizer_agent.nodes.commit import commit
from optimizer_agent.nodes.diagnose import diagnose
from optimizer_agent.nodes.plan import plan
from optimizer_agent.nodes.prepare import prepare
from optimizer_agent.nodes.profile import profile
from optimizer_agent.nodes.propose import propose
from optimizer_agent.nodes.retrieve import retrieve
from optimizer_agent.nodes.routing import after_commit, after_propose, after_verify
from optimizer_agent.nodes.verify import verify
from optimizer_agent.state import RunState


def build() -> StateGraph:
    """The uncompiled workflow: prepare → profile → diagnose → retrieve → plan → (propose → verify* → commit)*."""
    builder = StateGraph(RunState, context_schema=RunContext)
    for node in (prepare, profile, diagnose, retrieve, plan, propose, verify, commit):
        builder.add_node(node.__name__, node)
    builder.add_edge(START, "prepare")
    builder.add_edge("prepare", "profile")
    builder.add_edge("profile", "diagnose")
    builder.add_edge("diagnose", "retrieve")
    builder.add_edge("retrieve", "plan")
    builder.add_edge("plan", "propose")
    builder.add_conditional_edges("propose", after_propose)
    builder.add_conditional_edges("verify", after_verify)
    builder.add_conditional_edges("commit", after_commit)
    return builder


def compile_graph(checkpointer=None):
    """Compile the workflow, optionally with a checkpointer for resumable runs."""
    return build().compile(checkpointer=checkpointer, name="optimizer-agent")


graph = compile_graph()
"""The compiled graph that `langgraph.json` points at (LangGraph Studio opens it)."""
