"""The stop ladder under fire: random graphs, random node behaviours, stops at random moments.

Each example draws a graph (chains, conditional branches, fan-out and joins, loops bounded by
the recursion limit), what each node does when a stop reaches it (see
``ladder_oracle.BEHAVIOURS``), and one or two of stop / drain / kill / cancelling the awaiting
task at a random moment. Every example is checked against DESIGN.md's ladder by
``ladder_oracle.Ladder`` and against what the nodes' code really did.
"""

from __future__ import annotations

import asyncio
import gc
import itertools
import time
from dataclasses import dataclass, field
from typing import Any

import pytest
from hypothesis import currently_in_test_context, event, given
from hypothesis import strategies as st
from ladder_oracle import (
    BEHAVIOURS,
    CLEANUPS,
    GraphSpec,
    Ladder,
    Recorder,
    WorkNode,
    answers_match_what_nodes_did,
    build,
    skeleton,
)

from graphstage import (
    END,
    Journal,
    NodeStarted,
    RunFinished,
    StateUpdated,
    StopRequested,
    SurvivingTaskError,
    dump_event,
)

pytestmark = pytest.mark.anyio

KNOWN_BUGS: frozenset[str] = frozenset()
"""Runtime bugs still open (see /tmp/graphstage_bugs.md): the oracle tolerates exactly these."""

CANCEL_REACH = 0.05
"""Seconds a Cancel may take from its StopRequested to the node (a few loop iterations)."""

SLACK = 0.1
"""Seconds a run may take to settle beyond what its stop allows (grace, drained work)."""


# -- what hypothesis draws -----------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    kind: str
    """``stop``, ``drain``, ``kill`` or ``outer`` (cancel the task awaiting ``ainvoke`` or
    iterating ``astream``)."""
    after_event: int
    """Fire once this many events were published (-1: right after ``start``); if the run
    ends first, fire on the ended run (which must ignore it)."""
    delay_ms: int
    """Then wait this long (for the second action: after the first one)."""


def work_nodes(name: str) -> st.SearchStrategy[WorkNode]:
    return st.builds(
        WorkNode,
        name=st.just(name),
        # a raising node fails the whole run: draw it less often than the others
        behaviour=st.sampled_from([*BEHAVIOURS, *(b for b in BEHAVIOURS if b != "raises")]),
        # mostly short; now and then long, so a Cancel that got lost would show
        work_ms=st.sampled_from([*range(1, 26), 300, 300]),
        cleanup=st.sampled_from(CLEANUPS),
        on_cancel=st.none() | st.sampled_from(CLEANUPS),
        sync_goto=st.booleans(),
    )


