"""Batch jobs: every record comes out once, cleaned or with its error; the same output
whatever the number of jobs; a killed run leaves no half file and resumes to the same files."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from cleaner.batch import Options, run

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds" / "input").glob("*.txt"))
PAGE = ("<html><head><title>Talks</title></head><body><article><p>"
        + "Officials said the talks would resume in Geneva on Monday morning. " * 5
        + "</p><p>Advertisement</p></article></body></html>")


def _corpus(folder: Path) -> tuple[list[Path], int, int]:
    """Inputs with every kind of bad record mixed in: (paths, records in, records bad)."""
    seeds = [p.read_text(encoding="utf-8") for p in SEEDS]
    good = [{"id": f"r{k}", "text": seeds[k % len(seeds)], "lang": "en", "n": k} for k in range(40)]
    lines = [json.dumps(r, ensure_ascii=False).encode() for r in good]
    bad = [b'{"id": "broken", "text": "unterminated',   # bad JSON
           b'["a", "list"]',                              # not an object
           b'{"id": "no-text", "body": "x"}',             # missing field
           b'{"id": "number", "text": 42}',               # not text
           b'{"id": "bytes", "text": "caf\xe9"}']          # undecodable bytes
    mixed = lines[:10] + bad[:2] + lines[10:25] + bad[2:] + lines[25:]
    mixed.insert(5, json.dumps({"id": "page", "text": PAGE}).encode())
    mixed.insert(7, json.dumps({"id": "empty-page", "text": "<html><body></body></html>"}).encode())
    plain = folder / "plain.jsonl"
    plain.write_bytes(b"\n".join(mixed) + b"\n")
    gz = folder / "packed.jsonl.gz"
    gz.write_bytes(gzip.compress(b"\n".join(lines[:7]) + b"\n"))
    import pyarrow as pa
    import pyarrow.parquet as pq
    import zstandard

    zst = folder / "squeezed.jsonl.zst"
    zst.write_bytes(zstandard.ZstdCompressor().compress(b"\n".join(lines[7:12]) + b"\n"))
    parquet = folder / "table.parquet"
    pq.write_table(pa.Table.from_pylist(good[:6]), parquet)
    files = folder / "pages"
    files.mkdir()
    (files / "a.txt").write_text(seeds[0], encoding="utf-8")
    (files / "b.html").write_text(PAGE, encoding="utf-8")
    (files / "c.txt").write_bytes(b"caf\xe9 au lait")  # undecodable
    inputs = [plain, gz, zst, parquet, files]
    n_in = len(mixed) + 7 + 5 + 6 + 3
    n_bad = 5 + 1 + 1  # the five bad lines, the empty page, the undecodable file
    return inputs, n_in, n_bad


def _read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_every_record_comes_out_once_cleaned_or_with_its_error(tmp_path: Path) -> None:
    inputs, n_in, n_bad = _corpus(tmp_path)
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, "-m", "cleaner.cli", "batch", *map(str, inputs),
                           "-o", str(out), "-j", "2"], capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert f"{n_in} records in, {n_in - n_bad} out, {n_bad} failed".encode() in done.stderr
    records = [r for p in sorted(out.glob("*.jsonl")) if not p.name.endswith(
        (".report.jsonl", ".errors.jsonl")) for r in _read_jsonl(p)]
    errors = [e for p in sorted(out.glob("*.errors.jsonl")) for e in _read_jsonl(p)]
    assert len(records) + len(errors) == n_in
    plain = _read_jsonl(out / "plain.jsonl")
    ids = [r["id"] for r in plain]
    assert len(ids) == len(set(ids))
    # Other fields pass through untouched; the text is cleaned.
    first = next(r for r in plain if r["id"] == "r0")
    assert first["lang"] == "en" and first["n"] == 0
    assert first["text"] + "\n" == (ROOT / "seeds" / "expected" / SEEDS[0].name).read_text("utf-8")
    assert "Advertisement" not in next(r for r in plain if r["id"] == "page")["text"]
    reasons = {e["id"]: e["error"] for e in errors}
    assert reasons["no-text"] == "no 'text' field"
    # A line that does not parse has no id to give: its error carries the raw line.
    broken = [e for e in errors if '"broken"' in e.get("raw", "")]
    assert len(broken) == 1 and broken[0]["error"].startswith("bad JSON line")
    assert "not valid UTF-8" in reasons["c.txt"]
    assert reasons["empty-page"].startswith("HTML:")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert (summary["records_in"], summary["records_failed"]) == (n_in, n_bad)
    assert summary["records_out"] + summary["records_failed"] == summary["records_in"]
    assert summary["edits_by_category"]["ad"] > 0 and summary["chars_removed_by_rule"]["ad.marker"] > 0


def test_output_is_the_same_whatever_the_number_of_jobs(tmp_path: Path) -> None:
    inputs, _, _ = _corpus(tmp_path)
    run(inputs, tmp_path / "one", jobs=1)
    run(inputs, tmp_path / "two", jobs=2)
    for path in sorted((tmp_path / "one").glob("*.jsonl")):
        assert path.read_bytes() == (tmp_path / "two" / path.name).read_bytes(), path.name


def test_parquet_output_keeps_the_records_in_order(tmp_path: Path) -> None:
    import pyarrow.parquet as pq

    inputs, _, _ = _corpus(tmp_path)
    run([inputs[3]], tmp_path / "pq", jobs=1, options=Options(output_format="parquet"))
    table = pq.read_table(tmp_path / "pq" / "table.parquet")
    assert table.column("id").to_pylist() == [f"r{k}" for k in range(6)]
    assert table.column("n").to_pylist() == list(range(6))


def test_killed_run_leaves_no_whole_looking_file_and_resume_finishes_it(tmp_path: Path) -> None:
    text = (ROOT / "seeds" / "input" / "003_f1cc23f9fc5eda1c.txt").read_text(encoding="utf-8")
    small = tmp_path / "a-small.jsonl"
    small.write_text("".join(json.dumps({"id": f"s{k}", "text": text}) + "\n" for k in range(20)),
                     encoding="utf-8")
    big = tmp_path / "b-big.jsonl"
    big.write_text("".join(json.dumps({"id": f"b{k}", "text": text}) + "\n" for k in range(12_000)),
                   encoding="utf-8")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "cleaner.cli", "batch", str(small), str(big), "-o", str(out),
           "-j", "1", "--no-progress"]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + 60
    while not (out / "a-small.jsonl").exists() and time.time() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    assert (out / "a-small.jsonl").exists()
    assert not (out / "b-big.jsonl").exists(), "a killed shard must not look complete"
    done = subprocess.run([*cmd, "--resume"], capture_output=True, timeout=600)
    assert done.returncode == 0, done.stderr
    assert b"1 skipped" in done.stderr
    full = tmp_path / "full"
    run([small, big], full, jobs=1, progress=False)
    for name in ("a-small.jsonl", "b-big.jsonl", "b-big.report.jsonl", "b-big.errors.jsonl"):
        assert (out / name).read_bytes() == (full / name).read_bytes(), name


def test_batch_command_fails_only_when_it_cannot_run(tmp_path: Path) -> None:
    bad_pack = tmp_path / "bad.toml"
    bad_pack.write_text("[pack]\nname='x'\nstage='nowhere'\n", encoding="utf-8")
    out = subprocess.run([sys.executable, "-m", "cleaner.cli", "batch", str(SEEDS[0].parent),
                          "-o", str(tmp_path / "o"), "--rules", str(bad_pack)],
                         capture_output=True, timeout=120)
    assert out.returncode == 2 and b"stage must be one of" in out.stderr
    ok = subprocess.run([sys.executable, "-m", "cleaner.cli", "batch", str(SEEDS[0].parent),
                         "-o", str(tmp_path / "o"), "-j", "1"], capture_output=True, timeout=120)
    assert ok.returncode == 0 and b"5 records in, 5 out, 0 failed" in ok.stderr


@pytest.mark.parametrize("jobs", [1, 2])
def test_columns_entry_matches_the_file_path(jobs: int) -> None:
    from cleaner.batch import clean_columns

    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    out = clean_columns({"id": list(range(len(texts))), "text": texts})
    assert [t + "\n" for t in out["text"]] == [
        (ROOT / "seeds" / "expected" / p.name).read_text(encoding="utf-8") for p in SEEDS]
    assert out["cleaner_error"] == [None] * len(texts)


@pytest.fixture(scope="session")
def ray_cluster(tmp_path_factory):
    """One local Ray cluster for the session: 2 CPUs, no dashboard, a small object store."""
    ray = pytest.importorskip("ray")
    ray.init(num_cpus=2, include_dashboard=False, object_store_memory=128 * 1024 * 1024,
             _temp_dir=str(tmp_path_factory.mktemp("ray")), log_to_driver=False)
    yield ray
    ray.shutdown()


@pytest.mark.timeout(300)
def test_ray_engine_output_equals_the_local_output(tmp_path: Path, ray_cluster) -> None:
    inputs, n_in, n_bad = _corpus(tmp_path)
    local = run(inputs, tmp_path / "local", jobs=1, progress=False)
    remote = run(inputs, tmp_path / "ray", jobs=2, progress=False, engine="ray")
    assert (remote.records_in, remote.records_failed) == (local.records_in, local.records_failed)
    for path in sorted((tmp_path / "local").glob("*.jsonl")):
        assert path.read_bytes() == (tmp_path / "ray" / path.name).read_bytes(), path.name


@pytest.mark.timeout(300)
def test_ray_dataset_in_cleaned_dataset_out(ray_cluster) -> None:
    from cleaner.batch import clean_columns, clean_ray_dataset

    texts = [p.read_text(encoding="utf-8") for p in SEEDS] * 3
    ds = ray_cluster.data.from_items([{"id": k, "text": t} for k, t in enumerate(texts)])
    rows = sorted(clean_ray_dataset(ds).take_all(), key=lambda r: r["id"])
    local = clean_columns({"id": list(range(len(texts))), "text": texts})
    assert [r["text"] for r in rows] == local["text"]
    assert [r["cleaner_error"] for r in rows] == [None] * len(texts)


def test_corrupt_or_unreadable_input_is_reported_and_the_run_goes_on(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import cleaner.batch

    text = SEEDS[0].read_text(encoding="utf-8")
    whole = b"".join(json.dumps({"id": f"g{k}", "text": text}).encode() + b"\n" for k in range(3000))
    corrupt = tmp_path / "a-corrupt.jsonl.gz"
    packed = gzip.compress(whole)
    corrupt.write_bytes(packed[: len(packed) // 2])  # a truncated member
    missing = tmp_path / "b-missing.jsonl"  # there when the run starts, gone when it gets there
    missing.write_bytes(whole)
    fine = tmp_path / "c-fine.jsonl"
    fine.write_bytes(whole[: whole.index(b"\n") + 1])
    read = cleaner.batch._tasks

    def vanishing(shard, progress=None):
        if shard.name == "b-missing":
            missing.unlink(missing_ok=True)
        return read(shard, progress)

    monkeypatch.setattr(cleaner.batch, "_tasks", vanishing)
    summary = run([corrupt, missing, fine], tmp_path / "out", jobs=1, progress=False)
    monkeypatch.setattr(cleaner.batch, "_tasks", read)
    assert len(summary.shard_errors) == 2
    out = tmp_path / "out"
    kept = _read_jsonl(out / "a-corrupt.jsonl")
    assert 0 < len(kept) < 3000 and [r["id"] for r in kept] == [f"g{k}" for k in range(len(kept))]
    assert "could not be read" in (out / "a-corrupt.errors.jsonl").read_text(encoding="utf-8")
    assert len(_read_jsonl(out / "c-fine.jsonl")) == 1
    # The file turns up (a download finished, a permission fixed): a resume reads it, and
    # leaves the shards that were whole alone.
    missing.write_bytes(whole[:2 * (whole.index(b"\n") + 1)])
    again = run([corrupt, missing, fine], out, jobs=1, progress=False, resume=True)
    assert again.shards_skipped == 1  # c-fine; the two short shards are read again
    assert len(_read_jsonl(out / "b-missing.jsonl")) == 2
    assert not (out / "b-missing.incomplete").exists()
    assert (out / "a-corrupt.incomplete").exists()  # still short: it cannot be read further


def _poison(items: list[str]) -> list[str]:
    """Dies, as a segfault or the out-of-memory killer would, on the item "poison"."""
    import os

    if "poison" in items:
        os.kill(os.getpid(), signal.SIGKILL)
    return [i.upper() for i in items]


def test_a_record_that_kills_its_worker_every_time_becomes_an_error_and_the_rest_go_on() -> None:
    from cleaner.workers import WorkerPool

    lost: list[str] = []

    def stand_in(item: str, reason: str) -> list[str]:
        lost.append(reason)
        return [f"lost:{item}"]

    pool: WorkerPool[str, list[str]] = WorkerPool(2, _noop, lost=stand_in)
    try:
        chunks = [["a", "b"], ["c", "poison", "d"], ["e"], ["f", "g"], ["h"]]
        out = [x for r in pool.map_ordered(_poison, chunks, in_flight=3) for x in r]
    finally:
        pool.close()
    assert out == ["A", "B", "C", "lost:poison", "D", "E", "F", "G", "H"]
    assert len(lost) == 1 and "died" in lost[0]
    assert pool.restarts >= 2  # the chunk in the pool, then alone, then the record alone


def test_a_worker_that_dies_between_two_submissions_costs_no_chunk() -> None:
    import time

    from cleaner.workers import WorkerPool

    pool: WorkerPool[str, list[str]] = WorkerPool(1, _noop, lost=lambda item, why: [f"lost:{item}"])

    def chunks():
        yield ["poison"]
        # Hand over the next chunk only once the pool has seen its worker die, so that it
        # is submitted to a broken pool.
        deadline = time.monotonic() + 30
        while not getattr(pool._executor, "_broken", True) and time.monotonic() < deadline:
            time.sleep(0.01)
        yield ["a"]
        yield ["b"]

    try:
        out = [x for r in pool.map_ordered(_poison, chunks(), in_flight=3) for x in r]
    finally:
        pool.close()
    assert out == ["lost:poison", "A", "B"]


def _noop() -> None:
    pass


def _children(pid: int) -> list[int]:
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            kids.append(int(stat.parent.name))
    return kids


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc to find workers")
def test_a_worker_killed_mid_run_costs_no_record(tmp_path: Path) -> None:
    text = (ROOT / "seeds" / "input" / "003_f1cc23f9fc5eda1c.txt").read_text(encoding="utf-8")
    big = tmp_path / "big.jsonl"
    big.write_text("".join(json.dumps({"id": f"b{k}", "text": text}) + "\n"
                           for k in range(8_000)), encoding="utf-8")
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "cleaner.cli", "batch", str(big), "-o",
                             str(out), "-j", "2", "--no-progress"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    killed = None
    deadline = time.time() + 120
    while killed is None and time.time() < deadline and proc.poll() is None:
        time.sleep(0.5)
        workers = [p for p in _children(proc.pid)
                   if b"spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes()]
        if len(workers) == 2 and any(out.glob(".big.jsonl.tmp-*")):
            time.sleep(1.0)  # let it get going
            os.kill(workers[0], signal.SIGKILL)
            killed = workers[0]
    _, err = proc.communicate(timeout=600)
    assert killed is not None, "the run ended before a worker could be killed"
    assert proc.returncode == 0, err
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    assert summary["worker_restarts"] >= 1
    assert (summary["records_in"], summary["records_out"]) == (8_000, 8_000)
    full = tmp_path / "full"
    run([big], full, jobs=1, progress=False)
    for name in ("big.jsonl", "big.report.jsonl", "big.errors.jsonl"):
        assert (out / name).read_bytes() == (full / name).read_bytes(), name


def _file_size_limit(limit: int) -> Callable[[], None]:
    def apply() -> None:
        import resource

        # Ignored, the signal becomes an EFBIG error on write, as a full disk gives ENOSPC.
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


@pytest.mark.skipif(not hasattr(signal, "SIGXFSZ"), reason="needs POSIX file size limits")
def test_a_full_disk_stops_the_run_keeps_whole_shards_and_resume_finishes(tmp_path: Path) -> None:
    text = (ROOT / "seeds" / "input" / "003_f1cc23f9fc5eda1c.txt").read_text(encoding="utf-8")
    small = tmp_path / "a-small.jsonl"
    small.write_text("".join(json.dumps({"id": f"s{k}", "text": text}) + "\n" for k in range(5)),
                     encoding="utf-8")
    big = tmp_path / "b-big.jsonl"
    big.write_text("".join(json.dumps({"id": f"b{k}", "text": text}) + "\n" for k in range(400)),
                   encoding="utf-8")
    out = tmp_path / "out"
    cmd = [sys.executable, "-m", "cleaner.cli", "batch", str(small), str(big), "-o", str(out),
           "-j", "1", "--no-progress"]
    full_disk = subprocess.run(cmd, capture_output=True, timeout=300,
                               preexec_fn=_file_size_limit(200_000))
    assert full_disk.returncode == 2
    assert b"cannot write the output of b-big" in full_disk.stderr
    assert b"--resume" in full_disk.stderr
    assert len(_read_jsonl(out / "a-small.jsonl")) == 5
    assert not (out / "b-big.jsonl").exists()
    assert not list(out.glob(".*tmp-*")), "a failed write leaves no temporary file behind"
    done = subprocess.run([*cmd, "--resume"], capture_output=True, timeout=300)
    assert done.returncode == 0, done.stderr
    assert b"1 skipped" in done.stderr
    full = tmp_path / "full"
    run([small, big], full, jobs=1, progress=False)
    for name in ("a-small.jsonl", "b-big.jsonl", "b-big.report.jsonl"):
        assert (out / name).read_bytes() == (full / name).read_bytes(), name


def _broken_setup() -> None:
    raise RuntimeError("this worker cannot start")


def test_workers_that_cannot_start_stop_the_run_instead_of_failing_every_record() -> None:
    from cleaner.errors import WorkersFailed
    from cleaner.workers import WorkerPool

    pool: WorkerPool[str, list[str]] = WorkerPool(2, _broken_setup, lost=lambda i, r: [r])
    try:
        with pytest.raises(WorkersFailed, match="as soon as they start"):
            list(pool.map_ordered(_poison, [["a"], ["b"]], in_flight=2))
    finally:
        pool.terminate()
