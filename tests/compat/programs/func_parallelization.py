"""Workflows and agents (docs: oss/agentic-architectures, "Parallelization", Functional
API tab): three LLM calls run as parallel tasks, an aggregator task combines them. A fake
chat model that answers each prompt with its own text stands in for the LLM (parallel
calls finish in any order); the updates are compared without their order."""

from typing import Any

from langchain_core.language_models import BaseChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langgraph.func import entrypoint, task


class EchoModel(BaseChatModel):
    """Answers with the last prompt, reworded."""

    @property
    def _llm_type(self) -> str:
        return "echo"

    def _generate(self, messages: list[BaseMessage], stop: Any = None, **kwargs: Any) -> ChatResult:
        text = str(messages[-1].content).replace("Write a", "A")
        return ChatResult(generations=[ChatGeneration(message=AIMessage(content=text))])


llm = EchoModel()


@task
def call_llm_1(topic: str):
    """First LLM call to generate initial joke"""
    msg = llm.invoke(f"Write a joke about {topic}")
    return msg.content


@task
def call_llm_2(topic: str):
    """Second LLM call to generate story"""
    msg = llm.invoke(f"Write a story about {topic}")
    return msg.content


@task
def call_llm_3(topic):
    """Third LLM call to generate poem"""
    msg = llm.invoke(f"Write a poem about {topic}")
    return msg.content


@task
def aggregator(topic, joke, story, poem):
    """Combine the joke and story into a single output"""

    combined = f"Here's a story, joke, and poem about {topic}!\n\n"
    combined += f"STORY:\n{story}\n\n"
    combined += f"JOKE:\n{joke}\n\n"
    combined += f"POEM:\n{poem}"
    return combined


# Build workflow
@entrypoint()
def parallel_workflow(topic: str):
    joke_fut = call_llm_1(topic)
    story_fut = call_llm_2(topic)
    poem_fut = call_llm_3(topic)
    return aggregator(topic, joke_fut.result(), story_fut.result(), poem_fut.result()).result()


def main():
    steps = list(parallel_workflow.stream("cats", stream_mode="updates"))
    return sorted(steps[:3], key=str), steps[3:]
