"""One of two processes continuing one thread at the same instant (test_claims.py).

    python claim_race.py DB THREAD TRACE GATE READY

Runs midstep_graph's graph on THREAD of the SqliteSaver journal DB (a timeout long enough
to outwait the test's lock), writes READY once its run has started (its claim of the thread
queued), and prints the run's status and error on one line.
"""

import asyncio
import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from midstep_graph import builder

from graphstage import Journal, SqliteSaver


async def main(db: str, thread: str, trace: str, gate: str, ready: str) -> None:
    saver = SqliteSaver(Journal(db, timeout=60))
    graph = builder.compile(checkpointer=saver)
    try:
        run = graph.start(
            {"trace": trace, "gate": gate, "log": []}, {"configurable": {"thread_id": thread}}
        )
    except Exception as exc:  # refused at once: the file already showed the other's claim
        print(json.dumps({"run": None, "status": "refused", "error": str(exc)}), flush=True)
        saver.close()
        return
    Path(ready).write_text(run.run_id)  # noqa: ASYNC240 - once, the test waits for it
    result = await run.result()
    error = None if result.error is None else f"{type(result.error).__name__}: {result.error}"
    print(json.dumps({"run": run.run_id, "status": result.status, "error": error}), flush=True)
    saver.close()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:6]))
