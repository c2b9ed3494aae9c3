"""Editors for structured values: a multi-line JSON editor validated as you type, and a
chat view for lists of messages. GUI thread only.

A value of any size fits (a ``QLineEdit`` stops at 32,767 characters; these do not).
"""

from __future__ import annotations

import html
import json
from collections.abc import Callable
from typing import Any

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QPlainTextEdit,
    QPushButton,
    QStackedWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

MAX_LINES = 12
"""The editor grows with its text up to this many lines, then scrolls."""
CHAT_TAIL = 200
"""Messages the chat view renders: the newest ones (the JSON editor has them all)."""
ROLE_COLOURS = {"human": "#2563eb", "user": "#2563eb", "ai": "#16a34a", "assistant": "#16a34a"}


def dumps(value: Any) -> str:
    """``value`` as indented JSON (``null`` when it cannot be encoded)."""
    try:
        return json.dumps(value, indent=2, ensure_ascii=False, default=_plain)
    except (TypeError, ValueError):
        return "null"


def _plain(value: Any) -> Any:
    dump = getattr(value, "model_dump", None)  # pydantic models, langchain messages
    if callable(dump):
        return dump(mode="json")
    raise TypeError(type(value).__name__)


def parse(text: str) -> Any:
    """The JSON in ``text``; ``ValueError`` with the line and column of a mistake."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValueError(
            f"invalid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})"
        ) from None
    except RecursionError:  # [[[[... deeper than the parser's stack: not a traceback
        raise ValueError("invalid JSON: nested too deeply") from None
    except ValueError as exc:  # an integer over 4,300 digits
        raise ValueError(f"invalid JSON: {exc}") from None


class JsonEdit(QPlainTextEdit):
    """A monospaced multi-line JSON editor that grows with its text (to ``MAX_LINES``)."""

    def __init__(self, value: Any = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setProperty("json", True)
        self.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.setPlaceholderText("JSON")
        self.setTabChangesFocus(True)
        self.setPlainText(dumps(value))
        self.textChanged.connect(self._fit_height)
        self._fit_height()

    def _fit_height(self) -> None:
        lines = min(MAX_LINES, max(2, self.document().blockCount()))
        line = self.fontMetrics().lineSpacing()
        self.setFixedHeight(lines * line + 14)

    def value(self) -> Any:
        """The parsed value; ``ValueError`` naming line and column when it is not JSON."""
        return parse(self.toPlainText())


def is_message_list(value: Any, name: str = "") -> bool:
    """True for a list of chat messages (dicts with a role/type and content, or message
    objects), or an empty list in a field called ``messages``."""
    if not isinstance(value, list):
        return False
    if not value:
        return name == "messages"
    first = value[0]
    if isinstance(first, dict):
        return "content" in first and ("role" in first or "type" in first)
    return hasattr(first, "content") and hasattr(first, "type")


def chat_html(messages: list[Any]) -> str:
    """The newest ``CHAT_TAIL`` messages as simple HTML: role in colour, then the text."""
    parts = []
    hidden = len(messages) - CHAT_TAIL
    if hidden > 0:
        parts.append(f'<p style="color:#6b7280">… {hidden} earlier messages (see JSON)</p>')
    for message in messages[-CHAT_TAIL:]:
        if isinstance(message, dict):
            role = str(message.get("role") or message.get("type") or "?")
            content = message.get("content", "")
        else:
            role, content = str(getattr(message, "type", "?")), getattr(message, "content", "")
        text = content if isinstance(content, str) else json.dumps(content, default=str)
        colour = ROLE_COLOURS.get(role, "#7c3aed")
        parts.append(
            f'<p><b style="color:{colour}">{html.escape(role)}</b><br>'
            f"{html.escape(text).replace(chr(10), '<br>')}</p>"
        )
    return "".join(parts) or '<p style="color:#6b7280">no messages</p>'


class ChatField(QWidget):
    """A messages list: read as a chat, edited as JSON (the "Edit JSON" button toggles)."""

    def __init__(self, value: list[Any], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.editor = JsonEdit(value)
        self.chat = QTextBrowser()
        self.chat.setObjectName("chatView")
        self.chat.setMaximumHeight(220)
        self.chat.setHtml(chat_html(value))
        self.stack = QStackedWidget()
        self.stack.addWidget(self.chat)
        self.stack.addWidget(self.editor)
        self.toggle = QPushButton("Edit JSON")
        self.toggle.setObjectName("chatToggle")
        self.toggle.setCheckable(True)
        self.toggle.toggled.connect(self._on_toggled)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.setSpacing(2)
        column.addWidget(self.stack)
        column.addWidget(self.toggle)
        self.editor.textChanged.connect(self._on_text_changed)

    def _on_toggled(self, editing: bool) -> None:
        self.stack.setCurrentIndex(1 if editing else 0)
        self.toggle.setText("Show chat" if editing else "Edit JSON")
        if not editing:
            self._render()

    def _on_text_changed(self) -> None:
        if self.stack.currentIndex() == 1:
            self._render()

    def _render(self) -> None:
        try:
            value = self.editor.value()
        except ValueError:
            return  # the chat keeps showing the last valid list
        if isinstance(value, list):
            self.chat.setHtml(chat_html(value))

    def connect(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` on every edit."""
        self.editor.textChanged.connect(callback)
