"""Colours and labels shared by the panels, so a state looks the same everywhere."""

from __future__ import annotations

from typing import Final, Literal

NodeState = Literal["idle", "running", "stopping", "done", "cancelled", "failed"]
"""How a node is drawn: never run, running, told to stop, returned, ended by a stop, raised."""

NODE_COLOURS: Final[dict[str, tuple[str, str]]] = {
    # state: (fill, border)
    "idle": ("#f6f7f9", "#9aa4b2"),
    "running": ("#dbeafe", "#2563eb"),
    "stopping": ("#fef3c7", "#d97706"),
    "done": ("#dcfce7", "#16a34a"),
    "cancelled": ("#ffe4d5", "#c2410c"),
    "failed": ("#fee2e2", "#dc2626"),
}

RUN_STATUS_COLOURS: Final[dict[str, str]] = {
    "ready": "#6b7280",
    "running": "#2563eb",
    "stopping": "#d97706",
    "completed": "#16a34a",
    "cancelled": "#c2410c",
    "failed": "#dc2626",
    "killed": "#7f1d1d",
}

EDGE_COLOURS: Final[dict[str, str]] = {
    "edge": "#7b8494",
    "conditional": "#2563eb",
    "join": "#7b8494",
    "on_cancel": "#c2410c",
    "command": "#7c3aed",
    "end": "#b8bec8",
    "dynamic": "#7c3aed",
}

REASON_COLOURS: Final[dict[str, str]] = {
    "edge": "#475569",
    "command": "#7c3aed",
    "command after stop": "#c2410c",
    "cancel route": "#c2410c",
    "edge after stop": "#c2410c",
}


def reason_label(reason: str, after_stop: bool, branch: str | None = None) -> str:
    """The words shown for a transition: edge, command, command after stop, cancel route,
    or for a conditional edge the key its path function chose ("revise")."""
    if branch is not None and reason == "edge":
        return branch
    if reason == "cancel_route":
        return "cancel route"
    if after_stop and reason == "command":
        return "command after stop"
    return reason


def format_seconds(seconds: float) -> str:
    """``0.42 s``, ``12.3 s``, ``2 min 05 s``."""
    if seconds < 10:
        return f"{seconds:.2f} s"
    if seconds < 60:
        return f"{seconds:.1f} s"
    minutes, rest = divmod(int(seconds), 60)
    return f"{minutes} min {rest:02d} s"


PATH_SEP = " \u203a "  # a single right-pointing angle quotation mark
"""Between the names of a subgraph node and a node inside it, wherever a path is shown
(timeline, log, window title, a closed subgraph's box); the views' keys use ``/``."""


def shown_path(key: str) -> str:
    """A box key (``research/search``) as the views write it."""
    return key.replace("/", PATH_SEP)


STYLE_PROPERTY = "graphstageStyleSheet"
"""The application property holding resources/style.qss, which each window applies to
itself (``gui.application`` sets it)."""
