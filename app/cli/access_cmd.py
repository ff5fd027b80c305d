"""``access opportunities`` and ``access contacts``: the access engine on files (spec section 14).

Satellites come from a TLE file; each gets the agility of a typical agile imager unless the flags
say otherwise (cone and roll limit 30°, pitch limit 30°, optical with the Sun ≥ 10°, 10 s of
imaging). A TLE whose epoch is more than 7 days before ``--start`` is reported on stderr.
"""
from __future__ import annotations

import argparse
import csv
import json
import re
import sys
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path
from typing import Any

from app.access.ephemeris import check_coverage
from app.cli import options
from app.access import (TleRecord, compute_contacts, compute_opportunities, is_stale, load_sites_csv,
                        load_targets_geojson, load_tle_file)
from app.domain import Mode, Satellite, ValidationError, checks, limits, parse_utc, to_iso

STALE_DAYS = 7.0
DEFAULT_LIMIT_DEG = 30.0
OPPORTUNITY_COLUMNS = ("id", "satellite", "target", "pass_start", "pass_end", "tca", "variant", "start", "end",
                       "roll_deg", "pitch_deg", "off_nadir_deg", "incidence_deg", "look_side", "pass_direction",
                       "sun_elevation_deg")
CONTACT_COLUMNS = ("satellite", "station", "rise", "culmination", "set", "max_elevation_deg")


def satellite_id(name: str) -> str:
    """A TLE name as an id: a trailing parenthesised alias dropped, blanks turned into dashes
    (``"CAPELLA-11 (ACADIA-1)"`` → ``"CAPELLA-11"``, ``"PLEIADES NEO 3"`` → ``"PLEIADES-NEO-3"``)."""
    base = re.sub(r"\s*\([^)]*\)\s*$", "", name.strip()) or name.strip()
    return re.sub(r"\s+", "-", base)


def _satellites(records: Sequence[TleRecord], args: argparse.Namespace) -> list[Satellite]:
    # Each limit the planner gave is checked under its own option name: the cone defaults to the
    # roll limit, so a bad --max-roll-deg would otherwise be reported as the satellite's cone.
    for name in ("max_off_nadir_deg", "max_roll_deg", "max_pitch_deg"):
        if getattr(args, name) is not None:
            checks.in_range(getattr(args, name), 0.0, 89.0, "--" + name.replace("_", "-"))
    cone = args.max_off_nadir_deg if args.max_off_nadir_deg is not None else args.max_roll_deg
    cone = DEFAULT_LIMIT_DEG if cone is None else cone
    roll = args.max_roll_deg if args.max_roll_deg is not None else cone
    pitch = DEFAULT_LIMIT_DEG if args.max_pitch_deg is None else args.max_pitch_deg
    mode = getattr(args, "mode", Mode.OPTICAL)
    out, seen = [], set()
    for rec in records:
        sid = satellite_id(rec.name)
        if sid in seen:  # the same name twice (e.g. two epochs): keep both, apart
            sid = f"{sid}-{rec.norad_id}"
        seen.add(sid)
        out.append(Satellite(sid, rec.line1, rec.line2, norad_id=rec.norad_id, mode=mode,
                             sensor_type="sar" if mode == Mode.SAR else "visible",
                             max_off_nadir_deg=cone, max_roll_deg=roll, max_pitch_deg=pitch))
    return out


def _load(args: argparse.Namespace):
    start, end = parse_utc(args.start, "--start"), parse_utc(args.end, "--end")
    if end <= start:
        raise ValidationError("--end", "must be after start")
    if end - start > timedelta(days=limits.MAX_HORIZON_DAYS):
        # the same cap as a workspace's horizon: access cost grows with its length
        raise ValidationError("--end", f"the horizon is longer than {limits.MAX_HORIZON_DAYS} days")
    check_coverage(start.timestamp(), end.timestamp())  # before any warning is printed
    records = load_tle_file(args.tle)
    for rec in records:
        if is_stale(rec, start, STALE_DAYS):
            age = (start - rec.epoch).total_seconds() / 86400.0
            print(f"warning: stale TLE: {rec.name} (NORAD {rec.norad_id}) epoch {to_iso(rec.epoch)} is "
                  f"{age:.1f} days before --start (limit {STALE_DAYS:g} days)", file=sys.stderr)
    return records, start, end


