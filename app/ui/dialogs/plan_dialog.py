"""Plan… / Reshuffle…: the planning run's configuration (spec sections 6–8).

``config()`` returns a plain dict for the planning service:
``mode, algorithm, horizon_start, horizon_end (ISO Z), value_source, weights_preset, weights
{priority, geometry, timing}, quality_model, time_limit_s`` and, for reshuffle, ``policy`` and
``policy_params`` (only the parameters the policy uses).
"""
from __future__ import annotations

from datetime import datetime
from typing import Any

from PySide6 import QtCore, QtWidgets

from app.domain import WEIGHT_PRESETS, ValidationError, WorkspaceSettings, parse_utc, to_iso
from app.domain.enums import (Algorithm, PlanningMode, QualityModel, ReshufflePolicy, ScoreFunction,
                              ValueSource)

from .validation import error_label, field_with_error, mark, ok_cancel

MODE_LABELS = {
    PlanningMode.FROM_SCRATCH: "From scratch: ignore what is scheduled in the horizon",
    PlanningMode.INCREMENTAL: "Incremental: keep everything, add new orders around it",
    PlanningMode.RESHUFFLE: "Reshuffle: re-optimise under a policy (locks and freeze respected)",
}
ALGORITHM_LABELS = {
    Algorithm.FIRST_FIT: "First fit (chronological, fastest)",
    Algorithm.BEST_FIT: "Best fit (highest value first)",
    Algorithm.ROLL_PITCH_FIRST_FIT: "Roll/pitch first fit (uses pitched variants)",
    Algorithm.ROLL_PITCH_BEST_FIT: "Roll/pitch best fit (uses pitched variants)",
    Algorithm.OPTIMAL: "Optimal (CP-SAT, time-limited)",
}
POLICY_LABELS = {
    ReshufflePolicy.HARD_LOCK_COMMITTED: "Hard-lock committed: only tentative items and new orders",
    ReshufflePolicy.SOFT_LOCK_WINDOWED: "Soft-lock windowed: committed items may shift, never dropped",
    ReshufflePolicy.REPLACE_IF_BETTER: "Replace if better: swap only for a clearly better option",
    ReshufflePolicy.TIME_BASED_FREEZE: "Time-based freeze: hard/soft lock by distance from now",
}
VALUE_SOURCE_LABELS = {
    ValueSource.UNIFORM: "Every order counts the same",
    ValueSource.TARGET_PRIORITY: "By priority (1 = highest counts most)",
    ValueSource.CUSTOM: "By each order's own value",
}
QUALITY_LABELS = {
    QualityModel.OFF: "Ignore the viewing angle",
    QualityModel.MONOTONIC: "The steeper the better (low incidence)",
    QualityModel.BAND: "Best near an ideal incidence angle",
}
SCORE_LABELS = {
    ScoreFunction.GEOMETRY: "Viewing geometry",
    ScoreFunction.PRIORITY: "Priority",
    ScoreFunction.COMPOSITE: "Overall value (priority, geometry, timing)",
}
#: One line of help under each field, in a planner's words.
HELP = {
    "mode": "Incremental keeps everything; reshuffle moves what its policy allows.",
    "algorithm": "Best fit for everyday use; optimal searches longer for more value.",
    "value_source": "What makes one order worth more than another.",
    "weights": "Weight of priority, viewing geometry and timing in an order's value.",
    "quality_model": "How the incidence angle scores the viewing geometry.",
    "time_limit": "Optimal only: it stops here with the best plan found so far.",
    "timing": "Early in a window counts more; an ASAP order gets its earliest feasible pass.",
}
#: Which policy parameters each policy uses (the others are disabled).
POLICY_PARAMS = {
    ReshufflePolicy.HARD_LOCK_COMMITTED: (),
    ReshufflePolicy.SOFT_LOCK_WINDOWED: ("max_shift_minutes",),
    ReshufflePolicy.REPLACE_IF_BETTER: ("improvement_threshold_pct", "score_function"),
    ReshufflePolicy.TIME_BASED_FREEZE: ("freeze_window_hours", "soft_lock_window_hours"),
}
CUSTOM = "custom"


