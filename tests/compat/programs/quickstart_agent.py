"""The agents quickstart: a prebuilt ReAct agent with a static prompt, with a prompt
function reading the config, with memory (InMemorySaver, two turns on a thread), and with
structured output (response_format=WeatherResponse). A fake tool-calling model answers,
echoing the system prompt it saw."""

from typing import Any

from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage, AnyMessage
from langchain_core.outputs import ChatGeneration, ChatResult
from langchain_core.runnables import RunnableConfig
from langgraph.checkpoint.memory import InMemorySaver
from langgraph.prebuilt import create_react_agent
from langgraph.prebuilt.chat_agent_executor import AgentState
from pydantic import BaseModel


class ScriptedModel(FakeMessagesListChatModel):
    """Replies in turn, prefixed with the system prompt and the number of messages seen."""

    def bind_tools(self, tools: Any, **kwargs: Any):
        return self

    def _generate(self, messages, stop=None, run_manager=None, **kwargs):
        reply = self.responses[self.i % len(self.responses)]
        self.i += 1
        system = [m.content for m in messages if m.type == "system"]
        text = f"{system} {len(messages)}: {reply.content}" if reply.content else ""
        message = reply.model_copy(update={"content": text})
        return ChatResult(generations=[ChatGeneration(message=message)])


def get_weather(city: str) -> str:
    """Get weather for a given city."""
    return f"It's always sunny in {city}!"


def weather_call(city, ident):
    return AIMessage("", tool_calls=[{"name": "get_weather", "args": {"city": city}, "id": ident}])


def prompt(state: AgentState, config: RunnableConfig) -> list[AnyMessage]:
    user_name = config["configurable"].get("user_name")
    system_msg = f"You are a helpful assistant. Address the user as {user_name}."
    return [{"role": "system", "content": system_msg}, *state["messages"]]


class WeatherResponse(BaseModel):
    conditions: str


QUESTION = {"messages": [{"role": "user", "content": "what is the weather in sf"}]}


def main():
    agent = create_react_agent(
        model=ScriptedModel(responses=[weather_call("sf", "c1"), AIMessage("Sunny.")]),
        tools=[get_weather],
        prompt="You are a helpful assistant",
    )
    out = [agent.invoke(QUESTION)]
    agent = create_react_agent(
        model=ScriptedModel(responses=[AIMessage("Hi John.")]), tools=[get_weather], prompt=prompt
    )
    out.append(agent.invoke(QUESTION, config={"configurable": {"user_name": "John Smith"}}))
    checkpointer = InMemorySaver()
    agent = create_react_agent(
        model=ScriptedModel(
            responses=[
                weather_call("sf", "c1"),
                AIMessage("Sunny in sf."),
                weather_call("new york", "c2"),
                AIMessage("Sunny in NY too."),
            ]
        ),
        tools=[get_weather],
        checkpointer=checkpointer,
    )
    config = {"configurable": {"thread_id": "1"}}
    agent.invoke(QUESTION, config)
    ny_response = agent.invoke(
        {"messages": [{"role": "user", "content": "what about new york?"}]}, config
    )
    out.append([m.content for m in ny_response["messages"]])
    structured_call = {"name": "WeatherResponse", "args": {"conditions": "sunny"}, "id": "s1"}
    agent = create_react_agent(
        model=ScriptedModel(
            responses=[
                weather_call("sf", "c1"),
                AIMessage("Sunny."),
                AIMessage("", tool_calls=[structured_call]),
            ]
        ),
        tools=[get_weather],
        response_format=WeatherResponse,
    )
    response = agent.invoke(QUESTION)
    out.append((response["structured_response"], len(response["messages"])))
    return out
