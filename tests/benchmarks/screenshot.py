"""Render the real window, offscreen, to the README's screenshots in resources/.

    QT_QPA_PLATFORM=offscreen python tests/benchmarks/screenshot.py [OUT_DIR] [WIDTH]

- screenshot.png: the bundled stop/cleanup example: sleep_seconds 5, Run, two seconds of
  work, Stop; grabbed while the token runs along work_stage -> cleanup_stage ("command
  after stop");
- screenshot-big-graph.png: a 600-node pipeline running, followed by the view, with the
  minimap;
- screenshot-replay.png: the History replaying the stopped run, halfway, under its banner;
- screenshot-time-travel.png: a small article pipeline run twice (the second a fork from
  an edited checkpoint); a step picked in the timeline shows its checkpoint, selected in
  the thread history, its state pinned, its node ringed;
- screenshot-subgraph.png: a report graph whose research step is a subgraph, opened in
  place (double-click) beside a parallel branch while its summarise node runs; its search
  step picked in the timeline (the subgraph's state after it, the bar whole in the
  Details pane).

WIDTH (default 1440) is the window's width: 1066 checks that nothing needs a sideways
scroll bar.
"""

from __future__ import annotations

import asyncio
import itertools
import operator
import os
import sys
import tempfile
from pathlib import Path
from typing import Annotated

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[2]

from pydantic import BaseModel, Field  # noqa: E402
from PySide6.QtCore import QSettings  # noqa: E402

from graphstage import CompiledGraph  # noqa: E402  (runtime before PySide6, as app.gui does)
from graphstage.app.event_loop import EventLoop  # noqa: E402
from graphstage.app.gui import application  # noqa: E402
from graphstage.app.loader import DEFAULT_GRAPH, load_graph  # noqa: E402


async def shoot(graph: CompiledGraph, out_dir: Path, width: int) -> None:
    from graphstage import Journal
    from graphstage.app import MainWindow

    tmp = Path(tempfile.mkdtemp())
    settings = QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat)
    journal = Journal(tmp / "journal.sqlite3")  # so the History dock has runs to list
    await graph.start({"sleep_seconds": 1}, journal=journal).result()
    window = MainWindow(graph, journal=journal, settings=settings)
    window.resize(width, 820)
    window.show()
    window.input_form.editors["sleep_seconds"].widget.setValue(5)  # type: ignore[attr-defined]
    working, finished = asyncio.Event(), asyncio.Event()
    window.graph_view.activeNodesChanged.connect(
        lambda nodes: working.set() if nodes == ("work_stage",) else None
    )
    window.runFinished.connect(lambda _status: finished.set())
    await asyncio.sleep(0.2)
    window.run_button.click()
    await working.wait()
    await asyncio.sleep(2.3)  # two progress lines in the log
    window.stop_button.click()
    await finished.wait()
    model = window.log_view.log_model  # the stop's log line, whole in the Details pane
    stop_row = next(i for i, t in enumerate(model.texts()) if "stop requested" in t)
    window.log_view.setCurrentIndex(model.index(stop_row))
    await asyncio.sleep(0.2)  # mid-animation: the token is on its edge, before its label
    out = out_dir / "screenshot.png"
    window.grab().save(str(out))
    print(
        f"saved {out}: status {window.status.status}, "
        f"result {window.state_view.field_text('result')}"
    )
    stopped = window.run.run_id if window.run is not None else ""
    panel = window.history
    assert panel is not None
    loaded = asyncio.Event()
    panel.loaded.connect(lambda _run_id: loaded.set())
    listed = asyncio.Event()
    panel.listed.connect(listed.set)
    panel.refresh()
    await listed.wait()  # read in a worker thread
    panel.select_run(stopped)
    await loaded.wait()
    stop_at = next(
        i for i, e in enumerate(panel.events) if getattr(e, "kind", "") == "stop_requested"
    )
    panel.slider.setValue(stop_at + 3)
    await asyncio.sleep(0.3)
    out = out_dir / "screenshot-replay.png"
    window.grab().save(str(out))
    print(f"saved {out}: {panel.position_label.full_text()}")
    window.close()
    journal.close()


