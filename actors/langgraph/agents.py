"""LangChain's and LangGraph's prebuilt agents, run on graphstage's actors.

    from graphstage.langgraph.agents import create_agent  # was: from langchain.agents

``create_agent`` (LangChain 1.x) and ``create_react_agent`` (``langgraph.prebuilt``) build
the agent with the library's own factory, then carry the LangGraph graph it returns over
with ``from_langgraph``: its model node, its ``ToolNode`` (each tool call a ``Send``, so a
Stop reaches every running tool), its middleware nodes and their ``jump_to`` run as
graphstage nodes. A graphstage checkpointer or store given to the factory is used as it is;
``compile_options`` go to graphstage's ``compile()`` (``cancel_grace``, ``journal``...).
What the agent uses that graphstage cannot carry over is refused with a ``GraphError``
naming it.
"""

from __future__ import annotations

from typing import Any

from .._graph import CompiledGraph
from ._adapter import from_langgraph


def create_agent(
    *args: Any, compile_options: dict[str, Any] | None = None, **kwargs: Any
) -> CompiledGraph:
    """``langchain.agents.create_agent(*args, **kwargs)`` as a graphstage graph."""
    from langchain.agents import create_agent as build

    options = _own_options(kwargs, compile_options)
    return from_langgraph(build(*args, **kwargs), **options)


def create_react_agent(
    *args: Any, compile_options: dict[str, Any] | None = None, **kwargs: Any
) -> CompiledGraph:
    """``langgraph.prebuilt.create_react_agent(*args, **kwargs)`` as a graphstage graph."""
    import warnings

    from langgraph.prebuilt import create_react_agent as build

    options = _own_options(kwargs, compile_options)
    with warnings.catch_warnings():  # deprecated in favour of LangChain's create_agent
        warnings.simplefilter("ignore")
        graph = build(*args, **kwargs)
    return from_langgraph(graph, **options)


def _own_options(kwargs: dict[str, Any], compile_options: dict[str, Any] | None) -> dict[str, Any]:
    """graphstage's own checkpointer and store go to graphstage's ``compile()``, not to the
    factory (LangGraph's ``compile()`` accepts only its own savers)."""
    options = dict(compile_options or {})
    for name in ("checkpointer", "store"):
        value = kwargs.get(name)
        if value is not None and type(value).__module__.startswith("graphstage."):
            options[name] = kwargs.pop(name)
    return options


_PREBUILT = ("InjectedState", "InjectedStore", "ToolNode", "tools_condition", "ToolRuntime")
# langgraph.prebuilt.chat_agent_executor's state schemas, for create_react_agent(state_schema=)
_AGENT_STATES = ("AgentState", "AgentStatePydantic")
# langgraph.prebuilt.interrupt's types, for the human-in-the-loop how-to's tool wrapper
_INTERRUPT_TYPES = ("ActionRequest", "HumanInterrupt", "HumanInterruptConfig", "HumanResponse")


def __getattr__(name: str) -> Any:
    """LangGraph's prebuilt ``ToolNode``, ``tools_condition`` and injection markers, so a
    program importing them with ``create_react_agent`` finds them here too (graphstage runs
    a ``ToolNode`` added to its own graph as LangGraph runs it)."""
    if name in _PREBUILT:
        import langgraph.prebuilt

        return getattr(langgraph.prebuilt, name)
    if name in _AGENT_STATES:
        import langgraph.prebuilt.chat_agent_executor

        return getattr(langgraph.prebuilt.chat_agent_executor, name)
    if name in _INTERRUPT_TYPES:
        import langgraph.prebuilt.interrupt

        return getattr(langgraph.prebuilt.interrupt, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
