"""A state that grows: the cost of one step when the state holds N chat messages.

    python tests/benchmarks/growing_state.py                  # N = 10, 1k, 10k, 50k
    python tests/benchmarks/growing_state.py --sizes 10 1000 --steps 20 --repeat 3

The state is a list of N chat-message dicts with an ``operator.add`` reducer (plus a
counter); a chain of nodes each appends one message. graphstage and LangGraph run the same
graphs in the same process, interleaved, on the same loop: TypedDict and pydantic states,
and with persistence (graphstage's journal; LangGraph's ``AsyncSqliteSaver``, from
``langgraph-checkpoint-sqlite``, in the ``bench`` extra) on a temporary file.

"A step" is measured inside a run of S steps: each node notes ``perf_counter()`` when it is
called, and a step is (last note - first note) / (S - 1), so the one-off costs of a run
(validating the N input messages, a checkpoint thread, the final write) stay out and what
remains is what every further step of a long conversation costs, everything between two
node calls included (merging, validation, events, routing, the checkpointer's writes).
Best of ``--repeat`` runs, in microseconds (the machine is shared: the best run is the one
least disturbed by other work; both libraries are measured the same way, interleaved).
With persistence, also the file's growth per step: (growth over a run of B + S steps -
growth over a run of B steps) / S, in bytes, once the write-ahead log is folded in.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import operator
import sqlite3
import sys
import tempfile
import time
import uuid
from contextlib import closing
from pathlib import Path
from typing import Annotated, Any, TypedDict

from pydantic import BaseModel

import graphstage

Message = dict[str, str]


class DictState(TypedDict):
    messages: Annotated[list[Message], operator.add]
    turns: int


class ModelState(BaseModel):
    messages: Annotated[list[Message], operator.add] = []
    turns: int = 0


def _turns(state: Any) -> int:
    return state["turns"] if isinstance(state, dict) else state.turns


STAMPS: list[float] = []


async def reply(state: Any) -> dict[str, Any]:
    STAMPS.append(time.perf_counter())
    turn = _turns(state) + 1
    return {"messages": [{"role": "assistant", "content": f"reply {turn}"}], "turns": turn}


def conversation(n: int) -> list[Message]:
    return [
        {"role": "user" if i % 2 else "assistant", "content": f"message number {i}"}
        for i in range(n)
    ]


def build(lib: Any, state: type[Any], steps: int, **compile_kw: Any) -> Any:
    builder = lib.StateGraph(state)
    for i in range(steps):
        builder.add_node(f"n{i}", reply)
        builder.add_edge(lib.START if i == 0 else f"n{i - 1}", f"n{i}")
    builder.add_edge(f"n{steps - 1}", lib.END)
    return builder.compile(**compile_kw)


class Case:
    """One framework and configuration: ``run(n, steps)`` returns seconds for one run."""

    def __init__(self, name: str, lib: Any, state: type[Any], persist: str | None) -> None:
        self.name = name
        self.lib = lib
        self.state = state
        self.persist = persist
        self.graphs: dict[int, Any] = {}
        self.saver: Any = None
        self.db: Path | None = None

    async def open(self, tmp: Path) -> None:
        self.db = tmp / f"{self.name.replace(' ', '_').replace('+', '')}.sqlite3"
        if self.persist == "journal":
            self.saver = graphstage.Journal(self.db)
        elif self.persist == "async_sqlite":
            import aiosqlite
            from langgraph.checkpoint.sqlite.aio import AsyncSqliteSaver

            self.conn = await aiosqlite.connect(str(self.db))
            self.saver = AsyncSqliteSaver(self.conn)
            await self.saver.setup()

    async def close(self) -> None:
        if self.persist == "journal":
            self.saver.close()
        elif self.persist == "async_sqlite":
            await self.conn.close()

    def graph(self, steps: int) -> Any:
        if steps not in self.graphs:
            if self.lib is graphstage:
                kw = {"journal": self.saver} if self.persist else {}
            else:
                kw = {"checkpointer": self.saver} if self.persist else {}
            self.graphs[steps] = build(self.lib, self.state, steps, **kw)
        return self.graphs[steps]

    async def run(self, n: int, steps: int) -> float:
        """Seconds per step inside one run of ``steps`` steps."""
        graph = self.graph(steps)
        inp = {"messages": conversation(n), "turns": 0}
        config: dict[str, Any] = {"recursion_limit": steps + 10}
        if self.persist == "async_sqlite":
            config["configurable"] = {"thread_id": uuid.uuid4().hex}
        STAMPS.clear()
        out = await graph.ainvoke(inp, config)
        assert len(out["messages"]) == n + steps, len(out["messages"])
        assert out["turns"] == steps and len(STAMPS) == steps
        return (STAMPS[-1] - STAMPS[0]) / (steps - 1)

    def file_size(self) -> int:
        """The database's size once its write-ahead log is folded in (pages in use)."""
        if self.db is None or not self.db.exists():
            return 0
        with closing(sqlite3.connect(self.db)) as conn:
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            pages = conn.execute("PRAGMA page_count").fetchone()[0]
            free = conn.execute("PRAGMA freelist_count").fetchone()[0]
            size: int = (pages - free) * conn.execute("PRAGMA page_size").fetchone()[0]
        return size


