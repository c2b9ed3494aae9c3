"""The tasks and debug stream modes of an entrypoint (docs: oss/streaming, "Stream modes":
tasks, debug; written with the functional API of oss/use-functional-api): the entrypoint
is a task triggered by __start__ whose result is {"__end__": value}, each task call a push
task with its arguments as input and {"__return__": value} as result, a failing task with
its error. The debug chunks are compared without their timestamps and step numbers
(graphstage's entrypoint runs at step 1, after START)."""

from langgraph.func import entrypoint, task


@task
def add_one(x: int) -> int:
    return x + 1


@task
def boom(x: int) -> int:
    raise ValueError(f"bad {x}")


@entrypoint()
def main_workflow(n: int) -> dict:
    a = add_one(n).result()
    try:
        boom(a).result()
    except ValueError as exc:
        return {"a": a, "error": str(exc)}
    return {"a": a}


def main():
    tasks = list(main_workflow.stream(1, stream_mode="tasks"))
    debug = [
        (chunk["type"], chunk["payload"])
        for chunk in main_workflow.stream(1, stream_mode="debug")
        if chunk["type"] != "checkpoint"
    ]
    return tasks, debug
