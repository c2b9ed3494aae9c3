"""Streaming LLM tokens from an entrypoint's tasks (docs: oss/streaming, "LLM tokens" and
"Filter by node", written with the functional API of oss/use-functional-api): with
stream_mode="messages" each token comes with its metadata, whose langgraph_node is the
task that called the model, so a consumer keeps only the poem's tokens. Fake chat models
stream the tokens."""

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langgraph.func import entrypoint, task

joke_model = GenericFakeChatModel(messages=iter([AIMessage(content="cats nap a lot", id="j")]))
poem_model = GenericFakeChatModel(messages=iter([AIMessage(content="soft paws at dawn", id="p")]))


@task
def write_joke(topic: str) -> str:
    return joke_model.invoke(f"a joke about {topic}").content


@task
def write_poem(topic: str) -> str:
    return poem_model.invoke(f"a poem about {topic}").content


@entrypoint()
def workflow(topic: str) -> dict:
    joke = write_joke(topic).result()
    poem = write_poem(topic).result()
    return {"joke": joke, "poem": poem}


def main():
    poem_tokens, nodes = [], []
    for msg, metadata in workflow.stream("cats", stream_mode="messages"):
        nodes.append(
            (
                metadata["langgraph_node"],
                metadata["langgraph_triggers"],
                metadata["langgraph_path"],
            )
        )
        if msg.content and metadata["langgraph_node"] == "write_poem":
            poem_tokens.append(msg.content)
    return poem_tokens, sorted(set(nodes))
