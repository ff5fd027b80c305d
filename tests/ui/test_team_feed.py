"""The status-bar sentence of the team feed (issue 13 item 5)."""
from __future__ import annotations

from app.ui.team_feed import team_message


def test_nothing_to_say_when_every_change_was_this_planners_own():
    # The feed hands over only other planners' entries: none left is not an error (it raised
    # "max() arg is an empty sequence" when the clock's own steps were the only changes).
    assert team_message([]) == ""
