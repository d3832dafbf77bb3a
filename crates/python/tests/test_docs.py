"""docs/PYTHON.md's worked example runs as written: every ```python block, in order, in one
namespace, on a database of its own, from a folder beside the shared data as in a clone."""

import os
import re

from conftest import REPO, shared

DOC = REPO / "docs" / "PYTHON.md"


def test_the_worked_example_runs(tmp_path, monkeypatch, capsys):
    blocks = re.findall(r"```python\n(.*?)```", DOC.read_text(), re.S)
    assert len(blocks) >= 4
    # The example reads ../shared/data, as from a clone beside the shared data.
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "data").symlink_to(shared(".").resolve())
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    monkeypatch.setenv("PACTBASE_DB", str(tmp_path / "example.db"))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    namespace = {}
    for block in blocks:
        exec(compile(block, str(DOC), "exec"), namespace)
    printed = capsys.readouterr().out
    # The figures the document quotes are the ones it computes.
    expected = re.search(r"```text\n(.*?)```", DOC.read_text(), re.S).group(1)
    assert expected.strip() in printed
    assert "757933 dyad-years at risk, 1601 formations" in printed
    assert (tmp_path / "work" / "pakistan-network.png").stat().st_size > 10_000
    assert os.environ["PACTBASE_DB"] == str(namespace["registry"].path)
