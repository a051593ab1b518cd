"""The ``cleaner`` command: a thin layer over the library.

    cleaner [clean] [FILE ...] [-o DIR] [--report FILE] [--review HTML] [--format text|json] ...
    cleaner rules list | show ID | check [PACK ...]
    cleaner review REPORT ... [-o review.html] [--all | --sample N]
    cleaner batch IN ... -o OUT [-j N] [--resume] [--learn] [--output-format jsonl|parquet]
    cleaner learn IN ... -o site-rules.toml [--explain FILE.jsonl] [-j N]
    cleaner --version

Exit codes: 0 done; 1 done, but some inputs failed (clean: a file; batch: an input that
could not be read to the end; review: no usable report); 2 could not run (bad arguments, a
bad rule pack, a missing or empty input, an output that cannot be written); 130 interrupted.
An output file (a report, a pack, a review page) is written whole or not at all.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ._version import __version__
from .errors import InputError, WorkersFailed
from .files import GZIP_MAGIC, gunzip, write_atomic
from .html import looks_like_html
from .model import CleanResult
from .packs import PackError, load_pack, load_rules
from .pipeline import STAGES, Cleaner, Config

SUBCOMMANDS = ("clean", "rules", "review", "batch", "learn")
#: Exit codes (see the module docstring).
EXIT_OK, EXIT_SOME_FAILED, EXIT_CANNOT_RUN, EXIT_INTERRUPTED = 0, 1, 2, 130
#: Inputs this large show a progress line on a terminal while they are cleaned.
PROGRESS_BYTES = 1_000_000
_COMMANDS = """commands:
  cleaner [clean] FILE ...   clean text files or HTML pages (this command; the default)
  cleaner batch IN ... -o OUT
                             clean JSON Lines, Parquet and folders of files, on every core
  cleaner learn IN ... -o PACK
                             learn each site's furniture from a corpus into a rule pack
  cleaner review REPORT ...  one HTML page to review what cleaning removed
  cleaner rules list|show|check
                             the rules: list them, show one, run every example

`cleaner COMMAND --help` tells more. Exit codes: 0 done; 1 some inputs failed; 2 could not
run (bad arguments or packs, missing or empty inputs); 130 interrupted."""


def _positive(kind: type) -> Any:
    def parse(value: str) -> Any:
        try:
            number = kind(value)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
        if not number > 0:
            raise argparse.ArgumentTypeError(f"must be above 0, got {value}")
        return number

    parse.__name__ = kind.__name__
    return parse


def _add_config_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--disable", action="append", default=[], metavar="NAME",
                   help="switch off a stage, category or rule id (repeatable, or comma-separated)")
    p.add_argument("--enable", action="append", default=[], metavar="NAME",
                   help="switch on an opt-in rule, by id or category (repeatable)")
    p.add_argument("--rules", action="append", default=[], metavar="PACK", type=Path,
                   help="an extra rule pack file or folder of packs (repeatable)")
    p.add_argument("--no-builtin-rules", action="store_true",
                   help="leave the shipped rule packs out")
    p.add_argument("--rule-timeout", type=_positive(float), default=Config().rule_timeout,
                   metavar="SECONDS",
                   help="seconds one rule of a user's pack may take on one document before "
                        "it is skipped; shipped rules run without a clock (default %(default)s)")
    p.add_argument("--language", default="auto", metavar="CODE",
                   help="the documents' language as an ISO 639-1 code (de, ja...); default "
                        "auto: each document's own, detected")
    p.add_argument("--max-chars", type=_positive(int), default=Config().max_chars, metavar="N",
                   help="documents longer than this are not cleaned (default %(default)s)")
    p.add_argument("--time-limit", type=_positive(float), default=None, metavar="SECONDS",
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
                  time_limit=args.time_limit, on_limit=args.on_limit, language=args.language)


def _clean_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="cleaner", formatter_class=argparse.RawDescriptionHelpFormatter,
        description="Strip boilerplate and noise from scraped article text. Reads FILE (or "
                    "stdin), writes the clean text to stdout, and can write a JSON report of "
                    "every edit.",
        epilog=_COMMANDS)
    p.add_argument("--version", action="version", version=f"cleaner {__version__}")
    p.add_argument("files", nargs="*", metavar="FILE",
                   help="text files or HTML pages to clean, plain or gzipped; - or none: stdin")
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
    _add_html_mode(p)
    p.add_argument("--site", help="the input's site (domain or URL), for site-scoped rules "
                                  "(default: the host of --url)")
    _add_config_options(p)
    return p


def _read_bytes(path: str, limit: int | None) -> bytes:
    """The input's bytes, inflated when it is gzip (by its first bytes, whatever its name)."""
    data = sys.stdin.buffer.read() if path == "-" else Path(path).read_bytes()
    if data[:2] == GZIP_MAGIC:
        try:
            # Four bytes a character is the most UTF-8 needs for max_chars characters.
            data = gunzip(data, None if limit is None else 4 * limit)
        except ValueError as exc:
            raise ValueError(f"{'stdin' if path == '-' else path}: {exc}") from None
    return data


