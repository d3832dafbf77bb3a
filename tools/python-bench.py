#!/usr/bin/env python3
"""The 1816-2016 directed dyad-year panel with ATOP into a pyarrow Table: in-process with
the Python package, against the CLI writing Parquet and `pyarrow.parquet.read_table`
reading it back (docs/PERFORMANCE.md).

    python3 tools/python-bench.py [--cli target/release/pactbase] [--runs 5]

Needs the package installed (`pip install ./crates/python`, or the release wheel of
`maturin build --release -m crates/python/Cargo.toml`) and ../shared/data (or
$PACTBASE_SHARED_DATA). Each run is a fresh Python process, so its peak memory (maximum
resident set, its own and its children's: the CLI's) is that run's alone; the database,
with COW states and ATOP imported, is made once beforehand.
"""
import argparse
import os
import pathlib
import statistics
import subprocess
import sys
import tempfile

REPO = pathlib.Path(__file__).resolve().parents[1]
SHARED = pathlib.Path(os.environ.get("PACTBASE_SHARED_DATA", REPO.parent / "shared" / "data"))

IN_PROCESS = """
import resource, sys, time
import pactbase
registry = pactbase.open(sys.argv[1])
started = time.perf_counter()
table = registry.panel("dyad-year", years=(1816, 2016), directed=True, with_="atop")
elapsed = time.perf_counter() - started
usage = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(elapsed, usage, table.num_rows)
"""

THROUGH_PARQUET = """
import resource, subprocess, sys, time
import pyarrow.parquet as pq
db, cli, out = sys.argv[1:4]
started = time.perf_counter()
subprocess.run([cli, "--db", db, "panel", "dyad-year", "--directed", "--years", "1816-2016", "--with", "atop",
                "--format", "parquet", "--output", out], check=True)
table = pq.read_table(out)
elapsed = time.perf_counter() - started
usage = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(elapsed, usage, table.num_rows)
"""


def run(script, *args):
    out = subprocess.run([sys.executable, "-c", script, *args], check=True, capture_output=True, text=True).stdout
    elapsed, kilobytes, rows = out.split()
    return float(elapsed), int(kilobytes) / 1024, int(rows)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli", default=str(REPO / "target" / "release" / "pactbase"))
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    import pactbase

    with tempfile.TemporaryDirectory() as tmp:
        db = os.path.join(tmp, "bench.db")
        registry = pactbase.open(db)
        registry.import_dataset("cow-states", SHARED / "cow" / "states2016.csv")
        registry.import_dataset("atop", SHARED / "atop-5.1")
        parquet = os.path.join(tmp, "ddy.parquet")
        for label, script, extra in [
            ("in-process, pactbase.Registry.panel", IN_PROCESS, []),
            ("CLI Parquet + pyarrow.parquet.read_table", THROUGH_PARQUET, [args.cli, parquet]),
        ]:
            runs = [run(script, db, *extra) for _ in range(args.runs)]
            times = [r[0] for r in runs]
            memory = statistics.median(r[1] for r in runs)
            print(
                f"{label}: {runs[0][2]:,} rows; median {statistics.median(times):.2f} s, best {min(times):.2f} s "
                f"of {args.runs}; peak memory {memory:.0f} MB (median)"
            )


if __name__ == "__main__":
    main()
