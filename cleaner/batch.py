"""Batch jobs: records in, cleaned records out, every record accounted for.

Inputs are shards: a JSON Lines file (plain, .gz or .zst), a Parquet file, or a folder (or
glob) of .txt and .html files, each perhaps gzipped (one record per file, the folder being the
shard). An input that does not exist, a folder that cannot be read or holds no such file, and
a glob that matches nothing stop the run before any work (:class:`InputError`, naming each),
as does a run whose inputs hold no record at all. For each shard the job writes, under the
output folder:

- ``NAME.jsonl`` or ``NAME.parquet``: the records, in input order, with the text field
  cleaned and every other field untouched; records that went through the HTML path also get
  the page's metadata as the fields of :data:`PAGE_FIELDS` (null where the page declares none);
- ``NAME.report.jsonl``: per record, its id, counts per category, every edit, the metadata
  the cleaning gave back (dates, bylines) and any notices;
- ``NAME.errors.jsonl``: each record that could not be cleaned, with its error (a bad JSON
  line, a missing or non-text field, undecodable bytes, a page the HTML parser rejects);

and ``summary.json`` for the run. Records out plus records failed equals records in.

Each shard's files are written under a temporary name and renamed when the shard is
complete, the records file last, so a killed run never leaves a half file that looks whole;
``resume=True`` skips the shards whose records file exists. Work is spread over processes in
chunks, with a bounded number of chunks in flight (memory does not grow with the input), and
results are written in input order, so the output is the same whatever the number of jobs.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import InputError
from .files import GZIP_MAGIC, gunzip, write_atomic
from .html import looks_like_html
from .model import CleanResult
from .pipeline import Cleaner, Config
from .sites import record_site
from .workers import WorkerPool, run_ordered

try:  # orjson parses JSON Lines about 1.7x faster; the standard library does the same job.
    import orjson

    def _loads(data: bytes) -> Any:
        return orjson.loads(data)

    def _dumps(obj: Any) -> bytes:
        return orjson.dumps(obj)
except ImportError:  # pragma: no cover - exercised where orjson is absent
    def _loads(data: bytes) -> Any:
        return json.loads(data)

    def _dumps(obj: Any) -> bytes:
        return json.dumps(obj, ensure_ascii=False).encode("utf-8")

#: Records sent to a worker at a time: large enough that process hand-offs are cheap, small
#: enough that a slow record does not hold many others back.
CHUNK = 256
#: Records a Parquet output buffers per row group (the first group sets the schema).
PARQUET_ROWS = 4 * CHUNK
#: Chunks in flight per job: bounds memory whatever the input size.
IN_FLIGHT_PER_JOB = 4
TEXT_SUFFIXES = (".txt", ".text")
HTML_SUFFIXES = (".html", ".htm")
#: The files a folder or glob input reads: text and HTML, plain or gzipped.
FILE_SUFFIXES = tuple(s + z for s in TEXT_SUFFIXES + HTML_SUFFIXES for z in ("", ".gz"))
#: A page's metadata (cleaner.html: HtmlCleanResult.page) as fields of its output record:
#: (record field, page key). A record that went through the HTML path has all of them.
PAGE_FIELDS = (("page_title", "title"), ("page_author", "author"), ("page_date", "date"),
               ("page_sitename", "sitename"), ("page_url", "url"))


@dataclass(frozen=True)
class Options:
    """What a batch run does with each record."""

    text_field: str = "text"
    id_field: str | None = None
    #: The field naming a record's site, for site-scoped (learned) rules; None reads
    #: ``site``, ``domain``, ``host`` or the host of ``url`` (see cleaner.sites).
    site_field: str | None = None
    #: "auto": a record is HTML when its text starts like a page; "text" or "html" to say.
    input_format: str = "auto"
    output_format: str = "jsonl"  # or "parquet"
    config: Config = field(default_factory=Config)
    #: HTML records: "ensemble" (default) or "fast" (see cleaner.html.clean_html).
    html_mode: str = "ensemble"


class WriteError(OSError):
    """The output could not be written (a full disk, a file size limit): the run stops."""


@dataclass
class Summary:
    records_in: int = 0
    records_out: int = 0
    records_failed: int = 0
    shards_done: int = 0
    shards_skipped: int = 0
    chars_in: int = 0
    chars_out: int = 0
    edits_by_category: Counter[str] = field(default_factory=Counter)
    chars_by_category: Counter[str] = field(default_factory=Counter)
    edits_by_rule: Counter[str] = field(default_factory=Counter)
    chars_by_rule: Counter[str] = field(default_factory=Counter)
    #: Inputs that could not be read to the end (a corrupt gzip member, an unreadable file):
    #: the records before the fault are kept, the fault is in the shard's errors file.
    shard_errors: list[str] = field(default_factory=list)
    #: Worker processes that died (killed, out of memory): each time the pool was started
    #: again and the work it held done again, so no record was lost.
    worker_restarts: int = 0
    seconds: float = 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "records_in": self.records_in, "records_out": self.records_out,
            "records_failed": self.records_failed, "shards_done": self.shards_done,
            "shards_skipped": self.shards_skipped, "chars_in": self.chars_in,
            "chars_out": self.chars_out,
            "edits_by_category": dict(sorted(self.edits_by_category.items())),
            "chars_removed_by_category": dict(sorted(self.chars_by_category.items())),
            "edits_by_rule": dict(sorted(self.edits_by_rule.items())),
            "chars_removed_by_rule": dict(sorted(self.chars_by_rule.items())),
            "shard_errors": list(self.shard_errors),
            "worker_restarts": self.worker_restarts,
            "seconds": round(self.seconds, 3),
            "records_per_second": round(self.records_in / self.seconds, 1) if self.seconds else 0,
        }


# --- reading -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Shard:
    name: str
    kind: str  # "jsonl", "parquet", "files"
    paths: tuple[Path, ...]


_KINDS = ".txt or .html file (plain or .gz)"


def _is_record_file(path: Path) -> bool:
    return path.name.lower().endswith(FILE_SUFFIXES) and path.is_file()


def shards(inputs: Iterable[str | Path]) -> list[Shard]:
    """The shards of the inputs, in a stable order. A glob or a folder of files is one shard.

    Raises :class:`InputError` naming every input that does not exist, cannot be read, or
    (a folder, a glob) holds no file to read: a typo must not pass for an empty corpus.
    """
    out: list[Shard] = []
    problems: list[str] = []
    for raw in map(str, inputs):
        path = Path(raw)
        if any(c in raw for c in "*?[") and not path.exists():
            files = sorted(p for p in _glob(raw) if _is_record_file(p))
            if not files:
                problems.append(f"{raw}: no {_KINDS} matches")
            out.append(Shard(Path(raw).parent.name or "files", "files", tuple(files)))
        elif path.is_dir():
            try:
                files = sorted(p for p in path.iterdir() if _is_record_file(p))
            except OSError as exc:
                problems.append(f"{raw}: cannot read the folder ({exc.strerror or exc})")
                continue
            if not files:
                problems.append(f"{raw}: the folder holds no {_KINDS}")
            out.append(Shard(path.name, "files", tuple(files)))
        elif not path.exists():
            problems.append(f"{raw}: no such file or folder")
        elif not os.access(path, os.R_OK):
            problems.append(f"{raw}: cannot be read (permission denied)")
        elif path.name.endswith(".parquet"):
            out.append(Shard(path.name[:-len(".parquet")], "parquet", (path,)))
        else:
            name = path.name
            for suffix in (".gz", ".zst", ".jsonl", ".json", ".ndjson"):
                name = name.removesuffix(suffix)
            out.append(Shard(name, "jsonl", (path,)))
    if problems:
        raise InputError("; ".join(problems))
    names = Counter(s.name for s in out)
    return [s if names[s.name] == 1 else Shard(f"{s.name}-{k}", s.kind, s.paths)
            for k, s in enumerate(out)]


def _glob(pattern: str) -> Iterator[Path]:
    import glob

    return map(Path, glob.iglob(pattern, recursive=True))


class _Progress:
    """Input bytes consumed over all shards, for the progress bar's ETA (compressed bytes for
    .gz and .zst: what is on disk)."""

    def __init__(self, total: int) -> None:
        self.total = max(total, 1)
        self.done_before = 0  # bytes of finished shards
        self.raw: Any = None  # the file being read, whose position is the current shard's share

    def fraction(self) -> float:
        current = 0
        if self.raw is not None:
            try:
                current = self.raw.tell()
            except (OSError, ValueError):
                current = 0
        return min(1.0, (self.done_before + current) / self.total)


def _lines(path: Path, progress: _Progress | None = None) -> Iterator[bytes]:
    """The lines of a JSON Lines file, plain, .gz or .zst; both streams closed at the end."""
    raw = open(path, "rb")
    if progress is not None:
        progress.raw = raw
    stream: Any = raw
    try:
        if path.name.endswith(".gz"):
            stream = gzip.GzipFile(fileobj=raw, mode="rb")
        elif path.name.endswith(".zst"):
            import zstandard

            stream = io.BufferedReader(zstandard.ZstdDecompressor().stream_reader(raw))
        yield from stream
    finally:
        stream.close()
        raw.close()


# A task is (index, kind, payload): payload is a raw JSON line, a dict of fields, or
# (file name, bytes).
Task = tuple[int, str, Any]


def _tasks(shard: Shard, progress: _Progress | None = None) -> Iterator[Task]:
    if shard.kind == "jsonl":
        index = 0
        for line in _lines(shard.paths[0], progress):
            if line.strip():
                yield index, "json", line
                index += 1
    elif shard.kind == "parquet":
        import pyarrow.parquet as pq

        index = 0
        for batch in pq.ParquetFile(shard.paths[0]).iter_batches(batch_size=CHUNK):
            for row in batch.to_pylist():
                yield index, "row", row
                index += 1
    else:
        for index, path in enumerate(shard.paths):
            yield index, "file", (path.name, path.read_bytes())


# --- cleaning (in the workers) -------------------------------------------------------------

_WORKER: tuple[Cleaner, Options] | None = None


def _init_worker(options: Options) -> None:
    global _WORKER
    _WORKER = (Cleaner(options.config), options)


def _looks_like_html(text: str) -> bool:
    return looks_like_html(text[:4096].encode("utf-8", "replace"))


def _clean_one(cleaner: Cleaner, options: Options, index: int, kind: str,
               payload: Any) -> tuple[dict[str, Any] | None, dict[str, Any] | None, dict[str, Any] | None]:
    """(output record, report line, error line) for one input record."""
    record_id = str(index)
    try:
        if kind == "json":
            try:
                record = _loads(payload)
            except ValueError as exc:
                raw = payload.decode("utf-8", "replace").rstrip("\n")
                return None, None, {"index": index, "id": record_id,
                                    "error": f"bad JSON line: {exc}", "raw": raw[:2000]}
            if not isinstance(record, dict):
                return None, None, {"index": index, "id": record_id,
                                    "error": f"a record must be a JSON object, got {type(record).__name__}"}
        elif kind == "row":
            record = dict(payload)
        else:
            name, data = payload
            record_id = name
            plain_name = name.lower().removesuffix(".gz")
            if data[:2] == GZIP_MAGIC:
                try:
                    data = gunzip(data, _inflate_limit(options))
                except ValueError as exc:
                    return None, None, {"index": index, "id": name, "error": str(exc)}
            try:
                text = data.decode("utf-8")
            except UnicodeDecodeError as exc:
                if not plain_name.endswith(HTML_SUFFIXES):
                    return None, None, {"index": index, "id": name,
                                        "error": f"not valid UTF-8 at byte {exc.start}"}
                text = data  # a page: decoded by its declared charset
            record = {"id": name, options.text_field: text}
        if options.id_field and options.id_field in record:
            record_id = str(record[options.id_field])
        elif "id" in record:
            record_id = str(record["id"])
        text = record.get(options.text_field)
        if text is None:
            return None, None, {"index": index, "id": record_id,
                                "error": f"no {options.text_field!r} field"}
        if not isinstance(text, (str, bytes)):
            return None, None, {"index": index, "id": record_id,
                                "error": f"{options.text_field!r} is {type(text).__name__}, not text"}
        is_html = isinstance(text, bytes) or options.input_format == "html" or (
            options.input_format == "auto" and _looks_like_html(text))
        result: CleanResult
        if is_html:
            from .html import clean_html

            url = record.get("url")
            page = clean_html(text, url if isinstance(url, str) else None, cleaner=cleaner,
                              site=record_site(record, options.site_field),
                              mode=options.html_mode)
            if page.reason and not page.text:
                return None, None, {"index": index, "id": record_id,
                                    "error": f"HTML: {page.reason}"}
            result = page
            for field_name, key in PAGE_FIELDS:
                record[field_name] = page.page.get(key)
        else:
            assert isinstance(text, str)
            result = cleaner.clean(text, site=record_site(record, options.site_field))
        record[options.text_field] = result.text
        stats = result.stats()
        report = {"index": index, "id": record_id, "chars_in": len(result.original),
                  "chars_out": len(result.text),
                  "counts": {k: v.edits for k, v in stats.items()},
                  "chars_removed": {k: v.chars_removed for k, v in stats.items()},
                  # Every edit, whitespace too: the report replays exactly, and the review
                  # page restores the original from it and the cleaned record.
                  "edits": [e.to_dict() for e in result.edits],
                  "metadata": [m.to_dict() for m in result.metadata],
                  "notices": [n.to_dict() for n in result.notices]}
        if is_html:
            report["extractor"] = getattr(result, "extractor", "")
        return record, report, None
    except Exception as exc:  # noqa: BLE001 - one record's failure must not stop the shard
        return None, None, {"index": index, "id": record_id,
                            "error": f"{type(exc).__name__}: {exc}"}


def _inflate_limit(options: Options) -> int | None:
    """The most a gzipped file may inflate to: four bytes a character of the size limit."""
    limit = options.config.max_chars
    return None if limit is None else 4 * limit


def _clean_chunk(tasks: list[Task]) -> list[tuple[Any, Any, Any]]:
    assert _WORKER is not None
    cleaner, options = _WORKER
    return [_clean_one(cleaner, options, *t) for t in tasks]


def clean_task_table(table: Any, options: Options) -> Any:
    """The engine-free batch function: an Arrow table of tasks (``index``, ``kind``,
    ``payload`` as pickled bytes) in, an Arrow table of pickled (record, report, error)
    results out, in the same order. What runs in Ray's workers is what runs locally, so the
    outputs are equal record for record; the cleaner is built once per worker process."""
    import pickle

    import pyarrow as pa

    global _WORKER
    if _WORKER is None or _WORKER[1] != options:
        _init_worker(options)
    tasks = [(i, k, pickle.loads(p)) for i, k, p in zip(
        table.column("index").to_pylist(), table.column("kind").to_pylist(),
        table.column("payload").to_pylist(), strict=True)]
    results = _clean_chunk(tasks)
    return pa.table({"result": pa.array([pickle.dumps(r) for r in results], pa.binary())})


def _ray_results(tasks: Iterator[Task], options: Options, jobs: int) -> Iterator[list[Any]]:
    """Chunks of results computed by Ray Data (map_batches over tasks), in input order."""
    import pickle

    import pyarrow as pa
    import ray

    context = ray.data.DataContext.get_current()
    context.execution_options.preserve_order = True
    context.enable_progress_bars = False
    # Blocks of several chunks per Dataset keep the driver's memory bounded.
    for block in _chunks(tasks, CHUNK * IN_FLIGHT_PER_JOB * max(jobs, 1)):
        table = pa.table({"index": [t[0] for t in block], "kind": [t[1] for t in block],
                          "payload": pa.array([pickle.dumps(t[2]) for t in block], pa.binary())})
        # Tasks, not an actor pool: an actor pool that takes every CPU can hang (Ray #44687).
        # (Ray's stubs do not see that fn_kwargs supplies options, nor that pyarrow batches
        # are Arrow tables.)
        ds = ray.data.from_arrow(table).map_batches(
            clean_task_table, batch_format="pyarrow", batch_size=CHUNK,  # type: ignore[arg-type]
            fn_kwargs={"options": options}, num_cpus=1)
        for batch in ds.iter_batches(batch_format="pyarrow", batch_size=CHUNK):
            yield [pickle.loads(r) for r in batch.column("result").to_pylist()]  # type: ignore[union-attr]


class _ReadFault:
    """Holds the error that stopped reading a shard, so the records before it still go out."""

    def __init__(self) -> None:
        self.error: str | None = None

    def guard(self, tasks: Iterator[Task]) -> Iterator[Task]:
        try:
            yield from tasks
        except (OSError, EOFError, ValueError) as exc:
            # gzip.BadGzipFile and zstd errors are OSError or ValueError; a truncated member
            # is EOFError; an unreadable or vanished file is OSError.
            self.error = f"{type(exc).__name__}: {exc}"
        except Exception as exc:  # noqa: BLE001 - pyarrow raises its own types
            self.error = f"{type(exc).__name__}: {exc}"


def _chunks(tasks: Iterator[Task], size: int) -> Iterator[list[Task]]:
    chunk: list[Task] = []
    for t in tasks:
        chunk.append(t)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _lost_record(task: Task, reason: str) -> list[tuple[Any, Any, Any]]:
    """The error record that stands in for a record that killed its worker every time."""
    index, kind, payload = task
    record_id = payload[0] if kind == "file" else str(index)
    return [(None, None, {"index": index, "id": record_id, "error": reason})]


# --- writing ---------------------------------------------------------------------------------


class _AtomicFile:
    """Written under a temporary name; renamed into place by commit()."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        self.f = open(self.tmp, "wb")

    def write(self, data: bytes) -> None:
        self.f.write(data)

    def commit(self) -> None:
        self.f.close()
        os.replace(self.tmp, self.path)

    def abort(self) -> None:
        try:
            self.f.close()  # may flush into the full disk that caused the abort
        except OSError:
            pass
        self.tmp.unlink(missing_ok=True)


