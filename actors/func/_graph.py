"""``Entrypoint``: the compiled graph an ``@entrypoint`` function becomes.

A one-node graph run by graphstage's own runtime (its runs, events, journal, threads and
stop ladder are a graph's); what callers see is LangGraph's entrypoint: the input is the
function's argument, ``invoke`` returns what it returned, the ``values`` stream and
``get_state().values`` show that value, the ``updates`` stream shows each task's result as
``{task: value}`` as it finishes and the function's as ``{entrypoint: value}``.
"""

from __future__ import annotations

import asyncio
import inspect
import typing
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from typing import Any, TypedDict

from pydantic import ConfigDict, create_model

from .._builder import StateGraph
from .._command import Command
from .._constants import END, START
from .._graph import CompiledGraph, _raise_failure
from .._hold import settle_abandoned, watch
from ..checkpoint._state import StateSnapshot
from ..checkpoint.memory import InMemorySaver
from ._chunks import INTERRUPT as _INTERRUPT
from ._chunks import Chunks
from ._codec import decode, encode
from ._node import EntrypointNode


class EntrypointState(TypedDict, total=False):
    """The entrypoint's state: the call's input, what it returned, what it saved."""

    input: Any
    output: Any
    previous: Any


class Entrypoint(CompiledGraph):
    """An ``@entrypoint`` function as a graph: ``invoke``/``ainvoke``/``stream``/
    ``astream``, ``get_state``/``get_state_history`` and ``start`` (a ``Run`` with
    graphstage's ``stop()``), as LangGraph's ``Pregel`` for an entrypoint."""

    def __init__(
        self,
        func: Any,
        *,
        checkpointer: Any = None,
        store: Any = None,
        cache: Any = None,
        context_schema: type[Any] | None = None,
        retry_policy: Any = None,
        name: str | None = None,
        **compile_options: Any,
    ) -> None:
        name = str(name or getattr(func, "__name__", "entrypoint"))
        builder = StateGraph(EntrypointState, context_schema, name=name)
        builder.add_node(name, EntrypointNode(func, name, cache), retry_policy=retry_policy)
        builder.add_edge(START, name)
        builder.add_edge(name, END)
        compiled = builder.compile(
            checkpointer=checkpointer, store=store, name=name, **compile_options
        )
        # the compiled graph's attributes are this graph's (compile() builds one object:
        # taking its fields keeps every check and default it applies in one place)
        self.__dict__.update(compiled.__dict__)
        self.func = func
        """The decorated function."""
        self.input_schema: type[Any] = _input_model(name, func)
        """The function's argument as a model of one field, ``input`` (what the window's
        input form shows; runs take the argument itself)."""

    def graphstage_node(self) -> Callable[..., Any]:
        """This entrypoint as a graph's node (``add_node(entrypoint)``), as LangGraph runs
        it: called with the state, its return value the node's update. It runs as a graph
        invoked inside the node, so a stop of the node reaches it (its cleanup runs)."""

        async def node(state: Any) -> Any:
            run = self.start(state)
            try:
                result = await run.result()
            except asyncio.CancelledError:  # the node is stopped: so is the entrypoint
                await self._settle_outer_cancel(run)
                result = await run.result()
                if result.status != "cancelled" or result.next:
                    raise  # it did not answer the stop (its node did not return)
            _raise_failure(result, self._as_raised)
            return decode((result.state or {}).get("output"))

        node.__name__ = self.name
        return node

    def start(self, input: Any = None, config: dict[str, Any] | None = None, **kw: Any) -> Any:
        """As ``CompiledGraph.start``; ``input`` is the function's argument (``None`` and a
        ``Command(resume=...)`` continue the thread)."""
        if input is not None and not isinstance(input, Command):
            input = {"input": input}
        return super().start(input, config, **kw)

    async def ainvoke(
        self,
        input: Any,
        config: dict[str, Any] | None = None,
        *,
        stream_mode: str | list[str] = "values",
        **kw: Any,
    ) -> Any:
        """Run the function to its end and return what it returned (with the questions
        under ``"__interrupt__"`` if it paused, as LangGraph's)."""
        if stream_mode != "values":
            return [c async for c in self.astream(input, config, stream_mode=stream_mode, **kw)]
        await settle_abandoned(config)  # a stream of this thread left with a break
        run = self.start(input, config, **kw)
        result = await self._settle(run)
        _raise_failure(result, self._as_raised)
        value = decode((result.state or {}).get("output"))
        if result.interrupts:
            ints = list(result.interrupts)
            return {**value, _INTERRUPT: ints} if isinstance(value, dict) else {_INTERRUPT: ints}
        return value

    def astream(
        self,
        input: Any,
        config: dict[str, Any] | None = None,
        *,
        stream_mode: str | list[str] | None = None,
        subgraphs: bool = False,
        **kw: Any,
    ) -> AsyncIterator[Any]:
        """The run's chunks as LangGraph streams an entrypoint's (default mode ``updates``)."""
        asked = "updates" if stream_mode is None else stream_mode
        # task results travel as custom output; the node's update says it has returned
        modes = [asked] if isinstance(asked, str) else list(asked)
        inner = super().astream(
            input, config, stream_mode=list(dict.fromkeys([*modes, "custom", "updates"])), **kw
        )
        stream = self._translated(inner, input, asked, subgraphs)
        watch(stream, [], inner)  # dropped after a break: its run is stopped at once
        return stream

    async def _translated(
        self, inner: AsyncIterator[Any], input: Any, asked: Any, subgraphs: bool
    ) -> AsyncIterator[Any]:
        single = isinstance(asked, str)
        modes = [asked] if isinstance(asked, str) else list(asked)
        chunks = Chunks(self.name, modes, resuming=input is None or isinstance(input, Command))
        async for mode, chunk in inner:
            for out_mode, out in chunks.translate(mode, chunk):
                if subgraphs:  # LangGraph's shape; graphs run inside are not streamed here
                    yield ((), out) if single else ((), out_mode, out)
                else:
                    yield out if single else (out_mode, out)

    def invoke(
        self, input: Any, config: dict[str, Any] | None = None, **kw: Any
    ) -> Any:  # sync wrappers reach ainvoke/astream through the base class
        return super().invoke(input, config, **kw)

    def stream(self, input: Any, config: dict[str, Any] | None = None, **kw: Any) -> Any:
        return super().stream(input, config, **kw)

    def update_state(
        self, config: dict[str, Any], values: Any, as_node: str | None = None
    ) -> dict[str, Any]:
        """As LangGraph's for an entrypoint: ``values`` becomes the thread's value and what
        its next call receives as ``previous``, as if the function had returned it."""
        values, as_node = self._as_return(values, as_node)
        return super().update_state(config, values, as_node)

    async def aupdate_state(
        self, config: dict[str, Any], values: Any, as_node: str | None = None
    ) -> dict[str, Any]:
        values, as_node = self._as_return(values, as_node)
        return await super().aupdate_state(config, values, as_node)

    def _as_return(self, values: Any, as_node: str | None) -> tuple[Any, str | None]:
        if values is None or as_node not in (None, self.name):
            return values, as_node  # graphstage's own (edit_state: the state's fields)
        if self.checkpointer is not None and not isinstance(self.checkpointer, InMemorySaver):
            values = encode(values)  # a saver keeping JSON: its types come back when read
        return {"output": values, "previous": values}, self.name

    def get_state(self, config: dict[str, Any], *, subgraphs: bool = False) -> StateSnapshot:
        return _snapshot(super().get_state(config, subgraphs=subgraphs))

    async def aget_state(self, config: dict[str, Any], *, subgraphs: bool = False) -> Any:
        return self.get_state(config, subgraphs=subgraphs)

    def get_state_history(self, config: dict[str, Any], **kw: Any) -> Iterator[StateSnapshot]:
        for snap in super().get_state_history(config, **kw):
            yield _snapshot(snap)

    async def aget_state_history(
        self, config: dict[str, Any], **kw: Any
    ) -> AsyncIterator[StateSnapshot]:
        for snap in self.get_state_history(config, **kw):
            yield snap

    def __repr__(self) -> str:
        return f"<Entrypoint {self.name!r}>"


