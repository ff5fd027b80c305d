"""Exports never destroy a file: not the database, not through a link, not on a full disk."""
import csv
import io
import json
import os
import shutil
import sqlite3
import subprocess

import pytest

from app.cli.main import main
from app.persistence import ScheduleDB

from .conftest import dump


def _export(db, out, *extra):
    return main(["export", "--workspace", "ops", "--format", "json", "--out", str(out), "--db", db, *extra])


def test_export_onto_the_database_refused(ops_db, capsys):
    before_bytes = open(ops_db, "rb").read()
    before = dump(ops_db)
    assert _export(ops_db, ops_db) == 2
    assert "open database" in capsys.readouterr().err
    assert dump(ops_db) == before and open(ops_db, "rb").read() == before_bytes


def test_workspace_export_onto_the_database_refused(ops_db, capsys):
    before = dump(ops_db)
    assert main(["workspace", "export", "ops", "--out", ops_db, "--db", ops_db]) == 2
    assert dump(ops_db) == before


def test_export_onto_another_sqlite_file_refused(ops_db, tmp_path, capsys):
    other = tmp_path / "other.sqlite"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    before = other.read_bytes()
    assert _export(ops_db, other) == 2
    assert "SQLite database" in capsys.readouterr().err
    assert other.read_bytes() == before


def test_export_through_a_symlink_refused_unless_asked(ops_db, tmp_path, capsys):
    real = tmp_path / "real.json"
    real.write_text("old\n")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    assert _export(ops_db, link) == 2
    assert "symbolic link" in capsys.readouterr().err
    assert real.read_text() == "old\n" and link.is_symlink()
    assert _export(ops_db, link, "--follow-symlinks") == 0
    assert link.is_symlink() and json.loads(real.read_text())["workspace"] == "ops"


def test_export_replaces_the_old_file_and_leaves_no_temporary(ops_db, tmp_path, capsys):
    out = tmp_path / "s.json"
    out.write_text("old\n")
    os.chmod(out, 0o640)
    assert _export(ops_db, out) == 0
    assert json.loads(out.read_text())["workspace"] == "ops"
    assert oct(out.stat().st_mode & 0o777) == oct(0o640)
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_export_into_a_missing_folder_refused(ops_db, tmp_path, capsys):
    assert _export(ops_db, tmp_path / "nope" / "s.json") == 2
    assert "does not exist" in capsys.readouterr().err
    assert not (tmp_path / "nope").exists()


def test_out_dash_writes_stdout(ops_db, capsys):
    assert main(["export", "--workspace", "ops", "--format", "csv", "--out", "-", "--db", ops_db]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert len(rows) == 4 and rows[0]["satellite_id"]
    assert main(["workspace", "export", "ops", "--out", "-", "--db", ops_db]) == 0
    assert json.loads(capsys.readouterr().out)["name"] == "ops"


def test_csv_formula_cells_escaped_numbers_kept(ops_db, tmp_path, capsys):
    db = ScheduleDB(ops_db)
    ws = db.find_workspace("ops")
    acq = db.list_acquisitions(ws.id)[0]
    db.close()
    con = sqlite3.connect(ops_db)  # a target named like a formula, as an imported file could name it
    con.execute("PRAGMA foreign_keys=OFF")
    con.execute("UPDATE acquisitions SET target_id = ? WHERE id = ?", ('=HYPERLINK("http://x","y")', acq.id))
    con.commit()
    con.close()
    out = tmp_path / "s.csv"
    assert main(["export", "--workspace", "ops", "--format", "csv", "--out", str(out), "--db", ops_db]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8", newline="")))
    cell = next(r["target_id"] for r in rows if r["id"] == acq.id)
    assert cell == "'=HYPERLINK(\"http://x\",\"y\")"
    assert any(r["roll_deg"].startswith("-") for r in rows) or all(float(r["roll_deg"]) >= 0 for r in rows)


def test_excel_csv_has_bom_crlf_and_rounded_numbers(ops_db, tmp_path, capsys):
    out = tmp_path / "s.csv"
    assert main(["export", "--workspace", "ops", "--format", "csv", "--excel", "--out", str(out),
                 "--db", ops_db]) == 0
    raw = out.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    for r in rows:
        for key in ("roll_deg", "pitch_deg", "quality_score"):
            if r[key]:
                assert len(r[key].split(".")[-1]) <= 3 if "." in r[key] else True


def test_excel_only_for_csv(ops_db, tmp_path, capsys):
    assert main(["export", "--workspace", "ops", "--format", "json", "--excel", "--out", str(tmp_path / "x"),
                 "--db", ops_db]) == 2
    assert "excel" in capsys.readouterr().err and not (tmp_path / "x").exists()


@pytest.fixture
def tiny_disk(tmp_path):
    """A 64 KiB tmpfs (root only; skipped where mounting is not allowed)."""
    if os.geteuid() != 0 or shutil.which("mount") is None:
        pytest.skip("a small tmpfs needs root")
    mnt = tmp_path / "tiny"
    mnt.mkdir()
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(mnt)], capture_output=True)
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.decode().strip()}")
    yield mnt
    subprocess.run(["umount", str(mnt)], capture_output=True)


def test_export_onto_a_full_disk_keeps_the_old_file(ops_db, tiny_disk, capsys):
    out = tiny_disk / "schedule.json"
    out.write_text("previous export\n")
    filler = tiny_disk / "filler"
    with filler.open("wb", buffering=0) as f:  # fill the disk: no room for the export
        try:
            while True:
                f.write(b"\0" * 512)
        except OSError:
            pass
    assert _export(ops_db, out) == 2
    assert "disk full" in capsys.readouterr().err
    assert out.read_text() == "previous export\n"
    assert sorted(p.name for p in tiny_disk.iterdir()) == ["filler", "schedule.json"]
