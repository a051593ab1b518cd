"""The command as users run it: exit codes that mean something, outputs written whole or not
at all, workers that die with their parent, Ctrl-C, gzipped inputs, the version."""

from __future__ import annotations

import gzip
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import cleaner

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "input" / "003_f1cc23f9fc5eda1c.txt"
EXPECTED = ROOT / "seeds" / "expected" / "003_f1cc23f9fc5eda1c.txt"


def cli(*args: str | Path, stdin: bytes = b"", cwd: Path | None = None
        ) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "cleaner", *map(str, args)], input=stdin,
                          capture_output=True, timeout=300, cwd=cwd)


def _records(path: Path, n: int) -> Path:
    text = SEED.read_text(encoding="utf-8")
    path.write_text("".join(json.dumps({"id": f"r{k}", "text": text}) + "\n" for k in range(n)),
                    encoding="utf-8")
    return path


def test_version_is_printed_by_the_command_and_the_module() -> None:
    out = cli("--version")
    assert out.returncode == 0
    assert out.stdout.decode().strip() == f"cleaner {cleaner.__version__}"


def test_top_level_help_names_every_command() -> None:
    text = cli("--help").stdout.decode()
    for command in ("batch", "learn", "review", "rules"):
        assert f"cleaner {command}" in text


def test_batch_of_a_missing_input_fails_naming_it_and_makes_nothing(tmp_path: Path) -> None:
    out = cli("batch", tmp_path / "nosuch.jsonl", "-o", tmp_path / "out")
    assert out.returncode == 2
    assert b"nosuch.jsonl: no such file or folder" in out.stderr
    assert not (tmp_path / "out").exists()


def test_batch_of_a_folder_with_nothing_to_read_fails(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "notes.pdf").write_bytes(b"%PDF")
    out = cli("batch", tmp_path / "empty", "-o", tmp_path / "out")
    assert out.returncode == 2 and b"the folder holds no .txt or .html file" in out.stderr


def test_batch_of_a_glob_that_matches_nothing_fails(tmp_path: Path) -> None:
    out = cli("batch", str(tmp_path / "*.jsonl"), "-o", tmp_path / "out")
    assert out.returncode == 2 and b"matches" in out.stderr


def test_batch_of_inputs_without_a_single_record_fails(tmp_path: Path) -> None:
    (tmp_path / "empty.jsonl").write_bytes(b"\n\n")
    out = cli("batch", tmp_path / "empty.jsonl", "-o", tmp_path / "out")
    assert out.returncode == 2 and b"no records in" in out.stderr
    assert not (tmp_path / "out" / "summary.json").exists()


def test_learn_from_a_missing_input_leaves_the_existing_pack_alone(tmp_path: Path) -> None:
    pack = tmp_path / "site-rules.toml"
    pack.write_text("# reviewed by hand\n", encoding="utf-8")
    out = cli("learn", tmp_path / "nosuch.jsonl", "-o", pack)
    assert out.returncode == 2 and b"nosuch.jsonl" in out.stderr
    assert pack.read_text(encoding="utf-8") == "# reviewed by hand\n"
    (tmp_path / "empty.jsonl").write_bytes(b"")
    out = cli("learn", tmp_path / "empty.jsonl", "-o", pack, "-j", "1")
    assert out.returncode == 2 and b"no records in" in out.stderr
    assert pack.read_text(encoding="utf-8") == "# reviewed by hand\n"


def test_review_of_nothing_usable_fails_and_keeps_the_old_page(tmp_path: Path) -> None:
    page = tmp_path / "review.html"
    page.write_text("old page", encoding="utf-8")
    bad = tmp_path / "bad.report.json"
    bad.write_text("{not json", encoding="utf-8")
    out = cli("review", bad, "-o", page)
    assert out.returncode == 1 and page.read_text(encoding="utf-8") == "old page"
    out = cli("review", tmp_path / "missing.report.json", "-o", page)
    assert out.returncode == 2 and page.read_text(encoding="utf-8") == "old page"


