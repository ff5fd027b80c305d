"""Map layers (issue 15): every satellite's track on request, even with a selection."""
def test_map_layers_can_draw_every_satellites_track_with_a_selection(small_db):
    from app.services import map_service
    from app.services.commits import commit_plan
    from app.services.planning import PlanOptions, run_planning
    db, ws_id = small_db
    commit_plan(db, ws_id, run_planning(db, ws_id, PlanOptions()).plan_id)
    one = db.list_acquisitions(ws_id)[:1]
    assert len(map_service.map_layers(db, ws_id, one).tracks) == 1
    assert len(map_service.map_layers(db, ws_id, one, all_tracks=True).tracks) == len(db.list_satellites(ws_id))
