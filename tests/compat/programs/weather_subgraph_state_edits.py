"""From LangGraph's test_large_cases.py (test_weather_subgraph, the subgraphs how-to's weather
example): a router node (a fake tool-calling model) sends a weather question to a node that
invokes a subgraph compiled with interrupt_before=["weather_node"]; custom chunks stream from
both levels with subgraphs=True; the run pauses inside the subgraph (the parent's updates end
with {"__interrupt__": ()}), get_state shows the waiting task and its subgraph's checkpoints,
update_state on the subgraph's config changes its city before it goes on; with
get_state(subgraphs=True) the subgraph's snapshot is shown, and an update acting as
weather_node finishes the subgraph without running it. (The test's node returns the
subgraph's whole result, whose "city" the parent lacks: LangGraph drops it, graphstage
refuses it on purpose; this node returns the messages.)"""

from typing import Literal

from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage, ToolCall
from langchain_core.tools import tool
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.types import StreamWriter


@tool
def get_weather(city: str):
    """Get the weather for a specific city"""
    return f"I'ts sunny in {city}!"


def weather_model():
    call = ToolCall(id="tool_call123", name="get_weather", args={"city": "San Francisco"})
    return FakeMessagesListChatModel(responses=[AIMessage(content="", tool_calls=[call])])


class SubGraphState(MessagesState):
    city: str


def model_node(state: SubGraphState, writer: StreamWriter):
    writer(" very")
    result = weather_model().invoke(state["messages"])
    return {"city": result.tool_calls[0]["args"]["city"]}


def weather_node(state: SubGraphState, writer: StreamWriter):
    writer(" good")
    result = get_weather.invoke({"city": state["city"]})
    return {"messages": [{"role": "assistant", "content": result}]}


subgraph = StateGraph(SubGraphState)
subgraph.add_node(model_node)
subgraph.add_node(weather_node)
subgraph.add_edge(START, "model_node")
subgraph.add_edge("model_node", "weather_node")
subgraph.add_edge("weather_node", END)
subgraph = subgraph.compile(interrupt_before=["weather_node"])


class RouterState(MessagesState):
    route: Literal["weather", "other"]


def router_node(state: RouterState, writer: StreamWriter):
    writer("I'm")
    call = ToolCall(id="tool_call123", name="router", args={"dest": "weather"})
    model = FakeMessagesListChatModel(responses=[AIMessage(content="", tool_calls=[call])])
    route = model.invoke([{"role": "system", "content": "Classify"}] + state["messages"])
    return {"route": route.tool_calls[0]["args"]["dest"]}


def normal_llm_node(state: RouterState):
    return {"messages": [AIMessage("Hello!")]}


def route_after_prediction(state: RouterState):
    return "weather_graph" if state["route"] == "weather" else "normal_llm_node"


def weather_graph(state: RouterState):
    return {"messages": subgraph.invoke(state)["messages"]}


builder = StateGraph(RouterState)
builder.add_node(router_node)
builder.add_node(normal_llm_node)
builder.add_node("weather_graph", weather_graph)
builder.add_edge(START, "router_node")
builder.add_conditional_edges(
    "router_node", route_after_prediction, path_map=["weather_graph", "normal_llm_node"]
)
builder.add_edge("normal_llm_node", END)
builder.add_edge("weather_graph", END)
graph = builder.compile(checkpointer=InMemorySaver())


def ns(chunks):
    return [(tuple(p.split(":")[0] for p in n), c) for n, c in chunks]


def main():
    out = []
    inputs = {"messages": [{"role": "user", "content": "what's the weather in sf"}]}
    thread2 = {"configurable": {"thread_id": "2"}}
    out.append(ns(graph.stream(inputs, thread2, stream_mode="custom", subgraphs=True)))
    out.append(ns(graph.stream(None, thread2, stream_mode="custom", subgraphs=True)))
    config = {"configurable": {"thread_id": "1"}}
    kwargs = {"stream_mode": "updates", "subgraphs": True}
    out.append(ns(graph.stream(inputs, config, durability="exit", **kwargs)))
    state = graph.get_state(config)
    out.append((state.values, state.next, state.metadata, state.parent_config))
    out.append(
        [
            (t.name, t.path, t.state["configurable"]["checkpoint_ns"].split(":")[0])
            for t in state.tasks
        ]
    )
    graph.update_state(state.tasks[0].state, {"city": "la"})
    out.append(ns(graph.stream(None, config=config, **kwargs)))

    config = {"configurable": {"thread_id": "14"}}
    out.append(ns(graph.stream(inputs, config, durability="exit", **kwargs)))
    state = graph.get_state(config, subgraphs=True)
    inner = state.tasks[0].state
    out.append((inner.values, inner.next, inner.metadata["source"], inner.metadata["step"]))
    out.append([(t.name, t.path) for t in inner.tasks])
    graph.update_state(
        inner.config,
        {"messages": [{"role": "assistant", "content": "rainy"}]},
        as_node="weather_node",
    )
    inner = graph.get_state(config, subgraphs=True).tasks[0].state
    out.append((inner.values, inner.next, inner.metadata["source"]))
    out.append(ns(graph.stream(None, config=config, **kwargs)))
    return out
