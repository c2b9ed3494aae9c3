"""Chat messages in the state (add_messages, MessagesState) and stream_mode="messages",
with langchain-core's message classes and fake chat models."""

from __future__ import annotations

import operator
import subprocess
import sys
from typing import Annotated, TypedDict

import pytest

lc = pytest.importorskip("langchain_core", reason="needs pip install -e '.[messages]'")

from langchain_core.language_models.fake_chat_models import (  # noqa: E402
    GenericFakeChatModel,
)
from langchain_core.messages import AIMessage, HumanMessage, RemoveMessage  # noqa: E402

from graphstage import (  # noqa: E402
    REMOVE_ALL_MESSAGES,
    START,
    MessagesState,
    Send,
    StateGraph,
    add_messages,
)

runs = pytest.mark.usefixtures("no_leftover_tasks")


class Topics(TypedDict):
    topics: list
    seen: Annotated[list, operator.add]


def test_add_messages_assigns_ids_replaces_by_id_and_removes():
    merged = add_messages([("user", "hi")], [{"role": "assistant", "content": "yo", "id": "a"}])
    assert [type(m).__name__ for m in merged] == ["HumanMessage", "AIMessage"]
    assert all(m.id for m in merged)
    replaced = add_messages(merged, AIMessage("YO", id="a"))
    assert [m.content for m in replaced] == ["hi", "YO"]
    assert [m.content for m in add_messages(replaced, [RemoveMessage(id="a")])] == ["hi"]
    cleared = add_messages(replaced, [RemoveMessage(id=REMOVE_ALL_MESSAGES), HumanMessage("x")])
    assert [m.content for m in cleared] == ["x"]
    with pytest.raises(ValueError, match="doesn't exist \\('gone'\\)"):
        add_messages(replaced, [RemoveMessage(id="gone")])


@pytest.mark.anyio
@runs
async def test_a_node_streams_its_models_tokens_with_langgraphs_metadata():
    model = GenericFakeChatModel(messages=iter([AIMessage("a b")]))

    async def call_model(state: MessagesState):
        return {"messages": [await model.ainvoke(state["messages"])]}

    graph = StateGraph(MessagesState).add_node(call_model).set_entry_point("call_model")
    chunks = [
        c
        async for c in graph.compile().astream(
            {"messages": [("user", "hi")]}, stream_mode=["messages", "custom"]
        )
    ]
    assert [(mode, m.content) for mode, (m, _) in chunks] == [
        ("messages", "a"),
        ("messages", " "),
        ("messages", "b"),
    ]  # the whole reply the node returns is not shown again, nor in "custom"
    meta = chunks[0][1][1]
    assert (meta["langgraph_node"], meta["langgraph_step"]) == ("call_model", 1)
    assert meta["langgraph_path"] == ("__pregel_pull", "call_model")


@pytest.mark.anyio
@runs
async def test_tokens_streamed_inside_a_send_carry_its_push_task_metadata():
    models = {t: GenericFakeChatModel(messages=iter([AIMessage(f"{t} joke")])) for t in ("x", "y")}

    def joke(state, config):  # a sync node: its model streams in the worker thread
        models[state["topic"]].invoke("go")
        return {"seen": [config["metadata"]["langgraph_path"]]}

    builder = StateGraph(Topics)
    builder.add_node("plan", lambda state: {"topics": ["x", "y"]})
    builder.add_node("joke", joke)
    builder.add_edge(START, "plan")
    builder.add_conditional_edges(
        "plan", lambda s: [Send("joke", {"topic": t}) for t in s["topics"]]
    )
    tokens = {}
    async for mode, chunk in builder.compile().astream(
        {"topics": [], "seen": []}, stream_mode=["messages", "values"]
    ):
        if mode == "messages":
            message, meta = chunk
            path = meta["langgraph_path"]
            assert meta["langgraph_triggers"] == ("__pregel_push",)
            tokens.setdefault(path, (meta["langgraph_checkpoint_ns"], []))[1].append(
                message.content
            )
        else:
            final = chunk
    assert sorted(tokens) == [("__pregel_push", 0, False), ("__pregel_push", 1, False)]
    assert [words for _, words in tokens.values()] in (
        [["x", " ", "joke"], ["y", " ", "joke"]],
        [["y", " ", "joke"], ["x", " ", "joke"]],
    )
    # each Send's execution is a task of its own
    assert len({ns for ns, _ in tokens.values()}) == 2
    assert sorted(final["seen"]) == sorted(tokens)


@pytest.mark.anyio
@runs
async def test_a_stop_reaches_a_node_while_its_model_streams(wait_until):
    seen: list[str] = []

    async def slow_tokens(state: MessagesState):
        model = GenericFakeChatModel(messages=iter([AIMessage("x " * 10_000)]))
        async for chunk in model.astream(state["messages"]):
            seen.append(chunk.content)
        return {"messages": [AIMessage("finished")]}

    builder = StateGraph(MessagesState)
    builder.add_node("talk", slow_tokens, on_cancel="cleanup")
    builder.add_node("cleanup", lambda s: {"messages": [AIMessage("cleaned up")]})
    builder.add_edge(START, "talk")
    run = builder.compile().start({"messages": [("user", "go")]})
    await wait_until(lambda: len(seen) > 3)
    run.stop()
    result = await run.result()
    assert result.status == "cancelled"
    assert [m.content for m in result.state["messages"]] == ["go", "cleaned up"]


def test_graphstage_imports_without_loading_langchain():
    code = "import graphstage, sys; print('langchain_core' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
