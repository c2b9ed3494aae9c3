"""Run an unmodified LangGraph graph on graphstage's actors, with graphstage's stop ladder.

    from graphstage.langgraph import from_langgraph
    graph = from_langgraph(langgraph_builder_or_compiled_graph)  # a graphstage CompiledGraph

``graphstage.langgraph.agents.create_agent`` is LangChain's ``create_agent`` run this way.

The LangGraph ``StateGraph`` (or the ``CompiledStateGraph`` its ``compile()`` returned) is
read through its ``builder``: nodes, edges, waiting edges, branches and schemas (channels
with their reducers are the state schema's annotations, which graphstage reads itself).
Each node keeps LangGraph's calling convention (``config``, ``writer``, ``runtime``,
``store`` injected as LangGraph injects them) and LangGraph's ``Command``, ``Send`` and
``get_stream_writer()`` keep working inside it. Stop is graphstage's: a Cancel reaches the
node's task, and the ``Command`` it returns routes the run on.

LangGraph's ``interrupt()`` inside a node is graphstage's (it pauses the run on a thread),
LangGraph's ``InMemorySaver`` becomes graphstage's, ``interrupt_before``/``interrupt_after``
carry over. A LangGraph feature graphstage cannot carry over is refused with a
``GraphError`` naming it (other checkpointers and caches, idle timeouts and
``Command(resume=...)`` returned by a node); retry and cache policies, ``defer``, run
timeouts, error handlers (also ``set_node_defaults``') and the store
(``compile(store=...)``, used as it is) carry over.
Compiled LangGraph subgraphs used as nodes become graphstage subgraphs, and
``Command(graph=Command.PARENT)`` becomes graphstage's.

This subpackage is the only part of graphstage that imports ``langgraph``; the core does not.
"""

from ._adapter import from_langgraph, is_langgraph_app, is_langgraph_graph

__all__ = ["from_langgraph", "is_langgraph_app", "is_langgraph_graph"]