class _StageProgress:
    """One line on stderr, rewritten as a large input goes through the stages."""

    def __init__(self, name: str, size: int) -> None:
        self.label = f"{name} ({size / 1e6:.1f} MB)"
        self.started = time.perf_counter()
        self.width = 0

    def __call__(self, stage: str) -> None:
        line = f"\r{self.label}: {stage}, {time.perf_counter() - self.started:.0f} s "
        self.width = max(self.width, len(line))
        sys.stderr.write(line.ljust(self.width))
        sys.stderr.flush()

    def close(self) -> None:
        sys.stderr.write("\r" + " " * self.width + "\r")
        sys.stderr.flush()


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
        progress = None
        try:
            data = _read_bytes(path, cleaner.config.max_chars)
            if len(data) >= PROGRESS_BYTES and sys.stderr.isatty():
                progress = _StageProgress("stdin" if path == "-" else path, len(data))
            is_html = args.input_format == "html" or (
                args.input_format == "auto" and looks_like_html(data))
            if is_html:
                from .html import clean_html

                result: CleanResult = clean_html(data, args.url, cleaner=cleaner,
                                                 site=args.site, progress=progress,
                                                 mode=args.html_mode)
            else:
                result = cleaner.clean(_decode(data, path, args.encoding),
                                       site=args.site or args.url, progress=progress)
        except (OSError, ValueError, LimitExceeded) as exc:
            print(f"cleaner: {exc}", file=sys.stderr)
            failed += 1
            continue
        finally:
            if progress is not None:
                progress.close()
        reason = getattr(result, "reason", "")  # pages that yielded no article say why
        if reason:
            print(f"cleaner: {path}: {reason}", file=sys.stderr)
        for n in result.notices:
            print(f"cleaner: {path}: {n.kind} in {n.filter} ({n.rule}): {n.detail}",
                  file=sys.stderr)
        report = _report(result, path)
        if args.review:
            reviewed.append(report)
        try:
            if args.output_dir:
                args.output_dir.mkdir(parents=True, exist_ok=True)
                stem = "stdin" if path == "-" else _stem(path)
                write_atomic(args.output_dir / f"{stem}.txt", result.text + "\n")
                write_atomic(args.output_dir / f"{stem}.report.json",
                             json.dumps(report, ensure_ascii=False, indent=1) + "\n")
                print(f"{path}: {len(result.original)} -> {len(result.text)} chars; "
                      f"{_summary(result)}", file=sys.stderr)
            else:
                _emit(result, args.format)
            if args.report:
                write_atomic(args.report, json.dumps(report, ensure_ascii=False, indent=1) + "\n")
        except OSError as exc:
            print(f"cleaner: cannot write the output of {path}: {exc}", file=sys.stderr)
            return EXIT_CANNOT_RUN
    if args.review and reviewed:
        from .review import _document, build_review

        try:
            write_atomic(args.review, build_review([_document(r["id"], r) for r in reviewed]))
        except OSError as exc:
            print(f"cleaner: cannot write {args.review}: {exc}", file=sys.stderr)
            return EXIT_CANNOT_RUN
    if failed:
        print(f"cleaner: {failed} of {len(files)} input(s) failed", file=sys.stderr)
    return EXIT_SOME_FAILED if failed else EXIT_OK


