"""Functional API overview (docs: oss/functional-api, "entrypoint.final"): return the
previous value to the caller while saving 2 * number for the next call's `previous`."""

from typing import Any

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.func import entrypoint

checkpointer = InMemorySaver()


@entrypoint(checkpointer=checkpointer)
def my_workflow(number: int, *, previous: Any = None) -> entrypoint.final[int, int]:
    previous = previous or 0
    # This will return the previous value to the caller, saving
    # 2 * number to the checkpoint, which will be used in the next invocation
    # for the `previous` parameter.
    return entrypoint.final(value=previous, save=2 * number)


def main():
    config = {"configurable": {"thread_id": "1"}}
    first = my_workflow.invoke(3, config)  # 0 (previous was None)
    second = my_workflow.invoke(1, config)  # 6 (previous was 3 * 2 from the previous invocation)
    return first, second, my_workflow.get_state(config).values