@st.composite
def graph_specs(draw: st.DrawFn) -> GraphSpec:
    shape = draw(st.sampled_from(["chain", "branch", "fan_join", "loop", "random"]))
    n = draw(st.integers(1, 5) if shape in ("chain", "random") else st.integers(3, 5))
    names = [f"w{i}" for i in range(n)]
    nodes = tuple(draw(work_nodes(name)) for name in names)
    entry: tuple[str, ...] = ("w0",)
    edges: list[tuple[str, str]] = []
    branches: list[tuple[str, tuple[str, ...]]] = []
    joins: list[tuple[tuple[str, ...], str]] = []
    if shape == "chain":
        edges = [(a, b) for a, b in zip(names, [*names[1:], END], strict=True)]
    elif shape == "branch":  # w0 -> w1 or w2 (by the state) -> the rest in a chain
        branches = [("w0", ("w1", "w2"))]
        edges = [("w1", names[3] if n > 3 else END), ("w2", names[3] if n > 3 else END)]
        if n > 3:
            edges += [(a, b) for a, b in zip(names[3:], [*names[4:], END], strict=True)]
    elif shape == "fan_join":  # START -> w0, w1 (and w2?) -> join -> the last
        sources = names[: n - 1]
        entry = tuple(sources)
        joins = [(tuple(sources), names[-1])]
    elif shape == "loop":  # w0 -> ... -> w_last -> back to w0 or END, by the state
        edges = [(a, b) for a, b in itertools.pairwise(names)]
        branches = [(names[-1], tuple(draw(st.permutations(["w0", "w0", END]))))]
    else:
        if n > 1 and draw(st.booleans()):
            entry = ("w0", "w1")
        for i, name in enumerate(names):
            later = [*names[i + 1 :], END]
            kind = draw(st.sampled_from(["edge", "fan", "branch", "end"]))
            if kind == "edge" or (kind == "fan" and len(later) < 3):
                edges.append((name, draw(st.sampled_from(later))))
            elif kind == "fan":
                a, b = draw(
                    st.lists(st.sampled_from(later[:-1]), min_size=2, max_size=2, unique=True)
                )
                edges += [(name, a), (name, b)]
            elif kind == "branch":  # may go back: loops end by END or the recursion limit
                targets = draw(st.lists(st.sampled_from([*names, END]), min_size=1, max_size=3))
                branches.append((name, tuple(targets)))
        if n >= 3 and draw(st.booleans()):
            a, b = draw(st.lists(st.sampled_from(names[:-1]), min_size=2, max_size=2, unique=True))
            joins.append(((a, b), names[-1]))
    return GraphSpec(
        nodes=nodes,
        entry=entry,
        edges=tuple(edges),
        branches=tuple(branches),
        joins=tuple(joins),
        # not shorter: a full garbage collection on this 2-core machine can pause the loop
        # for tens of milliseconds, and a node that answers after its grace is (rightly)
        # escalated, which the oracle would read as a lost answer
        cancel_grace=draw(st.sampled_from([0.15, 0.25])),
        recursion_limit=draw(st.integers(3, 10)),
    )


def actions(first: list[str], second: list[str]) -> st.SearchStrategy[list[Action]]:
    def action(kinds: list[str], lowest: int) -> st.SearchStrategy[Action]:
        return st.builds(
            Action,
            kind=st.sampled_from(kinds),
            after_event=st.integers(lowest, 15),
            delay_ms=st.sampled_from([0, 0, 1, 3, 10, 30]),
        )

    lowest = 0 if "outer" in first else -1  # the outer task must have started its run
    one = action(first, lowest).map(lambda a: [a])
    if not second:
        return one
    two = st.tuples(action(first, lowest), action(second, 0)).map(list)
    return one | two


# -- running one example ---------------------------------------------------------------------


@dataclass
class Outcome:
    run: Any
    result: Any
    streamed: list[Any]
    first_stop_at: float | None = None
    """``time.time()`` of the first action that reached a running run."""
    first_kind: str = ""
    kill_called: bool = False
    raised_by_steering: list[BaseException] = field(default_factory=list)
    outer_task_error: BaseException | None = None
    """What the task awaiting ``ainvoke`` / iterating ``astream`` ended with (``outer``)."""


async def drive(
    graph: Any, spec: GraphSpec, plan: list[Action], journal: Journal, via: str = "ainvoke"
) -> Outcome:
    config = {"recursion_limit": spec.recursion_limit}
    task: asyncio.Task[Any] | None = None
    if plan[0].kind == "outer":
        graph.journal = journal
        started: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        start = graph.start

        def start_and_capture(*args: Any, **kwargs: Any) -> Any:
            run = start(*args, **kwargs)
            started.set_result(run)
            return run

        graph.start = start_and_capture
        if via == "astream":

            async def consume() -> None:
                # held as the stream holds it: a stop may find it between steps or before
                # a step is applied (the custom mode hands chunks over while tasks run)
                modes = ["custom", "updates", "values"]
                async for _ in graph.astream({}, config, stream_mode=modes):
                    pass

            task = asyncio.create_task(consume())
        else:
            task = asyncio.create_task(graph.ainvoke({}, config))
        run = await started
    else:
        run = graph.start({}, config, journal=journal)
    out = Outcome(run, None, [])
    pending = list(plan)

    async def fire() -> None:
        for i, action in enumerate(pending):
            if i and action.delay_ms:
                await asyncio.sleep(action.delay_ms / 1000)  # the random moment, not a sync
            if out.first_stop_at is None and not run.done:
                out.first_stop_at, out.first_kind = time.time(), action.kind
            if not run.done and (action.kind == "kill" or (action.kind == "outer" and i)):
                out.kill_called = True  # a second outer cancel kills the run
            try:
                if action.kind == "stop":
                    run.stop()
                elif action.kind == "drain":
                    run.stop(drain=True)
                elif action.kind == "kill":
                    run.kill()
                else:
                    assert task is not None
                    task.cancel()
            except Exception as exc:  # steering must never raise: collected and asserted
                out.raised_by_steering.append(exc)
        pending.clear()

    async def fire_first_after_delay() -> None:
        if pending[0].delay_ms:
            await asyncio.sleep(pending[0].delay_ms / 1000)  # the random moment, not a sync
        await fire()

    if pending[0].after_event == -1:
        await fire_first_after_delay()
    async for published in run.events():
        out.streamed.append(published)
        if pending and len(out.streamed) - 1 == pending[0].after_event:
            await fire_first_after_delay()
    if pending:  # the run ended before the moment came: steering an ended run is a no-op
        await fire()
    out.result = await asyncio.wait_for(run.result(), 10)
    if task is not None:
        try:
            await asyncio.wait_for(task, 10)
        except BaseException as exc:  # CancelledError is what we look for
            out.outer_task_error = exc
    return out


