"""How much the run journal slows a run: µs per transition on a 1,000-node chain.

    python tests/benchmarks/journal_overhead.py [--nodes 1000] [--repeat 5] [--db PATH]

Prints the figure without a journal, with a journal on a temporary file (WAL, batched
writes), and their ratio; issue 4 allows at most 2x. The best of ``--repeat`` runs counts.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from graphstage import END, START, Journal, StateGraph


class ChainState(BaseModel):
    i: int = 0


def build_chain(n: int) -> Any:
    """START -> n0 -> n1 -> ... -> n{n-1} -> END; each node bumps ``i``."""
    builder = StateGraph(ChainState)

    async def bump(state: ChainState) -> dict[str, int]:
        return {"i": state.i + 1}

    for k in range(n):
        builder.add_node(f"n{k}", bump)
    builder.add_edge(START, "n0")
    for k in range(n - 1):
        builder.add_edge(f"n{k}", f"n{k + 1}")
    builder.add_edge(f"n{n - 1}", END)
    return builder.compile(name=f"chain{n}")


async def one_run(graph: Any, n: int, journal: Journal | None) -> float:
    """Seconds per transition for one run of the chain."""
    t0 = time.perf_counter()
    run = graph.start({"i": 0}, {"recursion_limit": n + 10}, journal=journal)
    result = await run.result()
    elapsed = time.perf_counter() - t0
    assert result.status == "completed", result
    assert result.state.i == n
    return elapsed / (n + 1)  # START -> n0, ..., n{n-1} -> END


async def measure(n: int, repeat: int, db: Path) -> tuple[float, float]:
    graph = build_chain(n)
    await one_run(graph, n, None)  # warm up: actors, pydantic, the imports
    plain: list[float] = []
    journaled: list[float] = []
    with Journal(db) as journal:
        await one_run(graph, n, journal)
        for _ in range(repeat):  # interleave, so machine noise hits both alike
            plain.append(await one_run(graph, n, None))
            journaled.append(await one_run(graph, n, journal))
        events = len(journal.events(journal.runs(limit=1)[0].run_id))
    assert events > 3 * n, f"the journal holds only {events} events of the last run"
    return min(plain), min(journaled)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--db", type=Path, help="journal file (default: a temporary one)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "journal.sqlite3"
        plain, journaled = asyncio.run(measure(args.nodes, args.repeat, db))
    print(f"chain of {args.nodes} nodes, best of {args.repeat}:")
    print(f"  without journal: {plain * 1e6:8.1f} us/transition")
    print(f"  with journal:    {journaled * 1e6:8.1f} us/transition")
    print(f"  ratio:           {journaled / plain:8.2f}x (limit 2x)")


if __name__ == "__main__":
    main()
