"""Cloud-cover forecasts of a workspace (spec §14 ``forecast import``): points (lat, lon, time, %)."""
from __future__ import annotations

from datetime import datetime
from typing import Sequence

from sqlalchemy import delete, func, select

from app.domain import utc_now

from .models import CLOUD_FORECASTS
from .store import StoreBase


class ForecastStore(StoreBase):

    def replace_cloud_forecast(self, workspace_id: str,
                               points: Sequence[tuple[float, float, datetime, float]]) -> int:
        """Replace the workspace's forecast by ``points`` (lat °, lon °, aware UTC time, cloud %), in one
        transaction (a newer forecast supersedes the older one as a whole). Returns the count."""
        with self._write() as s:
            self._require_workspace(s, workspace_id)
            before = s.execute(select(func.count()).select_from(CLOUD_FORECASTS)
                               .where(CLOUD_FORECASTS.c.workspace_id == workspace_id)).scalar_one()
            s.execute(delete(CLOUD_FORECASTS).where(CLOUD_FORECASTS.c.workspace_id == workspace_id))
            if points:
                s.execute(CLOUD_FORECASTS.insert(), [{"workspace_id": workspace_id, "lat": lat, "lon": lon,
                                                      "time": t, "cloud_pct": pct} for lat, lon, t, pct in points])
            self._audit(s, "import_forecast", "workspace", workspace_id, {"points": before},
                        {"points": len(points)}, workspace_id, utc_now())
        return len(points)

    def cloud_forecast(self, workspace_id: str) -> list[tuple[float, float, datetime, float]]:
        """The workspace's forecast points (lat °, lon °, UTC time, cloud %), by time."""
        c = CLOUD_FORECASTS.c
        with self._read() as s:
            return [tuple(r) for r in s.execute(select(c.lat, c.lon, c.time, c.cloud_pct)
                                                 .where(c.workspace_id == workspace_id).order_by(c.time, c.id))]
