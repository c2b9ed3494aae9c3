"""Workflows and agents, evaluator-optimizer: a generator and an evaluator with structured
output loop until the joke is graded funny (a path_map to END or back); the evaluator is a
fake tool-calling model piped into PydanticToolsParser."""

from typing import Literal

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langchain_core.output_parsers.openai_tools import PydanticToolsParser
from langgraph.graph import END, START, StateGraph
from pydantic import BaseModel, Field
from typing_extensions import TypedDict

llm = GenericFakeChatModel(
    messages=iter([AIMessage("Cats are cats."), AIMessage("Cats: purr-fect!"), AIMessage("!")])
)


def grade(value, feedback):
    call = {"name": "Feedback", "args": {"grade": value, "feedback": feedback}, "id": "c"}
    return AIMessage("", tool_calls=[call])


grader = GenericFakeChatModel(messages=iter([grade("not funny", "add a pun"), grade("funny", "")]))


# Graph state
class State(TypedDict):
    joke: str
    topic: str
    feedback: str
    funny_or_not: str


# Schema for structured output to use in evaluation
class Feedback(BaseModel):
    grade: Literal["funny", "not funny"] = Field(
        description="Decide if the joke is funny or not.",
    )
    feedback: str = Field(
        description="If the joke is not funny, provide feedback on how to improve it.",
    )


# Augment the LLM with schema for structured output
evaluator = grader | PydanticToolsParser(tools=[Feedback], first_tool_only=True)

PROMPTS = []


# Nodes
def llm_call_generator(state: State):
    """LLM generates a joke"""

    if state.get("feedback"):
        prompt = (
            f"Write a joke about {state['topic']} but take into account the feedback: "
            f"{state['feedback']}"
        )
    else:
        prompt = f"Write a joke about {state['topic']}"
    PROMPTS.append(prompt)
    msg = llm.invoke(prompt)
    return {"joke": msg.content}


def llm_call_evaluator(state: State):
    """LLM evaluates the joke"""

    grade = evaluator.invoke(f"Grade the joke {state['joke']}")
    return {"funny_or_not": grade.grade, "feedback": grade.feedback}


# Conditional edge function to route back to joke generator or end based upon feedback from
# the evaluator
def route_joke(state: State):
    """Route back to joke generator or end based upon feedback from the evaluator"""

    if state["funny_or_not"] == "funny":
        return "Accepted"
    elif state["funny_or_not"] == "not funny":
        return "Rejected + Feedback"


# Build workflow
optimizer_builder = StateGraph(State)

# Add the nodes
optimizer_builder.add_node("llm_call_generator", llm_call_generator)
optimizer_builder.add_node("llm_call_evaluator", llm_call_evaluator)

# Add edges to connect nodes
optimizer_builder.add_edge(START, "llm_call_generator")
optimizer_builder.add_edge("llm_call_generator", "llm_call_evaluator")
optimizer_builder.add_conditional_edges(
    "llm_call_evaluator",
    route_joke,
    {  # Name returned by route_joke : Name of next node to visit
        "Accepted": END,
        "Rejected + Feedback": "llm_call_generator",
    },
)

# Compile the workflow
optimizer_workflow = optimizer_builder.compile()


def main():
    updates = list(optimizer_workflow.stream({"topic": "Cats"}, stream_mode="updates"))
    return updates, PROMPTS
