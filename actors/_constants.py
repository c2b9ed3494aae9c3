"""The two virtual nodes every graph has, spelled as LangGraph spells them."""

from typing import Final

START: Final = "__start__"
"""The virtual node a run begins at: ``add_edge(START, "first")`` names the entry node."""

END: Final = "__end__"
"""The virtual node a run ends at: ``Command(goto=END)`` or ``add_edge("last", END)``."""