class _RecordWriter:
    """The records file of a shard. A Parquet file has one schema, made from the fields of
    the first PARQUET_ROWS records (all of their fields, in order of first appearance); a
    record missing some of them gets nulls, and a later record with a field outside it
    cannot be written there (:meth:`add` says why, and the record goes to the errors file
    rather than lose the field)."""

    def __init__(self, path: Path, fmt: str) -> None:
        self.fmt = fmt
        self.rows: list[dict[str, Any]] = []
        self.file = _AtomicFile(path)
        self.parquet: Any = None
        self.fields: dict[str, None] | None = None

    def add(self, record: dict[str, Any]) -> str | None:
        """Write the record; returns why it cannot be written, or None."""
        if self.fmt == "jsonl":
            self.file.write(_dumps(record) + b"\n")
            return None
        if self.fields is not None and not record.keys() <= self.fields.keys():
            extra = ", ".join(repr(k) for k in record if k not in self.fields)
            return (f"field(s) {extra} not in this shard's Parquet schema (made from its "
                    f"first {PARQUET_ROWS} records); --output-format jsonl keeps every field")
        self.rows.append(record)
        if len(self.rows) >= PARQUET_ROWS:
            self._flush()
        return None

    def _flush(self) -> None:
        if not self.rows:
            return
        import pyarrow as pa
        import pyarrow.parquet as pq

        if self.fields is None:
            self.fields = dict.fromkeys(k for row in self.rows for k in row)
        names = list(self.fields)
        table = pa.Table.from_pylist([{k: row.get(k) for k in names} for row in self.rows])
        if self.parquet is None:
            self.parquet = pq.ParquetWriter(self.file.f, table.schema, compression="zstd")
        self.parquet.write_table(table.cast(self.parquet.schema))
        self.rows = []

    def commit(self) -> None:
        if self.fmt == "parquet":
            self._flush()
            if self.parquet is None:  # an empty shard still gets a valid file
                import pyarrow as pa
                import pyarrow.parquet as pq

                pq.write_table(pa.table({}), self.file.f)
            else:
                self.parquet.close()
        self.file.commit()

    def abort(self) -> None:
        self.file.abort()


