"""Shared test helpers."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest


def pytest_configure(config: pytest.Config) -> None:
    # The compiled-pack cache of the test run (and of the commands it starts) is its own:
    # the run starts cold, and leaves the user's cache alone.
    if "CLEANER_CACHE_DIR" not in os.environ:
        os.environ["CLEANER_CACHE_DIR"] = tempfile.mkdtemp(prefix="cleaner-test-cache-")


def one_rule_pack(path: Path, rule_id: str, pattern: str, *, must_match: list[str],
                  must_not_match: list[str], stage: str = "lines", scope: str = "line",
                  description: str = "A test rule.", **extra: object) -> Path:
    """Write a pack of one rule (its category from its id) and return its path."""
    lines = ["[pack]", f'name = "{path.stem}"', f'stage = "{stage}"', "", "[[rule]]",
             f'id = "{rule_id}"', f'category = "{rule_id.split(".")[0]}"', f'scope = "{scope}"',
             f"pattern = '''{pattern}'''", f"description = {json.dumps(description)}",
             f"must_match = {json.dumps(must_match, ensure_ascii=False)}",
             f"must_not_match = {json.dumps(must_not_match, ensure_ascii=False)}"]
    lines += [f"{k} = {json.dumps(v)}" for k, v in extra.items()]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def make_pack(tmp_path: Path) -> Callable[..., Path]:
    """``make_pack("ad.x", pattern, must_match=[...], must_not_match=[...])`` -> pack path."""

    def make(rule_id: str, pattern: str, **kwargs: object) -> Path:
        return one_rule_pack(tmp_path / f"{rule_id.replace('.', '-')}.toml", rule_id, pattern,
                             **kwargs)  # type: ignore[arg-type]

    return make
