"""Run options beside the input form: the recursion limit and ``configurable`` values,
passed to ``graph.start`` as its config, as LangGraph's ``config={...}``. GUI thread only.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QSpinBox, QWidget

from graphstage import DEFAULT_RECURSION_LIMIT  # LangGraph's default, and the runtime's
from graphstage.app.input_form import align_label
from graphstage.app.json_editor import JsonEdit


def graph_config(graph: Any) -> Mapping[str, Any]:
    """The config a graph carries (``graph.with_config(...)``), or an empty one."""
    config = getattr(graph, "config", None)
    return config if isinstance(config, Mapping) else {}


class RunOptions(QWidget):
    """``recursionLimit`` (a spin box) and ``configurable`` (a JSON object)."""

    validityChanged = Signal(bool)

    def __init__(self, graph: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("runOptions")
        preset = graph_config(graph)
        self.recursion_limit = QSpinBox()
        self.recursion_limit.setObjectName("recursionLimit")
        self.recursion_limit.setRange(1, 10_000_000)
        self.recursion_limit.setValue(
            int(preset.get("recursion_limit", DEFAULT_RECURSION_LIMIT) or DEFAULT_RECURSION_LIMIT)
        )
        self.recursion_limit.setToolTip(
            "Steps a run may take before it fails with GraphRecursionError "
            "(config['recursion_limit'])"
        )
        self.configurable = JsonEdit(dict(preset.get("configurable") or {}))
        self.configurable.setObjectName("configurable")
        self.configurable.setToolTip(
            "config['configurable']: a JSON object the nodes read (thread_id, model, ...)"
        )
        self.error = QLabel()
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("recursion limit", self.recursion_limit)
        label = form.labelForField(self.recursion_limit)
        if label is not None:
            align_label(label, self.recursion_limit)
        form.addRow("configurable", self.configurable)
        form.addRow("", self.error)
        self._valid = True
        self.recursion_limit.lineEdit().textChanged.connect(lambda _: self._revalidate())
        self.recursion_limit.valueChanged.connect(lambda _: self._revalidate())
        self.configurable.textChanged.connect(self._revalidate)

    @property
    def is_valid(self) -> bool:
        return self._valid

    def config(self) -> dict[str, Any] | None:
        """The config for ``graph.start``, or None while an option is invalid."""
        config, problem = self._read()
        return None if problem else config

    def _read(self) -> tuple[dict[str, Any], str]:
        if not self.recursion_limit.cleanText().strip():
            return {}, "recursion limit: empty: enter a whole number of steps"
        if not self.recursion_limit.hasAcceptableInput():
            return {}, "recursion limit: must be at least 1"
        try:
            configurable = self.configurable.value()
        except ValueError as exc:
            return {}, f"configurable: {exc}"
        if not isinstance(configurable, dict):
            return {}, 'configurable: must be a JSON object, like {"thread_id": "1"}'
        config: dict[str, Any] = {"recursion_limit": self.recursion_limit.value()}
        if configurable:
            config["configurable"] = configurable
        return config, ""

    def _revalidate(self) -> None:
        _, problem = self._read()
        self.error.setText(problem)
        self.error.setVisible(bool(problem))
        valid = not problem
        if valid != self._valid:
            self._valid = valid
            self.validityChanged.emit(valid)