def pipeline(length: int) -> CompiledGraph:
    """``length`` stages in a row, each a short async wait, with readable names."""
    from typing import TypedDict

    from graphstage import END, START, StateGraph

    class Job(TypedDict):
        done: int

    async def stage(state: Job) -> dict[str, int]:
        await asyncio.sleep(0.004)
        return {"done": state.get("done", 0) + 1}

    kinds = ("fetch", "parse", "validate", "enrich", "score", "store")
    names = [f"{kinds[i % len(kinds)]}_batch_{i // len(kinds):03d}" for i in range(length)]
    builder = StateGraph(Job)
    for name in names:
        builder.add_node(name, stage)
    builder.add_edge(START, names[0])
    for a, b in itertools.pairwise(names):
        builder.add_edge(a, b)
    builder.add_edge(names[-1], END)
    return builder.compile(name="pipeline600")


async def shoot_big(out_dir: Path, width: int) -> None:
    from graphstage.app import MainWindow

    tmp = Path(tempfile.mkdtemp())
    settings = QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat)
    window = MainWindow(pipeline(600), settings=settings)
    window.resize(width, 820)
    window.show()
    laid_out = asyncio.Event()
    window.graph_view.layoutReady.connect(lambda _text: laid_out.set())
    if not window.graph_view.laid_out:
        await laid_out.wait()
    window.run_options.recursion_limit.setValue(1000)
    window.run_button.click()
    progressed = asyncio.Event()
    window.graph_view.activeNodesChanged.connect(
        lambda nodes: progressed.set() if nodes == ("score_batch_040",) else None
    )
    await progressed.wait()
    await asyncio.sleep(1.1)  # the minimap redraws its colours once a second
    out = out_dir / "screenshot-big-graph.png"
    window.grab().save(str(out))
    print(f"saved {out}: {window.status.layout_label.full_text()}")
    window.run_button.setEnabled(False)
    if window.run is not None:
        window.run.kill(reason="screenshot taken")
        await window.run.result()
    window.close()


class Article(BaseModel):
    """The time-travel screenshot's state."""

    topic: str = Field("actors", min_length=2, description="What the article is about")
    reviews: int = Field(1, gt=0)
    log: Annotated[list[str], operator.add] = Field(default_factory=list)


def article() -> CompiledGraph:
    """draft -> review -> publish, each a short wait, on a pydantic state."""
    from graphstage import START, StateGraph

    async def draft(state: Article) -> dict[str, object]:
        await asyncio.sleep(0.15)
        return {"log": [f"draft about {state.topic}"]}

    async def review(state: Article) -> dict[str, object]:
        await asyncio.sleep(0.3)
        return {"reviews": state.reviews + 1, "log": [f"review #{state.reviews}"]}

    async def publish(state: Article) -> dict[str, object]:
        await asyncio.sleep(0.1)
        return {"log": [f"published: {state.topic}"]}

    builder = StateGraph(Article)
    builder.add_node("draft", draft)
    builder.add_node("review", review)
    builder.add_node("publish", publish)
    builder.add_edge(START, "draft")
    builder.add_edge("draft", "review")
    builder.add_edge("review", "publish")
    return builder.compile(name="article")


