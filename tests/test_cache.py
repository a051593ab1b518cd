"""The compiled-pack cache only ever saves time: cold, warm, corrupt, shared by processes
writing at once, or switched off, the rules and the output are the same."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner import Cleaner, cache
from cleaner.packs import PackError, load_pack, load_rules

ROOT = Path(__file__).resolve().parent.parent
SEEDS = sorted((ROOT / "seeds" / "input").glob("*.txt"))


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(folder))
    return folder


def _fields(rules: object) -> list[dict[str, object]]:
    return [dataclasses.asdict(r) for r in rules]  # type: ignore[attr-defined]


def _outputs() -> list[str]:
    c = Cleaner()
    return [c.clean(p.read_text(encoding="utf-8")).to_json(with_text=True) for p in SEEDS]


def test_rules_read_from_the_cache_equal_the_rules_compiled(cache_dir: Path) -> None:
    cold = load_rules()
    assert list(cache_dir.glob("*.entry")), "the first load writes the cache"
    warm = load_rules()
    assert _fields(warm) == _fields(cold)
    assert all("matcher" not in vars(r) for r in warm), "compiled on use, not on load"
    assert warm.get("ad.marker").matcher.pattern == cold.get("ad.marker").matcher.pattern


def test_output_is_the_same_cold_warm_and_without_a_cache(cache_dir: Path,
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    cold, warm = _outputs(), _outputs()
    monkeypatch.setenv("CLEANER_CACHE_DIR", "")
    assert cache.cache_dir() is None
    assert cold == warm == _outputs()


def test_a_corrupt_entry_is_ignored_and_made_again(cache_dir: Path) -> None:
    expected = _fields(load_rules())
    for entry in cache_dir.glob("*.entry"):
        data = entry.read_bytes()
        # A flipped byte inside a kept program: the entry's digest no longer holds.
        entry.write_bytes(data[:-40] + bytes([data[-40] ^ 1]) + data[-39:])
    assert _fields(load_rules()) == expected
    for entry in cache_dir.glob("*.entry"):
        entry.write_bytes(b'[["truncated')
    assert _fields(load_rules()) == expected
    assert all(e.read_bytes() != b'[["truncated' for e in cache_dir.glob("*.entry"))


def test_patterns_rebuilt_from_kept_programs_match_as_compiled_ones(cache_dir: Path) -> None:
    import regex

    load_rules()
    texts = [p.read_text(encoding="utf-8") for p in SEEDS]
    for rule in load_rules().rules:
        assert "matcher" not in vars(rule) and rule.program is not None
        fresh = regex.compile(rule.compiled, rule.flags)
        for text in (*texts, *rule.must_match, *rule.must_not_match):
            assert ([m.span() for m in rule.matcher.finditer(text)]
                    == [m.span() for m in fresh.finditer(text)]), rule.id


def test_a_changed_pack_is_compiled_anew_and_a_bad_one_still_fails(cache_dir: Path,
                                                                    make_pack) -> None:
    pack = make_pack("ad.mine", "Werbung", must_match=["Werbung"],
                     must_not_match=["Werbung ist teuer."])
    assert load_pack(pack)[0].pattern == "Werbung"
    text = pack.read_text(encoding="utf-8")
    pack.write_text(text.replace("pattern = '''Werbung'''", "pattern = '''Reklame'''"),
                    encoding="utf-8")
    assert load_pack(pack)[0].pattern == "Reklame"
    pack.write_text(text.replace('category = "ad"', 'category = "nope"'), encoding="utf-8")
    with pytest.raises(PackError, match="category must be one of"):
        load_pack(pack)


def test_processes_writing_the_cache_at_once_all_succeed(cache_dir: Path) -> None:
    script = ("from cleaner import clean; import sys; "
              "sys.stdout.write(clean(open(sys.argv[1], encoding='utf-8').read()).text)")
    procs = [subprocess.Popen([sys.executable, "-c", script, str(SEEDS[k % len(SEEDS)])],
                              stdout=subprocess.PIPE) for k in range(6)]
    outs = [p.communicate(timeout=120)[0] for p in procs]
    assert all(p.returncode == 0 for p in procs)
    for k, out in enumerate(outs):
        expected = (ROOT / "seeds" / "expected" / SEEDS[k % len(SEEDS)].name).read_bytes()
        assert out + b"\n" == expected
    assert not list(cache_dir.glob(".*.tmp")), "no temporary file left"
    assert _fields(load_rules()) == _fields(load_rules())


def test_an_unwritable_cache_folder_costs_only_time(tmp_path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("CLEANER_CACHE_DIR", str(blocker / "cache"))
    assert Cleaner().clean("Advertisement\n\nThe talks ended .").text == "The talks ended."


def test_the_cache_keeps_a_bounded_number_of_entries(cache_dir: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cache, "MAX_ENTRIES", 3)
    for k in range(6):
        cache.write(cache.key("test", str(k)), b"x")
    assert len(list(cache_dir.glob("*.entry"))) == 3


def test_the_language_index_from_the_cache_detects_as_the_one_built(cache_dir: Path) -> None:
    import subprocess

    script = ("from cleaner.language import detect; import sys; "
              "print(detect('Die Regierung hat am Montag mitgeteilt, dass die Regeln gelten.'), "
              "detect('The government said on Monday that the new rules take effect.'))")
    cold = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True).stdout
    assert any(p.name.startswith("language-model") for p in cache_dir.iterdir())
    warm = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True).stdout
    for entry in cache_dir.glob("language-model*"):
        entry.write_bytes(entry.read_bytes()[:100])  # truncated: its digest fails
    damaged = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                             check=True).stdout
    assert cold == warm == damaged == "de en\n"
