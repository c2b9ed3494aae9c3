"""What ``StateGraph.compile()`` checks before it builds a graph: every name an edge,
branch, ``on_cancel`` or breakpoint uses exists, the graph has an entry point, the time
limits are real, and each node's executor can run it. Every problem is named, together."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ._constants import END, START
from ._errors import GraphError
from .executors import LOCAL
from .store import is_store

if TYPE_CHECKING:
    from ._builder import StateGraph
    from .executors import Executor


def check_compile(
    builder: StateGraph,
    *,
    cancel_grace: float,
    outer_cancel: str,
    cleanup_timeout: float | None,
    kill_timeout: float,
    executor: Executor | None,
    checkpointer: Any,
    interrupt_before: Sequence[str] | str | None,
    interrupt_after: Sequence[str] | str | None,
    store: Any,
) -> tuple[dict[str, Executor], dict[str, tuple[str, ...]]]:
    """Raise ``GraphError`` naming every problem of ``builder`` compiled with
    these options; else return each node's executor and the breakpoints, by option."""
    problems = [*builder._problems, *_name_problems(builder)]
    problems += _limit_problems(cancel_grace, kill_timeout, cleanup_timeout, outer_cancel)
    executors = _placements(builder, executor, problems)
    breakpoints = {
        "interrupt_before": _names(interrupt_before),
        "interrupt_after": _names(interrupt_after),
    }
    for option, names in breakpoints.items():
        for name in names:
            if name != "*" and name not in builder.nodes:
                problems.append(f"{option} names node '{name}', which does not exist")
    if (
        checkpointer is not None
        and not isinstance(checkpointer, bool)
        and not _is_saver(checkpointer)
    ):
        problems.append(
            f"Invalid checkpointer provided: checkpointer={checkpointer!r} "
            f"({type(checkpointer).__name__}) is not a graphstage saver; use "
            f"graphstage's InMemorySaver() or SqliteSaver(path), True, False or None"
        )
        # LangGraph raises TypeError here: a program catching it still does
        error: type[GraphError] = _CheckpointerError
    else:
        error = GraphError
    if store is not None and not is_store(store):
        problems.append(f"store={store!r} is not a store; use InMemoryStore()")
    if problems:
        raise error("; ".join(problems))
    return executors, breakpoints


class _CheckpointerError(GraphError, TypeError):
    """compile(checkpointer=...) was given something that is no saver: a ``GraphError``
    that is also the ``TypeError`` LangGraph raises."""


def _name_problems(builder: StateGraph) -> list[str]:
    """Every name an edge, branch, ``on_cancel`` or ``destinations`` uses must be a node
    (or START/END); the graph needs an entry point."""
    problems: list[str] = []
    known = ", ".join(builder.nodes) or "(none yet)"

    def check(name: str, what: str, words: str = "") -> None:
        if name not in builder.nodes and name not in (START, END):
            problems.append(
                f"{words}{what}: node '{name}' does not exist; add it with "
                f"add_node('{name}', ...) first (known nodes: {known})"
            )

    # an edge's problem begins with LangGraph's words, which programs match on
    for src, dst in builder.edges:
        check(src, f"add_edge('{src}', '{dst}')", f"Found edge starting at unknown node '{src}': ")
        check(dst, f"add_edge('{src}', '{dst}')", f"Found edge ending at unknown node `{dst}`: ")
        if dst == START:
            problems.append(f"add_edge('{src}', START): no edge may lead into START")
        if src == END:
            problems.append(f"add_edge(END, '{dst}'): no edge may leave END")
    for sources, dst in builder.joins:
        for src in sources:
            check(src, f"add_edge({list(sources)!r}, '{dst}')")
        check(dst, f"add_edge({list(sources)!r}, '{dst}')")
    for branch in builder.branches:
        check(branch.source, f"add_conditional_edges('{branch.source}', ...)")
        for target in branch.targets():
            check(target, f"the path_map of add_conditional_edges('{branch.source}', ...)")
    for spec in builder.nodes.values():
        if spec.on_cancel is not None:
            check(spec.on_cancel, f"add_node('{spec.name}', on_cancel='{spec.on_cancel}')")
        for dst in spec.destinations:
            check(dst, f"add_node('{spec.name}', destinations=...)")
    if not any(src == START for src, _ in builder.edges) and not any(
        b.source == START for b in builder.branches
    ):
        problems.append("the graph has no entry point: add add_edge(START, 'first_node')")
    return problems


def _limit_problems(
    cancel_grace: float, kill_timeout: float, cleanup_timeout: float | None, outer_cancel: str
) -> list[str]:
    """The stop ladder's time limits and ``outer_cancel``."""
    problems: list[str] = []
    for what, seconds in (("cancel_grace", cancel_grace), ("kill_timeout", kill_timeout)):
        if not _positive_seconds(seconds):
            problems.append(f"{what} must be a finite positive number of seconds, not {seconds!r}")
    if cleanup_timeout is not None and not _positive_seconds(cleanup_timeout):
        problems.append(
            f"cleanup_timeout must be a finite positive number of seconds, or None (no "
            f"limit), not {cleanup_timeout!r}"
        )
    if outer_cancel not in ("graceful", "hard"):
        problems.append(f"outer_cancel must be 'graceful' or 'hard', not {outer_cancel!r}")
    return problems


def _placements(
    builder: StateGraph, executor: Executor | None, problems: list[str]
) -> dict[str, Executor]:
    """Each node's executor; a node its executor cannot run is added to ``problems``."""
    from ._subgraph import subgraph_of

    # a subgraph node only waits for its own run, whose nodes go where the subgraph
    # was compiled to put them: it stays here unless placed explicitly
    executors = {
        n: builder.placements.get(
            n, LOCAL if subgraph_of(spec.fn) is not None else executor or LOCAL
        )
        for n, spec in builder.nodes.items()
    }
    for node, placed in executors.items():
        if not (callable(getattr(placed, "prepare", None)) and hasattr(placed, "handle")):
            problems.append(
                f"node '{node}': executor {placed!r} is not an executor (it needs "
                f"prepare() and handle(); e.g. LocalExecutor() or graphstage.ray.RayExecutor)"
            )
            continue
        try:
            placed.prepare(builder.nodes[node])
        except GraphError as exc:
            problems.append(str(exc))
    return executors


def _positive_seconds(value: object) -> bool:
    """A time limit the supervisor can wait on: a real, finite, positive number (NaN
    compares false with everything, so a NaN grace would never expire: a busy loop)."""
    return (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and math.isfinite(value)
        and value > 0
    )


def _names(value: Sequence[str] | str | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)


def _is_saver(value: Any) -> bool:
    from .checkpoint import BaseCheckpointSaver

    return isinstance(value, BaseCheckpointSaver)
