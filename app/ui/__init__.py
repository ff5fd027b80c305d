"""ui layer: Qt widgets built from ``app.domain`` objects; every planner intent is a signal.

Views: ``timeline_view.TimelineView`` (Gantt, drawn by ``timeline_bars.TimelineBars``),
``inbox_view.InboxView``, ``scheduled_view.ScheduledView``, ``conflicts_view.ConflictsView``,
``inspector_panel.InspectorPanel``, ``map_view.MapView``, composed by ``main_window.MainWindow``;
dialogs in ``dialogs/``; ``resources`` finds the style sheet, icons and coastlines;
``sample_schedule`` makes synthetic schedules for the widget tests and the GUI benchmark.
"""
