"""Use the functional API (docs: oss/use-functional-api, "Short-term memory" chatbot
example): the conversation is the entrypoint's saved value (`previous`), extended with
add_messages; a fake chat model stands in for ChatAnthropic and says what it was given."""

from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage, BaseMessage
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.func import entrypoint, task
from langgraph.graph import add_messages

model = FakeMessagesListChatModel(
    responses=[
        AIMessage(content="Hi Bob! How are you doing today?", id="ai-1"),
        AIMessage(content="Your name is Bob.", id="ai-2"),
    ]
)
seen = []


@task
def call_model(messages: list[BaseMessage]):
    seen.append(len(messages))
    response = model.invoke(messages)
    return response


checkpointer = InMemorySaver()


@entrypoint(checkpointer=checkpointer)
def workflow(inputs: list[BaseMessage], *, previous: list[BaseMessage]):
    if previous:
        inputs = add_messages(previous, inputs)
    response = call_model(inputs).result()
    return entrypoint.final(value=response, save=add_messages(inputs, response))


def main():
    config = {"configurable": {"thread_id": "1"}}
    out = []
    input_message = {"role": "user", "content": "hi! I'm bob", "id": "h-1"}
    for chunk in workflow.stream([input_message], config, stream_mode="values"):
        out.append(chunk.content)
    input_message = {"role": "user", "content": "what's my name?", "id": "h-2"}
    for chunk in workflow.stream([input_message], config, stream_mode="values"):
        out.append(chunk.content)
    return out, seen
