"""A per-user cache for work that depends only on its inputs: compiled rule packs.

Loading the shipped packs lints, analyses and compiles some fifty patterns (0.2 to 0.5 s), so a
``cleaner file.txt`` call in a shell loop would pay that on every call. What the work gives
for one pack's bytes, under one build of cleaner and of the engines it uses, is written here
once and read back by every later process.

- Where: ``$CLEANER_CACHE_DIR``; else ``$XDG_CACHE_HOME/cleaner``, ``~/.cache/cleaner``, or
  ``%LOCALAPPDATA%\\cleaner\\cache`` on Windows. ``CLEANER_CACHE_DIR=""`` switches it off.
- Keys are SHA-256 digests of everything an entry depends on (:func:`key`), the code that
  made it included, so a stale entry is never asked for again.
- Safe to share: an entry is written to a temporary file and renamed into place (two
  processes that write one key write the same bytes, and a rename is atomic); an entry that
  cannot be read is ignored, and a folder that cannot be written is left alone. The cache
  only ever saves time: with it or without it, the output is the same.
- Bounded: beyond :data:`MAX_ENTRIES` entries, the least recently written go.
"""

from __future__ import annotations

import hashlib
import os
import sys
from functools import lru_cache
from pathlib import Path

#: Entries kept at most; a learned pack rewritten every night would otherwise pile up.
MAX_ENTRIES = 64
#: Entry files end with this; nothing else in the folder is ever deleted.
SUFFIX = ".entry"


def cache_dir() -> Path | None:
    """The cache folder, or None when caching is switched off (``CLEANER_CACHE_DIR=""``).

    >>> import os
    >>> os.environ["CLEANER_CACHE_DIR"] = ""
    >>> cache_dir() is None
    True
    >>> del os.environ["CLEANER_CACHE_DIR"]
    """
    explicit = os.environ.get("CLEANER_CACHE_DIR")
    if explicit is not None:
        return Path(explicit) if explicit else None
    if sys.platform == "win32" and os.environ.get("LOCALAPPDATA"):
        return Path(os.environ["LOCALAPPDATA"]) / "cleaner" / "cache"
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "cleaner"


@lru_cache(maxsize=1)
def code_digest() -> bytes:
    """A digest of the package's own source: an entry made by other code is never read,
    even where the version number did not change (a checkout between releases)."""
    h = hashlib.sha256()
    root = Path(__file__).resolve().parent
    for path in sorted(root.rglob("*.py")):
        try:
            h.update(path.relative_to(root).as_posix().encode())
            h.update(path.read_bytes())
        except OSError:
            h.update(b"?")
    return h.digest()


def key(kind: str, *parts: bytes | str) -> str:
    """The key of an entry: its kind and every input it depends on, with the package's code
    and the Python and engine versions.

    >>> key("pack", b"a") == key("pack", b"a") != key("pack", b"b")
    True
    """
    import regex

    h = hashlib.sha256(code_digest())
    for part in (kind, sys.version, regex.__version__, *parts):
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "little"))
        h.update(data)
    return f"{kind}-{h.hexdigest()[:40]}"


def read(name: str) -> bytes | None:
    """An entry's bytes, or None when it is absent, unreadable, or caching is off."""
    folder = cache_dir()
    if folder is None:
        return None
    try:
        return (folder / f"{name}{SUFFIX}").read_bytes()
    except OSError:
        return None


def write(name: str, data: bytes) -> None:
    """Store an entry, atomically; any failure (a read-only home, a full disk) is ignored:
    the work is simply done again next time."""
    folder = cache_dir()
    if folder is None:
        return
    import tempfile

    tmp = None
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{name}.", suffix=".tmp")
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.replace(tmp, folder / f"{name}{SUFFIX}")
        tmp = None
        _prune(folder)
    except OSError:
        pass
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _prune(folder: Path) -> None:
    entries = []
    for path in folder.glob(f"*{SUFFIX}"):
        try:
            entries.append((path.stat().st_mtime_ns, path.name, path))
        except OSError:
            continue  # another process pruned it first
    if len(entries) <= MAX_ENTRIES:
        return
    for *_, path in sorted(entries)[:len(entries) - MAX_ENTRIES]:
        try:
            path.unlink()
        except OSError:
            pass


def read_checked(name: str) -> bytes | None:
    """An entry written by :func:`write_checked`, or None when it is absent or its digest
    does not hold (a truncated or damaged file is never handed on)."""
    data = read(name)
    if data is None or len(data) < 32:
        return None
    digest, payload = data[:32], data[32:]
    return payload if hashlib.sha256(payload).digest() == digest else None


def write_checked(name: str, payload: bytes) -> None:
    """Store an entry with the SHA-256 of its payload before it, for :func:`read_checked`:
    for entries in a binary format that must not be read half-written."""
    write(name, hashlib.sha256(payload).digest() + payload)