@pytest.mark.parametrize("option", [("--time-limit", "-1"), ("--time-limit", "0"),
                                    ("--max-chars", "0"), ("--rule-timeout", "nan"),
                                    ("-j", "0")])
def test_a_limit_that_cannot_be_meant_is_refused(option: tuple[str, str]) -> None:
    args = ("batch", "x", "-o", "y", *option) if option[0] == "-j" else option
    out = cli(*args, stdin=b"text")
    assert out.returncode == 2 and option[0].encode() in out.stderr


def test_config_refuses_limits_that_cannot_be_meant() -> None:
    for bad in ({"time_limit": -1}, {"time_limit": 0}, {"max_chars": 0}, {"max_chars": 2.5}):
        with pytest.raises(ValueError):
            cleaner.Config(**bad)  # type: ignore[arg-type]


def test_a_gzipped_file_is_read_as_its_contents(tmp_path: Path) -> None:
    packed = tmp_path / "003.txt.gz"
    packed.write_bytes(gzip.compress(SEED.read_bytes()))
    out = cli(packed)
    assert out.returncode == 0, out.stderr
    assert out.stdout.decode() == EXPECTED.read_text(encoding="utf-8")
    cli(packed, "-o", tmp_path / "out")
    assert (tmp_path / "out" / "003.txt").read_text(encoding="utf-8") == \
        EXPECTED.read_text(encoding="utf-8")


def test_a_corrupt_gzip_file_is_a_clear_error(tmp_path: Path) -> None:
    bad = tmp_path / "page.html.gz"
    bad.write_bytes(gzip.compress(b"<html>" * 1000)[:40])
    out = cli(bad)
    assert out.returncode == 1 and b"not a readable gzip file" in out.stderr


