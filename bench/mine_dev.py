"""Mine the tuning half of the dev pages for furniture that many sites print alike.

Writes the tuning half's pages (bench/devsplit.py) as JSON Lines records (site, the page's
whole-page dump and trafilatura's text as two records, and the gold text) and runs
`cleaner learn --across-sites` on them with the gold field, so that no form a gold text
holds becomes a candidate. The pack it writes is for review: entries worth keeping are
moved, with their family, into the shipped furniture packs.

    python bench/mine_dev.py [--min-sites 3] [-o bench/out/mined-tune.toml]

Only the tuning half is read: the check half stays unseen.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import devsplit  # noqa: E402
import generalization as gen  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--min-sites", type=int, default=3)
    ap.add_argument("-o", "--output", type=Path, default=gen.OUT / "mined-tune.toml")
    args = ap.parse_args()
    cache = gen.OUT / "cache" / gen.cache_key()
    if not cache.exists():
        sys.exit(f"no cached inputs in {cache}: run bench/generalization.py --half tune first")
    records = gen.OUT / "mine-tune.jsonl"
    with records.open("w", encoding="utf-8") as f:
        for source in devsplit.SOURCES:
            for page in devsplit.load(source, "tune"):
                path = cache / page.source / (page.id.replace("/", "__") + ".json")
                if not path.exists():
                    continue
                texts = json.loads(path.read_text(encoding="utf-8"))["texts"]
                for kind in ("dump", "trafilatura_best"):
                    f.write(json.dumps({"site": page.site, "text": texts.get(kind) or "",
                                        "gold": page.gold}, ensure_ascii=False) + "\n")
    subprocess.run([sys.executable, "-m", "cleaner", "learn", "--across-sites", str(records),
                    "-o", str(args.output), "--gold-field", "gold",
                    "--min-sites", str(args.min_sites)], check=True)


if __name__ == "__main__":
    main()
