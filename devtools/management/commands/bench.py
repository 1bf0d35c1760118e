"""`make bench`: generate synthetic regions in throwaway databases and time the main pages.

    DEBUG=1 .venv/bin/python manage.py bench                       # S, M and L, 200 requests each
    make bench BENCH_ARGS="--sizes S --repeat 5"                  # quick look
    DATABASE_URL=postgres://… make bench                          # PostgreSQL: <name>_bench_<size>

The developer's database is never used: SQLite runs on bench-<size>.sqlite3 in the project root,
PostgreSQL on <name>_bench_<size> created next to the configured database. Both are removed at
the end unless --keep; a kept database (with its region's ids in
bench-<size>-<vendor>.region.json) is measured again by --reuse, migrated first, not generated.
Results are printed and written to bench-results.json (keyed by database vendor, so a SQLite
and a PostgreSQL run can sit side by side). Code lives in devtools/bench.py.

Settings are read at import, so DEBUG=1 (or SECRET_KEY) must come from the environment; the
Makefile's bench target sets DEBUG=1. Timed requests themselves run with DEBUG off. PostgreSQL
needs a role with CREATEDB and a server of version 13 or later (DROP DATABASE … WITH (FORCE)).
"""

import json
import os
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from devtools import bench


class Command(BaseCommand):
    help = (
        "Generate synthetic regions (sizes S/M/L) in throwaway databases and report median/p95 "
        "server time and SQL query counts of the main pages and API endpoints."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--sizes",
            default=",".join(bench.DEFAULT_SIZES),
            help=f"comma-separated sizes out of {', '.join(bench.SIZES)} (default S,M,L)",
        )
        parser.add_argument(
            "--repeat",
            type=int,
            default=200,
            help=f"timed requests per URL, p95 from them (default 200; exports at most "
            f"{bench.EXPORT_SAMPLES})",
        )
        parser.add_argument(
            "--import-rows",
            type=int,
            default=bench.IMPORT_ROWS,
            help=f"rows of the generated teacher list to import (default {bench.IMPORT_ROWS}; "
            f"0 skips the import)",
        )
        parser.add_argument(
            "--results-import-rows",
            type=int,
            default=bench.RESULTS_IMPORT_ROWS,
            help=f"rows of the generated pupils' results table to import (default "
            f"{bench.RESULTS_IMPORT_ROWS}; 0 skips it)",
        )
        parser.add_argument(
            "--only",
            default="",
            help="time only the targets whose label contains one of these comma-separated "
            "words (e.g. --only results: the pupils' results pages and API)",
        )
        parser.add_argument(
            "--keep", action="store_true", help="keep the generated databases for inspection"
        )
        parser.add_argument(
            "--output",
            default=str(Path(settings.BASE_DIR) / "bench-results.json"),
            help="where to write the JSON results (default bench-results.json)",
        )
        parser.add_argument(
            "--reuse",
            action="store_true",
            help="measure the databases kept by an earlier --keep run again (migrated first) "
            "instead of generating them",
        )
        parser.add_argument("--seed", type=int, default=bench.SEED, help="generator seed")

    def _generated(self, size, region) -> None:
        counts = ", ".join(f"{k} {v:,}" for k, v in region.counts.items())
        self.stdout.write(f"[{size.code}] generated in {region.seconds:.1f} s: {counts}")
        self.stdout.write(
            f"[{size.code}] of which pupils' results {region.results_seconds:.1f} s "
            f"(rows {region.result_rows_seconds:.1f} s, summaries "
            f"{region.results_seconds - region.result_rows_seconds:.1f} s)"
        )

    def handle(self, *args, **options):
        try:
            sizes = bench.parse_sizes(options["sizes"])
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        repeat = options["repeat"]
        if repeat < 1:
            raise CommandError("--repeat must be at least 1")

        targets = bench.select_targets(options["only"])
        if not targets:
            raise CommandError(f"no target's label contains any of {options['only']!r}")
        vendor = connection.vendor
        imports: dict[str, bench.ImportBench] = {}
        results_imports: dict[str, bench.ResultsImportBench] = {}
        regions: dict[str, bench.Region] = {}
        by_size: dict[str, list[bench.Result]] = {}
        names: list[str] = []
        for size in sizes:
            if options["reuse"]:
                try:
                    bench.load_region(size)
                except FileNotFoundError as exc:
                    raise CommandError(str(exc)) from exc
            with bench.bench_database(size, keep=options["keep"], reuse=options["reuse"]) as name:
                names.append(name)
                if options["reuse"]:
                    self.stdout.write(f"[{size.code}] {vendor} {name}: reused")
                    region = bench.load_region(size)
                else:
                    self.stdout.write(f"[{size.code}] {vendor} {name}: generating…")
                    region = bench.generate_region(size, seed=options["seed"])
                    if options["keep"]:
                        bench.save_region(size, region)
                bench.analyse()
                if not options["reuse"]:
                    self._generated(size, region)
                by_size[size.code] = bench.measure(region, repeat=repeat, targets=targets)
                regions[size.code] = region
                self.stdout.write(f"[{size.code}] measured {len(by_size[size.code])} URLs")
                if options["import_rows"] > 0:
                    imports[size.code] = bench.measure_import(
                        region, rows=options["import_rows"], seed=options["seed"]
                    )
                    self.stdout.write(f"[{size.code}] {imports[size.code].line()}")
                if options["results_import_rows"] > 0:
                    results_imports[size.code] = bench.measure_results_import(
                        region, rows=options["results_import_rows"], seed=options["seed"]
                    )
                    self.stdout.write(f"[{size.code}] {results_imports[size.code].line()}")

        self.stdout.write("")
        self.stdout.write(
            bench.render_table(
                f"Database: {vendor} — {repeat} timed requests per URL after 2 warm-ups "
                f"(load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} CPUs)",
                by_size,
            )
        )
        self.stdout.write("")
        self.stdout.write(bench.render_floors(by_size))
        if imports:
            self.stdout.write("")
            for code, result in imports.items():
                self.stdout.write(f"[{code}] {result.line()}")
        for code, result in results_imports.items():
            self.stdout.write(f"[{code}] {result.line()}")
        checks = bench.verdicts(by_size)
        if imports:
            largest = list(imports)[-1]
            checks += [
                bench.Verdict(f"{v.target} (at {largest})", v.passed, v.offenders)
                for v in imports[largest].verdicts()
            ]
        if results_imports:
            largest = list(results_imports)[-1]
            checks += [
                bench.Verdict(f"{v.target} (at {largest})", v.passed, v.offenders)
                for v in results_imports[largest].verdicts()
            ]
        self.stdout.write("")
        for verdict in checks:
            style = {True: self.style.SUCCESS, False: self.style.ERROR}.get(
                verdict.passed, self.style.WARNING
            )
            self.stdout.write(style(verdict.line()))

        output = Path(options["output"])
        data: dict = {}
        if output.exists():
            try:
                data = json.loads(output.read_text(encoding="utf-8"))
            except (ValueError, OSError):
                data = {}
        data[vendor] = bench.results_json(
            vendor, ", ".join(names), repeat, regions, by_size, checks, imports, results_imports
        )
        output.write_text(json.dumps(data, ensure_ascii=False, indent=2), encoding="utf-8")
        self.stdout.write(f"\nResults written to {output}")
        if options["keep"]:
            self.stdout.write(f"Kept databases: {', '.join(names)}")