# --- the run -----------------------------------------------------------------------------------


def run(inputs: Sequence[str | Path], out_dir: str | Path, *, jobs: int | None = None,
        options: Options | None = None, resume: bool = False,
        progress: bool | None = None, engine: str = "local",
        address: str | None = None) -> Summary:
    """Clean every record of ``inputs`` into ``out_dir``; see the module docstring.

    ``engine="ray"`` runs the cleaning on a Ray cluster (``address``, or a local one with
    ``jobs`` CPUs when Ray is not started yet); reading and writing stay here.
    """
    options = options or Options()
    all_shards = shards(inputs)  # a missing input stops the run before anything is made
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    jobs = jobs or os.cpu_count() or 1
    progress = sys.stderr.isatty() if progress is None else progress
    summary = Summary()
    meter = _Progress(sum(p.stat().st_size for s in all_shards for p in s.paths if p.exists()))
    started = time.perf_counter()
    pool = None
    if engine == "ray":
        import ray

        if not ray.is_initialized():
            ray.init(address=address, num_cpus=None if address else jobs,
                     include_dashboard=False, log_to_driver=False)
    elif jobs > 1:
        pool = WorkerPool(jobs, _init_worker, (options,), lost=_lost_record)
    else:
        _init_worker(options)
    try:
        for shard in all_shards:
            suffix = "parquet" if options.output_format == "parquet" else "jsonl"
            target = out / f"{shard.name}.{suffix}"
            size = sum(p.stat().st_size for p in shard.paths if p.exists())
            if resume and target.exists() and not _marker(out, shard).exists():
                summary.shards_skipped += 1
                meter.total = max(meter.total - size, 1)
                continue
            try:
                _run_shard(shard, target, out, pool, jobs, options, summary,
                           meter if progress else None, started, engine)
            except OSError as exc:  # reading faults are caught per shard: this is writing
                raise WriteError(
                    f"cannot write the output of {shard.name} ({exc}); nothing of it was "
                    f"kept, the {summary.shards_done} input(s) done before it are complete: "
                    "free space and run again with --resume to finish") from exc
            meter.done_before += size
            meter.raw = None
            summary.shards_done += 1
    except BaseException:
        if pool is not None:
            pool.terminate()
            pool = None
        raise
    finally:
        if pool is not None:
            summary.worker_restarts = pool.restarts
            pool.close()
        if progress:
            sys.stderr.write("\n")
    summary.seconds = time.perf_counter() - started
    if summary.records_in == 0 and summary.shards_skipped == 0:
        raise InputError("no records in " + ", ".join(map(str, inputs)) + ": nothing to clean")
    write_atomic(out / "summary.json", json.dumps(summary.to_dict(), indent=1) + "\n")
    return summary


