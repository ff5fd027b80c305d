"""Writing an output file without ever destroying one: the text goes to a temporary file in the
target's folder, is flushed to disk, and only then renamed over the target (atomic on POSIX and
Windows). A full disk or a crash leaves the old file as it was.

Refused before anything is written: a symbolic link (unless ``follow_symlinks``), a folder, any
SQLite database (the open one above all), a missing folder. ``"-"`` means standard output.
"""
from __future__ import annotations

import contextlib
import errno
import os
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO

from app.domain import ValidationError

STDOUT = "-"
_SQLITE_MAGIC = b"SQLite format 3\x00"


def is_sqlite_file(path: Path) -> bool:
    """True when ``path`` starts with SQLite's file header."""
    try:
        with path.open("rb") as f:
            return f.read(16) == _SQLITE_MAGIC
    except OSError:
        return False


def check_target(out: str | os.PathLike[str], *, field: str = "out", protected: Iterable[Path] = (),
                 follow_symlinks: bool = False) -> Path:
    """The path to write, after every refusal that must come before writing (see module doc).
    ``protected``: files never to overwrite (the open database and its -wal/-shm files)."""
    p = Path(out)
    if str(out) == "":
        raise ValidationError(field, "empty file name")
    if "\x00" in str(out):  # no file system takes it; the OS error would not name the option
        raise ValidationError(field, "file name contains a NUL character")
    if p.is_symlink():
        if not follow_symlinks:
            raise ValidationError(field, f"{p} is a symbolic link; give the real path (or allow links)")
        p = p.resolve()
    if p.is_dir():
        raise ValidationError(field, f"{p} is a folder; give a file name")
    if not p.parent.is_dir():
        raise ValidationError(field, f"folder {p.parent} does not exist")
    for other in protected:
        with contextlib.suppress(OSError):
            if p.exists() and other.exists() and os.path.samefile(p, other) or p.resolve() == other.resolve():
                raise ValidationError(field, f"{p} is the open database; choose another file")
    if p.exists():
        if not p.is_file():
            raise ValidationError(field, f"{p} is not a regular file")
        if is_sqlite_file(p):
            raise ValidationError(field, f"{p} is a SQLite database; refusing to overwrite it")
    return p


@contextlib.contextmanager
def _temporary(target: Path, binary: bool, newline: str | None, encoding: str) -> Iterator[IO]:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".part")
    tmp_path = Path(tmp)
    try:
        mode = "wb" if binary else "w"
        kwargs = {} if binary else {"encoding": encoding, "newline": newline}
        with os.fdopen(fd, mode, **kwargs) as stream:
            yield stream
            stream.flush()
            os.fsync(stream.fileno())
        try:
            old_mode = target.stat().st_mode & 0o777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            old_mode = 0o666 & ~umask
        os.chmod(tmp_path, old_mode)
        os.replace(tmp_path, target)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp_path.unlink()
        raise


def write_file(out: str | os.PathLike[str], write: Callable[[IO], None], *, field: str = "out",
               binary: bool = False, newline: str | None = None, encoding: str = "utf-8",
               protected: Iterable[Path] = (), follow_symlinks: bool = False) -> str:
    """Call ``write(stream)`` into ``out`` safely (or into stdout for ``"-"``); returns what was
    written to (the path, or ``"-"``). A full disk is one ValidationError; the old file stays."""
    if str(out) == STDOUT:
        if binary:
            write(sys.stdout.buffer)
            sys.stdout.buffer.flush()
        else:
            if newline == "":
                sys.stdout.reconfigure(newline="")  # type: ignore[union-attr]
            write(sys.stdout)
            sys.stdout.flush()
        return STDOUT
    target = check_target(out, field=field, protected=protected, follow_symlinks=follow_symlinks)
    try:
        with _temporary(target, binary, newline, encoding) as stream:
            write(stream)
    except OSError as exc:
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            raise ValidationError(field, f"disk full while writing {target}; the previous file is unchanged") from None
        if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
            raise ValidationError(field, f"cannot write in {target.parent}: {exc.strerror}") from None
        raise
    return str(target)
