"""Use the functional API (docs: oss/use-functional-api, "Caching Tasks"): the second call
of a task with the same input is answered from the cache, and the updates stream marks it
{"__metadata__": {"cached": True}}. (The page's time.sleep(1) is left out.)"""

from langgraph.cache.memory import InMemoryCache
from langgraph.func import entrypoint, task
from langgraph.types import CachePolicy

calls = []


@task(cache_policy=CachePolicy(ttl=120))
def slow_add(x: int) -> int:
    calls.append(x)
    return x * 2


@entrypoint(cache=InMemoryCache())
def main_workflow(inputs: dict) -> dict[str, int]:
    result1 = slow_add(inputs["x"]).result()
    result2 = slow_add(inputs["x"]).result()
    return {"result1": result1, "result2": result2}


def main():
    chunks = list(main_workflow.stream({"x": 5}, stream_mode="updates"))
    return chunks, calls
