"""The command line: stdin to stdout, reports, JSON output, rules list/show/check."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner.cli import main

SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def run(args: list[str], stdin: str | bytes = b"") -> subprocess.CompletedProcess:
    data = stdin.encode() if isinstance(stdin, str) else stdin
    return subprocess.run([sys.executable, "-m", "cleaner.cli", *args], input=data,
                          capture_output=True, timeout=120)


def test_stdin_to_stdout() -> None:
    out = run([], "Advertisement\n\nThe talks ended .\n")
    assert out.returncode == 0
    assert out.stdout.decode() == "The talks ended.\n"


def test_file_in_report_out(tmp_path: Path) -> None:
    report = tmp_path / "r.json"
    src = SEEDS / "input" / "003_f1cc23f9fc5eda1c.txt"
    out = run([str(src), "--report", str(report)])
    assert out.returncode == 0
    assert out.stdout.decode() == (SEEDS / "expected" / src.name).read_text(encoding="utf-8")
    data = json.loads(report.read_text(encoding="utf-8"))
    assert {e["category"] for e in data["edits"]} >= {"ad", "related", "byline", "metadata"}


def test_json_format_carries_text_and_report() -> None:
    data = json.loads(run(["--format", "json"], "Tripoli .").stdout)
    assert data["text"] == "Tripoli."
    assert data["edits"][0]["rule"] == "punctuation.space-before-period"


def test_disable_from_the_command_line() -> None:
    out = run(["--disable", "ad,punctuation"], "Advertisement\n\nThe talks ended .")
    assert out.stdout.decode() == "Advertisement\n\nThe talks ended .\n"


def test_several_files_go_to_an_output_folder(tmp_path: Path) -> None:
    files = sorted(str(p) for p in (SEEDS / "input").glob("*.txt"))
    out = run([*files, "-o", str(tmp_path)])
    assert out.returncode == 0
    for f in files:
        stem = Path(f).stem
        assert (tmp_path / f"{stem}.txt").read_text(encoding="utf-8") == \
            (SEEDS / "expected" / f"{stem}.txt").read_text(encoding="utf-8")
        assert json.loads((tmp_path / f"{stem}.report.json").read_text(encoding="utf-8"))["edits"]


def test_undecodable_input_is_a_clear_error_not_a_crash() -> None:
    out = run([], b"caf\xe9 au lait")
    assert out.returncode == 1
    assert b"not valid utf-8 at byte 3" in out.stderr


def test_missing_file_is_reported_and_the_others_still_run(tmp_path: Path) -> None:
    good = SEEDS / "input" / "000_270d660cbd907ec1.txt"
    out = run([str(good), str(tmp_path / "missing.txt"), "-o", str(tmp_path)])
    assert out.returncode == 1
    assert (tmp_path / "000_270d660cbd907ec1.txt").exists()
    assert b"1 of 2 input(s) failed" in out.stderr


def test_rules_list_show_and_check(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "list"]) == 0
    listing = capsys.readouterr().out
    assert "ad.marker" in listing and "trailing-headlines.headline-list" in listing
    assert main(["rules", "show", "ad.marker"]) == 0
    shown = capsys.readouterr().out
    assert "must_not_match" in shown and "rules/ads.toml" in shown.replace("\\", "/")
    assert main(["rules", "check"]) == 0


def test_rules_check_reports_a_failing_example(make_pack, capsys) -> None:
    pack = make_pack("ad.mine", "Werbung", must_match=["Anzeige"],
                     must_not_match=["Werbung ist teuer."])
    assert main(["rules", "check", str(pack)]) == 1
    assert "must_match 'Anzeige' does not match" in capsys.readouterr().out


def test_bad_pack_on_the_command_line_names_file_and_rule(tmp_path: Path) -> None:
    pack = tmp_path / "bad.toml"
    pack.write_text('[pack]\nname="b"\nstage="lines"\n[[rule]]\nid="ad.x"\ncategory="nope"\n',
                    encoding="utf-8")
    out = run(["--rules", str(pack)], "text")
    assert out.returncode == 2
    assert str(pack).encode() in out.stderr and b"'ad.x'" in out.stderr
