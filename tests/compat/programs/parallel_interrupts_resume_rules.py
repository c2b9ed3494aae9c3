"""From LangGraph's test_pregel.py (test_null_resume_disallowed_with_multiple_interrupts,
test_interrupt_stream_mode_values): two nodes started together from START each interrupt();
a single Command(resume=value) is refused (LangGraph: "When there are multiple pending
interrupts, you must specify the interrupt id when resuming."), a map by interrupt id answers
both; a question streamed with stream_mode=["updates", "values"] appears in both modes, and
the resumed stream starts with the state's values."""

import uuid

from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import START, StateGraph
from langgraph.types import Command, interrupt
from typing_extensions import TypedDict


class State(TypedDict):
    text_1: str
    text_2: str


def human_node_1(state: State):
    value = interrupt({"text_to_revise": state["text_1"]})
    return {"text_1": value}


def human_node_2(state: State):
    value = interrupt({"text_to_revise": state["text_2"]})
    return {"text_2": value}


graph_builder = StateGraph(State)
graph_builder.add_node("human_node_1", human_node_1)
graph_builder.add_node("human_node_2", human_node_2)
graph_builder.add_edge(START, "human_node_1")
graph_builder.add_edge(START, "human_node_2")
graph = graph_builder.compile(checkpointer=InMemorySaver())


class Robot(TypedDict):
    robot_input: str
    human_input: str


def robot_input_node(state: Robot) -> Robot:
    return {"robot_input": "beep boop i am a robot"}


def human_input_node(state: Robot) -> Command:
    human_input = interrupt("interrupt")
    return Command(update={"human_input": human_input})


builder = StateGraph(Robot)
builder.add_node(robot_input_node)
builder.add_node(human_input_node)
builder.add_edge(START, "robot_input_node")
builder.add_edge("robot_input_node", "human_input_node")
app = builder.compile(checkpointer=InMemorySaver())


def shown(chunks):
    out = []
    for mode, chunk in chunks:
        if "__interrupt__" in chunk:
            chunk = {**chunk, "__interrupt__": [i.value for i in chunk["__interrupt__"]]}
        out.append((mode, chunk))
    return out


def main():
    out = []
    config: RunnableConfig = {"configurable": {"thread_id": str(uuid.uuid4())}}
    graph.invoke({"text_1": "original text 1", "text_2": "original text 2"}, config=config)
    resume_map = {
        i.id: f"resume for prompt: {i.value['text_to_revise']}"
        for i in graph.get_state(config).interrupts
    }
    try:
        graph.invoke(Command(resume="singular resume"), config=config)
    except RuntimeError as exc:
        out.append(("RuntimeError", "you must specify the interrupt id when resuming" in str(exc)))
    out.append(graph.invoke(Command(resume=resume_map), config=config))
    config = {"configurable": {"thread_id": str(uuid.uuid4())}}
    out.append(shown(app.stream(Robot(), config, stream_mode=["updates", "values"])))
    resumed = app.stream(Command(resume="i am a human"), config, stream_mode=["updates", "values"])
    out.append(shown(resumed))
    return out
