"""+ New Order: every field validated as it is typed, with the domain's own rules.

The dialog builds the domain objects (``Target``, ``OrderConstraints``, ``Order``) from what is
typed; whatever they refuse is shown next to the field and OK stays disabled. ``result_dict()``
has the keyword arguments of ``app.services.orders.add_order`` (except db and workspace).
"""
from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from PySide6 import QtCore, QtWidgets

from app.domain import Order, OrderConstraints, Satellite, Target, ValidationError, checks, parse_optional_utc, to_iso
from app.domain.times import UTC as UTC_
from app.domain.enums import LookSide, Mode, PassDirection

from .validation import error_label, field_with_error, mark, ok_cancel, optional_float

#: Domain field names → the dialog's field keys.
_FIELD_KEYS = {
    "target": "target", "target_id": "target", "target.id": "target", "lat": "lat", "lon": "lon",
    "priority": "priority", "requested_window_start": "window_start", "window_start": "window_start",
    "requested_window_end": "window_end", "window_end": "window_end",
    "constraints.max_incidence_deg": "max_incidence", "constraints.look_side": "look_side",
    "constraints.pass_direction": "pass_direction", "constraints.duration_s": "duration",
    "duration_s": "duration", "constraints.sensor_type": "sensor_type", "constraints.mode": "mode",
}
ANY_SATELLITE = "any satellite"
ANY_SENSOR = "any sensor"
ANY_MODE = "optical or SAR"
#: The window a new order gets: the next 24 hours from the scenario clock.
DEFAULT_WINDOW = timedelta(hours=24)


