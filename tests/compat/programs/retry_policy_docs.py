"""The graph API how-to, add retry policies: a database node retried on
sqlite3.OperationalError (RetryPolicy(retry_on=...)), a model node with
RetryPolicy(max_attempts=5); the database fails twice before answering, the model once. A
fake stands in for the database and for the chat model; the waits are made short (no
jitter) to keep the suite fast."""

import sqlite3

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.types import RetryPolicy

CALLS = []


class FlakyDatabase:
    def __init__(self):
        self.failures = 2

    def run(self, query):
        CALLS.append("db")
        if self.failures:
            self.failures -= 1
            raise sqlite3.OperationalError("database is locked")
        return "[(1, 'AC/DC'), (2, 'Accept')]"


class FlakyModel(GenericFakeChatModel):
    def _generate(self, messages, stop=None, run_manager=None, **kwargs):
        CALLS.append("model")
        if CALLS.count("model") == 1:
            raise ConnectionError("overloaded")
        return super()._generate(messages, stop, run_manager, **kwargs)


db = FlakyDatabase()
model = FlakyModel(messages=iter([AIMessage("Let me look.")]))


def query_database(state: MessagesState):
    query_result = db.run("SELECT * FROM Artist LIMIT 10;")
    return {"messages": [AIMessage(content=query_result)]}


def call_model(state: MessagesState):
    response = model.invoke(state["messages"])
    return {"messages": [response]}


# Define a new graph
builder = StateGraph(MessagesState)
builder.add_node(
    "query_database",
    query_database,
    retry_policy=RetryPolicy(
        retry_on=sqlite3.OperationalError, initial_interval=0.001, jitter=False
    ),
)
builder.add_node(
    "model",
    call_model,
    retry_policy=RetryPolicy(max_attempts=5, initial_interval=0.001, jitter=False),
)
builder.add_edge(START, "model")
builder.add_edge("model", "query_database")
builder.add_edge("query_database", END)
graph = builder.compile()


def main():
    result = graph.invoke({"messages": [("user", "list artists")]})
    return [m.content for m in result["messages"]], CALLS
