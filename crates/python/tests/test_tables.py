"""Tables equal the command line's output column for column, and convert to pandas and
polars keeping missing integers missing."""

import subprocess

import pyarrow.parquet as pq
import pytest


def cli_parquet(cli, database, tmp_path, *args):
    """The table the CLI writes, and the file's key-value metadata (its provenance)."""
    out = tmp_path / "cli.parquet"
    subprocess.run([cli, "--db", str(database), *args, "--format", "parquet", "--output", str(out)], check=True)
    return pq.read_table(out), pq.read_metadata(out).metadata


@pytest.mark.parametrize(
    "args, call",
    [
        (
            ["panel", "dyad-year", "--directed", "--years", "1975-1995", "--with", "atop,nmc,mme,rivalry,sipri"],
            lambda r: r.panel("dyad-year", years=(1975, 1995), directed=True, with_=["atop", "nmc", "mme", "rivalry", "sipri"]),
        ),
        (
            ["panel", "state-year", "--with", "atop,nmc,mme,rivalry,sipri", "--source", "both"],
            lambda r: r.panel("state-year", with_="atop,nmc,mme,rivalry,sipri", source="both"),
        ),
        (
            ["similarity", "--years", "1960-1965", "--measures", "taub,sallyvwa,kallyv"],
            lambda r: r.similarity(years="1960-1965", measures=["taub", "sallyvwa", "kallyv"]),
        ),
    ],
    ids=["dyad-year", "state-year", "similarity"],
)
def test_tables_equal_the_cli_parquet(registry, database, cli, tmp_path, args, call):
    ours = call(registry)
    theirs, provenance = cli_parquet(cli, database, tmp_path, *args)
    assert ours.schema.equals(theirs.schema)
    assert ours.num_rows == theirs.num_rows > 1000
    assert ours.equals(theirs)
    # The provenance is the Parquet file's, naming the CLI command that writes the table.
    for key in [b"pactbase.version", b"pactbase.datasets"]:
        assert ours.schema.metadata[key] == provenance[key]
    assert ours.schema.metadata[b"pactbase.command"].decode().startswith("pactbase " + args[0])


def test_network_equals_the_cli_csv(registry, database, cli):
    import csv
    import io

    text = subprocess.run(
        [cli, "--db", str(database), "network", "--years", "1954-1956", "--level", "defense", "--format", "csv"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    ours = registry.network(years=(1954, 1956), level="defense").to_pylist()
    assert len(ours) == len(rows) > 100
    for mine, theirs in zip(ours, rows):
        assert mine.keys() == theirs.keys()
        for name, value in mine.items():
            if name == "modularity" and value is None:
                assert theirs[name] == ""
            elif isinstance(value, float):
                assert value == float(theirs[name])
            else:
                assert str(value) == theirs[name]


def test_pandas_and_polars_keep_missing_integers(registry):
    import polars as pl

    # MME covers 1980-2010: before 1980 the exercise counts are unknown (null), not 0.
    panel = registry.panel("dyad-year", years=(1978, 1981), with_="atop,mme")
    assert panel.column("mme_exercises").null_count > 0
    frame = panel.to_pandas()
    assert str(frame["mme_exercises"].dtype) == "Int32"
    assert str(frame["ccode1"].dtype) == "Int32"
    assert frame["mme_exercises"].isna().sum() == panel.column("mme_exercises").null_count
    assert frame.loc[frame["year"] >= 1980, "mme_exercises"].notna().all()
    polars = pl.from_arrow(panel)
    assert polars.schema["mme_exercises"] == pl.Int32
    assert polars["mme_exercises"].null_count() == panel.column("mme_exercises").null_count
    agreements = registry.agreements(member="PAK").to_pandas()
    assert str(agreements["atopid"].dtype) == "Int32" and agreements["atopid"].isna().any()
    assert str(agreements["bilateral"].dtype) == "boolean"
