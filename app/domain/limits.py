"""The bounds every boundary enforces (files, command line, GUI forms), in one place.

They are generous for real planning and tight enough that no input can make planning allocate
without bound, overflow a time computation or flood a list with one pasted document.
Units are in the names.
"""
from __future__ import annotations

#: Planning horizon length (``create_workspace`` and scenario ``settings``).
MAX_HORIZON_DAYS = 60
MAX_HORIZON_HOURS = MAX_HORIZON_DAYS * 24
#: Times anywhere in the application (orders, horizons, clocks, export windows).
MIN_YEAR = 1900
MAX_YEAR = 2200
#: How far a workspace's scenario clock may be set outside its horizon (days before its start or
#: after its end): a week's slack and more for a late ``workspace advance``, but a typed year or
#: month (2200 for 2026) is refused instead of executing the whole schedule at once.
MAX_CLOCK_OUTSIDE_HORIZON_DAYS = 30
#: One acquisition's imaging time and any duration-like setting in seconds.
MAX_DURATION_S = 3600.0
#: Grid, look window and variant step of the access engine (seconds).
MAX_STEP_S = 3600.0
#: TLE staleness threshold (days).
MAX_TLE_STALE_DAYS = 3650.0
#: Spacecraft agility.
MAX_RATE_DPS = 90.0
MAX_ACCEL_DPS2 = 90.0
MAX_SETTLE_S = 600.0
#: Onboard resources.
MAX_MEMORY_GBIT = 1.0e6
MAX_DATA_PER_ACQUISITION_GBIT = 1.0e4
MAX_DOWNLINK_MBPS = 1.0e5
MAX_ENERGY_WH = 1.0e6
MAX_POWER_W = 1.0e5
#: Value and weights.
MAX_ORDER_VALUE = 1.0e6
MAX_WEIGHT = 1.0e3
#: NORAD catalogue numbers (nine digits in OMM; Alpha-5 TLEs reach 339,999).
MAX_NORAD_ID = 999_999_999
#: Text.
MAX_NAME_CHARS = 200
MAX_NOTES_CHARS = 10_000
#: Order files (``orders import``, File ▸ Import ▸ Orders): a batch of requests, not a dump. Every
#: row is validated and held in memory before anything is written, so both are bounded.
MAX_ORDER_FILE_BYTES = 5 * 1024 * 1024
MAX_ORDER_FILE_ROWS = 10_000
#: JSON nesting (a scenario file is 4 levels deep).
MAX_JSON_DEPTH = 32
#: Reshuffle replace_if_better threshold (percent).
MAX_IMPROVEMENT_PCT = 1000.0
#: Planner time limit (seconds).
MAX_TIME_LIMIT_S = 24 * 3600.0