def test_folders_of_gzipped_pages_and_texts_are_read(tmp_path: Path) -> None:
    pages = tmp_path / "pages"
    pages.mkdir()
    page = ("<html><head><title>Talks in Geneva</title>"
            '<meta name="author" content="Jane Doe"></head><body><article><p>'
            + "Officials said the talks would resume in Geneva on Monday morning. " * 5
            + "</p></article></body></html>")
    (pages / "a.html.gz").write_bytes(gzip.compress(page.encode()))
    (pages / "b.txt.gz").write_bytes(gzip.compress(SEED.read_bytes()))
    out = cli("batch", pages, "-o", tmp_path / "out", "-j", "1")
    assert out.returncode == 0, out.stderr
    records = [json.loads(line) for line in
               (tmp_path / "out" / "pages.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [r["id"] for r in records] == ["a.html.gz", "b.txt.gz"]
    assert records[0]["page_title"] == "Talks in Geneva"
    assert records[0]["page_author"] == "Jane Doe"
    assert records[1]["text"] + "\n" == EXPECTED.read_text(encoding="utf-8")


def test_batch_reports_carry_the_metadata_the_single_document_report_has(tmp_path: Path) -> None:
    corpus = _records(tmp_path / "c.jsonl", 2)
    out = cli("batch", corpus, "-o", tmp_path / "out", "-j", "1")
    assert out.returncode == 0, out.stderr
    report = json.loads((tmp_path / "out" / "c.report.jsonl").read_text(
        encoding="utf-8").splitlines()[0])
    single = cleaner.clean(SEED.read_text(encoding="utf-8"))
    assert report["metadata"] == [m.to_dict() for m in single.metadata]
    assert {m["kind"] for m in report["metadata"]} >= {"date", "byline"}


def test_parquet_output_keeps_fields_the_first_record_lacks(tmp_path: Path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    corpus = tmp_path / "mixed.jsonl"
    corpus.write_text(json.dumps({"id": "a", "text": "One."}) + "\n"
                      + json.dumps({"id": "b", "text": "Two.", "lang": "en"}) + "\n",
                      encoding="utf-8")
    out = cli("batch", corpus, "-o", tmp_path / "out", "--output-format", "parquet", "-j", "1")
    assert out.returncode == 0, out.stderr
    rows = pq.read_table(tmp_path / "out" / "mixed.parquet").to_pylist()
    assert rows == [{"id": "a", "text": "One.", "lang": None},
                    {"id": "b", "text": "Two.", "lang": "en"}]


def _workers_of(pid: int) -> list[int]:
    from test_batch import _children

    return [p for p in _children(pid)
            if b"spawn_main" in Path(f"/proc/{p}/cmdline").read_bytes()]


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _start_batch(tmp_path: Path, records: int = 20_000) -> tuple[subprocess.Popen[bytes], Path,
                                                                   list[int]]:
    corpus = _records(tmp_path / "big.jsonl", records)
    out = tmp_path / "out"
    proc = subprocess.Popen([sys.executable, "-m", "cleaner", "batch", str(corpus), "-o",
                             str(out), "-j", "2", "--no-progress"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    workers: list[int] = []
    while time.monotonic() < deadline and proc.poll() is None:
        workers = _workers_of(proc.pid)
        if len(workers) == 2 and any(out.glob(".big.jsonl.tmp-*")):
            return proc, out, workers
        time.sleep(0.2)
    proc.kill()
    pytest.fail("the batch never got going")


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc to find workers")
def test_workers_die_with_a_parent_killed_by_sigkill(tmp_path: Path) -> None:
    proc, _, workers = _start_batch(tmp_path)
    proc.kill()
    proc.wait(timeout=30)
    deadline = time.monotonic() + 5
    while any(map(_alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [w for w in workers if _alive(w)], "workers outlived their parent"


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="reads /proc to find workers")
def test_ctrl_c_ends_a_batch_with_one_line_and_exit_130(tmp_path: Path) -> None:
    proc, out, workers = _start_batch(tmp_path)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130
    assert err.decode().strip() == "cleaner: interrupted"
    assert not list(out.glob(".*.tmp-*")), "temporary files left behind"
    assert not (out / "big.jsonl").exists()
    deadline = time.monotonic() + 5
    while any(map(_alive, workers)) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not [w for w in workers if _alive(w)]


def test_every_stage_is_announced_to_a_progress_callback() -> None:
    seen: list[str] = []
    cleaner.clean("Advertisement\n\nThe talks ended .", progress=seen.append)
    assert seen[:3] == ["controls", "entities", "artifacts"] and "whitespace" in seen


def test_clean_columns_shares_one_cleaner_across_calls(monkeypatch: pytest.MonkeyPatch) -> None:
    from cleaner import pipeline
    from cleaner.batch import clean_columns

    clean_columns({"text": ["Advertisement\n\nOne."]})
    built: list[object] = []
    original = pipeline.Cleaner.__init__

    def counting(self: pipeline.Cleaner, *args: object, **kwargs: object) -> None:
        built.append(self)
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(pipeline.Cleaner, "__init__", counting)
    for _ in range(3):
        assert clean_columns({"text": ["Advertisement\n\nOne."]})["text"] == ["One."]
    assert built == []


def test_output_files_are_written_whole_or_not_at_all(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    from cleaner.files import write_atomic

    target = tmp_path / "pack.toml"
    target.write_text("old", encoding="utf-8")

    def failing_replace(src: str, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError):
        write_atomic(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["pack.toml"]


def test_language_given_on_the_command_line_fixes_it_for_the_document() -> None:
    # "Weiter" alone is German furniture (a pager's "next"), a word in other languages: it
    # goes when the document is German, and stays when it is declared English.
    text = ("Die Gespräche sollen am Montag in Genf fortgesetzt werden, teilten die Beamten "
            "am Abend mit.\n\nWeiter\n").encode()
    german = cli("--language", "DE", "--format", "json", stdin=text)
    english = cli("--language", "en", "--format", "json", stdin=text)
    assert german.returncode == english.returncode == 0
    assert json.loads(german.stdout)["language"] == "de"
    assert "Weiter" not in json.loads(german.stdout)["text"]
    assert "Weiter" in json.loads(english.stdout)["text"]
    bad = cli("--language", "12", stdin=text)
    assert bad.returncode == 2 and b"language must be" in bad.stderr
