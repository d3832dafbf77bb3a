"""pactbase for Python: the defense-agreement registry, alliance panels, similarity,
networks and the other analyses of pactbase, computed in-process by the same Rust code as
the ``pactbase`` command line, and handed back as ``pyarrow.Table``s (no copy) or dicts.

    >>> import pactbase
    >>> registry = pactbase.open()            # the CLI's database
    >>> panel = registry.panel("dyad-year", years=(1946, 2016), with_=["atop", "nmc"])
    >>> panel.to_pandas()                     # or polars.from_arrow(panel)

See docs/PYTHON.md for a worked example.
"""

from os import PathLike
from typing import Optional, Union

from ._errors import InvalidData, MissingDataset, PactbaseError, UnknownAgreement, UnknownState
from ._pactbase import Registry, __version__

__all__ = [
    "open",
    "Registry",
    "PactbaseError",
    "UnknownState",
    "UnknownAgreement",
    "MissingDataset",
    "InvalidData",
    "__version__",
]


def open(path: Optional[Union[str, "PathLike[str]"]] = None) -> Registry:
    """Opens the pactbase database at ``path``; by default the one the ``pactbase`` command
    line uses: ``$PACTBASE_DB`` if set, else ``pactbase/pactbase.db`` in the user's data
    directory (``~/.local/share`` on Linux). A new database first gets the curated
    registry built into pactbase, as the command line does."""
    return Registry(path)
