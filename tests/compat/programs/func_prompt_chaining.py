"""Workflows and agents (docs: oss/agentic-architectures, "Prompt chaining", Functional
API tab): generate a joke, gate it on its punchline, improve and polish it, each LLM call
a task; streamed in updates mode. A fake chat model stands in for the LLM."""

from langchain_core.language_models.fake_chat_models import FakeListChatModel
from langgraph.func import entrypoint, task

llm = FakeListChatModel(
    responses=[
        "Why do cats sleep all day? Night shifts!",
        "Why do cats sleep all day? Purr-manent night shifts!",
        "Why do cats sleep all day? Purr-manent night shifts, says the dog.",
    ]
)


# Tasks
@task
def generate_joke(topic: str):
    """First LLM call to generate initial joke"""
    msg = llm.invoke(f"Write a short joke about {topic}")
    return msg.content


def check_punchline(joke: str):
    """Gate function to check if the joke has a punchline"""
    # Simple check - does the joke contain "?" or "!"
    if "?" in joke or "!" in joke:
        return "Fail"

    return "Pass"


@task
def improve_joke(joke: str):
    """Second LLM call to improve the joke"""
    msg = llm.invoke(f"Make this joke funnier by adding wordplay: {joke}")
    return msg.content


@task
def polish_joke(joke: str):
    """Third LLM call for final polish"""
    msg = llm.invoke(f"Add a surprising twist to this joke: {joke}")
    return msg.content


@entrypoint()
def prompt_chaining_workflow(topic: str):
    original_joke = generate_joke(topic).result()
    if check_punchline(original_joke) == "Pass":
        return original_joke

    improved_joke = improve_joke(original_joke).result()
    return polish_joke(improved_joke).result()


def main():
    return list(prompt_chaining_workflow.stream("cats", stream_mode="updates"))
