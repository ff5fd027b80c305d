"""TLE import: real files, both layouts, staleness, and every kind of bad line."""
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from app.access import TleRecord, is_stale, load_tle_file, parse_tle_text
from app.domain import ValidationError

TLE_DIR = Path(__file__).resolve().parents[2] / "data" / "tle"

L1 = "1 40697U 15028A   26103.31962760  .00000149  00000-0  73621-4 0  9995"
L2 = "2 40697  98.5635 179.1037 0001334  90.3570 269.7766 14.30820435564454"


def test_real_files_parse_with_names_numbers_and_epochs():
    records = load_tle_file(TLE_DIR / "eo-optical.2026-04-13.tle")
    assert len(records) == 11
    first = records[0]
    assert isinstance(first, TleRecord)
    assert (first.name, first.norad_id) == ("SENTINEL-2A", 40697)
    # day 103.31962760 of 2026 = 13 April, 07:40:15.825 UTC
    assert abs(first.epoch - datetime(2026, 4, 13, 7, 40, 15, 824640, tzinfo=timezone.utc)) < timedelta(milliseconds=1)
    sar = load_tle_file(TLE_DIR / "sar-constellation.2026-08-10.tle")
    assert {r.name for r in sar} >= {"ICEYE-X2", "CAPELLA-11 (ACADIA-1)", "SENTINEL-1A"}


def test_bare_two_line_sets_are_named_by_catalogue_number():
    records = parse_tle_text(f"{L1}\n{L2}\n")
    assert [(r.name, r.norad_id) for r in records] == [("40697", 40697)]


def test_space_track_zero_prefix_and_trailing_blanks_are_accepted():
    records = parse_tle_text(f"0 SENTINEL-2A            \n{L1}  \r\n{L2}\n")
    assert records[0].name == "SENTINEL-2A"


def _bad(text: str) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        parse_tle_text(text, "f.tle")
    return info.value


@pytest.mark.parametrize("line1, line2, where, words", [
    (L1[:-1] + "4", L2, "f.tle:line 2", "checksum"),
    (L1[:60] + L1[61:], L2, "f.tle:line 2", "69 characters"),
    (L1, "3" + L2[1:], "f.tle:line 3", "expected TLE line 2"),
    (L1, L1, "f.tle:line 3", "expected TLE line 2"),
    (L1[:20] + "X" + L1[21:], L2, "f.tle:line 2", "epoch"),
    (L1, L2[:9] + "9X.5635" + L2[16:], "f.tle:line 3", "inclination"),
    (L1, L2[:2] + "40698" + L2[7:68] + "5", "f.tle:line 3", "does not match line 1's 40697"),
])
def test_bad_lines_name_the_line_and_the_reason(line1, line2, where, words):
    err = _bad(f"SENTINEL-2A\n{line1}\n{line2}\n")
    assert err.field == where
    assert words in err.reason


def test_checksum_error_says_what_was_expected():
    err = _bad(f"X\n{L1[:-1]}4\n{L2}\n")
    assert err.reason == "checksum mismatch: column 69 says 4, the line sums to 5"


def test_nothing_is_returned_when_a_later_set_is_bad():
    good = f"A\n{L1}\n{L2}\n"
    err = _bad(good + f"B\n{L1}\n{L2[:-1]}0\n")
    assert err.field == "f.tle:line 6"


def test_dangling_lines_are_errors():
    assert _bad(f"A\n{L1}\n").field == "f.tle:line 2"
    assert "not followed by TLE line 1" in _bad(f"A\nB\n{L1}\n{L2}\n").reason


def test_empty_and_comment_only_text_is_refused():
    assert "no TLE" in _bad("").reason
    assert "no TLE" in _bad("# nothing here\n\n").reason


def test_non_utf8_file_names_line_and_byte_offset(tmp_path):
    path = tmp_path / "latin1.tle"
    path.write_bytes(f"A\n{L1}\n".encode() + b"\xe9t\xe9\n")
    with pytest.raises(ValidationError) as info:
        load_tle_file(path)
    assert info.value.field == f"{path}:line 3"
    assert "not UTF-8" in info.value.reason and f"offset {len(L1) + 3}" in info.value.reason


def test_empty_file_is_refused(tmp_path):
    path = tmp_path / "empty.tle"
    path.write_text("")
    with pytest.raises(ValidationError, match="empty file"):
        load_tle_file(path)


def test_staleness_is_relative_to_the_horizon_start():
    rec = parse_tle_text(f"{L1}\n{L2}\n")[0]
    assert not is_stale(rec, rec.epoch + timedelta(days=6.9), 7)
    assert is_stale(rec, rec.epoch + timedelta(days=7.1), 7)
    assert is_stale(rec.epoch, rec.epoch + timedelta(days=2), 1.5)


def test_fields_with_leading_blanks_parse():
    # LES-5 from a public catalogue: a 1.9° inclination is written "  1.9111".
    records = parse_tle_text("LES-5\n"
                             "1 02866U 67066E   25222.51095242 -.00000075  00000+0  00000+0 0  9999\n"
                             "2 02866   1.9111 107.5138 0052020 194.1787  48.1661  1.09425647127631\n")
    assert (records[0].name, records[0].norad_id) == ("LES-5", 2866)
