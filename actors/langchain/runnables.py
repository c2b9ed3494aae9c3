"""A LangChain ``Runnable`` as a node (``add_node("tools", ToolNode(tools))``), as LangGraph
takes one: it is invoked with the state and the run's config.

LangGraph's own runnables (its prebuilt ``ToolNode``, a ``RunnableCallable``) are called as
LangGraph calls them, through ``graphstage.langgraph``: with a LangGraph config carrying
the ``Runtime`` (context, store, stream writer), and the ``Command``\\ s they return (a
ToolNode whose tools return Commands) translated. Any other runnable (a chain, a
``RunnableLambda``) gets ``ainvoke(state, config)`` in the node's own task, so a Stop
reaches it at its current ``await``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def is_runnable(action: Any) -> bool:
    """A LangChain ``Runnable`` that is not a plain function (it has ``ainvoke``)."""
    module = type(action).__module__
    return (
        module.startswith(("langchain", "langgraph"))
        and callable(getattr(action, "ainvoke", None))
        and callable(getattr(action, "get_name", None))
    )


def runnable_name(action: Any) -> str:
    """The node name LangGraph gives a runnable added without one (``ToolNode``: tools)."""
    return str(action.get_name())


def runnable_node(name: str, action: Any) -> Callable[..., Any]:
    """A graphstage node function that runs the runnable ``action``."""
    if type(action).__module__.startswith("langgraph"):
        from ..langgraph._nodes import node_function

        return node_function(name, action)

    async def node(state: Any, config: dict[str, Any]) -> Any:
        return await action.ainvoke(state, config)

    node.__name__ = name
    return node
