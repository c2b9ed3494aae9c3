"""Use the functional API (docs: oss/use-functional-api, "Decouple return value from saved
value"): accumulate returns the previous total and saves the new one."""

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.func import entrypoint

checkpointer = InMemorySaver()


@entrypoint(checkpointer=checkpointer)
def accumulate(n: int, *, previous: int | None) -> entrypoint.final[int, int]:
    previous = previous or 0
    total = previous + n
    # Return the *previous* value to the caller but save the *new* total to the checkpoint.
    return entrypoint.final(value=previous, save=total)


def main():
    config = {"configurable": {"thread_id": "my-thread"}}
    results = [accumulate.invoke(n, config=config) for n in (1, 2, 3)]  # 0, 1, 3
    other = accumulate.invoke(10, config={"configurable": {"thread_id": "other"}})
    return results, other, accumulate.get_state(config).values
