"""Type stubs of the compiled module (src/*.rs); the docstrings are the runtime ones, and
tests/test_stub.py checks that signatures and docstrings match."""

from os import PathLike
from pathlib import Path
from typing import Any, Dict, Literal, Optional, Sequence, Tuple, Union

import pyarrow

__version__: str

_Path = Union[str, "PathLike[str]"]
#: ``(A, B)``, one year, or the CLI's ``"A-B"``.
_Years = Union[Tuple[int, int], int, str]
#: A list of names, or one comma-separated string as on the command line.
_Names = Union[Sequence[str], str]
_Source = Literal["atop", "curated", "both"]

class Registry:
    """A handle on a pactbase database (see `pactbase.open`)."""

    def __init__(self, path: Optional[_Path] = None) -> None: ...
    @property
    def path(self) -> Path:
        """The database file."""
    def init(self, data: Optional[_Path] = None) -> Dict[str, Any]:
        """(Re)loads the curated registry: the one built into pactbase, or the data folder
        ``data`` (validated whole first; on any problem nothing changes and ``InvalidData``
        lists them). Imported datasets and agreements edited through the web are kept.
        Returns what was loaded, as ``pactbase init --format json``."""
    def import_dataset(self, name: str, path: _Path, dry_run: bool = False) -> Dict[str, Any]:
        """Imports the research dataset ``name`` (``"atop"``, ``"cow-states"``, ``"nmc"``,
        ``"mme"``, ``"sipri-milex"``, ``"rivalries"``) from ``path`` (ATOP: its folder), as
        ``pactbase import``: validated whole, stored in one transaction with its provenance,
        replacing an earlier import. ``dry_run`` validates only. Returns the summary (rows
        read and stored, names that match no state, notes); a file that fails validation
        raises ``InvalidData`` and stores nothing."""
    def agreements(
        self,
        member: Optional[str] = None,
        kind: Optional[str] = None,
        active_in: Optional[int] = None,
        text: Optional[str] = None,
        parties: Optional[Literal["complete", "selected"]] = None,
    ) -> pyarrow.Table:
        """The agreements, filtered as ``pactbase agreements``: ``member`` a state (COW code,
        abbreviation, ISO code or name) that has been a party; ``kind`` a kind of agreement or
        an ATOP obligation type; ``active_in`` a year it was in force (with ``member``: the
        member was a party then); ``text`` words of its name, summary or text; ``parties``
        ``"complete"`` or ``"selected"``. One row per agreement with the fields of
        ``pactbase agreements --format json`` (members as COW codes)."""
    def agreement(self, id: str) -> Dict[str, Any]:
        """The agreement ``id`` whole, as ``pactbase show ID --format json``: parties with dates,
        obligations, provisions, sources, and ATOP's own coding when it cites an imported
        alliance. An unknown id raises ``UnknownAgreement`` naming the closest."""
    def country(self, state: str, year: Optional[int] = None, all_history: bool = False, all_agreements: bool = False) -> Dict[str, Any]:
        """The registry's parts of ``state``'s assessment, as ``pactbase country S --format
        json``: who binds it by defense, its memberships with their standing and
        obligations, its partners ranked by commitment and depth (docs/PARTNERS.md) and its
        exercises, at the end of ``year`` (default: the registry's current year), or over
        ``all_history``; ``all_agreements`` ranks partners through conventions and forums too."""
    def challenges(self, state: str, year: Optional[int] = None, all_history: bool = False) -> Dict[str, Any]:
        """The challenges of ``state``'s commitments, as ``pactbase challenges S --format json``
        (docs/CHALLENGES.md): calls on them and what came of them, reservations,
        suspensions and sanctions, commitment conflicts, obligations toward both sides of a
        rivalry, sovereignty costs with the basis of each component, overlaps; at the end of
        ``year`` (default: the registry's current year), or over ``all_history``."""
    def recommend(
        self,
        state: str,
        year: Optional[int] = None,
        top: int = 10,
        horizon: int = 10,
        include_rivals: bool = False,
        include_unrecognised: bool = False,
    ) -> pyarrow.Table:
        """The ``top`` likeliest new allies of ``state`` within ``horizon`` years as of
        ``year`` (default: the registry's current year), as ``pactbase recommend S --format
        json`` (docs/RECOMMEND.md): one row per candidate in rank order, with the modelled
        probability, the reasons in words and every feature's value and contribution to the
        log-odds. Strategic rivals and states either side does not recognise are left out
        unless ``include_rivals`` or ``include_unrecognised`` (then with ``cautions``); the
        schema metadata ``pactbase.left_out`` lists those left out, with why (JSON)."""
    def impact(
        self,
        *,
        outcome: Literal["milex", "sipri-milex", "nmc-milex", "cinc", "log-cinc", "exercises", "arms-imports"],
        agreement: Optional[str] = None,
        kind: Optional[str] = None,
        treatment: Literal["held", "owed", "either", "both"] = "either",
        window: Optional[Union[Tuple[int, int], str]] = None,
        state: Optional[str] = None,
        compare: Optional[_Names] = None,
        not_yet_treated: bool = False,
        estimator: Literal["cs", "twfe"] = "cs",
    ) -> pyarrow.Table:
        """An event study of what being bound by an agreement changed, as ``pactbase impact``
        (docs/IMPACT.md): the treatment is being bound by ``agreement`` (an id) or by an
        agreement of ``kind`` (or an ATOP obligation type); ``treatment`` which side of a
        directed obligation makes a state treated (``"held"``, ``"owed"``, ``"either"``,
        ``"both"``); ``outcome`` one of ``pactbase impact``'s (``"milex"``, ``"sipri-milex"``,
        ``"nmc-milex"``, ``"cinc"``, ``"log-cinc"``, ``"exercises"``, ``"arms-imports"``);
        ``window`` the relative years, ``(-5, 10)`` or ``"-5..10"``; ``state`` one treated
        state (with placebo and synthetic-control inference), against the ``compare``
        states when given; ``not_yet_treated`` adds states that enter later to the
        comparison group; ``estimator`` is ``"cs"`` (Callaway and Sant'Anna) or ``"twfe"``.
        One row per relative year; the schema metadata holds ``pactbase.summary`` (the
        CLI's summary) and ``pactbase.study`` (its JSON: pre-entry test, samples, headline,
        warnings)."""
    def panel(
        self,
        unit: Literal["dyad-year", "state-year"],
        years: Optional[_Years] = None,
        directed: bool = False,
        with_: Optional[_Names] = None,
        source: _Source = "atop",
    ) -> pyarrow.Table:
        """The ``"dyad-year"`` or ``"state-year"`` panel, as ``pactbase panel``: the same
        columns and types as its Parquet output, and its provenance as schema metadata.
        ``years`` is ``(A, B)``, one year or ``"A-B"`` (default: the state system's span);
        ``directed`` gives both (A, B) and (B, A); ``with_`` names the datasets to join
        (a list or ``"atop,nmc"``: any value of the CLI's ``--with``); ``source`` is where
        alliance ties come from: ``"atop"``, ``"curated"`` (the registry) or ``"both"``.
        A dataset ``with_`` needs that is not imported raises ``MissingDataset``."""
    def similarity(
        self,
        years: Optional[_Years] = None,
        source: _Source = "atop",
        measures: Optional[_Names] = None,
    ) -> pyarrow.Table:
        """Foreign-policy similarity (FPSIM: S, pi, kappa, tau-b) of every directed dyad-year,
        as ``pactbase similarity`` (docs/SIMILARITY.md). ``years`` as for ``panel`` (default
        1816-2018); ``measures`` keeps only the measures named (a list or ``"taub,pallyv"``)."""
    def network(
        self,
        year: Optional[int] = None,
        years: Optional[_Years] = None,
        level: Literal["any", "defense"] = "any",
        kind: Optional[str] = None,
        source: _Source = "atop",
    ) -> pyarrow.Table:
        """Node measures and blocs of the alliance network, as ``pactbase network``: one
        ``year`` or ``years`` ``(A, B)`` in one long table, one row per state-year.
        ``level`` is ``"any"`` (any shared alliance) or ``"defense"`` (defense or offense
        obligations); ``kind`` keeps one kind of agreement; ``source`` as for ``panel``."""
