"""The ``cleaner`` command: a thin layer over the library.

    cleaner [clean] [FILE ...] [-o DIR] [--report FILE] [--review HTML] [--format text|json] ...
    cleaner rules list | show ID | check [PACK ...]
    cleaner review REPORT ... [-o review.html]
    cleaner batch IN ... -o OUT [-j N] [--resume] [--learn] [--output-format jsonl|parquet]
    cleaner learn IN ... -o site-rules.toml [--explain FILE.jsonl] [-j N]
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .errors import WorkersFailed
from .html import looks_like_html
from .model import CleanResult
from .packs import PackError, load_pack, load_rules
from .pipeline import STAGES, Cleaner, Config

SUBCOMMANDS = ("clean", "rules", "review", "batch", "learn")


def _add_config_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--disable", action="append", default=[], metavar="NAME",
                   help="switch off a stage, category or rule id (repeatable, or comma-separated)")
    p.add_argument("--enable", action="append", default=[], metavar="NAME",
                   help="switch on an opt-in rule, by id or category (repeatable)")
    p.add_argument("--rules", action="append", default=[], metavar="PACK", type=Path,
                   help="an extra rule pack file or folder of packs (repeatable)")
    p.add_argument("--no-builtin-rules", action="store_true",
                   help="leave the shipped rule packs out")
    p.add_argument("--rule-timeout", type=float, default=Config().rule_timeout, metavar="SECONDS",
                   help="seconds one rule may take on one document before it is skipped "
                        "(default %(default)s)")
    p.add_argument("--max-chars", type=int, default=Config().max_chars, metavar="N",
                   help="documents longer than this are not cleaned (default %(default)s)")
    p.add_argument("--time-limit", type=float, default=None, metavar="SECONDS",
                   help="seconds one document may take (default: no limit)")
    p.add_argument("--on-limit", choices=("pass", "reject"), default="pass",
                   help="a document over a limit: passed through untouched with a notice "
                        "(default), or rejected as an error")


def _names(values: Sequence[str]) -> frozenset[str]:
    return frozenset(n.strip() for v in values for n in v.split(",") if n.strip())


def _config(args: argparse.Namespace) -> Config:
    return Config(disable=_names(args.disable), enable=_names(args.enable),
                  rules=tuple(args.rules), builtin_rules=not args.no_builtin_rules,
                  rule_timeout=args.rule_timeout, max_chars=args.max_chars,
                  time_limit=args.time_limit, on_limit=args.on_limit)


def _clean_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="cleaner",
        description="Strip boilerplate and noise from scraped article text. Reads FILE (or "
                    "stdin), writes the clean text to stdout, and can write a JSON report of "
                    "every edit. Other commands: `cleaner rules list|show|check`.")
    p.add_argument("files", nargs="*", metavar="FILE", help="text files to clean; - or none: stdin")
    p.add_argument("-o", "--output-dir", type=Path, metavar="DIR",
                   help="write NAME.txt and NAME.report.json per input into DIR "
                        "(needed for several files)")
    p.add_argument("--report", type=Path, metavar="FILE",
                   help="write the report (JSON) of a single input to FILE")
    p.add_argument("--review", type=Path, metavar="HTML",
                   help="also write a review page (HTML) of what was removed")
    p.add_argument("--format", choices=("text", "json"), default="text",
                   help="stdout: the clean text, or JSON with the text and the report together")
    p.add_argument("--encoding", default="utf-8",
                   help="text input encoding (default %(default)s); HTML is decoded by its "
                        "declared charset")
    p.add_argument("--input-format", choices=("auto", "text", "html"), default="auto",
                   help="auto: HTML when the input starts like a page (default)")
    p.add_argument("--url", help="the page's URL, for HTML input (helps the extractor)")
    p.add_argument("--site", help="the input's site (domain or URL), for site-scoped rules "
                                  "(default: the host of --url)")
    _add_config_options(p)
    return p


def _read_bytes(path: str) -> bytes:
    return sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()


def _decode(data: bytes, path: str, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        name = "stdin" if path == "-" else path
        raise ValueError(f"{name}: not valid {encoding} at byte {exc.start} "
                         f"({data[exc.start:exc.start + 4]!r}); pass --encoding") from None
    except LookupError:
        raise ValueError(f"unknown encoding {encoding!r}") from None


def _emit(result: CleanResult, fmt: str) -> None:
    if fmt == "json":
        sys.stdout.write(result.to_json(with_text=True, indent=1) + "\n")
    else:
        sys.stdout.write(result.text + "\n")


def _report(result: CleanResult, path: str) -> dict[str, Any]:
    """The report as written to files: self-contained (the clean text with the edits restores
    the input, see cleaner.restore) and named after its input."""
    return {"id": "stdin" if path == "-" else path, "text": result.text, **result.to_dict()}


def _summary(result: CleanResult) -> str:
    parts = [f"{k} {v.edits}" for k, v in result.stats().items() if k != "whitespace"]
    return ", ".join(parts) or "nothing removed"


def run_clean(argv: Sequence[str]) -> int:
    args = _clean_parser().parse_args(argv)
    files = args.files or ["-"]
    if len(files) > 1 and not args.output_dir:
        print("cleaner: several inputs need -o DIR (one NAME.txt and NAME.report.json each)",
              file=sys.stderr)
        return 2
    if args.report and len(files) > 1:
        print("cleaner: --report takes one input; with -o DIR every input gets its report",
              file=sys.stderr)
        return 2
    try:
        cleaner = Cleaner(_config(args))
    except (PackError, ValueError) as exc:
        print(f"cleaner: {exc}", file=sys.stderr)
        return 2
    from .errors import LimitExceeded

    failed = 0
    reviewed: list[dict[str, Any]] = []
    for path in files:
        try:
            data = _read_bytes(path)
            is_html = args.input_format == "html" or (
                args.input_format == "auto" and looks_like_html(data))
            if is_html:
                from .html import clean_html

                result: CleanResult = clean_html(data, args.url, cleaner=cleaner,
                                                 site=args.site)
            else:
                result = cleaner.clean(_decode(data, path, args.encoding),
                                       site=args.site or args.url)
        except (OSError, ValueError, LimitExceeded) as exc:
            print(f"cleaner: {exc}", file=sys.stderr)
            failed += 1
            continue
        reason = getattr(result, "reason", "")  # pages that yielded no article say why
        if reason:
            print(f"cleaner: {path}: {reason}", file=sys.stderr)
        for n in result.notices:
            print(f"cleaner: {path}: {n.kind} in {n.filter} ({n.rule}): {n.detail}",
                  file=sys.stderr)
        report = _report(result, path)
        if args.review:
            reviewed.append(report)
        if args.output_dir:
            args.output_dir.mkdir(parents=True, exist_ok=True)
            stem = "stdin" if path == "-" else Path(path).stem
            (args.output_dir / f"{stem}.txt").write_text(result.text + "\n", encoding="utf-8")
            (args.output_dir / f"{stem}.report.json").write_text(
                json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
            print(f"{path}: {len(result.original)} -> {len(result.text)} chars; "
                  f"{_summary(result)}", file=sys.stderr)
        else:
            _emit(result, args.format)
        if args.report:
            args.report.write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n",
                                   encoding="utf-8")
    if args.review:
        from .review import _document, build_review

        args.review.write_text(build_review([_document(r["id"], r) for r in reviewed]),
                               encoding="utf-8")
    if failed:
        print(f"cleaner: {failed} of {len(files)} input(s) failed", file=sys.stderr)
    return 1 if failed else 0


def run_rules(argv: Sequence[str]) -> int:
    p = argparse.ArgumentParser(prog="cleaner rules", description="Inspect and check rule packs.")
    sub = p.add_subparsers(dest="action", required=True)
    lst = sub.add_parser("list", help="every rule: id, category, stage, default, description")
    lst.add_argument("--format", choices=("text", "json"), default="text")
    lst.add_argument("--rules", action="append", default=[], type=Path, metavar="PACK")
    show = sub.add_parser("show", help="one rule in full: pattern, examples, source")
    show.add_argument("id")
    show.add_argument("--rules", action="append", default=[], type=Path, metavar="PACK")
    check = sub.add_parser("check", help="load packs, lint patterns and run every example; "
                                          "no PACK: the shipped packs")
    check.add_argument("packs", nargs="*", type=Path, metavar="PACK")
    args = p.parse_args(argv)
    try:
        if args.action == "check":
            return _check(args.packs)
        cleaner = Cleaner(Config(rules=tuple(args.rules)))
    except PackError as exc:
        print(f"cleaner: {exc}", file=sys.stderr)
        return 1
    rows: list[dict[str, Any]] = [{"id": r.id, "category": r.category, "stage": r.stage, "scope": r.scope,
             "default": r.default, "description": r.description, "source": r.source,
             "pattern": r.pattern, "action": r.action, "must_match": list(r.must_match),
             "must_not_match": list(r.must_not_match)} for r in cleaner.rules]
    rows += [{"id": r.id, "category": r.category, "stage": r.filter, "scope": "code",
              "default": r.default, "description": r.description, "source": "code"}
             for r in cleaner.code_rules()]
    order = {s: i for i, s in enumerate(STAGES)}
    rows.sort(key=lambda r: (order.get(r["stage"], 99), r["id"]))
    if args.action == "list":
        if args.format == "json":
            print(json.dumps(rows, ensure_ascii=False, indent=1))
        else:
            width = max(len(r["id"]) for r in rows)
            for r in rows:
                flag = "" if r["default"] else " (opt-in)"
                print(f"{r['id']:<{width}}  {r['stage']:<11} {r['description']}{flag}")
        return 0
    match = [r for r in rows if r["id"] == args.id]
    if not match:
        print(f"cleaner: no rule {args.id!r}; `cleaner rules list` shows the ids", file=sys.stderr)
        return 1
    for key, value in match[0].items():
        if isinstance(value, list):
            print(f"{key}:")
            for v in value:
                print(f"  {v!r}")
        else:
            print(f"{key}: {value}")
    return 0


def _check(packs: Sequence[Path]) -> int:
    """Load each pack, then run every rule's examples; print one line per problem."""
    problems: list[str] = []
    builtin = load_rules()
    builtin_ids = {r.id: r.source for r in builtin}
    checked = 0
    if packs:
        rules = []
        for path in packs:
            try:
                loaded = load_pack(path)
            except PackError as exc:
                problems.append(str(exc))
                continue
            for r in loaded:
                if r.id in builtin_ids and Path(builtin_ids[r.id]) != path.resolve():
                    problems.append(f"{path}: rule {r.id!r}: id already used by {builtin_ids[r.id]}")
            rules.extend(loaded)
    else:
        rules = list(builtin)
    for r in rules:
        checked += 1
        for why in r.examples_failing():
            problems.append(f"{r.source}: rule {r.id!r}: {why}")
    for line in problems:
        print(line)
    print(f"{checked} rule(s) checked, {len(problems)} problem(s)", file=sys.stderr)
    return 1 if problems else 0


