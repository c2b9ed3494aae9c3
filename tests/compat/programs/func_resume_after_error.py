"""Use the functional API (docs: oss/use-functional-api, "Resuming after an error"): the
first run fails in get_info after slow_task finished; invoke(None, config) goes on, and
slow_task's result comes from the checkpoint (it does not run again). (The page's
time.sleep(1) is left out.)"""

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.func import entrypoint, task
from langgraph.types import StreamWriter

attempts = 0
slow_calls = 0


@task()
def get_info():
    """Fails on the first attempt, then returns "OK"."""
    global attempts
    attempts += 1
    if attempts < 2:
        raise ValueError("Failure")  # Simulate a failure on the first attempt
    return "OK"


checkpointer = InMemorySaver()


@task
def slow_task():
    """Simulates a slow-running task."""
    global slow_calls
    slow_calls += 1
    return "Ran slow task."


@entrypoint(checkpointer=checkpointer)
def main_workflow(inputs, writer: StreamWriter):
    slow_task_result = slow_task().result()  # Blocking call to slow_task
    get_info().result()  # Exception will be raised here on the first attempt
    return slow_task_result


def main():
    config = {"configurable": {"thread_id": "1"}}
    try:
        main_workflow.invoke({"any_input": "foobar"}, config=config)
        failed = False
    except ValueError:
        failed = True  # Handle the failure gracefully
    resumed = main_workflow.invoke(None, config=config)
    return failed, resumed, attempts, slow_calls
