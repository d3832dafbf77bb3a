#!/usr/bin/env python3
"""Prints the `[[NAME.files]]` blocks of crates/ingest/catalogue.toml for files of a copy.

    tools/catalogue-pins.py NAME ROOT PATH...   # PATH relative to ROOT; folders expand

Used to pin the known copies in ../shared/data (e.g. the 134 SIPRI arms-transfer
exports): `tools/catalogue-pins.py sipri-arms ../shared/data sipri/arms-transfers-tiv-1950-2021`.
"""
import hashlib
import sys
from pathlib import Path


def main() -> None:
    if len(sys.argv) < 4:
        sys.exit(__doc__)
    name, root, paths = sys.argv[1], Path(sys.argv[2]), sys.argv[3:]
    files = []
    for p in paths:
        full = root / p
        files += sorted(full.iterdir()) if full.is_dir() else [full]
    for f in files:
        digest = hashlib.sha256(f.read_bytes()).hexdigest()
        print(f'[[{name}.files]]\npath = "{f.relative_to(root).as_posix()}"\nsha256 = "{digest}"\n')


if __name__ == "__main__":
    main()
