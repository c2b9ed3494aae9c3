"""Use the functional API (docs: oss/use-functional-api, "Human-in-the-loop", basic
workflow): step_1, then human_feedback (a task that interrupts), then step_3; resumed with
Command(resume="baz"), step_1 is not run again and the feedback is appended."""

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.func import entrypoint, task
from langgraph.types import Command, interrupt

runs = []


@task
def step_1(input_query):
    """Append bar."""
    runs.append("step_1")
    return f"{input_query} bar"


@task
def human_feedback(input_query):
    """Append user input."""
    feedback = interrupt(f"Please provide feedback: {input_query}")
    return f"{input_query} {feedback}"


@task
def step_3(input_query):
    """Append qux."""
    return f"{input_query} qux"


checkpointer = InMemorySaver()


@entrypoint(checkpointer=checkpointer)
def graph(input_query):
    result_1 = step_1(input_query).result()
    result_2 = human_feedback(result_1).result()
    result_3 = step_3(result_2).result()
    return result_3


def main():
    config = {"configurable": {"thread_id": "1"}}
    first = []
    for event in graph.stream("foo", config):
        if "__interrupt__" in event:
            event = {"__interrupt__": [i.value for i in event["__interrupt__"]]}
        first.append(event)
    state = graph.get_state(config)
    waiting = (state.next, [i.value for i in state.interrupts])
    second = list(graph.stream(Command(resume="baz"), config))
    return first, waiting, second, runs
