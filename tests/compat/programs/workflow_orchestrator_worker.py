"""Workflows and agents, orchestrator-worker: a planner with structured output (a fake
tool-calling model piped into PydanticToolsParser) lists sections; a conditional edge sends
one Send("llm_call", {"section": s}) per section with a WorkerState input; the workers'
operator.add writes meet in the synthesizer."""

import operator
from typing import Annotated

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, HumanMessage, SystemMessage
from langchain_core.output_parsers.openai_tools import PydanticToolsParser
from langchain_core.outputs import ChatGeneration, ChatResult
from langgraph.graph import END, START, StateGraph
from langgraph.types import Send
from pydantic import BaseModel, Field
from typing_extensions import TypedDict


# Schema for structured output to use in planning
class Section(BaseModel):
    name: str = Field(
        description="Name for this section of the report.",
    )
    description: str = Field(
        description="Brief overview of the main topics and concepts to be covered in this section.",
    )


class Sections(BaseModel):
    sections: list[Section] = Field(
        description="Sections of the report.",
    )


PLAN = [
    {"name": "Introduction", "description": "what scaling laws are"},
    {"name": "Compute", "description": "loss against compute"},
    {"name": "Data", "description": "loss against tokens"},
]
plan_call = {"name": "Sections", "args": {"sections": PLAN}, "id": "call_plan"}
planner_llm = GenericFakeChatModel(messages=iter([AIMessage("", tool_calls=[plan_call])]))
# Augment the LLM with schema for structured output
planner = planner_llm | PydanticToolsParser(tools=[Sections], first_tool_only=True)


class EchoWriter(GenericFakeChatModel):
    """Writes a section from the section's name in the prompt: the workers run in parallel,
    so each reply must not depend on the order they ask in."""

    def _generate(self, messages, stop=None, run_manager=None, **kwargs):
        text = "## " + messages[-1].content.split(": ")[1]
        return ChatResult(generations=[ChatGeneration(message=AIMessage(text))])


llm = EchoWriter(messages=iter([]))


# Graph state
class State(TypedDict):
    topic: str  # Report topic
    sections: list[Section]  # List of report sections
    completed_sections: Annotated[list, operator.add]  # All workers write to this key in parallel
    final_report: str  # Final report


# Worker state
class WorkerState(TypedDict):
    section: Section
    completed_sections: Annotated[list, operator.add]


# Nodes
def orchestrator(state: State):
    """Orchestrator that generates a plan for the report"""

    # Generate queries
    report_sections = planner.invoke(
        [
            SystemMessage(content="Generate a plan for the report."),
            HumanMessage(content=f"Here is the report topic: {state['topic']}"),
        ]
    )

    return {"sections": report_sections.sections}


def llm_call(state: WorkerState):
    """Worker writes a section of the report"""

    # Generate section
    section = llm.invoke(
        [
            SystemMessage(
                content="Write a report section following the provided name and description."
            ),
            HumanMessage(
                content=f"Here is the section name: {state['section'].name} and description"
            ),
        ]
    )

    # Write the updated section to completed sections
    return {"completed_sections": [section.content]}


def synthesizer(state: State):
    """Synthesize full report from sections"""

    # List of completed sections
    completed_sections = state["completed_sections"]

    # Format completed section to str to use as context for final sections
    completed_report_sections = "\n\n---\n\n".join(completed_sections)

    return {"final_report": completed_report_sections}


# Conditional edge function to create llm_call workers that each write a section of the report
def assign_workers(state: State):
    """Assign a worker to each section in the plan"""

    # Kick off section writing in parallel via Send() API
    return [Send("llm_call", {"section": s}) for s in state["sections"]]


# Build workflow
orchestrator_worker_builder = StateGraph(State)

# Add the nodes
orchestrator_worker_builder.add_node("orchestrator", orchestrator)
orchestrator_worker_builder.add_node("llm_call", llm_call)
orchestrator_worker_builder.add_node("synthesizer", synthesizer)

# Add edges to connect nodes
orchestrator_worker_builder.add_edge(START, "orchestrator")
orchestrator_worker_builder.add_conditional_edges("orchestrator", assign_workers, ["llm_call"])
orchestrator_worker_builder.add_edge("llm_call", "synthesizer")
orchestrator_worker_builder.add_edge("synthesizer", END)

# Compile the workflow
orchestrator_worker = orchestrator_worker_builder.compile()


def main():
    state = orchestrator_worker.invoke({"topic": "Create a report on LLM scaling laws"})
    return state