def _marker(out: Path, shard: Shard) -> Path:
    """Present while a shard's output is short of its input (the input failed to read)."""
    return out / f"{shard.name}.incomplete"


def _run_shard(shard: Shard, target: Path, out: Path, pool: Any, jobs: int, options: Options,
               summary: Summary, progress: _Progress | None, started: float,
               engine: str = "local") -> None:
    import glob

    for name in (target.name, f"{shard.name}.report.jsonl", f"{shard.name}.errors.jsonl"):
        for stale in out.glob(f".{glob.escape(name)}.tmp-*"):  # left by a killed run
            stale.unlink(missing_ok=True)
    records = _RecordWriter(target, options.output_format)
    reports = _AtomicFile(out / f"{shard.name}.report.jsonl")
    errors = _AtomicFile(out / f"{shard.name}.errors.jsonl")
    results: Iterable[list[Any]]
    fault = _ReadFault()
    tasks = fault.guard(_tasks(shard, progress))
    if engine == "ray":
        results = _ray_results(tasks, options, jobs)
    else:
        chunks = _chunks(tasks, CHUNK)
        results = run_ordered(pool, _clean_chunk, chunks, jobs * IN_FLIGHT_PER_JOB)
    try:
        for chunk in results:
            for record, report, error in chunk:
                summary.records_in += 1
                if error is not None:
                    summary.records_failed += 1
                    errors.write(_dumps({"shard": shard.name, **error}) + b"\n")
                    continue
                unwritable = records.add(record)
                if unwritable is not None:
                    summary.records_failed += 1
                    errors.write(_dumps({"shard": shard.name, "index": report["index"],
                                         "id": report["id"], "error": unwritable}) + b"\n")
                    continue
                summary.records_out += 1
                reports.write(_dumps({"shard": shard.name, **report}) + b"\n")
                summary.chars_in += report["chars_in"]
                summary.chars_out += report["chars_out"]
                summary.edits_by_category.update(report["counts"])
                summary.chars_by_category.update(report["chars_removed"])
                for e in report["edits"]:
                    if e["category"] == "whitespace":
                        continue
                    summary.edits_by_rule[e["rule"]] += 1
                    summary.chars_by_rule[e["rule"]] += len(e["text"]) - len(e["replacement"])
            if progress is not None:
                elapsed = max(time.perf_counter() - started, 1e-9)
                done = progress.fraction()
                eta = elapsed * (1 - done) / done if done > 0 else 0.0
                sys.stderr.write(f"\r{shard.name}: {summary.records_in:,} records, "
                                 f"{summary.records_in / elapsed:,.0f}/s, "
                                 f"{summary.records_failed:,} failed, {100 * done:.0f}%, "
                                 f"ETA {int(eta // 60)}:{int(eta % 60):02d}  ")
                sys.stderr.flush()
    except BaseException:
        records.abort()
        reports.abort()
        errors.abort()
        raise
    marker = _marker(out, shard)
    if fault.error is not None:
        message = f"input could not be read to the end: {fault.error}"
        errors.write(_dumps({"shard": shard.name, "index": None, "id": None,
                             "error": message}) + b"\n")
        summary.shard_errors.append(f"{shard.name}: {message}")
        # The records read are kept; the marker makes a resume read the shard again (the
        # file may be readable by then: a permission fixed, a download finished).
        marker.write_text(message + "\n", encoding="utf-8")
    # The records file last: its presence marks the shard done (see resume).
    errors.commit()
    reports.commit()
    records.commit()
    if fault.error is None:
        marker.unlink(missing_ok=True)


