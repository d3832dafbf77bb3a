"""The registry's handle, listings and documents, on the real data."""

import pytest
from conftest import shared

import pactbase


def test_open_uses_pactbase_db_like_the_cli(database, monkeypatch):
    monkeypatch.setenv("PACTBASE_DB", str(database))
    assert pactbase.open().path == database


def test_a_new_database_gets_the_built_in_registry(tmp_path):
    registry = pactbase.open(tmp_path / "new.db")
    assert registry.agreements(member="PAK").num_rows > 10


def test_init_reloads_and_reports_counts(tmp_path):
    registry = pactbase.open(tmp_path / "init.db")
    loaded = registry.init()
    assert loaded["data"] == "data/"
    assert loaded["states"] > 200 and loaded["agreements"] >= 140
    assert registry.agreements().num_rows == loaded["agreements"]


def test_a_bad_data_folder_changes_nothing(tmp_path):
    registry = pactbase.open(tmp_path / "bad.db")
    before = registry.agreements().num_rows
    (tmp_path / "data").mkdir()
    with pytest.raises(pactbase.InvalidData, match="states.csv") as raised:
        registry.init(tmp_path / "data")
    assert isinstance(raised.value, ValueError)
    assert registry.agreements().num_rows == before


def test_import_summary_and_dry_run(tmp_path):
    registry = pactbase.open(tmp_path / "import.db")
    path = shared("rivalries/tss-strategic-rivalries.csv")
    dry = registry.import_dataset("rivalries", path, dry_run=True)
    assert dry["dry_run"] and dry["rows_stored"] == 0 and dry["rows_read"] > 100
    with pytest.raises(pactbase.MissingDataset):  # the dry run stored nothing
        registry.panel("dyad-year", years=1990, with_="rivalry")
    stored = registry.import_dataset("rivalries", path)
    assert not stored["dry_run"] and stored["rows_stored"] > 100
    assert stored["files"][0]["sha256"] == dry["files"][0]["sha256"]
    assert registry.panel("dyad-year", years=1990, with_="rivalry").column("tss_rivalry").to_pylist().count(1) > 10


def test_a_file_that_is_not_the_dataset_is_refused(tmp_path):
    registry = pactbase.open(tmp_path / "refused.db")
    with pytest.raises(pactbase.InvalidData):
        registry.import_dataset("nmc", shared("rivalries/tss-strategic-rivalries.csv"))
    with pytest.raises(pactbase.MissingDataset):
        registry.panel("state-year", years=1990, with_="nmc")


def test_agreements_filter_as_the_cli(registry):
    pakistan = registry.agreements(member="Pakistan")
    ids = pakistan.column("id").to_pylist()
    assert "seato" in ids and "cento" in ids
    assert all(770 in members for members in pakistan.column("members").to_pylist())
    in_1960 = registry.agreements(member="PAK", active_in=1960).column("id").to_pylist()
    assert "seato" in in_1960 and set(in_1960) < set(ids)
    kinds = registry.agreements(kind="intelligence-sharing").column("kinds").to_pylist()
    assert kinds and all("intelligence-sharing" in k.split(";") for k in kinds)
    assert registry.agreements(text="north atlantic").num_rows >= 1
    selected = registry.agreements(parties="selected").num_rows
    assert registry.agreements(parties="complete").num_rows + selected == registry.agreements().num_rows


def test_agreement_and_country_are_the_cli_documents(registry):
    seato = registry.agreement("seato")
    assert seato["id"] == "seato" and any(m["ccode"] == 770 for m in seato["members"])
    core = registry.country("PAK", year=1965)
    assert core["state"]["ccode"] == 770 and core["reference_year"] == 1965
    seato = next(m for m in core["timeline"]["memberships"] if m["agreement_id"] == "seato")
    assert seato["standing"] == "in-force"
    assert core == registry.country("Pakistan", year=1965)
    now = registry.country("PAK")
    assert now["reference_year"] == 2025
    assert next(m for m in now["timeline"]["memberships"] if m["agreement_id"] == "seato")["standing"] == "ended"


