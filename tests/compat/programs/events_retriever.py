"""A retriever called by a node (the agentic RAG tutorial's retrieve step, with a small
in-memory retriever): ``on_retriever_start``/``on_retriever_end`` with the query and the
documents, under the node's run."""

import operator
from typing import Annotated, TypedDict

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langgraph.graph import START, StateGraph


class KeywordRetriever(BaseRetriever):
    docs: list[str]

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        return [Document(page_content=d) for d in self.docs if query in d]


retriever = KeywordRetriever(docs=["cats purr", "dogs bark", "cats sleep"])


class State(TypedDict):
    question: str
    context: Annotated[list, operator.add]


async def retrieve(state: State):
    docs = await retriever.ainvoke(state["question"])
    return {"context": [d.page_content for d in docs]}


graph = StateGraph(State).add_node(retrieve).add_edge(START, "retrieve").compile()


async def main():
    out = []
    async for e in graph.astream_events({"question": "cats", "context": []}, version="v2"):
        if e["event"].startswith("on_retriever"):
            data = {k: v for k, v in e["data"].items()}
            out.append((e["event"], e["name"], e["metadata"]["langgraph_node"], data))
        else:
            out.append((e["event"], e["name"]))
    return out