async def shoot_time_travel(out_dir: Path, width: int) -> None:
    from graphstage import Journal
    from graphstage.app import MainWindow

    tmp = Path(tempfile.mkdtemp())
    settings = QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat)
    journal = Journal(tmp / "journal.sqlite3")
    window = MainWindow(article(), journal=journal, settings=settings)
    window.resize(width, 820)
    window.show()
    finished = asyncio.Event()
    window.runFinished.connect(lambda _status: finished.set())
    window.run_button.click()
    await finished.wait()
    panel = window.time_travel
    [after_draft] = [c for c in panel.checkpoints if c.step == 1]
    finished.clear()
    panel.fork_from(after_draft, {**panel.values_at(after_draft), "topic": "time travel"})
    await finished.wait()
    await asyncio.sleep(0.3)
    window.timeline.select(("review", 3))  # the fork's review step
    await asyncio.sleep(0.2)
    out = out_dir / "screenshot-time-travel.png"
    window.grab().save(str(out))
    print(f"saved {out}: {panel.label.text()}, row {panel.list.currentRow()} picked")
    window.close()
    journal.close()


def report_graph(gate: asyncio.Event) -> CompiledGraph:
    """plan -> research (a subgraph: search -> summarise) | check_sources, in parallel ->
    write_report."""
    from typing import TypedDict

    from graphstage import END, START, StateGraph

    class Report(TypedDict, total=False):
        topic: str
        findings: list[str]
        report: str

    async def search(state: Report) -> dict[str, object]:
        await asyncio.sleep(0.2)
        return {"findings": [f"3 papers on {state.get('topic', 'actors')}"]}

    async def summarise(state: Report) -> dict[str, object]:
        await gate.wait()
        return {"findings": [*state.get("findings", []), "a summary"]}

    research = StateGraph(Report)
    research.add_node("search", search)
    research.add_node("summarise", summarise)
    research.add_edge(START, "search")
    research.add_edge("search", "summarise")
    research.add_edge("summarise", END)
    builder = StateGraph(Report)
    builder.add_node("plan", lambda state: {"topic": state.get("topic") or "actors"})
    builder.add_node("research", research.compile(name="research"))

    async def check_sources(state: Report) -> dict[str, object]:
        await asyncio.sleep(0.3)
        return {}

    builder.add_node("write_report", lambda state: {"report": "; ".join(state["findings"])})
    builder.add_node("check_sources", check_sources)
    builder.add_edge(START, "plan")
    builder.add_edge("plan", "research")
    builder.add_edge("plan", "check_sources")
    builder.add_edge(["research", "check_sources"], "write_report")
    builder.add_edge("write_report", END)
    return builder.compile(name="report")


async def shoot_subgraph(out_dir: Path, width: int) -> None:
    from graphstage.app import MainWindow

    tmp = Path(tempfile.mkdtemp())
    settings = QSettings(str(tmp / "s.ini"), QSettings.Format.IniFormat)
    gate = asyncio.Event()
    window = MainWindow(report_graph(gate), settings=settings)
    window.resize(width, 820)
    window.show()
    view = window.graph_view
    view.set_expanded("research", True)  # what a double-click on its box does
    window.run_button.click()
    running = asyncio.Event()
    view.activeNodesChanged.connect(
        lambda nodes: running.set() if "research/summarise" in nodes else None
    )
    await running.wait()
    await asyncio.sleep(0.7)  # the tokens arrive
    window.timeline.select(("research/search", 1))  # the subgraph's first step
    out = out_dir / "screenshot-subgraph.png"
    window.grab().save(str(out))
    print(f"saved {out}: active {view.active_nodes}")
    gate.set()
    if window.run is not None:
        await window.run.result()
    window.close()


def main() -> int:
    out_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "resources"
    width = int(sys.argv[2]) if len(sys.argv) > 2 else 1440
    out_dir.mkdir(parents=True, exist_ok=True)
    app = application()
    loop = EventLoop(app)
    asyncio.set_event_loop(loop)
    loop.run_until_complete(shoot(load_graph(DEFAULT_GRAPH), out_dir, width))
    loop.run_until_complete(shoot_big(out_dir, width))
    loop.run_until_complete(shoot_time_travel(out_dir, width))
    loop.run_until_complete(shoot_subgraph(out_dir, width))
    loop.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
