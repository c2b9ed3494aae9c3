"""The input panel: the input form, the run options, a stop reason and the Run / Stop /
Force stop buttons. ``set_graph`` rebuilds the form and options for another graph; the
window connects the buttons. GUI thread only."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from graphstage.app.input_fields import input_fields
from graphstage.app.input_form import InputForm, field_specs, input_model
from graphstage.app.run_options import RunOptions


def button(text: str, name: str, tip: str) -> QPushButton:
    """A push button with an object name and a tooltip."""
    made = QPushButton(text)
    made.setObjectName(name)
    made.setToolTip(tip)
    return made


class InputPanel(QWidget):
    """Form, options, stop reason, buttons; ``validityChanged`` when Run may change."""

    validityChanged = Signal()

    def __init__(self, graph: Any, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.run_button = button("Run", "runButton", "Start a run with this input (Ctrl+R)")
        self.stop_button = button(
            "Stop", "stopButton", "Send Cancel to the active node; it may route to cleanup (Esc)"
        )
        self.force_stop_button = button(
            "Force stop", "forceStopButton", "Kill the run now, without cleanup (Ctrl+Shift+K)"
        )
        self.form_area = QScrollArea()
        self.form_area.setObjectName("formArea")
        self.form_area.setWidgetResizable(True)
        self.form_area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.options_box = QGroupBox("Run options")
        self.options_box.setObjectName("runOptionsBox")
        self._options_layout = QVBoxLayout(self.options_box)
        self._options_layout.setContentsMargins(6, 4, 6, 4)
        self.stop_reason = QLineEdit()
        self.stop_reason.setObjectName("stopReason")
        self.stop_reason.setPlaceholderText("Stop reason (optional)")
        self.stop_reason.setToolTip("Sent with Stop; the nodes and the journal see it")
        self.show_all = QCheckBox("Show all fields")
        self.show_all.setObjectName("showAllFields")
        self.show_all.toggled.connect(self._on_show_all_toggled)
        buttons = QHBoxLayout()
        for made in (self.run_button, self.stop_button, self.force_stop_button):
            buttons.addWidget(made)
        column = QVBoxLayout(self)
        column.setContentsMargins(0, 0, 0, 0)
        column.addWidget(self.form_area, 1)
        column.addWidget(self.show_all)
        column.addWidget(self.options_box)
        column.addWidget(self.stop_reason)
        column.addLayout(buttons)
        self.input_form: InputForm | None = None
        self.run_options: RunOptions | None = None
        self.set_graph(graph)

    def set_graph(self, graph: Any) -> None:
        """A fresh form (from the graph's input schema, else the state's fields some node
        reads: ``input_fields``) and fresh options (its config)."""
        model = input_model(graph)
        shown = None
        if model is graph.state_schema:  # no input schema: leave out what no node reads
            try:
                specs = field_specs(model)
                names, required = [s.name for s in specs], [s.name for s in specs if s.required]
                shown = input_fields(graph, names, required)
            except Exception:  # the analysis is a convenience: never a reason to fail
                shown = None
        self.input_form = InputForm(model, shown=shown)
        self.input_form.validityChanged.connect(lambda _: self.validityChanged.emit())
        self.form_area.setWidget(self.input_form)
        hidden = self.input_form.hidden
        self.show_all.blockSignals(True)
        self.show_all.setChecked(False)
        self.show_all.blockSignals(False)
        self.show_all.setVisible(bool(hidden))
        self.show_all.setToolTip(
            f"No node reads {', '.join(hidden)}: not offered as input. Tick to set them anyway."
            if hidden
            else ""
        )
        if self.run_options is not None:
            self.run_options.deleteLater()
        self.run_options = RunOptions(graph)
        self.run_options.validityChanged.connect(lambda _: self.validityChanged.emit())
        self._options_layout.addWidget(self.run_options)

    def _on_show_all_toggled(self, on: bool) -> None:
        if self.input_form is not None:
            self.input_form.show_all(on)

    def stop_reason_or(self, default: str) -> str:
        """The reason typed, or ``default``."""
        return self.stop_reason.text().strip() or default
