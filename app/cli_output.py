"""The CLI's output: events and journal records formatted for the terminal or as JSON
lines, and the read-only commands ``runs``, ``show`` and ``graph``. Imports no Qt."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from typing import Any

from graphstage import Event, Journal, Run, RunRecord, dump_event, dump_event_json, jsonable
from graphstage.app.cli_input import _safe
from graphstage.app.loader import load_graph
from graphstage.app.outcomes import Durations, node_outcome


def say(message: str) -> None:
    """One line to the person at the terminal (stderr: stdout carries the events)."""
    print(f"graphstage: {_safe(message)}", file=sys.stderr, flush=True)


async def print_events(run: Run, as_json: bool) -> None:
    """Print ``run``'s events as they come. If stdout closes (``graphstage run ... | head``)
    the run is stopped gracefully, as by Ctrl+C (its cleanup route runs), and its events
    are still journaled; the rest of the output goes nowhere."""
    closed = False
    async for event in run.events():
        if closed:
            continue
        try:
            _print_event(event, as_json)
        except BrokenPipeError:
            closed = True
            _silence_stdout()
            say("stdout was closed: stopping the run gracefully")
            run.stop(reason="stdout closed")


def _silence_stdout() -> None:
    """Point stdout at the null device: what is still buffered, and every later print, is
    dropped (also by the interpreter's flush at exit, which would report the closed pipe)."""
    try:
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())
        os.close(null)
    except (OSError, ValueError):  # no file descriptor (a test's capture): nothing to do
        pass


def _print_event(event: Event, as_json: bool) -> None:
    if as_json:
        sys.stdout.buffer.write(dump_event_json(event) + b"\n")
        sys.stdout.flush()
        return
    for line in format_event(event):
        print(_safe(line, keep="\n\t"), flush=True)


def format_event(event: Event) -> list[str]:
    """The event as human-readable lines (usually one)."""
    d = dump_event(event)
    kind = d["kind"]
    step = f"[step {d.get('step')}]"
    if kind == "run_started":
        resumed = f", resuming run {d['resumed_from'][:12]}" if d.get("resumed_from") else ""
        return [f"run {d['run_id']} started: graph {d['graph']}, input {_j(d['input'])}{resumed}"]
    if kind == "transition":
        why = d["reason"] + (" after stop" if d["after_stop"] else "")
        if d.get("branch") is not None:
            why = f"{why}: {d['branch']}"
        return [f"{step} {_node(d['src'])} -> {_node(d['dst'])} ({why})"]
    if kind == "node_started":
        _DURATIONS.started(event)
        where = f" on {d['where']}" if d.get("where") else ""
        shielded = " (shielded)" if d["shielded"] else ""
        return [f"{step} {d['node']} started{where}{shielded}"]
    if kind == "custom_output":
        data = d["data"]
        return [f"{step} {d['node']}: {data if isinstance(data, str) else _j(data)}"]
    if kind == "node_finished":
        extras = []
        if d["update"]:
            extras.append(f"update {_j(d['update'])}")
        if d["goto"]:
            extras.append(f"goto {', '.join(map(_node, d['goto']))}")
        outcome, how = node_outcome(event)
        if how:
            extras.insert(0, how)
        line = f"{step} {d['node']} {outcome} after {_DURATIONS.of(event):.2f}s"
        return [line + (": " + ", ".join(extras) if extras else "")]
    if kind == "node_cancelled":
        outcome, how = node_outcome(event)
        return [f"{step} {d['node']} {outcome} ({how}) after {_DURATIONS.of(event):.2f}s"]
    if kind == "node_interrupted":
        questions = [i["value"] for i in d["interrupts"]]
        asked = "; ".join(q if isinstance(q, str) else _j(q) for q in questions)
        return [f"{step} {d['node']} waits for an answer: {asked}"]
    if kind == "node_failed":
        return [f"{step} {d['node']} failed: {d['error_type']}: {d['error']}"]
    if kind == "stop_requested":
        told = f", telling {', '.join(d['nodes'])}" if d["nodes"] else ""
        grace = f", grace {d['grace']:g}s" if d["mode"] == "graceful" else ""
        return [f"stop requested ({d['mode']}, by {d['reason']}){told}{grace}"]
    if kind == "state_updated":
        nxt = f"; next {', '.join(d['next'])}" if d["next"] else ""
        return [f"{step} state updated {_j(d['update'])}{nxt}"]
    if kind == "run_finished":
        lines = [
            f"run {d['run_id']} {d['status']} after {d['steps']} step(s)"
            + (f": {d['error']}" if d["error"] else "")
            + (f"; resumable at {', '.join(d['next'])}" if d["next"] else "")
        ]
        lines.append(f"final state: {_j(d['values'])}")
        return lines
    return [f"{kind}: {_j(d)}"]


