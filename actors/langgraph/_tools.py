"""A tool run by LangGraph's ``ToolNode`` may return graphstage's ``Command``.

A program written for LangGraph imports ``Command`` from ``langgraph.types``; switched to
graphstage, its tools return graphstage's ``Command`` (``Command(update={... ToolMessage
...})``, or a handoff's ``Command(goto=agent, graph=Command.PARENT)``). LangGraph's
``ToolNode`` recognises only its own: langchain-core would turn graphstage's into the text
of a ``ToolMessage`` (it passes a tool's return value through unchanged only when it is a
``ToolOutputMixin``, which graphstage's ``Command`` cannot be without importing
langchain-core with graphstage). So the ``ToolNode`` graphstage runs holds its tools in a
form whose ``_run``/``_arun`` return LangGraph's ``Command`` for graphstage's (the user's
tool objects stay as they are); what the ``ToolNode`` then returns is translated back, as
every LangGraph node's return value is (``_nodes.translate``).
"""

from __future__ import annotations

import copy
import functools
import types
from collections.abc import Sequence
from typing import Any

from .._command import Command, Send, Writes


def accepting_own_commands(runnable: Any) -> Any:
    """``runnable`` itself, or, for a ``ToolNode``, a copy whose tools may return
    graphstage's ``Command``."""
    from langgraph.prebuilt import ToolNode

    if not isinstance(runnable, ToolNode):
        return runnable
    clone = copy.copy(runnable)
    # ToolNode looks its tools up in _tools_by_name (through tools_by_name)
    clone._tools_by_name = {
        name: _converting(tool) for name, tool in runnable.tools_by_name.items()
    }
    for attr in ("func", "afunc"):  # bound to the original ToolNode at its __init__
        method = getattr(clone, attr, None)
        if isinstance(method, types.MethodType) and method.__self__ is runnable:
            setattr(clone, attr, types.MethodType(method.__func__, clone))
    return clone


def _converting(tool: Any) -> Any:
    clone = copy.copy(tool)
    clone.__class__ = _subclass(type(tool))
    return clone


_SUBCLASSES: dict[type[Any], type[Any]] = {}


def _subclass(cls: type[Any]) -> type[Any]:
    """``cls`` with ``_run``/``_arun`` returning LangGraph's ``Command`` for graphstage's
    (one subclass per tool class). The overrides keep the originals' signatures and type
    hints: langchain-core reads them to decide whether to pass ``run_manager`` and the
    config."""
    if cls in _SUBCLASSES:
        return _SUBCLASSES[cls]
    from langchain_core.tools import BaseTool

    def _run(self: Any, *args: Any, **kwargs: Any) -> Any:
        return to_langgraph(cls._run(self, *args, **kwargs))

    namespace: dict[str, Any] = {"_run": functools.wraps(cls._run)(_run)}
    if cls._arun is not BaseTool._arun:  # else BaseTool._arun runs the _run above

        async def _arun(self: Any, *args: Any, **kwargs: Any) -> Any:
            return to_langgraph(await cls._arun(self, *args, **kwargs))

        namespace["_arun"] = functools.wraps(cls._arun)(_arun)
    namespace["__module__"] = cls.__module__
    return _SUBCLASSES.setdefault(cls, type(cls.__name__, (cls,), namespace))


def to_langgraph(value: Any) -> Any:
    """graphstage's ``Command`` (alone or in a list) as LangGraph's; anything else as is."""
    if isinstance(value, Command):
        return _command(value)
    if isinstance(value, list) and any(isinstance(v, Command) for v in value):
        return [_command(v) if isinstance(v, Command) else v for v in value]
    return value


def _command(command: Command[Any]) -> Any:
    from langgraph.types import Command as LangGraphCommand

    update = command.update
    if isinstance(update, Writes):  # one key written twice: LangGraph's list of pairs
        update = [(k, v) for write in update for k, v in write.items()]
    goto: Any = command.goto
    if isinstance(goto, Send):
        goto = _send(goto)
    elif not isinstance(goto, str) and isinstance(goto, Sequence):
        goto = [_send(g) if isinstance(g, Send) else g for g in goto]
    graph = LangGraphCommand.PARENT if command.graph == Command.PARENT else command.graph
    return LangGraphCommand(update=update, goto=goto, resume=command.resume, graph=graph)


def _send(send: Send) -> Any:
    from langgraph.types import Send as LangGraphSend

    return LangGraphSend(send.node, send.arg, timeout=send.timeout)