def run_review(argv: Sequence[str]) -> int:
    p = argparse.ArgumentParser(
        prog="cleaner review",
        description="Write one self-contained HTML page to review what cleaning removed, from "
                    "reports (JSON, a JSON list, or JSON Lines) that carry the clean text.")
    p.add_argument("reports", nargs="+", type=Path, metavar="REPORT")
    p.add_argument("-o", "--output", type=Path, default=Path("review.html"), metavar="HTML")
    args = p.parse_args(argv)
    from .review import write_review

    n, errors = write_review(args.reports, args.output)
    for err in errors:
        print(f"cleaner: {err}", file=sys.stderr)
    print(f"{args.output}: {n} document(s), {len(errors)} unreadable report(s)", file=sys.stderr)
    return 1 if n == 0 and errors else 0


def _add_learn_options(p: argparse.ArgumentParser) -> None:
    from .learn import LearnOptions

    d = LearnOptions()
    g = p.add_argument_group("learning thresholds")
    g.add_argument("--min-site-pages", type=int, default=d.min_site_pages, metavar="N",
                   help="a site with fewer pages learns nothing (default %(default)s)")
    g.add_argument("--min-pages", type=int, default=d.min_pages, metavar="N",
                   help="a line must be on at least N pages of its site (default %(default)s)")
    g.add_argument("--min-share", type=float, default=d.min_share, metavar="X",
                   help="...and on this share of them (default %(default)s)")
    g.add_argument("--min-sentence-share", type=float, default=d.min_sentence_share,
                   metavar="X", help="the share for a line that ends like a sentence "
                                     "(default %(default)s)")
    g.add_argument("--min-articles", type=int, default=d.min_articles, metavar="N",
                   help="...beside at least N distinct articles (default %(default)s)")
    g.add_argument("--max-mid-share", type=float, default=d.max_mid_share, metavar="X",
                   help="the share of its pages on which a line may sit between article "
                        "paragraphs (default %(default)s)")
    g.add_argument("--sketch-mb", type=float, default=d.sketch_mb, metavar="MB",
                   help="memory for the first pass's counts (default %(default)s)")