def cases(which: set[str]) -> list[tuple[Case, Case | None]]:
    try:
        import langgraph.graph as lg
    except ImportError:
        lg = None
        print("langgraph not installed (pip install -e '.[bench]'): graphstage only")
    pairs = [
        ("typeddict", DictState, None, None),
        ("pydantic", ModelState, None, None),
        ("journal", DictState, "journal", "async_sqlite"),
    ]
    out: list[tuple[Case, Case | None]] = []
    for key, state, ours, theirs in pairs:
        if key not in which:
            continue
        label = {"typeddict": "TypedDict", "pydantic": "pydantic", "journal": "TypedDict"}[key]
        gs = Case(f"graphstage {label}" + (" + Journal" if ours else ""), graphstage, state, ours)
        other = None
        if lg is not None:
            suffix = " + AsyncSqliteSaver" if theirs else ""
            other = Case(f"LangGraph {label}{suffix}", lg, state, theirs)
        out.append((gs, other))
    return out


async def marginal(case: Case, n: int, base: int, steps: int, repeat: int) -> tuple[float, float]:
    """Best µs per step over ``repeat`` runs, and file bytes per extra step (0 without a
    file)."""
    per_step: list[float] = []
    await case.run(n, steps)  # warm up
    for _ in range(repeat):
        gc.collect()
        per_step.append(await case.run(n, steps) * 1e6)
    growth = 0.0
    if case.persist:
        s0 = case.file_size()
        await case.run(n, base)
        s1 = case.file_size()
        await case.run(n, base + steps)
        s2 = case.file_size()
        growth = ((s2 - s1) - (s1 - s0)) / steps
    return min(per_step), growth


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 1000, 10_000, 50_000])
    parser.add_argument("--steps", type=int, default=40, help="extra steps measured")
    parser.add_argument("--base", type=int, default=4, help="steps of the short run")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument(
        "--cases",
        nargs="+",
        default=["typeddict", "pydantic", "journal"],
        choices=["typeddict", "pydantic", "journal"],
    )
    args = parser.parse_args()
    print(
        f"python {sys.version.split()[0]}, graphstage vs LangGraph, µs per step (best of "
        f"{args.repeat} runs of {args.steps} steps); state = N messages + 1 per step"
    )
    rows: dict[str, dict[int, str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for ours, theirs in cases(set(args.cases)):
            pair = [c for c in (ours, theirs) if c is not None]
            for case in pair:
                await case.open(Path(tmp))
            for n in args.sizes:
                for case in pair:  # interleaved: the same machine state for both
                    us, grow = await marginal(case, n, args.base, args.steps, args.repeat)
                    cell = f"{us:,.0f}"
                    if case.persist:
                        cell += f" ({grow / 1024:,.1f} kB)"
                    rows.setdefault(case.name, {})[n] = cell
                    print(f"  {case.name:34} N={n:>6,}: {cell}", flush=True)
            for case in pair:
                await case.close()
    header = "| | " + " | ".join(f"N={n:,}" for n in args.sizes) + " |"
    print()
    print(header)
    print("|---" * (len(args.sizes) + 1) + "|")
    for name, cells in rows.items():
        print(f"| {name} | " + " | ".join(cells.get(n, "") for n in args.sizes) + " |")
    print("(with persistence: µs per step, and the file's growth per step in parentheses)")


if __name__ == "__main__":
    asyncio.run(main())
