"""The two virtual nodes every graph has, spelled as LangGraph spells them."""

import os
from typing import Final

START: Final = "__start__"
"""The virtual node a run begins at: ``add_edge(START, "first")`` names the entry node."""

END: Final = "__end__"
"""The virtual node a run ends at: ``Command(goto=END)`` or ``add_edge("last", END)``."""

DEFAULT_RECURSION_LIMIT: Final = int(os.environ.get("LANGGRAPH_DEFAULT_RECURSION_LIMIT", "10007"))
"""Steps a run may take when its config sets no ``recursion_limit``: LangGraph 1.2's default
(10007), read from the same environment variable LangGraph reads."""