# --- the library entry for columnar batches ------------------------------------------------------


def clean_arrow(table: Any, *, text_field: str = "text", config: Config | None = None) -> Any:
    """An Arrow table in, the same table out with its text column cleaned and the report
    columns of :func:`clean_columns` added; engine-free, for Spark's ``mapInArrow``, Dask's
    ``map_partitions`` or Ray's ``map_batches``. The cleaner is built once per process."""
    import pyarrow as pa

    return pa.Table.from_pydict(clean_columns(table.to_pydict(), text_field=text_field,
                                              cleaner=_cached_cleaner(config or Config())))


def clean_ray_dataset(ds: Any, *, text_field: str = "text", config: Config | None = None,
                      batch_size: int = CHUNK) -> Any:
    """A ``ray.data.Dataset`` in, the same dataset cleaned out (text column cleaned, report
    columns added), through ``map_batches`` over :func:`clean_arrow`: tasks, one cleaner per
    worker process."""
    return ds.map_batches(_clean_arrow_batch, batch_format="pyarrow", batch_size=batch_size,
                          fn_kwargs={"text_field": text_field, "config": config or Config()},
                          num_cpus=1)


def _clean_arrow_batch(table: Any, text_field: str, config: Config) -> Any:
    return clean_arrow(table, text_field=text_field, config=config)