_DURATIONS = Durations()
"""Start times of the nodes printed, for the time of a killed or escalated node."""


def _node(name: str) -> str:
    return {"__start__": "START", "__end__": "END"}.get(name, name)


def _j(value: Any) -> str:
    """``value`` as JSON text; a live value JSON cannot hold (an interrupt()'s question that
    is a cycle, or an object whose repr raises) gets the journal's markers."""
    try:
        return json.dumps(value, ensure_ascii=False, default=str)
    except Exception:  # a cycle, a str()/repr() that raises, nesting too deep
        return json.dumps(jsonable(value), ensure_ascii=False)


def _record_json(r: RunRecord) -> dict[str, Any]:
    return {
        "run_id": r.run_id,
        "graph": r.graph,
        "spec": r.spec,
        "status": r.status,
        "started": r.started,
        "finished": r.finished,
        "duration": r.duration,
        "steps": r.steps,
        "resumed_from": r.resumed_from,
        "error": r.error,
        "input": r.input,
        "values": r.values,
        "next": list(r.next),
        "damaged": r.damaged,
    }


def _cmd_runs(ns: argparse.Namespace) -> int:
    with Journal(ns.db) as journal:
        records = journal.runs(limit=ns.limit, status=ns.status)
    if ns.json:
        for r in records:
            print(json.dumps(_record_json(r)))
        return 0
    if not records:
        print(f"no runs in {_safe(journal.path)}")
        return 0
    print(f"{'RUN':12}  {'STARTED':19}  {'DURATION':>8}  {'STATUS':11}  {'STEPS':>5}  GRAPH")
    for r in records:
        duration = "-" if r.duration is None else f"{r.duration:.2f}s"
        resumed = f" (resumes {_safe(r.resumed_from[:12])})" if r.resumed_from else ""
        status = "damaged" if r.damaged else r.status
        print(
            f"{_safe(r.run_id[:12]):12}  {_when(r.started):19}  {duration:>8}  "
            f"{_safe(status):11}  {r.steps:>5}  {_safe(r.graph)}{resumed}"
        )
    for r in records:
        if r.damaged:
            print(f"run {_safe(r.run_id[:12])} is damaged: {_safe(r.damaged)}")
    return 0


def _when(timestamp: float) -> str:
    try:
        return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(timestamp))
    except (OverflowError, OSError, ValueError):  # a crafted time
        return "?"


def _cmd_show(ns: argparse.Namespace) -> int:
    damaged: list[str] = []
    with Journal(ns.db) as journal:
        record = journal.run(ns.run_id)
        events = journal.events(record.run_id, damaged)
    if record.damaged:
        damaged.insert(0, f"run {record.run_id}: {record.damaged}")
    for event in events:
        _print_event(event, ns.json)
    for line in damaged:  # shown, never fatal
        print(f"graphstage show: damaged journal row: {_safe(line)}", file=sys.stderr)
    if not ns.json and record.status in ("running", "interrupted"):
        print(
            f"run {record.run_id[:12]} is {record.status}"
            + (
                f"; `graphstage resume {record.run_id[:12]}` goes on from its last checkpoint"
                if record.status == "interrupted"
                else ""
            )
        )
    return 0


def _cmd_graph(ns: argparse.Namespace) -> int:
    graph = load_graph(ns.graph)
    if ns.mermaid:  # names with control characters escaped, as every line we print
        sys.stdout.write(_safe(graph.draw_mermaid(), keep="\n"))
        return 0
    print(_safe(f"graph {graph.name}: nodes {', '.join(graph.nodes)}"))
    for edge in graph.edges_for_drawing():
        key = f": {edge.label}" if edge.label else ""
        print(_safe(f"  {edge.src} -> {edge.dst} ({edge.kind}{key})"))
    return 0
