"""Writing files so that a reader never sees half of one, and reading inputs that may be
compressed."""

from __future__ import annotations

import gzip
import io
import os
import tempfile
import zlib
from pathlib import Path

GZIP_MAGIC = b"\x1f\x8b"


def write_atomic(path: str | Path, data: str | bytes) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same folder and a rename:
    an interrupted or failed write leaves the old file (if any) as it was, never half a new
    one.

    >>> import tempfile, pathlib
    >>> target = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
    >>> write_atomic(target, "done\\n"); target.read_text()
    'done\\n'
    """
    path = Path(path)
    raw = data.encode("utf-8") if isinstance(data, str) else data
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(raw)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def gunzip(data: bytes, limit: int | None = None) -> bytes:
    """The bytes of a gzip file (all members), refusing to inflate past ``limit`` bytes: a
    small file that would inflate to gigabytes is an error, not an out-of-memory kill.

    >>> import gzip
    >>> gunzip(gzip.compress(b"text"))
    b'text'
    >>> gunzip(gzip.compress(b"x" * 100), limit=10)
    Traceback (most recent call last):
    ...
    ValueError: inflates to more than 10 bytes
    """
    out = io.BytesIO()
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as f:
            while chunk := f.read(1 << 20):
                out.write(chunk)
                if limit is not None and out.tell() > limit:
                    raise ValueError(f"inflates to more than {limit} bytes")
    except (OSError, EOFError, zlib.error) as exc:
        raise ValueError(f"not a readable gzip file ({exc})") from None
    return out.getvalue()