async def check(
    spec: GraphSpec, rec: Recorder, out: Outcome, journal: Journal, via: str = "ainvoke"
) -> None:
    run, result = out.run, out.result
    events = list(run.event_log)

    # nothing steering the run raised, and it settled exactly once, last, with seq contiguous
    assert out.raised_by_steering == []
    assert [e.seq for e in events] == list(range(len(events)))
    assert [type(e) for e in events].count(RunFinished) == 1
    assert isinstance(events[-1], RunFinished)
    assert events[-1].status == result.status
    assert [e.time for e in events] == sorted(e.time for e in events)

    # the stream, the event log and the journal hold the same events
    assert out.streamed == events
    journaled = journal.events(run.run_id)
    assert [dump_event(e) for e in journaled] == [dump_event(e) for e in events]
    assert journal.error is None

    # the final state is the input with every step's delta applied, and so is the journal's
    # last checkpoint (rebuilt from its deltas and snapshots)
    values = events[0].input.model_dump()
    checkpoints = [e for e in events if isinstance(e, StateUpdated)]
    for checkpoint in checkpoints:
        values = checkpoint.apply(values)
    assert result.state.model_dump() == values == events[-1].values.model_dump()
    if checkpoints:
        assert journal.checkpoints(run.run_id)[-1].values == values

    # every decision is the one the ladder prescribes for what the nodes answered
    actual = skeleton(events)
    ladder = Ladder(
        spec, actual, kill_called=out.kill_called, known_bugs=KNOWN_BUGS, held=via == "astream"
    )
    assert actual == ladder.expected_skeleton()
    assert answers_match_what_nodes_did(actual, rec, spec, KNOWN_BUGS) == []

    if currently_in_test_context():
        cover(actual, result.status, out.first_kind)

    # a Cancel is not lost: a node told to stop that still finished its whole work did so
    # before the Cancel could reach it (a lost Cancel shows with the long-working nodes)
    step = 0
    for e in events:
        if isinstance(e, NodeStarted):
            step = e.step
        elif isinstance(e, StopRequested) and e.mode == "graceful":
            for node in e.nodes:
                finished = rec.finished_at.get((node, step))
                assert finished is None or finished <= e.time + CANCEL_REACH, (node, step)

    # each cleanup node ran once where it was routed to, and never where it was not
    started_cleanups = sorted(e[1] for e in actual if e[0] == "NodeStarted" and e[1] in CLEANUPS)
    finished_cleanups = sorted(e[1] for e in actual if e[0] == "NodeFinished" and e[1] in CLEANUPS)
    ran_cleanups = sorted(n for n, _, what in rec.notes if what == "cleanup")
    assert len(set(started_cleanups)) == len(started_cleanups)
    assert set(finished_cleanups) <= set(ran_cleanups) <= set(started_cleanups)
    assert len(set(ran_cleanups)) == len(ran_cleanups)

    # the error names what ended the run
    error = result.error
    if result.status in ("completed", "cancelled"):
        assert error is None
    elif result.status == "failed":
        assert type(error).__name__ in ("Boom", "GraphRecursionError"), error
    elif out.kill_called:  # by the kill, or by an escalation the kill raced
        assert error is None or isinstance(error, SurvivingTaskError | TimeoutError), error
    else:
        assert isinstance(error, TimeoutError), error  # escalated with nothing to route to

    # an outer cancel re-raises CancelledError to the awaiting task, after the run settled
    if out.first_kind == "outer":
        assert isinstance(out.outer_task_error, asyncio.CancelledError)

    # the run settled within the grace (plus the drained node's remaining work) of the stop
    if out.first_stop_at is not None:
        bound = SLACK
        if out.first_kind in ("stop", "outer", "drain"):
            bound += spec.cancel_grace
        if out.first_kind == "drain":
            bound += spec.max_work
        assert events[-1].time - out.first_stop_at <= bound

    # no graphstage task, and no worker thread inside a node, is left behind
    await asyncio.sleep(0)
    leftovers = [
        t.get_name()
        for t in asyncio.all_tasks()
        if t.get_name().startswith("graphstage") and not t.done()
    ]
    assert leftovers == []
    if rec.threads_in_nodes:  # a thread abandoned by a kill must be named in the result
        assert isinstance(error, SurvivingTaskError), (rec.threads_in_nodes, error)
        assert "(its worker thread)" in str(error)
    # they poll ctx.cancel_requested (a Kill sets it too): they end within a few ms
    assert await asyncio.to_thread(rec.no_threads_in_nodes.wait, 1.0)


