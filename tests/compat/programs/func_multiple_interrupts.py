"""Several interrupts in tasks (docs: oss/functional-api, "Determinism": LangGraph keeps a
list of resume values for each task and entrypoint and matches them to interrupt() calls by
index): a task asks two questions one after the other, answered in two resumes; two tasks
started in parallel each ask one, answered by interrupt id until the run ends."""

from langgraph.checkpoint.memory import InMemorySaver
from langgraph.func import entrypoint, task
from langgraph.types import Command, interrupt

runs = []


@task
def two_questions(topic: str) -> list:
    runs.append("two_questions")
    first = interrupt(f"first about {topic}?")
    second = interrupt(f"second about {topic}?")
    return [first, second]


@task
def ask(question: str) -> str:
    runs.append(question)
    return interrupt(question)


@entrypoint(checkpointer=InMemorySaver())
def sequential(topic: str) -> list:
    return two_questions(topic).result()


@entrypoint(checkpointer=InMemorySaver())
def parallel(n: int) -> list:
    futures = [ask(f"q{i}") for i in range(n)]
    return [f.result() for f in futures]


def questions(result):
    return [i.value for i in result.get("__interrupt__", [])] if isinstance(result, dict) else []


def main():
    config = {"configurable": {"thread_id": "seq"}}
    seq = [questions(sequential.invoke("cats", config))]
    seq.append(questions(sequential.invoke(Command(resume="A"), config)))
    seq.append(sequential.invoke(Command(resume="B"), config))
    config = {"configurable": {"thread_id": "par"}}
    asked, result = [], parallel.invoke(2, config)
    while questions(result):  # which task's question comes first is not fixed: answer all
        waiting = parallel.get_state(config).interrupts
        asked += [i.value for i in waiting]
        result = parallel.invoke(Command(resume={i.id: i.value.upper() for i in waiting}), config)
    return seq, sorted(asked), result, sorted(set(runs))