def _stem(path: str) -> str:
    """The output name of an input: its name without its extension (and without .gz)."""
    return Path(Path(path).name.removesuffix(".gz")).stem


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
    rows: list[dict[str, Any]] = [
        {"id": r.id, "category": r.category, "stage": r.stage, "scope": r.scope,
         "default": r.default, "description": r.description, "source": r.source,
         "pattern": r.pattern, "action": r.action, "must_match": list(r.must_match),
         "must_not_match": list(r.must_not_match),
         **({"evidence": r.evidence} if hasattr(r, "evidence") else {})}
        for r in cleaner.rules]
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
    from .review import SAMPLE_DOCS, write_review

    p.add_argument("reports", nargs="+", type=Path, metavar="REPORT",
                   help="report files: NAME.report.json(l) from `cleaner -o` or `cleaner batch`")
    p.add_argument("-o", "--output", type=Path, default=Path("review.html"), metavar="HTML",
                   help="the page to write (default %(default)s)")
    size = p.add_mutually_exclusive_group()
    size.add_argument("--sample", type=_positive(int), default=SAMPLE_DOCS, metavar="N",
                      help="documents the page shows in full, chosen to show every category "
                           "and rule (default %(default)s); every document is counted")
    size.add_argument("--all", action="store_true",
                      help="show every document (the page and the memory to build it grow "
                           "with the run)")
    args = p.parse_args(argv)
    missing = [str(r) for r in args.reports if not r.exists()]
    if missing:
        print(f"cleaner: no such report: {', '.join(missing)}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    try:
        n, errors = write_review(args.reports, args.output, sample=args.sample,
                                 everything=args.all)
    except OSError as exc:
        print(f"cleaner: cannot write {args.output}: {exc}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    for err in errors:
        print(f"cleaner: {err}", file=sys.stderr)
    if n == 0:
        print(f"cleaner: no usable report: {args.output} not written", file=sys.stderr)
        return EXIT_SOME_FAILED
    print(f"{args.output}: {n} document(s), {len(errors)} unreadable report(s) or failed "
          "record(s) listed", file=sys.stderr)
    return EXIT_OK


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
        write_atomic(explain_to, "".join(json.dumps(row, ensure_ascii=False) + "\n"
                                         for row in explain(learned)))
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
    p.add_argument("inputs", nargs="+", metavar="IN",
                   help="JSON Lines (plain, .gz, .zst) or Parquet files of records")
    p.add_argument("-o", "--output", type=Path, default=Path("site-rules.toml"), metavar="PACK",
                   help="the rule pack to write, replaced only when learning succeeds "
                        "(default %(default)s)")
    p.add_argument("--explain", type=Path, metavar="FILE",
                   help="also write every candidate line with its evidence and verdict (JSONL)")
    p.add_argument("--across-sites", action="store_true",
                   help="instead of each site's own furniture, mine the line forms many "
                        "distinct sites print alike into a template pack for review")
    p.add_argument("--min-sites", type=_positive(int), default=3, metavar="N",
                   help="--across-sites: sites that must print a form (default %(default)s)")
    p.add_argument("--gold-field", metavar="NAME",
                   help="--across-sites: a field holding the record's article text; a form "
                        "a gold text holds is never a candidate")
    _add_run_options(p)
    _add_learn_options(p)
    args = p.parse_args(argv)
    if args.across_sites:
        return _mine(args)
    try:
        _learn(args.inputs, args.output, _learn_options(args), args.jobs or os.cpu_count() or 1,
               not args.no_progress and sys.stderr.isatty(), args.explain)
    except (ValueError, OSError, WorkersFailed) as exc:
        print(f"cleaner: {exc}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    return EXIT_OK


class _Shipped:
    """What the shipped entries take of a line alone: a template, or a line rule."""

    def __init__(self, rules: Any) -> None:
        from .templates import TemplateIndex

        self.templates = TemplateIndex(rules.templates)
        self.line_rules = [r for r in rules.rules if r.scope == "line" and r.default]

    def match(self, line: str) -> object | None:
        hit = self.templates.match(line)
        if hit is not None:
            return hit
        return next((r for r in self.line_rules if r.match_line(line)), None)


def _mine(args: argparse.Namespace) -> int:
    from .mine import mine, read_records, write_candidates

    try:
        shipped = _Shipped(load_rules())
        mined = mine(read_records(args.inputs), text_field=args.text_field,
                     gold_field=args.gold_field, site_field=args.site_field,
                     min_sites=args.min_sites, shipped=shipped)
        if mined.records == 0:
            raise InputError("no records in " + ", ".join(args.inputs) + ": nothing to mine")
        write_candidates(mined, args.output)
    except (ValueError, OSError) as exc:
        print(f"cleaner: {exc}", file=sys.stderr)
        return EXIT_CANNOT_RUN
    rejected = ", ".join(f"{k} {v}" for k, v in sorted(mined.rejected.items())) or "none"
    print(f"{args.output}: {len(mined.candidates)} forms printed by {args.min_sites}+ of "
          f"{mined.sites} sites, from {mined.records} records; left out: {rejected}",
          file=sys.stderr)
    return EXIT_OK


def _add_html_mode(p: argparse.ArgumentParser) -> None:
    p.add_argument("--html-mode", choices=("ensemble", "fast"), default="ensemble",
                   help="HTML pages: ensemble weighs trafilatura, readability and justext "
                        "block by block (default); fast is trafilatura alone, about twice "
                        "as fast")


def _add_run_options(p: argparse.ArgumentParser) -> None:
    """What batch and learn share: how records are read, how many processes read them."""
    p.add_argument("-j", "--jobs", type=_positive(int), default=0, metavar="N",
                   help="worker processes (default: every core)")
    p.add_argument("--text-field", default="text", metavar="NAME",
                   help="the field holding a record's text or HTML (default %(default)s)")
    p.add_argument("--site-field", metavar="NAME",
                   help="the field naming a record's site, for site-scoped rules (default: "
                        "site, domain, host, or the host of url)")
    p.add_argument("--input-format", choices=("auto", "text", "html"), default="auto",
                   help="auto: a record is HTML when its text starts like a page (default)")
    p.add_argument("--no-progress", action="store_true",
                   help="no progress line (it is shown only on a terminal anyway)")


def run_batch(argv: Sequence[str]) -> int:
    p = argparse.ArgumentParser(
        prog="cleaner batch",
        description="Clean every record of JSON Lines (plain, .gz, .zst), Parquet files or "
                    "folders of .txt/.html files into OUT: the records with their text "
                    "cleaned, a report and an errors file per input, and summary.json.")
    p.add_argument("inputs", nargs="+", metavar="IN",
                   help="JSON Lines (plain, .gz, .zst), Parquet, folders or globs of .txt and "
                        ".html files (plain or .gz); each input is a shard")
    p.add_argument("-o", "--output", type=Path, required=True, metavar="OUT",
                   help="the output folder: per shard NAME.jsonl (or .parquet), "
                        "NAME.report.jsonl, NAME.errors.jsonl; and summary.json")
    _add_run_options(p)
    p.add_argument("--id-field", metavar="NAME",
                   help="field that names a record (default: id, else its index)")
    p.add_argument("--learn", action="store_true",
                   help="first learn each site's furniture from the inputs into "
                        "OUT/learned-rules.toml (see `cleaner learn`), then clean with it")
    p.add_argument("--output-format", choices=("jsonl", "parquet"), default="jsonl",
                   help="the records files' format (default %(default)s)")
    _add_html_mode(p)
    p.add_argument("--resume", action="store_true",
                   help="skip inputs whose output is already complete")
    p.add_argument("--engine", choices=("local", "ray"), default="local",
                   help="local processes (default), or a Ray cluster (pip install cleaner[ray])")
    p.add_argument("--address", help="the Ray cluster to join (default: start a local one)")
    _add_config_options(p)
    _add_learn_options(p)
    args = p.parse_args(argv)
    import dataclasses

    from .batch import Options, run

    try:
        options = Options(text_field=args.text_field, id_field=args.id_field,
                          site_field=args.site_field, input_format=args.input_format,
                          output_format=args.output_format, config=_config(args),
                          html_mode=args.html_mode)
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
        return EXIT_CANNOT_RUN
    s = summary.to_dict()
    for fault in s["shard_errors"]:
        print(f"cleaner: {fault}", file=sys.stderr)
    print(f"{s['records_in']} records in, {s['records_out']} out, {s['records_failed']} failed "
          f"(see {args.output}/*.errors.jsonl); {s['shards_done']} input(s) done, "
          f"{s['shards_skipped']} skipped; {s['records_per_second']} records/s", file=sys.stderr)
    # Failed records are data (each is in its errors file); an input read only in part is not.
    return EXIT_SOME_FAILED if s["shard_errors"] else EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``cleaner`` command; returns its exit code (see the module docstring)."""
    argv = list(sys.argv[1:] if argv is None else argv)
    commands = {"batch": run_batch, "rules": run_rules, "review": run_review,
                "learn": run_learn, "clean": run_clean}
    command = commands.get(argv[0]) if argv else None
    try:
        if command is not None:
            return command(argv[1:])
        return run_clean(argv)
    except KeyboardInterrupt:
        # Workers ignore the interrupt and are stopped by the run; files being written are
        # temporary ones, removed on the way out.
        print("\ncleaner: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # The reader went away (`cleaner x.txt | head`): nothing more to say to it, and the
        # flush at exit must not fail again on the closed pipe.
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (OSError, ValueError):
            pass
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
