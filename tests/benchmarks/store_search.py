"""Semantic search in ``InMemoryStore(index=...)``: put and search times, graphstage's store
and LangGraph's in the same process, on the same vectors.

    python tests/benchmarks/store_search.py [items] [dims]

Puts ``items`` values (default 2,000) of ``dims``-long vectors (default 256; a precomputed
table, so the embedding costs nothing), then runs 20 queries (``limit=10``) and reports the
median time per query. Both stores score in plain Python here (graphstage has no numpy;
LangGraph uses numpy when it is installed, which is then much faster for large stores).
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Sequence
from typing import Any

from graphstage.store.memory import InMemoryStore


def main() -> None:
    items = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    dims = int(sys.argv[2]) if len(sys.argv) > 2 else 256
    rng = random.Random(7)
    texts = [f"document {i}" for i in range(items)]
    table = {t: [rng.uniform(-1, 1) for _ in range(dims)] for t in texts}

    def embed(texts: Sequence[str]) -> list[list[float]]:
        return [table[t] for t in texts]

    stores: list[tuple[str, Any]] = [("graphstage", InMemoryStore)]
    try:
        from langgraph.store.memory import InMemoryStore as LGStore
    except ImportError:
        print("langgraph is not installed: graphstage alone")
    else:
        stores.append(("langgraph", LGStore))
    results = {}
    for name, cls in stores:
        store = cls(index={"dims": dims, "embed": embed, "fields": ["text"]})
        start = time.perf_counter()
        for i in range(items):
            store.put(("docs", str(i % 10)), f"k{i}", {"text": texts[i]})
        put = (time.perf_counter() - start) / items
        times, found = [], []
        for q in range(20):
            start = time.perf_counter()
            hits = store.search(("docs",), query=texts[q * 37 % items], limit=10)
            times.append(time.perf_counter() - start)
            found.append([(h.key, round(h.score, 9)) for h in hits])
        results[name] = found
        print(
            f"{name:>10}: {items} items x {dims} dims: put {put * 1e6:.0f} us/item, "
            f"search {statistics.median(times) * 1e3:.1f} ms/query (median of 20)"
        )
    if len(results) == 2:
        print("same results:", results["graphstage"] == results["langgraph"])


if __name__ == "__main__":
    main()
