"""One planner in its own process, for the two-process tests of team mode (issue #13).

``python team_worker.py GO_FILE JSON`` waits until GO_FILE exists (so that all workers start
together), runs one action on its own ScheduleDB and prints one JSON line:
``{"ok": n, "refused": [messages], "errors": [unexpected exception texts]}``.
"""
from __future__ import annotations

import json
import os
import sys
import time

from app.domain import DomainError
from app.persistence import ScheduleDB


def _action(db: ScheduleDB, spec: dict) -> None:
    kind = spec["action"]
    if kind == "commit":
        from app.services import commits  # imported only where needed: each worker starts faster
        commits.commit_plan(db, spec["workspace"], spec["plan_id"])
    elif kind == "lock":
        db.set_lock_level(spec["ids"], spec["level"])
    elif kind == "resolve":
        db.resolve_conflict(spec["conflict_id"], "dismiss", notes=db.user)
    elif kind == "replace_conflicts":
        from app.services import conflict_service
        conflict_service.detect_and_store(db, spec["workspace"])
    elif kind == "order_priority":
        order = spec["order_id"]
        db.update_order(order, priority=1 + (spec["i"] % 5))
    elif kind == "open":
        pass
    else:
        raise ValueError(kind)


def main() -> None:
    go, spec = sys.argv[1], json.loads(sys.argv[2])
    out = {"ok": 0, "refused": [], "errors": []}
    db = None
    try:
        # Open first (unless opening is the race), say "ready", then wait for the common start.
        if spec["action"] != "open":
            db = ScheduleDB(spec["url"], user=spec.get("user", "worker"))
        with open(f"{go}.ready.{os.getpid()}", "w"):
            pass
        deadline = time.monotonic() + 60
        while not os.path.exists(go) and time.monotonic() < deadline:
            time.sleep(0.002)
        if db is None:
            db = ScheduleDB(spec["url"], user=spec.get("user", "worker"))
        for i in range(spec.get("repeat", 1)):
            try:
                _action(db, {**spec, "i": i})
                out["ok"] += 1
            except DomainError as exc:
                out["refused"].append(str(exc))
            except Exception as exc:  # noqa: BLE001 - the test asserts there are none
                out["errors"].append(f"{type(exc).__name__}: {exc}")
    except Exception as exc:  # noqa: BLE001
        out["errors"].append(f"{type(exc).__name__}: {exc}")
    finally:
        if db is not None:
            db.close()
    print(json.dumps(out))


if __name__ == "__main__":
    main()
