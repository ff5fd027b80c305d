"""The problem file of spec section 14 and the ``solve`` command: bad files → exit 2 with the path."""
import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

from app.domain import ValidationError
from app.scheduling.problem_file import load_problem, parse_problem
from app.services.solve_service import solve_problem_file

ROOT = Path(__file__).resolve().parents[2]

GOOD = {
    "satellites": [{"id": "SAT-1", "roll_rate_dps": 1.0, "roll_accel_dps2": 0.5, "pitch_rate_dps": 1.0,
                    "pitch_accel_dps2": 0.5, "settle_time_s": 5.0, "max_roll_deg": 45.0, "max_pitch_deg": 30.0}],
    "opportunities": [
        {"id": "o1", "satellite_id": "SAT-1", "order_id": "ord_1", "start": "2026-08-07T09:15:00Z",
         "end": "2026-08-07T09:15:05Z", "roll_deg": 12.5, "pitch_deg": 0.0, "value": 0.8},
        {"id": "o2", "satellite_id": "SAT-1", "order_id": "ord_2", "start": "2026-08-07T09:15:20Z",
         "end": "2026-08-07T09:15:25Z", "roll_deg": -12.5, "pitch_deg": 0.0, "value": 0.9},
        {"id": "o3", "satellite_id": "SAT-1", "order_id": "ord_2", "start": "2026-08-07T09:16:00Z",
         "end": "2026-08-07T09:16:05Z", "roll_deg": -12.5, "pitch_deg": 8.0, "value": 0.95, "variant": "late_30",
         "pitch_end_deg": 7.5}],
    "fixed": [{"id": "acq_1", "satellite_id": "SAT-1", "start": "2026-08-07T09:10:00Z",
               "end": "2026-08-07T09:10:10Z", "roll_deg": -20.0, "pitch_deg": 0.0}],
}


def bad(mutate):
    doc = copy.deepcopy(GOOD)
    mutate(doc)
    return doc


CASES = [
    (lambda d: d["opportunities"][1].update(satellite_id="SAT-9"), "opportunities[1].satellite_id",
     "unknown satellite"),
    (lambda d: d["opportunities"][0].update(end="2026-08-07T09:14:00Z"), "opportunities[0].end", "after start"),
    (lambda d: d["opportunities"][2].update(id="o1"), "opportunities[2].id", "duplicate"),
    (lambda d: d["fixed"][0].update(id="o2"), "fixed[0].id", "duplicate"),
    (lambda d: d["opportunities"][0].update(start="2026-08-07T09:15:00"), "opportunities[0].start", "naive"),
    (lambda d: d["opportunities"][0].update(colour="red"), "opportunities[0].colour", "unknown key"),
    (lambda d: d.update(extra=1), "extra", "unknown key"),
    (lambda d: d["opportunities"][0].update(value=-1), "opportunities[0].value", "≥ 0"),
    (lambda d: d["opportunities"][0].update(roll_deg=50.0), "opportunities[0].roll_deg", "max_roll_deg"),
    (lambda d: d["opportunities"][0].pop("order_id"), "opportunities[0].order_id", "missing"),
    (lambda d: d["opportunities"][0].update(variant="sideways"), "opportunities[0].variant", "early_N"),
    (lambda d: d["satellites"][0].update(slew_model="magic"), "satellites[0].slew_model", "per_axis"),
    (lambda d: d["satellites"][0].update(roll_rate_dps=0), "satellites[0].roll_rate_dps", "> 0"),
    (lambda d: d["fixed"].append({"id": "acq_2", "satellite_id": "SAT-1", "start": "2026-08-07T09:10:05Z",
                                  "end": "2026-08-07T09:10:15Z", "roll_deg": 0.0}), "fixed[1]", "infeasible"),
]


@pytest.mark.parametrize("mutate, path, reason", CASES)
def test_bad_problem_files_name_the_path(mutate, path, reason):
    with pytest.raises(ValidationError) as err:
        parse_problem(bad(mutate))
    assert err.value.field == path
    assert reason in str(err.value)


def test_parse_and_solve_the_example(tmp_path):
    p = tmp_path / "p.json"
    p.write_text(json.dumps(GOOD))
    problem = load_problem(p)
    assert problem.n_candidates == 3 and problem.n_fixed == 1
    assert problem.is_max.tolist() == [True, True, False]
    out = tmp_path / "r.json"
    res = solve_problem_file(p, "optimal", time_limit_s=5, out=out)
    assert set(res) == {"algorithm", "status", "selected", "total_value", "best_bound", "gap", "runtime_ms"}
    # o1 → o2: 25° roll needs 25 + 2 + 5 = 32 s, only 15 s: exclusive; o1 + o3 (pitch variant) is best.
    assert res["selected"] == ["o1", "o3"] and res["status"] == "OPTIMAL"
    assert res["total_value"] == pytest.approx(1.75)
    assert json.loads(out.read_text()) == res
    assert solve_problem_file(p, "best_fit")["selected"] == ["o2"]
    with pytest.raises(ValidationError, match="no such file"):
        load_problem(tmp_path / "missing.json")
    (tmp_path / "broken.json").write_text("{\"satellites\": [")
    with pytest.raises(ValidationError, match="line 1"):
        load_problem(tmp_path / "broken.json")


def _cli(*args):
    return subprocess.run([sys.executable, "-m", "app", *args], cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_cli_solve_and_bad_file_exit_2(tmp_path):
    p = tmp_path / "p.json"
    p.write_text(json.dumps(GOOD))
    ok = _cli("solve", str(p), "--algorithm", "roll_pitch_best_fit")
    assert ok.returncode == 0, ok.stderr
    assert json.loads(ok.stdout)["selected"] == ["o1", "o3"]
    b = tmp_path / "bad.json"
    b.write_text(json.dumps(bad(CASES[0][0])))
    res = _cli("solve", str(b), "--algorithm", "optimal", "--time-limit", "5")
    assert res.returncode == 2
    assert res.stderr.strip().splitlines() == [
        "error: opportunities[1].satellite_id: unknown satellite 'SAT-9'"]
    res = _cli("solve", str(p), "--algorithm", "magic")
    assert res.returncode == 2 and "algorithm" in res.stderr
