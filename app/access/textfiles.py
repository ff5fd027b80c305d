"""Reading the text files the access layer imports (TLEs, site CSVs, GeoJSON)."""
from __future__ import annotations

from pathlib import Path

from app.domain.errors import ValidationError

#: Larger files are refused before reading (the largest real TLE catalogue is about 5 MiB).
MAX_FILE_BYTES = 50 * 1024 * 1024


def read_text(path: str | Path) -> str:
    """The file's text decoded as UTF-8 (a byte-order mark is allowed).

    Raises ``ValidationError(f"{path}:line {n}", ...)`` naming the line and the byte offset of the
    first byte that is not UTF-8.
    """
    p = Path(path)
    if not p.is_file():
        raise ValidationError(str(path), "no such file" if not p.exists() else "not a regular file")
    size = p.stat().st_size
    if size > MAX_FILE_BYTES:
        raise ValidationError(str(path), f"file of {size / 2**20:.1f} MiB is larger than "
                                         f"{MAX_FILE_BYTES // 2**20} MiB")
    data = p.read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise ValidationError(f"{path}:line {line}",
                              f"not UTF-8 text: byte 0x{data[exc.start]:02x} at byte offset {exc.start}") from None
