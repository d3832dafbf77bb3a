#!/usr/bin/env python3
"""Fails when a workspace crate declares a dependency its code never names.

Reads the dependencies from `cargo metadata` and looks for each crate's name in the Rust
files that can use it: a normal dependency in `src/` (and `build.rs` for a build
dependency), a dev-dependency anywhere in the crate. A normal dependency named only by
tests is reported too: it belongs under [dev-dependencies]. A dependency declared only to
turn on a feature of another is listed, with why, under
`[package.metadata.cargo-machete] ignored = [...]` (cargo-machete's convention).

    tools/unused-deps.py        (run from the repository; CI runs it; well under a second)
"""
import json
import pathlib
import re
import subprocess
import sys


def rust_files(root, parts):
    for part in parts:
        path = root / part
        if path.is_file():
            yield path
        elif path.is_dir():
            yield from path.rglob("*.rs")


def names(crate, files):
    pattern = re.compile(rf"(\b{crate}\s*::|\buse\s+{crate}\b|\bextern\s+crate\s+{crate}\b)")
    return any(pattern.search(f.read_text(encoding="utf-8")) for f in files)


def main():
    meta = json.loads(
        subprocess.run(
            ["cargo", "metadata", "--format-version", "1", "--no-deps", "--locked"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
    )
    problems = []
    for package in meta["packages"]:
        root = pathlib.Path(package["manifest_path"]).parent
        ignored = set((package.get("metadata") or {}).get("cargo-machete", {}).get("ignored", []))
        src = list(rust_files(root, ["src"]))
        build = list(rust_files(root, ["build.rs"]))
        everywhere = list(rust_files(root, ["src", "tests", "benches", "examples", "build.rs"]))
        for dep in package["dependencies"]:
            if dep["name"] in ignored:
                continue
            crate = (dep.get("rename") or dep["name"]).replace("-", "_")
            kind = dep["kind"]
            where = f"{package['manifest_path']}: `{dep['name']}`"
            if kind == "build":
                if not names(crate, build):
                    problems.append(f"{where} (build) is not used by build.rs: remove it")
            elif kind == "dev":
                if not names(crate, everywhere):
                    problems.append(f"{where} (dev) is not used: remove it")
            elif not names(crate, src):
                if names(crate, everywhere):
                    problems.append(f"{where} is used only by tests: move it to [dev-dependencies]")
                else:
                    problems.append(f"{where} is not used: remove it")
    for problem in problems:
        print(problem, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