def _learn_options(args: argparse.Namespace) -> Any:
    from .learn import LearnOptions

    return LearnOptions(text_field=args.text_field, site_field=args.site_field,
                        input_format=args.input_format, min_site_pages=args.min_site_pages,
                        min_pages=args.min_pages, min_share=args.min_share,
                        min_sentence_share=args.min_sentence_share,
                        min_articles=args.min_articles, max_mid_share=args.max_mid_share,
                        sketch_mb=args.sketch_mb)


def _learn(inputs: Sequence[str], target: Path, options: Any, jobs: int, progress: bool,
           explain_to: Path | None = None) -> None:
    """Run a learning pass into ``target`` and say what it found on stderr."""
    from .learn import explain, learn, write_pack

    learned = learn(inputs, options, jobs=jobs, progress=progress)
    write_pack(learned, target)
    if explain_to is not None:
        with open(explain_to, "w", encoding="utf-8") as f:
            f.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in explain(learned))
    s = learned.summary
    for fault in s.read_faults:
        print(f"cleaner: {fault}", file=sys.stderr)
    rejected = ", ".join(f"{k} {v}" for k, v in sorted(s.rejected.items())) or "none"
    print(f"{target}: {s.rules} rules for {s.sites_learning} of {s.sites} sites from "
          f"{s.records} records ({s.records_without_site} without a site, {s.records_failed} "
          f"unreadable); candidates {s.candidates}, rejected: {rejected}; {s.seconds:.1f} s",
          file=sys.stderr)


