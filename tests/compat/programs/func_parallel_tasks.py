"""Use the functional API (docs: oss/use-functional-api, "Parallel execution"): tasks
called together run in parallel; the entrypoint collects their futures' results, in
call order. The input is a dict, as the page's "Creating a simple workflow" passes
several values."""

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.func import entrypoint, task

checkpointer = InMemorySaver()


@task
def add_one(number: int) -> int:
    return number + 1


@entrypoint(checkpointer=checkpointer)
def graph(numbers: list[int]) -> list[str]:
    futures = [add_one(i) for i in numbers]
    return [f.result() for f in futures]


@entrypoint(checkpointer=checkpointer)
def my_workflow(inputs: dict) -> int:
    value = inputs["value"]
    another_value = inputs["another_value"]
    return value + another_value


def main():
    config = {"configurable": {"thread_id": "parallel"}}
    results = graph.invoke([1, 2, 3, 4], config)
    updates = sorted(
        (k, v) for chunk in graph.stream([5, 6], config) for k, v in chunk.items()
    )  # parallel tasks finish in any order
    simple_config = {"configurable": {"thread_id": "simple"}}
    simple = my_workflow.invoke({"value": 1, "another_value": 2}, simple_config)
    return results, updates, simple
