"""The time-travel how-to, in a workflow: a topic node and a joke node (NotRequired keys,
a uuid.UUID thread id, input {}); the history in reverse order, update_state on the state
before last (the topic becomes "chickens"), and invoke(None, new_config) runs the joke again
from there."""

import uuid
from typing import NotRequired

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.graph import END, START, StateGraph
from typing_extensions import TypedDict


class State(TypedDict):
    topic: NotRequired[str]
    joke: NotRequired[str]


llm = GenericFakeChatModel(
    messages=iter(
        [
            AIMessage("socks"),
            AIMessage("Socks vanish in pairs."),
            AIMessage("Why did the chicken join a band? Drumsticks!"),
        ]
    )
)
PROMPTS = []


def generate_topic(state: State):
    """LLM call to generate a topic for the joke"""
    msg = llm.invoke("Give me a funny topic for a joke")
    return {"topic": msg.content}


def write_joke(state: State):
    """LLM call to write a joke based on the topic"""
    PROMPTS.append(f"Write a short joke about {state['topic']}")
    msg = llm.invoke(PROMPTS[-1])
    return {"joke": msg.content}


# Build workflow
workflow = StateGraph(State)

# Add nodes
workflow.add_node("generate_topic", generate_topic)
workflow.add_node("write_joke", write_joke)

# Add edges to connect nodes
workflow.add_edge(START, "generate_topic")
workflow.add_edge("generate_topic", "write_joke")
workflow.add_edge("write_joke", END)

# Compile
checkpointer = InMemorySaver()
graph = workflow.compile(checkpointer=checkpointer)


def main():
    config = {"configurable": {"thread_id": uuid.uuid4()}}
    out = [graph.invoke({}, config)]
    # The states are returned in reverse chronological order.
    states = list(graph.get_state_history(config))
    out.append([state.next for state in states])
    # This is the state before last (states are listed in chronological order)
    selected_state = states[1]
    out.append((selected_state.next, selected_state.values))
    new_config = graph.update_state(selected_state.config, values={"topic": "chickens"})
    out.append(
        (
            sorted(new_config["configurable"]),
            new_config["configurable"]["checkpoint_id"]
            != selected_state.config["configurable"]["checkpoint_id"],
        )
    )
    out.append(graph.invoke(None, new_config))
    out.append(PROMPTS)
    history = list(graph.get_state_history(config))
    out.append([(s.next, s.metadata["source"], s.metadata["step"]) for s in history])
    out.append(graph.get_state(config).values)
    return out
