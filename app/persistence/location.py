"""Where the database lives: ``MPW_DB`` if set, else the user data directory (platformdirs)."""
from __future__ import annotations

import os
import re
from pathlib import Path

from platformdirs import user_data_dir
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from app.domain import ValidationError

from .db_files import check_folder

APP_NAME = "mission-planning-workbench"
ENV_VAR = "MPW_DB"
FILE_NAME = "workbench.db"


def to_url(url_or_path: str | os.PathLike[str], create: bool = False) -> str:
    """A SQLAlchemy URL from a URL, a file path, or ``":memory:"``.

    A plain path becomes ``sqlite:///<absolute path>``; a missing folder is refused (a typo must
    not become a new, empty schedule) unless ``create``, which makes it.
    """
    text = os.fspath(url_or_path).strip()
    if not text:
        raise ValidationError("db", "empty database location")
    if text == ":memory:":
        return "sqlite://"
    if "://" in text:
        try:
            make_url(text)
        except (ArgumentError, ValueError):  # ValueError: e.g. a port that is not a number
            raise ValidationError("db", f"not a database URL: {mask_password(text)!r}") from None
        return text
    path = Path(text).expanduser().resolve()
    if path.is_dir():
        raise ValidationError("db", f"{path} is a folder, not a database file")
    check_folder(path, create)
    return f"sqlite:///{path}"


def mask_password(text: str) -> str:
    """``scheme://user:***@host/db`` for any URL-like text (also one SQLAlchemy cannot parse), so no
    message, log or title ever shows a password."""
    return _PASSWORD.sub(r"\1***@", text)


def set_password(url: str, password: str) -> str:
    """``url`` with its password set to ``password``."""
    return make_url(url).set(password=password).render_as_string(hide_password=False)


_PASSWORD = re.compile(r"(://[^:/@\s]*:)[^@\s]*@")


def default_db_url() -> str:
    """``$MPW_DB`` (a path or URL) if set, else ``<user data dir>/workbench.db`` (folder created)."""
    override = os.environ.get(ENV_VAR, "").strip()
    if override:
        return to_url(override)
    folder = Path(user_data_dir(APP_NAME, appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return to_url(folder / FILE_NAME)
