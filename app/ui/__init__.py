"""ui layer: Qt widgets built from ``app.domain`` objects; every planner intent is a signal.

Views: ``timeline_view.TimelineView`` (Gantt, drawn by ``timeline_bars.TimelineBars``),
``inbox_view.InboxView``, ``scheduled_view.ScheduledView``, ``conflicts_view.ConflictsView``,
``inspector_panel.InspectorPanel``; dialogs in ``dialogs/``; ``resources`` finds the style sheet
and icons; ``gallery`` composes everything on ``sample_schedule`` data (``python -m app.ui.gallery``).
"""
