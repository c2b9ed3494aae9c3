"""From LangGraph's test_pregel.py (test_in_one_fan_out_state_graph_waiting_edge_multiple_cond_edge,
test_conditional_entrypoint_to_multiple_state_graph): a conditional edge fans out to an
analyzer (followed by a retriever) and a second retriever; a wait-for-all edge from both
retrievers, reached in different steps, runs the decider once per pass of a loop that a
conditional edge closes twice; the updates stream shows each pass. A conditional entry point
returning Sends (path_map a list) runs one node per location; debug=True is taken."""

import operator
import time
from typing import Annotated

from langgraph.graph import END, StateGraph
from langgraph.types import Send
from typing_extensions import TypedDict


def sorted_add(x: list[str], y: list[str]) -> list[str]:
    return sorted(operator.add(x, y))


class State(TypedDict, total=False):
    query: str
    answer: str
    docs: Annotated[list[str], sorted_add]


def rewrite_query(data: State) -> State:
    return {"query": f"query: {data['query']}"}


def retriever_picker(data: State) -> list[str]:
    return ["analyzer_one", "retriever_two"]


def analyzer_one(data: State) -> State:
    return {"query": f"analyzed: {data['query']}"}


def retriever_one(data: State) -> State:
    return {"docs": ["doc1", "doc2"]}


def retriever_two(data: State) -> State:
    time.sleep(0.1)
    return {"docs": ["doc3", "doc4"]}


def qa(data: State) -> State:
    return {"answer": ",".join(data["docs"])}


def decider(data: State) -> None:
    return None


def decider_cond(data: State) -> str:
    return "qa" if data["query"].count("analyzed") > 1 else "rewrite_query"


workflow = StateGraph(State)
workflow.add_node("rewrite_query", rewrite_query)
workflow.add_node("analyzer_one", analyzer_one)
workflow.add_node("retriever_one", retriever_one)
workflow.add_node("retriever_two", retriever_two)
workflow.add_node("decider", decider)
workflow.add_node("qa", qa)
workflow.set_entry_point("rewrite_query")
workflow.add_conditional_edges("rewrite_query", retriever_picker)
workflow.add_edge("analyzer_one", "retriever_one")
workflow.add_edge(["retriever_one", "retriever_two"], "decider")
workflow.add_conditional_edges("decider", decider_cond)
workflow.set_finish_point("qa")
app = workflow.compile()


class OverallState(TypedDict):
    locations: list[str]
    results: Annotated[list[str], operator.add]


def get_weather(state: OverallState) -> OverallState:
    location = state["location"]
    weather = "sunny" if len(location) > 2 else "cloudy"
    return {"results": [f"It's {weather} in {location}"]}


def continue_to_weather(state: OverallState) -> list[Send]:
    return [Send("get_weather", {"location": location}) for location in state["locations"]]


weather = StateGraph(OverallState)
weather.add_node("get_weather", get_weather)
weather.add_edge("get_weather", END)
weather.set_conditional_entry_point(continue_to_weather, path_map=["get_weather"])
weather_app = weather.compile()


def main():
    out = [app.invoke({"query": "what is weather in sf"})]
    out.append(list(app.stream({"query": "what is weather in sf"})))
    out.append(weather_app.invoke({"locations": ["sf", "nyc"]}, debug=True))
    out.append(list(weather_app.stream({"locations": ["sf", "nyc"]}, stream_mode="values"))[-1])
    return out