def _input_model(name: str, func: Any) -> type[Any]:
    """A pydantic model whose one required field ``input`` has the type of the function's
    first parameter (``Any`` if it has none pydantic can build a field of)."""
    try:
        hints = typing.get_type_hints(func)
    except Exception:  # an annotation that does not resolve: the form edits JSON
        hints = {}
    first = next(iter(inspect.signature(func).parameters), None)
    kind = hints.get(first, Any) if first is not None else Any
    config = ConfigDict(arbitrary_types_allowed=True)
    try:
        return create_model(f"{name}_input", __config__=config, input=(kind, ...))
    except Exception:  # a type pydantic cannot make a field of
        return create_model(f"{name}_input", __config__=config, input=(Any, ...))


def _snapshot(snap: StateSnapshot) -> StateSnapshot:
    # LangGraph's snapshot of an entrypoint holds its value, whatever its type, and its
    # tasks' results are the value returned (the input, for the input's task)
    values: Any = snap.values
    value: Any = decode(values.get("output")) if isinstance(values, Mapping) else values
    tasks = tuple(t._replace(result=_task_result(t.result)) for t in snap.tasks)
    return snap._replace(values=value, tasks=tasks)


def _task_result(result: Any) -> Any:
    if isinstance(result, Mapping):
        if "output" in result:
            return decode(result["output"])
        if set(result) == {"input"}:
            return result["input"]
    return result
