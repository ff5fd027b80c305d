"""Access engine benchmark (budgets.md, "Access engine"): the ops week against a per-pair skyfield
``find_events`` loop measured in the same run, peak memory, and a scaling table.

    python bench/access_bench.py            # full run, ~3 min here
    python bench/access_bench.py --quick    # scaling rows of one day only, fewer reference pairs

Workload ("ops week"): 50 LEO satellites (400-900 km) drawn with a fixed seed from the public
catalogue snapshot ``../shared/data/tle/catalog-active.2025-08.tle`` (epochs 2025-08-10, so the
horizon is 2025-08-10 + 7 days), with agility set per satellite (half optical with the Sun ≥ 10°,
half SAR; cones of 30-45°; a third roll-only, the others pitching up to 20-30°; 8-12 s images);
1,000 targets drawn with a fixed seed over land between 60° S and 70° N (uniform over the area of
17 continental boxes, which still put some points on coasts and inland seas).

Each engine run is a fresh Python process, so that its peak resident memory (``ru_maxrss``,
imports and catalogue included) is its own. The reference is skyfield's ``find_events`` on a
seeded sample of satellite-target pairs, with the elevation that puts the target on the edge of
the satellite's cone (spherical Earth): the per-pair loop the engine replaces, extrapolated to
every pair of the row.
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from dataclasses import fields
from datetime import datetime, timedelta, timezone
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from app.access import compute_opportunities, load_tle_file  # noqa: E402
from app.domain import Opportunity, Satellite, Target  # noqa: E402

CATALOGUE = ROOT.parent / "shared" / "data" / "tle" / "catalog-active.2025-08.tle"
START = datetime(2025, 8, 10, tzinfo=timezone.utc)
EARTH_RADIUS_KM = 6378.137
#: (lat min, lat max, lon min, lon max) boxes over the continents, 60° S to 70° N.
LAND = ((30, 60, -125, -95), (30, 50, -95, -70), (55, 70, -160, -95), (15, 30, -110, -95), (-20, 10, -78, -40),
        (-55, -20, -72, -55), (40, 60, -5, 40), (60, 70, 10, 60), (5, 32, -15, 35), (-34, 5, 12, 40),
        (25, 55, 40, 80), (50, 70, 60, 140), (8, 30, 70, 88), (22, 50, 88, 122), (10, 22, 95, 108),
        (-35, -18, 115, 150), (-8, 5, 100, 118))


def satellites(n: int, seed: int = 2025) -> list[Satellite]:
    """``n`` LEO satellites (400-900 km, near-circular, epoch 2025-08-10) with agility per index."""
    from sgp4.api import Satrec
    pool = []
    for rec in load_tle_file(CATALOGUE):
        model = Satrec.twoline2rv(rec.line1, rec.line2)
        altitude = model.a * model.radiusearthkm - model.radiusearthkm
        if (400 <= altitude <= 900 and model.ecco < 0.01 and rec.epoch.date() == START.date()
                and not rec.name.startswith("STARLINK")):
            pool.append(rec)
    pool.sort(key=lambda r: r.norad_id)
    rng = np.random.default_rng(seed)
    chosen = [pool[i] for i in sorted(rng.choice(len(pool), n, replace=False))]
    out = []
    for k, rec in enumerate(chosen):
        optical = k % 2 == 0
        cone = (30.0, 35.0, 40.0, 45.0)[k % 4]
        out.append(Satellite(f"SAT-{k:03d}", rec.line1, rec.line2, norad_id=rec.norad_id,
                             mode="OPTICAL" if optical else "SAR", sensor_type="visible" if optical else "sar",
                             max_off_nadir_deg=cone, max_roll_deg=cone,
                             max_pitch_deg=0.0 if k % 3 == 0 else (20.0, 30.0)[k % 2],
                             imaging_time_s=(8.0, 10.0, 12.0)[k % 3],
                             min_sun_elevation_deg=10.0 if optical else None))
    return out


def targets(n: int, seed: int = 7) -> list[Target]:
    """``n`` points uniform over the area of the ``LAND`` boxes."""
    rng = np.random.default_rng(seed)
    box = np.array(LAND, dtype=float)
    s0, s1 = np.sin(np.radians(box[:, 0])), np.sin(np.radians(box[:, 1]))
    area = (s1 - s0) * (box[:, 3] - box[:, 2])
    pick = rng.choice(len(box), n, p=area / area.sum())
    lat = np.degrees(np.arcsin(rng.uniform(s0[pick], s1[pick])))
    lon = rng.uniform(box[pick, 2], box[pick, 3])
    return [Target(f"T{j:05d}", float(a), float(b), 0.0, 1 + j % 5) for j, (a, b) in enumerate(zip(lat, lon))]


def engine_run(n_sats: int, n_targets: int, days: float, variants: str) -> dict:
    """One timed ``compute_opportunities`` call (inputs built beforehand, not timed)."""
    sats, tgts = satellites(n_sats), targets(n_targets)
    t = time.perf_counter()
    opps = compute_opportunities(sats, tgts, START, START + timedelta(days=days), variants=variants)
    seconds = time.perf_counter() - t
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0
    passes = len({(o.satellite_id, o.target_id, o.tca) for o in opps})
    # The part no vectorisation removes: calling the Opportunity constructor once per result.
    names = [f.name for f in fields(Opportunity)]
    values = [tuple(getattr(o, n) for n in names) for o in opps]
    t = time.perf_counter()
    [Opportunity(*v) for v in values]
    return {"seconds": seconds, "opportunities": len(opps), "passes": passes, "peak_mb": peak_mb,
            "constructor_s": time.perf_counter() - t}


def in_child(n_sats: int, n_targets: int, days: float, variants: str) -> dict:
    """``engine_run`` in a fresh process, for a clean peak-memory figure."""
    spec = json.dumps([n_sats, n_targets, days, variants])
    done = subprocess.run([sys.executable, __file__, "--child", spec], capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def reference(sats: list[Satellite], tgts: list[Target], pairs: int, days: float, seed: int = 11) -> list[float]:
    """Seconds per pair of skyfield ``find_events`` over ``days``, on ``pairs`` seeded pairs; the
    event elevation is the one at the edge of the satellite's cone on a spherical Earth."""
    from skyfield.api import EarthSatellite, load, wgs84
    ts = load.timescale(builtin=True)
    t0, t1 = ts.from_datetime(START), ts.from_datetime(START + timedelta(days=days))
    rng = np.random.default_rng(seed)
    out = []
    for _ in range(pairs):
        sat, tgt = sats[rng.integers(len(sats))], tgts[rng.integers(len(tgts))]
        tick = time.perf_counter()
        es = EarthSatellite(sat.tle_line1, sat.tle_line2, ts=ts)
        orbit_radius = es.model.a * es.model.radiusearthkm  # km
        cos_edge = min(1.0, orbit_radius * np.sin(np.radians(sat.max_off_nadir_deg)) / EARTH_RADIUS_KM)
        edge_elevation = float(np.degrees(np.arccos(cos_edge)))
        es.find_events(wgs84.latlon(tgt.lat, tgt.lon), t0, t1, altitude_degrees=edge_elevation)
        out.append(time.perf_counter() - tick)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="one-day scaling rows, 20 reference pairs")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(engine_run(*json.loads(args.child))))
        return

    pairs = 20 if args.quick else 50
    sats, tgts = satellites(50), targets(1000)
    ref = reference(sats, tgts, pairs, 7.0)
    per_pair_week = statistics.mean(ref)
    print(f"reference: skyfield find_events, {pairs} pairs × 7 days: mean {per_pair_week * 1e3:.1f} ms, "
          f"median {statistics.median(ref) * 1e3:.1f} ms per pair-week", flush=True)

    ops = {v: in_child(50, 1000, 7.0, v) for v in ("max", "all")}
    ref_ops = per_pair_week * 50 * 1000
    print()
    print("| what | figure | budget | reference (same run) | ratio |")
    print("|---|---|---|---|---|")
    for v, label in (("max", "TCA (`max`) variants"), ("all", "all variants (early/late every 30 s)")):
        r = ops[v]
        print(f"| ops week, 50 satellites × 1,000 targets × 7 days, {label} | {r['seconds']:.1f} s "
              f"({r['opportunities']:,} opportunities, {r['passes']:,} passes) | ≥ 50× faster | "
              f"find_events {per_pair_week * 1e3:.1f} ms/pair-week × 50,000 pairs = {ref_ops:.0f} s | "
              f"{ref_ops / r['seconds']:.0f}× faster |")
        print(f"|   of which calling the `Opportunity` constructor {r['opportunities']:,} times "
              f"(timed apart, same values) | {r['constructor_s']:.1f} s | — | — | — |")
    print(f"| peak memory, ops week (`max` / all variants), whole process | {ops['max']['peak_mb']:.0f} MB / "
          f"{ops['all']['peak_mb']:.0f} MB | < 2048 MB | — | — |")

    rows = [(10, 100, 1.0), (50, 1000, 1.0), (50, 5000, 1.0), (200, 1000, 1.0)]
    if not args.quick:
        rows += [(50, 1000, 3.0), (50, 1000, 7.0), (100, 1000, 7.0)]
    print()
    print("| satellites | targets | days | seconds | opportunities (`max`) | µs per pair-day | peak MB | "
          "reference (extrapolated) | ratio |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for n_sats, n_targets, days in rows:
        r = ops["max"] if (n_sats, n_targets, days) == (50, 1000, 7.0) else in_child(n_sats, n_targets, days, "max")
        pair_days = n_sats * n_targets * days
        expected = per_pair_week * n_sats * n_targets * days / 7.0
        print(f"| {n_sats} | {n_targets:,} | {days:g} | {r['seconds']:.2f} | {r['opportunities']:,} | "
              f"{r['seconds'] / pair_days * 1e6:.1f} | {r['peak_mb']:.0f} | {expected:.0f} s | "
              f"{expected / r['seconds']:.0f}× |", flush=True)


if __name__ == "__main__":
    main()
