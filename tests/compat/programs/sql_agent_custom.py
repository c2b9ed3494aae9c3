"""The SQL agent tutorial, customizing the agent: a predetermined tool call (list_tables
invokes a tool itself), a forced schema tool call, named ToolNodes added as
add_node(tool_node, "name") (LangGraph names them after the ToolNode's own name), a query
checker replacing the message by id, and a loop back until the model answers. An in-memory
sqlite3 database and three small tools stand in for the SQLDatabase toolkit; a fake
tool-calling model answers."""

import sqlite3
from typing import Any, Literal

from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage
from langchain_core.tools import tool
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode

db = sqlite3.connect(":memory:", check_same_thread=False)
db.executescript(
    """
    CREATE TABLE genre (id INTEGER, name TEXT);
    CREATE TABLE track (id INTEGER, genre_id INTEGER, ms INTEGER);
    INSERT INTO genre VALUES (1, 'Rock'), (2, 'Sci Fi');
    INSERT INTO track VALUES (1, 1, 200000), (2, 2, 2900000), (3, 1, 300000);
    """
)


@tool
def sql_db_list_tables() -> str:
    """List the tables."""
    rows = db.execute("SELECT name FROM sqlite_master WHERE type='table' ORDER BY name")
    return ", ".join(r[0] for r in rows)


@tool
def sql_db_schema(table_names: str) -> str:
    """The schema of the tables named."""
    names = [n.strip() for n in table_names.split(",")]
    rows = db.execute(
        f"SELECT sql FROM sqlite_master WHERE name IN ({','.join('?' * len(names))})", names
    )
    return "\n".join(r[0] for r in rows)


@tool
def sql_db_query(query: str) -> str:
    """Run a query."""
    return str(db.execute(query).fetchall())


tools = [sql_db_list_tables, sql_db_schema, sql_db_query]


class FakeToolModel(FakeMessagesListChatModel):
    def bind_tools(self, tools: Any, **kwargs: Any):
        return self


def call(name, args, ident):
    return AIMessage("", tool_calls=[{"name": name, "args": args, "id": ident}])


QUERY = (
    "SELECT g.name, AVG(t.ms) FROM track t JOIN genre g ON g.id = t.genre_id "
    "GROUP BY g.name ORDER BY AVG(t.ms) DESC LIMIT 1"
)
llm = FakeToolModel(
    responses=[
        call("sql_db_schema", {"table_names": "genre, track"}, "s1"),
        call("sql_db_query", {"query": QUERY + ";"}, "q1"),
        call("sql_db_query", {"query": QUERY}, "q2"),
        AIMessage("Sci Fi has the longest tracks on average."),
    ]
)

get_schema_tool = next(tool for tool in tools if tool.name == "sql_db_schema")
get_schema_node = ToolNode([get_schema_tool], name="get_schema")

run_query_tool = next(tool for tool in tools if tool.name == "sql_db_query")
run_query_node = ToolNode([run_query_tool], name="run_query")


# Example: create a predetermined tool call
def list_tables(state: MessagesState):
    tool_call = {
        "name": "sql_db_list_tables",
        "args": {},
        "id": "abc123",
        "type": "tool_call",
    }
    tool_call_message = AIMessage(content="", tool_calls=[tool_call])

    list_tables_tool = next(tool for tool in tools if tool.name == "sql_db_list_tables")
    tool_message = list_tables_tool.invoke(tool_call)
    response = AIMessage(f"Available tables: {tool_message.content}")

    return {"messages": [tool_call_message, tool_message, response]}


# Example: force a model to create a tool call
def call_get_schema(state: MessagesState):
    llm_with_tools = llm.bind_tools([get_schema_tool], tool_choice="any")
    response = llm_with_tools.invoke(state["messages"])

    return {"messages": [response]}


def generate_query(state: MessagesState):
    system_message = {"role": "system", "content": "Write a sqlite query."}
    # We do not force a tool call here, to allow the model to
    # respond naturally when it obtains the solution.
    llm_with_tools = llm.bind_tools([run_query_tool])
    response = llm_with_tools.invoke([system_message, *state["messages"]])

    return {"messages": [response]}


def check_query(state: MessagesState):
    system_message = {"role": "system", "content": "Double check the sqlite query."}

    # Generate an artificial user message to check
    tool_call = state["messages"][-1].tool_calls[0]
    user_message = {"role": "user", "content": tool_call["args"]["query"]}
    llm_with_tools = llm.bind_tools([run_query_tool], tool_choice="any")
    response = llm_with_tools.invoke([system_message, user_message])
    response.id = state["messages"][-1].id

    return {"messages": [response]}


def should_continue(state: MessagesState) -> Literal[END, "check_query"]:
    messages = state["messages"]
    last_message = messages[-1]
    if not last_message.tool_calls:
        return END
    else:
        return "check_query"


builder = StateGraph(MessagesState)
builder.add_node(list_tables)
builder.add_node(call_get_schema)
builder.add_node(get_schema_node, "get_schema")
builder.add_node(generate_query)
builder.add_node(check_query)
builder.add_node(run_query_node, "run_query")

builder.add_edge(START, "list_tables")
builder.add_edge("list_tables", "call_get_schema")
builder.add_edge("call_get_schema", "get_schema")
builder.add_edge("get_schema", "generate_query")
builder.add_conditional_edges(
    "generate_query",
    should_continue,
)
builder.add_edge("check_query", "run_query")
builder.add_edge("run_query", "generate_query")

agent = builder.compile()


def main():
    question = "Which genre on average has the longest tracks?"
    steps = [
        step["messages"][-1]
        for step in agent.stream(
            {"messages": [{"role": "user", "content": question}]},
            stream_mode="values",
        )
    ]
    return steps, sorted(agent.get_graph().nodes)
