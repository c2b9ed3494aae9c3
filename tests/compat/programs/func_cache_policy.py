"""Use the functional API (docs: oss/use-functional-api, "Caching Tasks"): a call of a task
with an input already cached is answered from the cache, and the updates stream marks it
{"__metadata__": {"cached": True}}. (The page's time.sleep(1) is left out.)

The page streams the workflow once; whether its second call finds the first call's result
in the cache is a race on LangGraph (its cache write lands in the background: 4 of 200 runs
here called the task twice, and CI failed on it), so the program runs the page's workflow
twice and compares the second run, where both calls are answered from the cache."""

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
    list(main_workflow.stream({"x": 5}, stream_mode="updates"))  # the page's run
    made = len(calls)
    chunks = list(main_workflow.stream({"x": 5}, stream_mode="updates"))
    return chunks, sorted(set(calls)), len(calls) - made