def run_learn(argv: Sequence[str]) -> int:
    p = argparse.ArgumentParser(
        prog="cleaner learn",
        description="Learn each site's furniture (lines that recur on many of its pages) from "
                    "records of JSON Lines or Parquet, and write it as a rule pack to use with "
                    "--rules. Records name their site in a field (site, domain, host, or the "
                    "host of url; or --site-field).")
    p.add_argument("inputs", nargs="+", metavar="IN")
    p.add_argument("-o", "--output", type=Path, default=Path("site-rules.toml"), metavar="PACK",
                   help="the rule pack to write (default %(default)s)")
    p.add_argument("--explain", type=Path, metavar="FILE",
                   help="also write every candidate line with its evidence and verdict (JSONL)")
    p.add_argument("-j", "--jobs", type=int, default=0,
                   help="worker processes (default: every core)")
    p.add_argument("--text-field", default="text")
    p.add_argument("--site-field", help="the field naming the site (domain, host or URL)")
    p.add_argument("--input-format", choices=("auto", "text", "html"), default="auto")
    p.add_argument("--no-progress", action="store_true")
    _add_learn_options(p)
    args = p.parse_args(argv)
    import os

    try:
        _learn(args.inputs, args.output, _learn_options(args), args.jobs or os.cpu_count() or 1,
               not args.no_progress and sys.stderr.isatty(), args.explain)
    except (ValueError, OSError, WorkersFailed) as exc:
        print(f"cleaner: {exc}", file=sys.stderr)
        return 2
    return 0


