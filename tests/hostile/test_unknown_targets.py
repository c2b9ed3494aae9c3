"""Routing to a node that does not exist: a ``Command(goto=...)``, a ``Send`` or a path
function naming an unknown node fails the run with ``UnknownNodeError`` naming the name and
the graph's nodes, a difference on purpose: LangGraph 1.2 logs "wrote to unknown channel
branch:to:nowhere, ignoring it" and carries on as if nothing had been returned (a typo in a
node name silently ends the run there). A path function returning ``None`` is LangGraph's
``ValueError`` there, graphstage's ``UnknownNodeError`` (a ``LookupError``) here."""

from __future__ import annotations

import asyncio
import logging
from typing import Any, TypedDict

import pytest

from graphstage import END, START, Command, Send, StateGraph, UnknownNodeError

pytest.importorskip("langgraph", reason="the comparison needs pip install -e '.[bench]'")
from langgraph.graph import StateGraph as LGStateGraph
from langgraph.types import Command as LGCommand
from langgraph.types import Send as LGSend

pytestmark = [pytest.mark.anyio, pytest.mark.timeout(30)]


class S(TypedDict, total=False):
    x: Any


def build(engine: str, how: str) -> Any:
    graph_class, command, send = (
        (StateGraph, Command, Send) if engine == "graphstage" else (LGStateGraph, LGCommand, LGSend)
    )
    b = graph_class(S)
    if how == "goto":
        b.add_node("a", lambda s: command(goto="nowhere"))
    elif how == "send":
        b.add_node("a", lambda s: command(goto=[send("nowhere", {})]))
    else:
        b.add_node("a", lambda s: {"x": 1})
        b.add_conditional_edges("a", lambda s: "nowhere")
    b.add_node("b", lambda s: {"x": "b"})
    b.add_edge(START, "a")
    if how != "path":
        b.add_edge("a", "b")
    b.add_edge("b", END)
    return b.compile()


@pytest.mark.parametrize("how", ["goto", "send", "path"])
async def test_routing_to_an_unknown_node_fails_naming_it_where_langgraph_ignores_it(
    how: str, caplog: pytest.LogCaptureFixture
) -> None:
    with pytest.raises(UnknownNodeError, match="'nowhere': no such node; known nodes: a, b"):
        await asyncio.wait_for(build("graphstage", how).ainvoke({"x": 0}), 10)
    with caplog.at_level(logging.WARNING):
        theirs = await asyncio.wait_for(build("langgraph", how).ainvoke({"x": 0}), 10)
    assert theirs == ({"x": "b"} if how != "path" else {"x": 1})
    assert "unknown channel branch:to:nowhere" in caplog.text or how == "send"