def _write(rows: list[dict[str, Any]], columns: Sequence[str], fmt: str) -> None:
    if fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=list(columns), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    else:
        json.dump(rows, sys.stdout, indent=2, ensure_ascii=False)
        sys.stdout.write("\n")


def _round(value: float | None, digits: int = 4) -> float | None:
    return None if value is None else round(value, digits)


def _opportunities(args: argparse.Namespace) -> int:
    records, start, end = _load(args)
    path = Path(args.targets)
    targets = (load_targets_geojson(path) if path.suffix.lower() in (".geojson", ".json")
               else load_sites_csv(path, "target"))
    opps = compute_opportunities(_satellites(records, args), targets, start, end, variants=args.variants)
    rows = [{"id": o.id, "satellite": o.satellite_id, "target": o.target_id, "pass_start": to_iso(o.pass_start),
             "pass_end": to_iso(o.pass_end), "tca": to_iso(o.tca), "variant": o.variant, "start": to_iso(o.start),
             "end": to_iso(o.end), "roll_deg": _round(o.roll_deg), "pitch_deg": _round(o.pitch_deg),
             "off_nadir_deg": _round(o.off_nadir_deg), "incidence_deg": _round(o.incidence_deg),
             "look_side": o.look_side, "pass_direction": o.pass_direction,
             "sun_elevation_deg": _round(o.sun_elevation_deg)} for o in opps]
    _write(rows, OPPORTUNITY_COLUMNS, args.format)
    return 0


def _contacts(args: argparse.Namespace) -> int:
    records, start, end = _load(args)
    stations = load_sites_csv(args.stations, "station")
    windows = compute_contacts(_satellites(records, args), stations, start, end, mask_deg=args.mask_deg)
    rows = [{"satellite": c.satellite_id, "station": c.station_id, "rise": to_iso(c.rise),
             "culmination": to_iso(c.culmination), "set": to_iso(c.set),
             "max_elevation_deg": _round(c.max_elevation_deg)} for c in windows]
    _write(rows, CONTACT_COLUMNS, args.format)
    return 0


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--tle", required=True, help="TLE file (3-line or 2-line sets)")
    p.add_argument("--start", required=True, help="horizon start, ISO 8601 with zone (e.g. 2026-08-10T00:00:00Z)")
    p.add_argument("--end", required=True, help="horizon end, ISO 8601 with zone")
    p.add_argument("--format", choices=("json", "csv"), default="json", help="output format (default json)")
    p.add_argument("--db", help="accepted like every subcommand; access reads only the files given")


def register(sub: argparse._SubParsersAction) -> None:
    """Add ``access opportunities`` and ``access contacts``."""
    access = sub.add_parser("access", help="imaging opportunities and ground contacts from TLE files")
    commands = access.add_subparsers(dest="access_command", required=True, parser_class=type(access))

    p = commands.add_parser("opportunities", help="imaging opportunities of every satellite over every target")
    _common(p)
    p.add_argument("--targets", required=True, help="targets: CSV name,lat,lon[,alt_m][,priority] or GeoJSON points")
    p.add_argument("--max-off-nadir-deg", type=options.finite, help="sensor cone half-angle (default: --max-roll-deg, or 30)")
    p.add_argument("--max-roll-deg", type=options.finite, help="cross-track limit (default: the cone)")
    p.add_argument("--max-pitch-deg", type=options.finite, help="along-track limit, 0 = roll-only (default 30)")
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--optical", dest="mode", action="store_const", const=Mode.OPTICAL,
                      help="optical imagers: the Sun must be ≥ 10° above the target (default)")
    mode.add_argument("--sar", dest="mode", action="store_const", const=Mode.SAR, help="SAR: day and night")
    p.set_defaults(mode=Mode.OPTICAL)
    p.add_argument("--variants", choices=("all", "max"), default="all",
                   help="all: TCA and pitched early/late variants; max: TCA only")
    p.set_defaults(handler=_opportunities)

    c = commands.add_parser("contacts", help="ground-station contact windows")
    _common(c)
    c.add_argument("--stations", required=True, help="stations: CSV name,lat,lon[,alt_m][,mask_deg]")
    c.add_argument("--mask-deg", type=options.finite, help="elevation mask for every station (default: each station's)")
    c.set_defaults(handler=_contacts, max_off_nadir_deg=None, max_roll_deg=None, max_pitch_deg=None)
