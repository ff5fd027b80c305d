"""Fuzzing the file boundaries (scenario JSON, order CSV, TLE and OMM files) with hypothesis: whatever the
content, the command ends with exit 0 or a one-line refusal (exit 2), never a traceback, and a
refusal leaves every row of the database as it was."""
import json
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from app.cli.main import main

from .conftest import dump, small_doc

_json_scalars = (st.none() | st.booleans() | st.integers(min_value=-2**80, max_value=2**80)
                 | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=30))
_json_values = st.recursive(_json_scalars, lambda inner: st.lists(inner, max_size=3)
                            | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=8)


def _paths(doc, prefix=()):
    """Every (container, key) of the document, to pick one to replace."""
    out = []
    items = doc.items() if isinstance(doc, dict) else enumerate(doc) if isinstance(doc, list) else ()
    for key, value in items:
        out.append(prefix + (key,))
        out.extend(_paths(value, prefix + (key,)))
    return out


def _base() -> dict:
    """The small scenario with its second satellite given as an OMM element set (``omm``), so
    that the OMM fields are fuzzed too."""
    from .test_formats import _omm_fields
    doc = small_doc()
    sat = doc["satellites"][1]
    sat["omm"] = _omm_fields(sat["id"], sat.pop("tle_line1"), sat.pop("tle_line2"))
    return doc


_BASE = _base()
_PATHS = _paths(_BASE)


def _run(template_db, argv_for, content: bytes, suffix: str):
    with tempfile.TemporaryDirectory() as tmp:
        db_path = str(Path(tmp) / "ops.db")
        shutil.copy(template_db, db_path)
        path = Path(tmp) / f"input{suffix}"
        path.write_bytes(content)
        before = dump(db_path)
        import io
        from contextlib import redirect_stderr, redirect_stdout
        err, out = io.StringIO(), io.StringIO()
        with redirect_stderr(err), redirect_stdout(out):
            rc = main(argv_for(str(path), db_path))
        assert rc in (0, 2), err.getvalue()
        if rc == 2:
            text = err.getvalue()
            assert text.startswith("error: ") and text.count("\n") == 1, text
            assert dump(db_path) == before
        return rc


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(changes=st.lists(st.tuples(st.sampled_from(_PATHS), _json_values), min_size=1, max_size=3))
def test_scenario_json_fuzz(template_db, changes):
    doc = json.loads(json.dumps(_BASE))
    for path, value in changes:
        node = doc
        try:
            for key in path[:-1]:
                node = node[key]
            node[path[-1]] = value
        except (KeyError, IndexError, TypeError):
            continue  # an earlier change replaced a parent
    content = json.dumps(doc, allow_nan=True).encode("utf-8")
    _run(template_db, lambda f, d: ["workspace", "import", f, "--name", "fuzzed", "--db", d], content, ".json")


_COLUMNS = ["target", "priority", "lat", "lon", "window_start", "window_end", "max_incidence_deg", "look_side",
            "pass_direction", "preferred_satellite", "sensor_type", "mode", "sar_mode", "min_sun_elevation_deg",
            "duration_s", "value", "notes", "external_ref", "customer"]
_cells = (st.text(max_size=25) | st.sampled_from(["", "nan", "inf", "-inf", "1e999", "true", "3", "0", "-91",
                                                  "2026-08-10T06:00:00Z", "0001-01-01T00:00:00+01:00", "Tokyo",
                                                  "=HYPERLINK(\"x\")", "LEFT", "\u202e", "1e12", "SAR",
                                                  "OPTICAL", "visible", "SPOTLIGHT", "x" * 140_000]))


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(header=st.lists(st.sampled_from(_COLUMNS), min_size=1, max_size=6, unique=True),
       rows=st.lists(st.lists(_cells, min_size=0, max_size=7), min_size=0, max_size=4),
       raw_tail=st.binary(max_size=20))
def test_order_csv_fuzz(template_db, header, rows, raw_tail):
    import csv
    import io
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    content = buffer.getvalue().encode("utf-8", "surrogatepass") + raw_tail
    _run(template_db, lambda f, d: ["orders", "import", f, "--workspace", "ops", "--db", d], content, ".csv")


_S2_LINES = ("SENTINEL-2A",
             "1 40697U 15028A   26274.29857647 -.00000002  00000+0  15863-4 0  9990",
             "2 40697  98.5653 347.6046 0001070  85.9280 274.2026 14.30818852588907")


def _omm_record() -> dict:
    from .test_formats import _omm_fields
    return _omm_fields(*_S2_LINES)


def _load_or_refuse(tmp: str, name: str, content: bytes) -> None:
    """Loading a TLE/OMM file ends in records or a one-line ValidationError naming the file."""
    from app.access import load_tle_file
    from app.domain import ValidationError
    path = Path(tmp) / name
    path.write_bytes(content)
    try:
        records = load_tle_file(path)
    except ValidationError as exc:
        assert name in str(exc) and "\n" not in str(exc), str(exc)
        return
    assert records and all(r.line1[0] == "1" and r.line2[0] == "2" for r in records)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(line=st.integers(0, 2), column=st.integers(0, 68), char=st.characters(max_codepoint=0x2070),
       cut=st.booleans())
def test_tle_file_fuzz(line, column, char, cut):
    """One character of a real TLE changed (or the line cut there): records or a refusal."""
    lines = list(_S2_LINES)
    text = lines[line]
    lines[line] = text[:column] if cut else text[:column] + char + text[column + 1:]
    with tempfile.TemporaryDirectory() as tmp:
        _load_or_refuse(tmp, "s.tle", ("\n".join(lines) + "\n").encode("utf-8", "surrogatepass"))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(changes=st.dictionaries(st.sampled_from(sorted(_omm_record())), _json_values, min_size=1, max_size=3),
       flavour=st.sampled_from(["json", "csv"]))
def test_omm_file_fuzz(changes, flavour):
    """OMM fields replaced by any JSON value (CSV: its text): records or a refusal."""
    import csv
    import io
    record = {**_omm_record(), **changes}
    if flavour == "json":
        content = json.dumps([record], allow_nan=True)
    else:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=list(record), lineterminator="\n")
        writer.writeheader()
        writer.writerow({k: json.dumps(v) if isinstance(v, (dict, list)) else v for k, v in record.items()})
        content = buffer.getvalue()
    with tempfile.TemporaryDirectory() as tmp:
        _load_or_refuse(tmp, f"s.{flavour}", content.encode("utf-8", "surrogatepass"))
