"""Use the functional API (docs: oss/use-functional-api, "Retry policy"): a task that
fails once with ValueError is retried by RetryPolicy(retry_on=ValueError)."""

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.func import entrypoint, task
from langgraph.types import RetryPolicy

# This variable is just used for demonstration purposes to simulate a network failure.
attempts = 0

# Let's configure the RetryPolicy to retry on ValueError.
retry_policy = RetryPolicy(retry_on=ValueError, initial_interval=0.01)


@task(retry_policy=retry_policy)
def get_info():
    global attempts
    attempts += 1
    if attempts < 2:
        raise ValueError("Failure")
    return "OK"


checkpointer = InMemorySaver()


@entrypoint(checkpointer=checkpointer)
def main_workflow(inputs, writer):
    return get_info().result()


def main():
    config = {"configurable": {"thread_id": "1"}}
    return main_workflow.invoke({"any_input": "foobar"}, config=config), attempts