class NewOrderDialog(QtWidgets.QDialog):
    """Create (or, given ``order``, edit) an imaging order."""

    def __init__(self, targets: Sequence[Target], satellite_ids: Sequence[str] = (),
                 order: Order | None = None, parent: QtWidgets.QWidget | None = None, *,
                 now: datetime | None = None, sensor_types: Sequence[str] = (),
                 modes: Sequence[str] | None = None) -> None:
        """``now`` (the scenario clock): a new order's window defaults to [now, now + 24 h] and the
        examples in empty fields are dates of this scenario. ``sensor_types`` and ``modes`` are the
        choices besides "any" (``modes`` None: every mode); ``for_satellites`` takes them from the
        workspace's satellites, so no choice is offered that no satellite could serve."""
        super().__init__(parent)
        self.setWindowTitle("Edit Order" if order else "New Order")
        self.setModal(True)
        self._targets = {t.id: t for t in targets}
        self._errors: dict[str, str] = {}
        self._result: dict[str, Any] | None = None

        self.target = QtWidgets.QComboBox()
        self.target.setEditable(True)
        self.target.addItems(sorted(self._targets))
        self.target.setCurrentIndex(-1)
        self.target.lineEdit().setPlaceholderText("Pick a target, or type a new name")
        self.target.completer().setFilterMode(QtCore.Qt.MatchFlag.MatchContains)
        self.target.completer().setCaseSensitivity(QtCore.Qt.CaseSensitivity.CaseInsensitive)
        self.lat = QtWidgets.QLineEdit()
        self.lat.setPlaceholderText("degrees, −90 … 90")
        self.lon = QtWidgets.QLineEdit()
        self.lon.setPlaceholderText("degrees, −180 … 180")
        self.target_info = QtWidgets.QLabel()
        self.target_info.setProperty("role", "hint")
        self.priority = QtWidgets.QSpinBox()
        self.priority.setRange(1, 5)
        self.priority.setValue(3)
        self.priority.setToolTip("1 = highest, 5 = lowest")
        example = (now or datetime(2026, 8, 10, tzinfo=UTC_)).replace(minute=0, second=0, microsecond=0)
        self.window_start = QtWidgets.QLineEdit()
        self.window_start.setPlaceholderText(f"e.g. {to_iso(example)} (empty = as soon as possible)")
        self.window_end = QtWidgets.QLineEdit()
        self.window_end.setPlaceholderText(f"e.g. {to_iso(example + DEFAULT_WINDOW)} (empty = no deadline)")
        self.sensor_type = QtWidgets.QComboBox()
        self.sensor_type.addItem(ANY_SENSOR)
        self.sensor_type.addItems(list(dict.fromkeys(t.lower() for t in sensor_types)))
        self.sensor_type.setToolTip("Only satellites carrying this kind of sensor may serve the order")
        self.mode = QtWidgets.QComboBox()
        self.mode.addItems([ANY_MODE] + [m.value for m in Mode if modes is None or m.value in modes])
        self.mode.setToolTip("OPTICAL needs daylight at the target; SAR images day and night")
        self.duration = QtWidgets.QLineEdit()
        self.duration.setPlaceholderText("seconds (empty = the satellite's usual image)")
        self.max_incidence = QtWidgets.QLineEdit()
        self.max_incidence.setPlaceholderText("degrees, 0 … 90 (empty = any)")
        self.look_side = QtWidgets.QComboBox()
        self.look_side.addItems([s.value for s in LookSide])
        self.look_side.setCurrentText(LookSide.ANY.value)
        self.pass_direction = QtWidgets.QComboBox()
        self.pass_direction.addItems([d.value for d in PassDirection])
        self.pass_direction.setCurrentText(PassDirection.ANY.value)
        self.preferred = QtWidgets.QComboBox()
        self.preferred.addItem(ANY_SATELLITE)
        self.preferred.addItems(list(satellite_ids))
        self.external_ref = QtWidgets.QLineEdit()
        self.external_ref.setPlaceholderText("customer reference (optional)")
        self.notes = QtWidgets.QPlainTextEdit()
        self.notes.setPlaceholderText("Notes for the planners (optional)")
        self.notes.setFixedHeight(56)

        self.error_labels = {k: error_label() for k in
                             ("target", "lat", "lon", "priority", "window_start", "window_end",
                              "max_incidence", "look_side", "pass_direction", "duration", "sensor_type",
                              "mode")}
        # The typed fields keep room for their error line, so the form never jumps as messages
        # come and go (the choice fields cannot be wrong on their own).
        for key in ("target", "lat", "lon", "window_start", "window_end", "max_incidence", "duration"):
            label = self.error_labels[key]
            policy = label.sizePolicy()
            policy.setRetainSizeWhenHidden(True)
            label.setSizePolicy(policy)
            label.setMinimumHeight(label.fontMetrics().height())
        e = self.error_labels
        form = QtWidgets.QFormLayout()
        form.setFieldGrowthPolicy(QtWidgets.QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("Target", field_with_error(self.target, e["target"]))
        form.addRow("", self.target_info)
        latlon = QtWidgets.QHBoxLayout()
        latlon.addWidget(self.lat)
        latlon.addWidget(self.lon)
        latlon_box = QtWidgets.QWidget()
        latlon_box.setLayout(latlon)
        latlon.setContentsMargins(0, 0, 0, 0)
        errors = QtWidgets.QHBoxLayout()
        errors.addWidget(e["lat"])
        errors.addWidget(e["lon"])
        self.latlon_row = QtWidgets.QWidget()
        col = QtWidgets.QVBoxLayout(self.latlon_row)
        col.setContentsMargins(0, 0, 0, 0)
        col.setSpacing(1)
        col.addWidget(latlon_box)
        col.addLayout(errors)
        form.addRow("Lat / lon", self.latlon_row)
        form.addRow("Priority", field_with_error(self.priority, e["priority"], "1 = highest, 5 = lowest"))
        form.addRow("Window start (UTC)", field_with_error(self.window_start, e["window_start"]))
        form.addRow("Window end (UTC)", field_with_error(self.window_end, e["window_end"]))
        form.addRow("Sensor type", field_with_error(self.sensor_type, e["sensor_type"]))
        form.addRow("Mode", field_with_error(self.mode, e["mode"]))
        form.addRow("Image duration", field_with_error(self.duration, e["duration"]))
        form.addRow("Max incidence", field_with_error(self.max_incidence, e["max_incidence"]))
        form.addRow("Look side", field_with_error(self.look_side, e["look_side"]))
        form.addRow("Pass direction", field_with_error(self.pass_direction, e["pass_direction"]))
        form.addRow("Preferred satellite", self.preferred)
        form.addRow("External ref", self.external_ref)
        form.addRow("Notes", self.notes)

        self.summary = QtWidgets.QLabel()
        self.summary.setProperty("role", "fieldError")
        self.summary.setWordWrap(True)
        policy = self.summary.sizePolicy()
        policy.setRetainSizeWhenHidden(True)
        self.summary.setSizePolicy(policy)
        self.summary.setMinimumHeight(self.summary.fontMetrics().height())
        self.buttons, self.ok_button = ok_cancel(self, "Save Order" if order else "Create Order")
        self.ok_button.setDefault(True)
        layout = QtWidgets.QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.summary)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(520)

        if order is not None:
            self._prefill(order)
        elif now is not None:
            self.window_start.setText(to_iso(now.replace(microsecond=0)))
            self.window_end.setText(to_iso(now.replace(microsecond=0) + DEFAULT_WINDOW))
        for w in (self.lat, self.lon, self.window_start, self.window_end, self.max_incidence,
                  self.external_ref, self.duration):
            w.textChanged.connect(self.validate)
        self.target.editTextChanged.connect(self.validate)
        self.priority.valueChanged.connect(self.validate)
        for combo in (self.look_side, self.pass_direction, self.preferred, self.sensor_type, self.mode):
            combo.currentIndexChanged.connect(self.validate)
        self.validate()

    @classmethod
    def for_satellites(cls, targets: Sequence[Target], satellites: Sequence[Satellite], order: Order | None = None,
                       parent: QtWidgets.QWidget | None = None, *, now: datetime | None = None) -> "NewOrderDialog":
        """The dialog of a workspace: preferred satellite, sensor type and mode offer only what its
        satellites have (an order asking for anything else could never be served; the service
        refuses it). An edited order's own values stay shown even if no satellite has them."""
        return cls(targets, [s.id for s in satellites], order, parent, now=now,
                   sensor_types=sorted({s.sensor_type.lower() for s in satellites}),
                   modes=[m.value for m in Mode if any(s.mode == m for s in satellites)])

    # -------------------------------------------------------------------- API
    def errors(self) -> dict[str, str]:
        """Field key → reason, for every field currently refused."""
        return dict(self._errors)

    def is_valid(self) -> bool:
        return not self._errors

    def result_dict(self) -> dict[str, Any]:
        """The order as keyword arguments of ``add_order``; raises ValidationError if invalid."""
        self.validate()
        if self._result is None:
            field, reason = next(iter(self._errors.items()))
            raise ValidationError(field, reason)
        return dict(self._result)

    def accept(self) -> None:
        if self.validate():
            super().accept()

    # ---------------------------------------------------------------- helpers
    def validate(self, *_args) -> bool:
        """Rebuild the domain objects from the fields; show every refusal next to its field."""
        errors: dict[str, str] = {}
        name = self.target.currentText().strip()
        is_new = bool(name) and name not in self._targets
        self.latlon_row.setEnabled(is_new or not name)
        lat = optional_float(self.lat.text())
        lon = optional_float(self.lon.text())
        try:
            checks.name(name, "target")
        except ValidationError:
            errors["target"] = "pick a target or type a new name"
        if is_new:
            self.target_info.setText(f"New target {name!r}: give its latitude and longitude")
            if lat is None:
                errors["lat"] = "latitude required for a new target"
            if lon is None:
                errors["lon"] = "longitude required for a new target"
            if lat is not None and lon is not None:
                try:
                    Target(id=name, lat=lat, lon=lon, priority=self.priority.value())
                except ValidationError as exc:
                    errors[_key(exc.field)] = exc.reason
        elif name:
            t = self._targets[name]
            self.target_info.setText(f"{t.lat:.4f}°, {t.lon:.4f}° · default priority {t.priority}")
        else:
            self.target_info.setText("")
        start = end = None
        try:
            start = parse_optional_utc(self.window_start.text().strip(), "window_start")
        except ValidationError as exc:
            errors["window_start"] = exc.reason
        try:
            end = parse_optional_utc(self.window_end.text().strip(), "window_end")
        except ValidationError as exc:
            errors["window_end"] = exc.reason
        # Checked on its own so that its message shows alongside the other constraints' ones.
        duration = optional_float(self.duration.text())
        if duration is not None:
            try:
                checks.positive(duration, "constraints.duration_s")
            except ValidationError as exc:
                errors["duration"] = exc.reason
                duration = None
        constraints = None
        try:
            constraints = OrderConstraints(
                max_incidence_deg=optional_float(self.max_incidence.text()),
                look_side=self.look_side.currentText(), pass_direction=self.pass_direction.currentText(),
                preferred_satellite=self._preferred(),
                sensor_type=None if self.sensor_type.currentText() == ANY_SENSOR else self.sensor_type.currentText(),
                mode=None if self.mode.currentText() == ANY_MODE else self.mode.currentText(),
                duration_s=duration)
        except ValidationError as exc:
            errors[_key(exc.field)] = exc.reason
        if constraints is not None and not {"window_start", "window_end"} & set(errors):
            try:
                Order(id="ord_preview", workspace_id="ws_preview", target_id=name or "?",
                      priority=self.priority.value(), constraints=constraints,
                      requested_window_start=start, requested_window_end=end)
            except ValidationError as exc:
                errors[_key(exc.field)] = exc.reason
        errors = {k: _in_words(v) for k, v in errors.items()}
        for key, label in self.error_labels.items():
            mark(self._widget(key), label, errors.get(key, ""))
        self._errors = errors
        self.ok_button.setEnabled(not errors)
        self.summary.setText("" if not errors else
                             f"{len(errors)} field{'s' if len(errors) > 1 else ''} to fix before saving.")
        self._result = None if errors else {
            "target": name, "priority": self.priority.value(),
            "lat": lat if is_new else None, "lon": lon if is_new else None,
            "window_start": to_iso(start) if start else None, "window_end": to_iso(end) if end else None,
            "constraints": constraints.to_dict() if constraints else {},
            "notes": self.notes.toPlainText().strip() or None,
            "external_ref": self.external_ref.text().strip() or None,
        }
        return not errors

    def _preferred(self) -> str | None:
        text = self.preferred.currentText()
        return None if text == ANY_SATELLITE else text

    def _widget(self, key: str) -> QtWidgets.QWidget:
        return {"target": self.target, "lat": self.lat, "lon": self.lon, "priority": self.priority,
                "window_start": self.window_start, "window_end": self.window_end,
                "max_incidence": self.max_incidence, "look_side": self.look_side,
                "pass_direction": self.pass_direction, "duration": self.duration,
                "sensor_type": self.sensor_type, "mode": self.mode}[key]

    def _prefill(self, order: Order) -> None:
        self.target.setEditText(order.target_id)
        self.priority.setValue(order.priority)
        if order.requested_window_start:
            self.window_start.setText(to_iso(order.requested_window_start))
        if order.requested_window_end:
            self.window_end.setText(to_iso(order.requested_window_end))
        c = order.constraints
        if c.max_incidence_deg is not None:
            self.max_incidence.setText(f"{c.max_incidence_deg:g}")
        if c.duration_s is not None:
            self.duration.setText(f"{c.duration_s:g}")
        if c.sensor_type:
            if self.sensor_type.findText(c.sensor_type) < 0:
                self.sensor_type.addItem(c.sensor_type)
            self.sensor_type.setCurrentText(c.sensor_type)
        if c.mode is not None:
            if self.mode.findText(str(c.mode)) < 0:
                self.mode.addItem(str(c.mode))
            self.mode.setCurrentText(str(c.mode))
        self.look_side.setCurrentText(str(c.look_side))
        self.pass_direction.setCurrentText(str(c.pass_direction))
        if c.preferred_satellite:
            if self.preferred.findText(c.preferred_satellite) < 0:
                self.preferred.addItem(c.preferred_satellite)
            self.preferred.setCurrentText(c.preferred_satellite)
        self.external_ref.setText(order.external_ref or "")
        self.notes.setPlainText(order.notes or "")


def _in_words(reason: str) -> str:
    """The domain's reasons name its fields; say them as the dialog labels them."""
    return reason.replace("requested_window_start", "the window start").replace(
        "requested_window_end", "the window end")


def _key(field: str) -> str:
    """A domain field name (``targets[X].lat``, ``constraints.max_incidence_deg``) → dialog key."""
    if field in _FIELD_KEYS:
        return _FIELD_KEYS[field]
    tail = field.rsplit(".", 1)[-1]
    return _FIELD_KEYS.get(tail, _FIELD_KEYS.get(field.split("]")[-1].lstrip("."), "target"))
