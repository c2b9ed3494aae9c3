"""Functional API overview (docs: oss/functional-api, "Example"): a workflow writes an
essay in a task, then interrupt()s for a human review; resumed with Command(resume=...),
it runs again from its start and the essay comes from the checkpoint, not a second call.
(The page's time.sleep(1) placeholder for a long-running task is left out.)"""

import uuid

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.func import entrypoint, task
from langgraph.types import Command, interrupt

calls = []


@task
def write_essay(topic: str) -> str:
    """Write an essay about the given topic."""
    calls.append(topic)
    return f"An essay about topic: {topic}"


@entrypoint(checkpointer=InMemorySaver())
def workflow(topic: str) -> dict:
    """A simple workflow that writes an essay and asks for a review."""
    essay = write_essay("cat").result()
    is_approved = interrupt(
        {
            # Any json-serializable payload provided to interrupt as argument.
            "essay": essay,  # The essay we want reviewed.
            "action": "Please approve/reject the essay",
        }
    )
    return {
        "essay": essay,  # The essay that was generated
        "is_approved": is_approved,  # Response from HIL
    }


def main():
    thread_id = str(uuid.uuid4())
    config = {"configurable": {"thread_id": thread_id}}
    first = []
    for item in workflow.stream("cat", config):
        if "__interrupt__" in item:
            first.append(("interrupt", [i.value for i in item["__interrupt__"]]))
        else:
            first.append(item)
    human_review = True
    second = list(workflow.stream(Command(resume=human_review), config))
    return first, second, list(calls), workflow.get_state(config).values