class PlanDialog(QtWidgets.QDialog):
    def __init__(self, horizon_start: datetime, horizon_end: datetime,
                 settings: WorkspaceSettings | None = None, mode: PlanningMode | str = PlanningMode.INCREMENTAL,
                 parent: QtWidgets.QWidget | None = None) -> None:
        super().__init__(parent)
        settings = settings or WorkspaceSettings()
        self.setModal(True)
        self._errors: dict[str, str] = {}

        self.mode = _enum_combo(PlanningMode, MODE_LABELS)
        self.algorithm = _enum_combo(Algorithm, ALGORITHM_LABELS)
        self.algorithm.setCurrentIndex(self.algorithm.findData(Algorithm.BEST_FIT.value))
        self.horizon_start = QtWidgets.QLineEdit(to_iso(horizon_start))
        self.horizon_end = QtWidgets.QLineEdit(to_iso(horizon_end))
        self.value_source = _enum_combo(ValueSource, VALUE_SOURCE_LABELS)
        self.value_source.setCurrentIndex(self.value_source.findData(str(settings.value_source)))
        self.weights_preset = QtWidgets.QComboBox()
        for name, (p, g, t) in WEIGHT_PRESETS.items():
            self.weights_preset.addItem(f"{name} ({p:g}/{g:g}/{t:g})", name)
        self.weights_preset.addItem("custom…", CUSTOM)
        self.weight_spins = {}
        weights_row = QtWidgets.QHBoxLayout()
        for label in ("priority", "geometry", "timing"):
            spin = QtWidgets.QDoubleSpinBox()
            spin.setRange(0.0, 100.0)
            spin.setDecimals(0)
            spin.setToolTip(f"Weight of the {label} term (all 0 = equal thirds)")
            self.weight_spins[label] = spin
            weights_row.addWidget(QtWidgets.QLabel(label.capitalize()))
            weights_row.addWidget(spin)
        self._select_weights(tuple(settings.weights))
        self.quality_model = _enum_combo(QualityModel, QUALITY_LABELS)
        self.quality_model.setCurrentIndex(self.quality_model.findData(str(settings.quality_model)))
        self.time_limit = QtWidgets.QDoubleSpinBox()
        self.time_limit.setRange(1.0, 3600.0)
        self.time_limit.setValue(30.0)
        self.time_limit.setSuffix(" s")
        self.time_limit.setDecimals(0)
        self.time_limit.setToolTip("The optimal algorithm stops here and reports its gap")

        self.policy = _enum_combo(ReshufflePolicy, POLICY_LABELS)
        self.freeze_hours = _spin(0.0, 168.0, settings.freeze_window_hours, " h", 1)
        self.soft_hours = _spin(0.0, 720.0, settings.soft_lock_window_hours, " h", 1)
        self.max_shift = _spin(0.0, 1440.0, 30.0, " min", 0)
        self.threshold = _spin(0.0, 1000.0, 10.0, " %", 0)
        self.score_function = _enum_combo(ScoreFunction, SCORE_LABELS)
        self.score_function.setCurrentIndex(self.score_function.findData(ScoreFunction.COMPOSITE.value))
        self._policy_widgets = {"freeze_window_hours": self.freeze_hours,
                                "soft_lock_window_hours": self.soft_hours,
                                "max_shift_minutes": self.max_shift,
                                "improvement_threshold_pct": self.threshold,
                                "score_function": self.score_function}

        self.error_labels = {"horizon_start": error_label(), "horizon_end": error_label()}
        form = QtWidgets.QFormLayout()
        weights_box = QtWidgets.QWidget()
        weights_box.setLayout(weights_row)
        weights_row.setContentsMargins(0, 0, 0, 0)
        form.addRow("What may change", _helped(self.mode, HELP["mode"]))
        form.addRow("Algorithm", _helped(self.algorithm, HELP["algorithm"]))
        form.addRow("Horizon start (UTC)", field_with_error(self.horizon_start, self.error_labels["horizon_start"]))
        form.addRow("Horizon end (UTC)", field_with_error(self.horizon_end, self.error_labels["horizon_end"]))
        form.addRow("Order value", _helped(self.value_source, HELP["value_source"]))
        form.addRow("Value weights", _helped(self.weights_preset, HELP["weights"]))
        form.addRow("", _helped(weights_box, HELP["timing"]))
        form.addRow("Viewing geometry", _helped(self.quality_model, HELP["quality_model"]))
        form.addRow("Time limit", _helped(self.time_limit, HELP["time_limit"]))
        self.reshuffle_box = QtWidgets.QGroupBox("Reshuffle policy")
        rform = QtWidgets.QFormLayout(self.reshuffle_box)
        rform.addRow("Policy", self.policy)
        rform.addRow("Freeze window", self.freeze_hours)
        rform.addRow("Soft-lock window", self.soft_hours)
        rform.addRow("Max shift", self.max_shift)
        rform.addRow("Improvement threshold", self.threshold)
        rform.addRow("Score function", self.score_function)
        note = QtWidgets.QLabel("Hard-locked and frozen-zone acquisitions never change, whatever the policy.")
        note.setProperty("role", "hint")
        note.setWordWrap(True)
        rform.addRow(note)

        self.buttons, self.run_button = ok_cancel(self, "Run Planning")
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.reshuffle_box)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(640)

        self.mode.currentIndexChanged.connect(self._update_enabled)
        self.algorithm.currentIndexChanged.connect(self._update_enabled)
        self.policy.currentIndexChanged.connect(self._update_enabled)
        self.weights_preset.currentIndexChanged.connect(self._on_preset)
        for w in (self.horizon_start, self.horizon_end):
            w.textChanged.connect(self.validate)
        self.set_mode(mode)
        self.validate()

    # -------------------------------------------------------------------- API
    def set_mode(self, mode: PlanningMode | str) -> None:
        self.mode.setCurrentIndex(self.mode.findData(str(PlanningMode(mode))))
        self._update_enabled()

    def set_weights_preset(self, name: str) -> None:
        i = self.weights_preset.findData(name)
        if i < 0:
            raise ValueError(f"weights preset: unknown {name!r}; known: {', '.join(WEIGHT_PRESETS)}, custom")
        self.weights_preset.setCurrentIndex(i)

    def errors(self) -> dict[str, str]:
        return dict(self._errors)

    def config(self) -> dict[str, Any]:
        """The run's configuration (raises ValidationError naming the field when invalid)."""
        if not self.validate():
            field, reason = next(iter(self._errors.items()))
            raise ValidationError(field, reason)
        mode = self.mode.currentData()
        out: dict[str, Any] = {
            "mode": mode,
            "algorithm": self.algorithm.currentData(),
            "horizon_start": to_iso(parse_utc(self.horizon_start.text(), "horizon_start")),
            "horizon_end": to_iso(parse_utc(self.horizon_end.text(), "horizon_end")),
            "value_source": self.value_source.currentData(),
            "weights_preset": self.weights_preset.currentData(),
            "weights": {k: float(s.value()) for k, s in self.weight_spins.items()},
            "quality_model": self.quality_model.currentData(),
            "time_limit_s": float(self.time_limit.value()),
        }
        if mode == PlanningMode.RESHUFFLE.value:
            policy = ReshufflePolicy(self.policy.currentData())
            out["policy"] = policy.value
            out["policy_params"] = {name: self._param(name) for name in POLICY_PARAMS[policy]}
        return out

    def accept(self) -> None:
        if self.validate():
            super().accept()

    # ---------------------------------------------------------------- helpers
    def validate(self, *_args) -> bool:
        errors: dict[str, str] = {}
        times = {}
        for key, edit in (("horizon_start", self.horizon_start), ("horizon_end", self.horizon_end)):
            try:
                times[key] = parse_utc(edit.text(), key)
            except ValidationError as exc:
                errors[key] = exc.reason
        if len(times) == 2 and times["horizon_end"] <= times["horizon_start"]:
            errors["horizon_end"] = "must be after the horizon start"
        for key, label in self.error_labels.items():
            mark(self.horizon_start if key == "horizon_start" else self.horizon_end, label, errors.get(key, ""))
        self._errors = errors
        self.run_button.setEnabled(not errors)
        return not errors

    def _param(self, name: str) -> Any:
        w = self._policy_widgets[name]
        return w.currentData() if isinstance(w, QtWidgets.QComboBox) else float(w.value())

    def _update_enabled(self, *_args) -> None:
        reshuffle = self.mode.currentData() == PlanningMode.RESHUFFLE.value
        self.reshuffle_box.setVisible(reshuffle)
        self.setWindowTitle("Reshuffle" if reshuffle else "Plan")
        used = POLICY_PARAMS[ReshufflePolicy(self.policy.currentData())]
        for name, w in self._policy_widgets.items():
            w.setEnabled(name in used)
        self.time_limit.setEnabled(self.algorithm.currentData() == Algorithm.OPTIMAL.value)
        self.adjustSize()

    def _select_weights(self, weights: tuple[float, ...]) -> None:
        name = next((n for n, w in WEIGHT_PRESETS.items() if tuple(w) == tuple(weights)), CUSTOM)
        self.weights_preset.setCurrentIndex(self.weights_preset.findData(name))
        for spin, value in zip(self.weight_spins.values(), weights):
            spin.setValue(value)
        self._on_preset()

    def _on_preset(self, *_args) -> None:
        name = self.weights_preset.currentData()
        custom = name == CUSTOM
        for spin in self.weight_spins.values():
            spin.setEnabled(custom)
        if not custom:
            for spin, value in zip(self.weight_spins.values(), WEIGHT_PRESETS[name]):
                spin.setValue(value)


def _helped(widget: QtWidgets.QWidget, text: str) -> QtWidgets.QWidget:
    """The field with its one line of help under it (also its tooltip); the line never wraps,
    so the dialog is as wide as its longest help."""
    widget.setToolTip(text)
    box = QtWidgets.QWidget()
    lay = QtWidgets.QVBoxLayout(box)
    lay.setContentsMargins(0, 0, 0, 0)
    lay.setSpacing(1)
    lay.addWidget(widget)
    hint = QtWidgets.QLabel(text)
    hint.setProperty("role", "hint")
    lay.addWidget(hint)
    return box


def _enum_combo(enum_cls, labels: dict | None = None) -> QtWidgets.QComboBox:
    combo = QtWidgets.QComboBox()
    for member in enum_cls:
        combo.addItem((labels or {}).get(member, member.value), member.value)
    return combo


def _spin(lo: float, hi: float, value: float, suffix: str, decimals: int) -> QtWidgets.QDoubleSpinBox:
    spin = QtWidgets.QDoubleSpinBox()
    spin.setRange(lo, hi)
    spin.setDecimals(decimals)
    spin.setValue(value)
    spin.setSuffix(suffix)
    spin.setAlignment(QtCore.Qt.AlignmentFlag.AlignRight)
    return spin
