"""The agentic RAG tutorial: a model decides to call a retriever tool (a keyword retriever
stands in for the vector store), a grader with structured output sends
irrelevant results to rewrite_question (which adds a user message as a dict) and relevant
ones to generate_answer; the prebuilt ToolNode named "retrieve", tools_condition with a
path_map. Fakes stand in for the chat models."""

from typing import Any, Literal

from langchain_core.documents import Document
from langchain_core.language_models.fake_chat_models import FakeMessagesListChatModel
from langchain_core.messages import AIMessage
from langchain_core.output_parsers.openai_tools import PydanticToolsParser
from langchain_core.retrievers import BaseRetriever
from langchain_core.tools import create_retriever_tool
from langgraph.graph import END, START, MessagesState, StateGraph
from langgraph.prebuilt import ToolNode, tools_condition
from pydantic import BaseModel, Field


class FakeToolModel(FakeMessagesListChatModel):
    def bind_tools(self, tools: Any, **kwargs: Any):
        return self


doc_splits = [
    Document("Reward hacking: the agent exploits flaws in the reward function."),
    Document("Two types: environment or goal misspecification, and reward tampering."),
]


class KeywordRetriever(BaseRetriever):
    """The documents sharing the most words with the query (the first one)."""

    documents: list[Document]

    def _get_relevant_documents(self, query, *, run_manager=None):
        words = set(query.lower().split())
        return [max(self.documents, key=lambda d: len(words & set(d.page_content.lower().split())))]


retriever = KeywordRetriever(documents=doc_splits)

retriever_tool = create_retriever_tool(
    retriever,
    "retrieve_blog_posts",
    "Search and return information about Lilian Weng blog posts.",
)


def search(query, ident):
    call = {"name": "retrieve_blog_posts", "args": {"query": query}, "id": ident}
    return AIMessage("", tool_calls=[call])


response_model = FakeToolModel(
    responses=[
        search("reward hacking", "c1"),
        AIMessage("What types of reward hacking does Lilian Weng describe?"),
        search("types of reward hacking", "c2"),
        AIMessage("Environment or goal misspecification, and reward tampering."),
    ]
)


def grade(score):
    call = {"name": "GradeDocuments", "args": {"binary_score": score}, "id": "g"}
    return AIMessage("", tool_calls=[call])


grader_model = FakeToolModel(responses=[grade("no"), grade("yes")])


def generate_query_or_respond(state: MessagesState):
    """Call the model to generate a response based on the current state. Given
    the question, it will decide to retrieve using the retriever tool, or simply respond to
    the user.
    """
    response = response_model.bind_tools([retriever_tool]).invoke(state["messages"])
    return {"messages": [response]}


GRADE_PROMPT = (
    "You are a grader assessing relevance of a retrieved document to a user question. \n "
    "Here is the retrieved document: \n\n {context} \n\n"
    "Here is the user question: {question} \n"
    "Give a binary score 'yes' or 'no' score to indicate whether the document is relevant."
)


class GradeDocuments(BaseModel):
    """Grade documents using a binary score for relevance check."""

    binary_score: str = Field(
        description="Relevance score: 'yes' if relevant, or 'no' if not relevant"
    )


CONTEXTS = []


def grade_documents(
    state: MessagesState,
) -> Literal["generate_answer", "rewrite_question"]:
    """Determine whether the retrieved documents are relevant to the question."""
    question = state["messages"][0].content
    context = state["messages"][-1].content
    CONTEXTS.append(context)

    prompt = GRADE_PROMPT.format(question=question, context=context)
    # what with_structured_output(GradeDocuments) builds for a tool-calling model
    structured = grader_model.bind_tools([GradeDocuments]) | PydanticToolsParser(
        tools=[GradeDocuments], first_tool_only=True
    )
    response = structured.invoke([{"role": "user", "content": prompt}])
    score = response.binary_score

    if score == "yes":
        return "generate_answer"
    else:
        return "rewrite_question"


REWRITE_PROMPT = (
    "Look at the input and try to reason about the underlying semantic intent / meaning.\n"
    "Here is the initial question:"
    "\n ------- \n"
    "{question}"
    "\n ------- \n"
    "Formulate an improved question:"
)


def rewrite_question(state: MessagesState):
    """Rewrite the original user question."""
    messages = state["messages"]
    question = messages[0].content
    prompt = REWRITE_PROMPT.format(question=question)
    response = response_model.invoke([{"role": "user", "content": prompt}])
    return {"messages": [{"role": "user", "content": response.content}]}


GENERATE_PROMPT = (
    "You are an assistant for question-answering tasks. Question: {question} \nContext: {context}"
)


def generate_answer(state: MessagesState):
    """Generate an answer."""
    question = state["messages"][0].content
    context = state["messages"][-1].content
    prompt = GENERATE_PROMPT.format(question=question, context=context)
    response = response_model.invoke([{"role": "user", "content": prompt}])
    return {"messages": [response]}


workflow = StateGraph(MessagesState)

# Define the nodes we will cycle between
workflow.add_node(generate_query_or_respond)
workflow.add_node("retrieve", ToolNode([retriever_tool]))
workflow.add_node(rewrite_question)
workflow.add_node(generate_answer)

workflow.add_edge(START, "generate_query_or_respond")

# Decide whether to retrieve
workflow.add_conditional_edges(
    "generate_query_or_respond",
    # Assess LLM decision (call `retriever_tool` tool or respond to the user)
    tools_condition,
    {
        # Translate the condition outputs to nodes in our graph
        "tools": "retrieve",
        END: END,
    },
)

# Edges taken after the `action` node is called.
workflow.add_conditional_edges(
    "retrieve",
    # Assess agent decision
    grade_documents,
)
workflow.add_edge("generate_answer", END)
workflow.add_edge("rewrite_question", "generate_query_or_respond")

# Compile
graph = workflow.compile()


def main():
    out = []
    for chunk in graph.stream(
        {
            "messages": [
                {
                    "role": "user",
                    "content": "What does Lilian Weng say about types of reward hacking?",
                }
            ]
        }
    ):
        for node, update in chunk.items():
            out.append((node, update["messages"][-1]))
    out.append(CONTEXTS)
    g = graph.get_graph()
    out.append(sorted((e.source, e.target, e.conditional) for e in g.edges))
    return out
