"""The CLI's output contract: one JSON document on stdout."""
from __future__ import annotations

import json
import sys
from typing import Any


def emit(data: Any) -> None:
    """Print a JSON document to stdout."""
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")
