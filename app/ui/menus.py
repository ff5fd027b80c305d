"""The menu bar: every action of the workbench, its shortcut and the object name tests and
scripts find it by (``window.action_<name>``). Slots are the window's controllers."""
from __future__ import annotations

from PySide6 import QtGui, QtWidgets

from . import database_actions, file_actions, operations_actions
from .dialogs.about_dialog import AboutDialog


def add_action(window, menu: QtWidgets.QMenu, text: str, slot,
               shortcut: str | QtGui.QKeySequence | None = None, name: str | None = None) -> QtGui.QAction:
    """One menu entry; ``name`` also makes it ``window.action_<name>``."""
    action = menu.addAction(text)
    action.triggered.connect(lambda _=False: slot())
    if shortcut is not None:
        action.setShortcut(QtGui.QKeySequence(shortcut))
    if name:
        action.setObjectName(name)
        setattr(window, f"action_{name}", action)
    return action


def build_menus(window) -> None:
    bar = window.menuBar()
    _file_menu(window, bar.addMenu("&File"))
    _edit_menu(window, bar.addMenu("&Edit"))
    _view_menu(window, bar.addMenu("&View"))
    _plan_menu(window, bar.addMenu("&Plan"))
    help_menu = bar.addMenu("&Help")
    add_action(window, help_menu, "About", lambda: AboutDialog(window).exec())


def _file_menu(window, menu: QtWidgets.QMenu) -> None:
    add_action(window, menu, "New workspace…", lambda: file_actions.new_workspace(window), None, "new_workspace")
    add_action(window, menu, "Open workspace…", lambda: file_actions.choose_workspace(window),
               QtGui.QKeySequence.StandardKey.Open)
    add_action(window, menu, "Open Database…", lambda: database_actions.open_database_dialog(window),
               "Ctrl+Shift+O", "open_database")
    import_menu = menu.addMenu("Import")
    for kind, (text, _, _) in file_actions.IMPORTS.items():
        add_action(window, import_menu, text, lambda k=kind: file_actions.import_file(window, k), name=f"import_{kind}")
    add_action(window, menu, "Export Schedule…", lambda: file_actions.export_schedule(window), "Ctrl+E", "export")
    operations_actions.install(window, menu)  # clock, Advance Horizon; time passing on open
    menu.addSeparator()
    add_action(window, menu, "Quit", window.close, QtGui.QKeySequence.StandardKey.Quit)


def _edit_menu(window, menu: QtWidgets.QMenu) -> None:
    edits = window.edits
    undo = window.undo_stack.createUndoAction(window, "Undo")
    undo.setShortcut(QtGui.QKeySequence("Ctrl+Z"))
    redo = window.undo_stack.createRedoAction(window, "Redo")
    redo.setShortcut(QtGui.QKeySequence("Ctrl+Shift+Z"))
    menu.addAction(undo)
    menu.addAction(redo)
    window.action_undo, window.action_redo = undo, redo
    menu.addSeparator()
    add_action(window, menu, "Find order or target…", edits.find, QtGui.QKeySequence.StandardKey.Find)
    add_action(window, menu, "Select all in view", window.timeline.select_all_in_view, "Ctrl+A")
    add_action(window, menu, "Lock soft", lambda: edits.lock_selection("soft"), "Ctrl+L", "lock_soft")
    add_action(window, menu, "Lock hard", lambda: edits.lock_selection("hard"), "Ctrl+Shift+L", "lock_hard")
    add_action(window, menu, "Unlock", lambda: edits.lock_selection("none"), "Ctrl+U", "unlock")
    add_action(window, menu, "Delete", edits.delete_selection, QtGui.QKeySequence.StandardKey.Delete, "delete")


def _view_menu(window, menu: QtWidgets.QMenu) -> None:
    timeline = window.timeline
    for key, preset in (("1", "hour"), ("2", "day"), ("3", "week")):
        add_action(window, menu, f"Zoom to {preset}", lambda p=preset: timeline.zoom_preset(p), f"Ctrl+{key}")
    add_action(window, menu, "Whole horizon", timeline.zoom_to_horizon, "Ctrl+0")
    add_action(window, menu, "Go to now", timeline.scroll_to_now, "Ctrl+N")
    menu.addSeparator()
    lanes = add_action(window, menu, "Resource lanes", window.worker_views.toggle_resource_lanes, "Ctrl+Alt+L",
                       "lanes")  # Ctrl+L is Lock soft
    lanes.setCheckable(True)
    lanes.setToolTip("Contacts, sunlight, battery and memory under each satellite's bars")


def _plan_menu(window, menu: QtWidgets.QMenu) -> None:
    flow = window.planning_flow
    add_action(window, menu, "New Order…", window.edits.new_order, "Ctrl+Shift+N", "new_order")
    add_action(window, menu, "Plan…", lambda: flow.open_plan_dialog("incremental"), "Ctrl+P", "plan")
    add_action(window, menu, "Reshuffle…", lambda: flow.open_plan_dialog("reshuffle"), "Ctrl+R", "reshuffle")
    add_action(window, menu, "Compare Plans…", flow.compare, "Ctrl+K", "compare")
    add_action(window, menu, "Commit Plan…", flow.commit, "Ctrl+Return", "commit")
    add_action(window, menu, "Reject Plan", flow.reject, None, "reject")
    menu.addSeparator()
    add_action(window, menu, "Detect conflicts", flow.detect_conflicts, "F5", "detect")
