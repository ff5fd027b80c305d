import pytest

from app.persistence import ScheduleDB
from app.services.scenario_file import parse_scenario
from app.services.workspaces import import_scenario


@pytest.fixture
def small_db(db_url, small_scenario) -> tuple[ScheduleDB, str]:
    """A database (each backend, see ``db_url``) with the small real workspace ``small`` (see tests/conftest.py)."""
    db = ScheduleDB(db_url)
    ws = import_scenario(db, parse_scenario(small_scenario()), "small")
    yield db, ws.id
    db.close()