def run_batch(argv: Sequence[str]) -> int:
    p = argparse.ArgumentParser(
        prog="cleaner batch",
        description="Clean every record of JSON Lines (plain, .gz, .zst), Parquet files or "
                    "folders of .txt/.html files into OUT: the records with their text "
                    "cleaned, a report and an errors file per input, and summary.json.")
    p.add_argument("inputs", nargs="+", metavar="IN")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="OUT")
    p.add_argument("-j", "--jobs", type=int, default=0,
                   help="worker processes (default: every core)")
    p.add_argument("--text-field", default="text")
    p.add_argument("--id-field", help="field that names a record (default: id, else its index)")
    p.add_argument("--site-field", help="field naming a record's site, for site-scoped rules "
                                        "(default: site, domain, host, or the host of url)")
    p.add_argument("--input-format", choices=("auto", "text", "html"), default="auto")
    p.add_argument("--learn", action="store_true",
                   help="first learn each site's furniture from the inputs into "
                        "OUT/learned-rules.toml (see `cleaner learn`), then clean with it")
    p.add_argument("--output-format", choices=("jsonl", "parquet"), default="jsonl")
    p.add_argument("--resume", action="store_true",
                   help="skip inputs whose output is already complete")
    p.add_argument("--no-progress", action="store_true")
    p.add_argument("--engine", choices=("local", "ray"), default="local",
                   help="local processes (default), or a Ray cluster (pip install cleaner[ray])")
    p.add_argument("--address", help="the Ray cluster to join (default: start a local one)")
    _add_config_options(p)
    _add_learn_options(p)
    args = p.parse_args(argv)
    import dataclasses
    import os

    from .batch import Options, run

    try:
        options = Options(text_field=args.text_field, id_field=args.id_field,
                          site_field=args.site_field, input_format=args.input_format,
                          output_format=args.output_format, config=_config(args))
        Cleaner(options.config)  # a bad pack or name fails here, before any work
        if args.learn:
            learned = args.output / "learned-rules.toml"
            if not (args.resume and learned.exists()):  # a resumed run cleans as it began
                args.output.mkdir(parents=True, exist_ok=True)
                _learn(args.inputs, learned, _learn_options(args),
                       args.jobs or os.cpu_count() or 1,
                       not args.no_progress and sys.stderr.isatty())
            options = dataclasses.replace(options, config=dataclasses.replace(
                options.config, rules=(*options.config.rules, learned)))
            Cleaner(options.config)
        summary = run(args.inputs, args.output, jobs=args.jobs or None, options=options,
                      resume=args.resume, progress=False if args.no_progress else None,
                      engine=args.engine, address=args.address)
    except (PackError, ValueError, OSError, WorkersFailed) as exc:
        print(f"cleaner: {exc}", file=sys.stderr)
        return 2
    s = summary.to_dict()
    for fault in s["shard_errors"]:
        print(f"cleaner: {fault}", file=sys.stderr)
    print(f"{s['records_in']} records in, {s['records_out']} out, {s['records_failed']} failed "
          f"(see {args.output}/*.errors.jsonl); {s['shards_done']} input(s) done, "
          f"{s['shards_skipped']} skipped; {s['records_per_second']} records/s", file=sys.stderr)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "batch":
        return run_batch(argv[1:])
    if argv and argv[0] == "rules":
        return run_rules(argv[1:])
    if argv and argv[0] == "review":
        return run_review(argv[1:])
    if argv and argv[0] == "learn":
        return run_learn(argv[1:])
    if argv and argv[0] == "clean":
        argv = argv[1:]
    try:
        return run_clean(argv)
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