def cover(actual: list[tuple[Any, ...]], status: str, first_kind: str) -> None:
    """Label the example for ``pytest --hypothesis-show-statistics``."""
    event(f"status: {status}")
    event(f"stop reached a running run: {first_kind or 'no'}")
    for e in set(actual):
        if e[0] == "NodeCancelled":
            event(f"a node was cancelled: {e[3]}")
        elif e[0] == "NodeFinished" and e[4]:
            event("a node answered the stop with its return")
        elif e[0] == "Transition" and e[3] == "cancel_route":
            event("an on_cancel route was taken")
        elif e[0] == "NodeStarted" and e[3]:
            event("a shielded cleanup ran")
        elif e[:3] == ("StopRequested", "graceful", ()):
            event("a stop found no node running (held by its stream, or at the end)")


async def run_example(
    spec: GraphSpec, plan: list[Action], journal: Journal, via: str = "ainvoke"
) -> None:
    rec = Recorder()
    graph = build(spec, rec, kill_timeout=0.2)
    # The timing checks (grace + 100 ms, a Cancel reaching its node) measure the runtime,
    # not the collector: a full collection of this test process's heap can pause the loop
    # for longer than the slack, so none runs while the example is timed (and what survives
    # is frozen, so the next example's collection stays short).
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        out = await drive(graph, spec, plan, journal, via)
    finally:
        gc.enable()
    await check(spec, rec, out, journal, via)


# -- the properties -------------------------------------------------------------------------


@given(spec=graph_specs(), plan=actions(["stop", "drain"], ["stop", "drain"]))
async def test_every_graceful_stop_follows_the_ladder(
    spec: GraphSpec, plan: list[Action], journal: Journal
) -> None:
    await run_example(spec, plan, journal)


@given(
    spec=graph_specs(),
    plan=actions(["kill", "stop", "drain"], ["kill"]).filter(
        lambda plan: any(a.kind == "kill" for a in plan)
    ),
)
async def test_a_kill_at_any_moment_ends_the_run_killed_and_leaves_nothing_behind(
    spec: GraphSpec, plan: list[Action], journal: Journal
) -> None:
    await run_example(spec, plan, journal)


@given(
    spec=graph_specs(),
    plan=actions(["outer"], ["outer"]),
    via=st.sampled_from(["ainvoke", "astream"]),
)
async def test_cancelling_the_awaiting_task_stops_the_run_then_reraises(
    spec: GraphSpec, plan: list[Action], via: str, journal: Journal
) -> None:
    await run_example(spec, plan, journal, via)
