"""Fixtures on the real research data in ../shared/data (never copied into the
repository): a database with every dataset imported, and the `pactbase` binary for
comparisons with the command line. Missing data or binary is a skip on a developer's
machine and a failure under CI=true, as in the Rust tests (crates/testdata)."""

import os
import shutil
from pathlib import Path

import pytest

import pactbase

REPO = Path(__file__).resolve().parents[3]

#: (dataset, path inside the shared data folder), every dataset the analyses read.
DATASETS = [
    ("cow-states", "cow/states2016.csv"),
    ("atop", "atop-5.1"),
    ("nmc", "cow/nmc-7.0-abridged.csv"),
    ("mme", "mme-7/mme_v7.csv"),
    ("sipri-milex", "sipri/sipri-milex-constant-2017usd.csv"),
    ("rivalries", "rivalries/tss-strategic-rivalries.csv"),
]


def _missing(message: str):
    if os.environ.get("CI") == "true":
        pytest.fail(message)
    pytest.skip(message)


def shared(rel: str) -> Path:
    root = Path(os.environ.get("PACTBASE_SHARED_DATA", REPO.parent / "shared" / "data"))
    path = root / rel
    if not path.exists():
        _missing(f"research dataset {path} is missing (set PACTBASE_SHARED_DATA to the folder holding atop-5.1/, cow/, ...)")
    return path


@pytest.fixture(scope="session")
def database(tmp_path_factory) -> Path:
    """A database with the curated registry and every research dataset imported."""
    path = tmp_path_factory.mktemp("db") / "pactbase.db"
    registry = pactbase.open(path)
    for name, rel in DATASETS:
        registry.import_dataset(name, shared(rel))
    return path


@pytest.fixture(scope="session")
def registry(database) -> "pactbase.Registry":
    return pactbase.open(database)


@pytest.fixture(scope="session")
def cli() -> str:
    """The `pactbase` binary: $PACTBASE_BIN, else the build in the target directory."""
    named = os.environ.get("PACTBASE_BIN")
    target = Path(os.environ.get("CARGO_TARGET_DIR", REPO / "target"))
    for candidate in [named, target / "debug" / "pactbase", target / "release" / "pactbase", shutil.which("pactbase")]:
        if candidate and Path(candidate).is_file():
            return str(candidate)
    _missing("no pactbase binary: build it (cargo build) or set PACTBASE_BIN")