def test_challenges(registry):
    result = registry.challenges("PAK")
    assert result["ccode"] == 770
    assert {"conflicts", "rival_pledges", "sovereignty", "overlaps", "invocations"} <= result.keys()
    assert registry.challenges("PAK", all_history=True)["sovereignty"]["items"]


def test_errors_map_to_python_exceptions(registry, tmp_path):
    with pytest.raises(pactbase.UnknownState, match="did you mean Pakistan") as raised:
        registry.country("Pakistn")
    assert isinstance(raised.value, KeyError)
    assert str(raised.value).startswith("unknown state `Pakistn`")
    with pytest.raises(pactbase.UnknownAgreement, match="did you mean seato") as raised:
        registry.agreement("seatoo")
    assert isinstance(raised.value, KeyError)
    with pytest.raises(ValueError, match="out of range"):
        registry.panel("state-year", years=(1700, 1800))
    with pytest.raises(ValueError, match="starts after it ends"):
        registry.network(years="1990-1980")
    with pytest.raises(ValueError, match="unknown dataset `cowz`"):
        registry.panel("dyad-year", with_=["atop", "cowz"])
    with pytest.raises(ValueError, match="unknown measure"):
        registry.similarity(years=2000, measures="s")
    with pytest.raises(ValueError, match="year=Y"):
        registry.network()
    with pytest.raises(ValueError, match="alliance ties end in 2018"):
        registry.network(year=2020)
    fresh = pactbase.open(tmp_path / "fresh.db")
    with pytest.raises(pactbase.MissingDataset, match="pactbase data fetch atop") as raised:
        fresh.panel("dyad-year", years=1990, with_="atop")
    assert raised.value.dataset == "atop"
    assert 'import_dataset("atop"' in str(raised.value)


def test_recommend_ranks_candidates_with_their_features(registry):
    import json

    ranked = registry.recommend("PAK", year=2010, top=5)
    assert ranked.column("rank").to_pylist() == [1, 2, 3, 4, 5]
    scores = ranked.column("score").to_pylist()
    assert scores == sorted(scores, reverse=True) and all(0 < s < 1 for s in scores)
    partners = ranked.column("partner").to_pylist()
    assert 770 not in partners and 750 not in partners  # India, a strategic rival, is left out
    first = ranked.to_pylist()[0]
    assert first["reasons"] and all(first["reasons"])
    contributions = first["statistics"]["contributions"]
    assert contributions and all(c["explanation"] for c in contributions)
    left_out = json.loads(ranked.schema.metadata[b"pactbase.left_out"])
    assert all(entry["why"] for entry in left_out)


def test_impact_is_the_cli_event_study(registry, database, cli):
    import csv
    import io
    import json
    import subprocess

    study = registry.impact(agreement="seato", outcome="milex", state="PAK", compare="IND,IRN")
    text = subprocess.run(
        [cli, "--db", str(database), "impact", "--agreement", "seato", "--outcome", "milex", "--state", "PAK",
         "--compare", "IND,IRN", "--format", "csv"],
        check=True, capture_output=True, text=True,
    ).stdout
    rows = list(csv.DictReader(io.StringIO(text)))
    ours = study.to_pylist()
    assert [r["relative_year"] for r in ours] == list(range(-5, 11)) == [int(r["relative_year"]) for r in rows]
    for mine, theirs in zip(ours, rows):
        for name in ["estimate", "std_error", "ci_low", "ci_high"]:
            assert ("" if mine[name] is None else f"{mine[name]:.4f}") == theirs[name]
        assert (mine["treated"], mine["comparison"]) == (int(theirs["treated"]), int(theirs["comparison"]))
    assert next(r for r in ours if r["relative_year"] == -1)["reference"]
    summary = study.schema.metadata[b"pactbase.summary"].decode()
    # India's and Iran's SIPRI series start after 1953: NMC's, and the summary says why.
    assert "under SEATO" in summary and "every comparison state" in summary
    result = json.loads(study.schema.metadata[b"pactbase.study"])
    assert result["relative_years"] and result["headline"] and result["treatment"].startswith("holds or is owed")
    with pytest.raises(ValueError, match="not a window"):
        registry.impact(agreement="seato", outcome="milex", window=(0, 5))
