"""Workflows and agents, prompt chaining: three LLM calls in a row with a gate
(a conditional edge to END or on); a fake chat model stands in for the LLM. Run twice: a
joke that fails the gate goes through improve and polish, one that passes ends at once."""

from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
from langchain_core.messages import AIMessage
from langgraph.graph import END, START, StateGraph
from typing_extensions import TypedDict


# Graph state
class State(TypedDict):
    topic: str
    joke: str
    improved_joke: str
    final_joke: str


def build(replies):
    llm = GenericFakeChatModel(messages=iter([AIMessage(r) for r in replies]))

    # Nodes
    def generate_joke(state: State):
        """First LLM call to generate initial joke"""

        msg = llm.invoke(f"Write a short joke about {state['topic']}")
        return {"joke": msg.content}

    def check_punchline(state: State):
        """Gate function to check if the joke has a punchline"""

        # Simple check - does the joke contain "?" or "!"
        if "?" in state["joke"] or "!" in state["joke"]:
            return "Pass"
        return "Fail"

    def improve_joke(state: State):
        """Second LLM call to improve the joke"""

        msg = llm.invoke(f"Make this joke funnier by adding wordplay: {state['joke']}")
        return {"improved_joke": msg.content}

    def polish_joke(state: State):
        """Third LLM call for final polish"""

        msg = llm.invoke(f"Add a surprising twist to this joke: {state['improved_joke']}")
        return {"final_joke": msg.content}

    # Build workflow
    workflow = StateGraph(State)

    # Add nodes
    workflow.add_node("generate_joke", generate_joke)
    workflow.add_node("improve_joke", improve_joke)
    workflow.add_node("polish_joke", polish_joke)

    # Add edges to connect nodes
    workflow.add_edge(START, "generate_joke")
    workflow.add_conditional_edges(
        "generate_joke", check_punchline, {"Fail": "improve_joke", "Pass": END}
    )
    workflow.add_edge("improve_joke", "polish_joke")
    workflow.add_edge("polish_joke", END)

    # Compile
    return workflow.compile()


def main():
    chain = build(["Cats sleep a lot.", "Cats nap purr-fectly.", "Then the nap woke up."])
    out = [chain.invoke({"topic": "cats"})]
    chain = build(["Why did the cat sit on the laptop? To keep an eye on the mouse!"])
    out.append(list(chain.stream({"topic": "cats"}, stream_mode="updates")))
    out.append([n for n in chain.get_graph().nodes])
    return out