def _cached_cleaner(config: Config) -> Cleaner:
    from .pipeline import _default_cleaner

    return _default_cleaner(config)


def clean_columns(batch: Mapping[str, Sequence[Any]], *, text_field: str = "text",
                  cleaner: Cleaner | None = None) -> dict[str, list[Any]]:
    """Clean a batch given as columns (what ``datasets.Dataset.map(batched=True)``, pandas and
    pyarrow give): the text column cleaned, the other columns as they were, and three report
    columns: ``cleaner_chars_removed``, ``cleaner_edits`` (JSON) and ``cleaner_error``.
    Without ``cleaner``, one default cleaner shared by every call in the process does the work
    (``datasets.map`` calls this once per batch: its rules are compiled once, not per batch).

    >>> out = clean_columns({"id": [1, 2], "text": ["Advertisement\\n\\nTalks ended .", None]})
    >>> out["text"], out["cleaner_error"]
    (['Talks ended.', None], [None, "no text in 'text'"])
    """
    cleaner = cleaner or _cached_cleaner(Config())
    texts = list(batch[text_field])
    out: dict[str, list[Any]] = {k: list(v) for k, v in batch.items()}
    removed: list[int | None] = []
    edits: list[str | None] = []
    errors: list[str | None] = []
    for k, text in enumerate(texts):
        if not isinstance(text, str):
            removed.append(None)
            edits.append(None)
            errors.append(f"no text in {text_field!r}")
            continue
        try:
            result = cleaner.clean(text)
        except Exception as exc:  # noqa: BLE001 - a record's failure is reported, not raised
            removed.append(None)
            edits.append(None)
            errors.append(f"{type(exc).__name__}: {exc}")
            continue
        out[text_field][k] = result.text
        removed.append(len(result.original) - len(result.text))
        edits.append(json.dumps([e.to_dict() for e in result.edits if e.category != "whitespace"],
                                ensure_ascii=False))
        errors.append(None)
    out["cleaner_chars_removed"] = removed
    out["cleaner_edits"] = edits
    out["cleaner_error"] = errors
    return out
