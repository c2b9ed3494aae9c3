"""The graph API how-to, add runtime configuration: a TypedDict context_schema read through
runtime.context in a node (invoke({}, context=...)), and a dataclass context with defaults
choosing the model and an optional system message (context=ContextSchema() or a dict)."""

from dataclasses import dataclass

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage, SystemMessage
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.runtime import Runtime
from typing_extensions import TypedDict


# 1. Specify config schema
class ContextSchema(TypedDict):
    my_runtime_value: str


# 2. Define a graph that accesses the config in a node
class State(TypedDict):
    my_state_value: str


def node(state: State, runtime: Runtime[ContextSchema]):
    if runtime.context["my_runtime_value"] == "a":
        return {"my_state_value": "1"}
    elif runtime.context["my_runtime_value"] == "b":
        return {"my_state_value": "2"}
    else:
        raise ValueError("Unknown values.")


builder = StateGraph(State, context_schema=ContextSchema)
builder.add_node(node)
builder.add_edge(START, "node")
builder.add_edge("node", END)
graph = builder.compile()


@dataclass
class ModelContext:
    model_provider: str = "anthropic"
    system_message: str | None = None


class EchoFake(GenericFakeChatModel):
    """Answers with its name and the messages' roles (which shows the system message)."""

    def _generate(self, messages, stop=None, run_manager=None, **kwargs):
        self.messages = iter([AIMessage(f"{self.name}: {[m.type for m in messages]}")])
        return super()._generate(messages, stop, run_manager, **kwargs)


MODELS = {
    "anthropic": EchoFake(messages=iter([]), name="anthropic"),
    "openai": EchoFake(messages=iter([]), name="openai"),
}


def call_model(state: MessagesState, runtime: Runtime[ModelContext]):
    model = MODELS[runtime.context.model_provider]
    messages = state["messages"]
    if system_message := runtime.context.system_message:
        messages = [SystemMessage(system_message), *messages]
    response = model.invoke(messages)
    return {"messages": [response]}


model_builder = StateGraph(MessagesState, context_schema=ModelContext)
model_builder.add_node("model", call_model)
model_builder.add_edge(START, "model")
model_builder.add_edge("model", END)
model_graph = model_builder.compile()


def main():
    out = [graph.invoke({}, context={"my_runtime_value": "a"})]
    out.append(graph.invoke({}, context={"my_runtime_value": "b"}))
    try:
        graph.invoke({}, context={"my_runtime_value": "c"})
    except ValueError as exc:
        out.append(str(exc))
    input_message = {"role": "user", "content": "hi"}
    # With no configuration, uses default (Anthropic)
    out.append(
        model_graph.invoke({"messages": [input_message]}, context=ModelContext())["messages"][-1]
    )
    # Or, can set OpenAI
    out.append(
        model_graph.invoke({"messages": [input_message]}, context={"model_provider": "openai"})[
            "messages"
        ][-1]
    )
    response = model_graph.invoke(
        {"messages": [input_message]},
        context={"model_provider": "openai", "system_message": "Respond in Italian."},
    )
    out.append(response["messages"])
    return out
