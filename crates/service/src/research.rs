//! What the analyses load from the store: the state system, alliance ties from the chosen
//! source, and the other imported datasets, with clear errors when a needed dataset has
//! not been imported.

use std::collections::HashSet;

use pactbase_analysis::panel::{
    self, atop_pairs_through, atop_state_years, pair_state_years, registry_pairs, Capabilities, DyadTable, StateTable,
    System,
};
use pactbase_model::research::{AtopMember, Dataset, SystemSpell, Ymd};
use pactbase_model::{Agreement, AgreementKind, Ccode, PartialDate, StateIndex};
use pactbase_store::{AgreementFilter, KindFilter, Store};

use crate::{Result, ServiceError};

/// The registry describes agreements through this year (declared in `model::coverage`).
pub const REGISTRY_LAST_YEAR: i32 = pactbase_model::coverage::REGISTRY_CURRENT_YEAR;

/// Which alliance ties analyses use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TieSource {
    /// ATOP 5.1's member-level obligations (through 2018).
    Atop,
    /// The registry's curated directed obligations (through 2025).
    Curated,
    /// ATOP, with curated agreements replacing the ATOP alliances they code.
    Both,
}

impl TieSource {
    /// The source research outputs read unless told otherwise, the same for the CLI's
    /// `--source`, the API's `source=` and Python's `source=`: ATOP, as the published
    /// datasets (FPSIM, peacesciencer) code alliances, so figures match them.
    pub const DEFAULT: TieSource = TieSource::Atop;
    pub const ALL: [TieSource; 3] = [TieSource::Atop, TieSource::Curated, TieSource::Both];

    /// The word every front end takes and every output names.
    pub fn name(self) -> &'static str {
        match self {
            TieSource::Atop => "atop",
            TieSource::Curated => "curated",
            TieSource::Both => "both",
        }
    }

    pub fn parse(word: &str) -> Option<TieSource> {
        TieSource::ALL.into_iter().find(|s| s.name() == word)
    }
}

/// Fails, naming the command that brings it, when `dataset` is missing.
pub fn require(store: &Store, dataset: Dataset) -> Result<()> {
    if store.has_dataset(dataset)? {
        Ok(())
    } else {
        Err(ServiceError::MissingDataset(dataset))
    }
}

/// The state system: imported COW spells, else the registry's states table (which agrees
/// with COW, a tested invariant). Returns the system and the last day its data describe.
pub fn system(store: &Store, index: &StateIndex, years: (i32, i32)) -> Result<(System, Ymd)> {
    let imported = store.system_spells()?;
    let (spells, data_end) = match imported.iter().map(|s| s.end).max() {
        Some(end) => (imported, end),
        None => {
            let ymd = |d: PartialDate| {
                let (y, m, day) = d.earliest();
                Ymd::new(y, m, day)
            };
            // Open spells in the registry run on; COW's last update was 2016-12-31.
            let end = Ymd::new(2016, 12, 31);
            let spells: Vec<SystemSpell> = index
                .states()
                .iter()
                .flat_map(|s| {
                    s.spells.iter().map(move |sp| SystemSpell {
                        ccode: s.ccode,
                        start: ymd(sp.start),
                        end: sp.end.map_or(end, ymd),
                    })
                })
                .collect();
            (spells, end)
        }
    };
    Ok((System::new(&spells, data_end, years.0, years.1), data_end))
}

pub struct AllianceTies {
    pub dyads: DyadTable,
    pub states: StateTable,
    /// After this year the ties are unknown (null), not absent.
    pub last_year: i32,
}

/// Alliance ties per directed dyad-year and per state-year from `source`. With `both`,
/// registry agreements run through `registry_until` (ATOP's own end, 2018, keeps panels
/// honest; assessments of today pass the registry's last year).
pub fn alliance_ties(
    store: &Store,
    source: TieSource,
    index: &StateIndex,
    registry_until: i32,
) -> Result<AllianceTies> {
    ties(store, source, index, registry_until, None, panel::ATOP_END)
}

/// The network as far as it is known through the registry's last year, for questions
/// about today (partner recommendations): ATOP 5.1 with the registry's agreements in
/// place of the alliances they code, as [`TieSource::Both`], and ATOP's alliances still
/// in effect at its end (2018) carried forward to [`REGISTRY_LAST_YEAR`] beside the
/// registry's agreements. Research panels use [`alliance_ties`], which leaves ATOP's
/// alliances unknown after 2018.
pub fn current_alliance_ties(store: &Store, index: &StateIndex) -> Result<AllianceTies> {
    ties(store, TieSource::Both, index, REGISTRY_LAST_YEAR, None, Ymd::new(REGISTRY_LAST_YEAR, 12, 31))
}

/// Ties from the agreements of one kind only, as [`alliance_ties`] reads `source`: an ATOP
/// alliance counts when the registry gives it `kind` (the curated agreement that codes it,
/// else its ATOP listing, whose kinds come from ATOP's coding: docs/IMPORT.md). The
/// parties of a registry agreement of the kind are tied even where it sets no obligation
/// (an intelligence-sharing arrangement is a tie of the weakest value).
pub fn alliance_ties_of_kind(
    store: &Store,
    source: TieSource,
    index: &StateIndex,
    registry_until: i32,
    kind: AgreementKind,
) -> Result<AllianceTies> {
    ties(store, source, index, registry_until, Some(kind), panel::ATOP_END)
}

/// `atop_open_until`: how far ATOP's alliances in effect at its end run.
fn ties(
    store: &Store,
    source: TieSource,
    index: &StateIndex,
    registry_until: i32,
    kind: Option<AgreementKind>,
    atop_open_until: Ymd,
) -> Result<AllianceTies> {
    let is_state = |c: Ccode| index.get(c).is_some();
    let registry = || -> Result<Vec<Agreement>> {
        let curated = store.curated_agreements()?.into_iter();
        Ok(match kind {
            Some(kind) => curated.filter(|a| a.kinds.contains(&kind)).collect(),
            None => curated.filter(|a| !a.obligations.is_empty()).collect(),
        })
    };
    // ATOP's member rows, of the kind's alliances when a kind is given, and without those
    // in `left_out` (coded by a curated agreement instead).
    let atop_members = |left_out: &HashSet<u32>| -> Result<Vec<AtopMember>> {
        require(store, Dataset::Atop)?;
        let of_kind: Option<HashSet<u32>> = match kind {
            Some(kind) => Some(
                store
                    .agreements(&AgreementFilter { kind: Some(KindFilter::Kind(kind)), ..Default::default() })?
                    .iter()
                    .filter_map(|a| a.atopid)
                    .collect(),
            ),
            None => None,
        };
        let keep = |m: &AtopMember| {
            !left_out.contains(&m.atopid) && of_kind.as_ref().is_none_or(|ids| ids.contains(&m.atopid))
        };
        Ok(store.atop_members()?.into_iter().filter(keep).collect())
    };
    match source {
        TieSource::Atop => {
            let members = atop_members(&HashSet::new())?;
            let (infos, pairs) = atop_pairs_through(&members, &store.atop_alliances()?, is_state, atop_open_until);
            Ok(AllianceTies {
                dyads: DyadTable::from_pairs(infos, pairs),
                states: atop_state_years(&members, is_state),
                last_year: panel::ATOP_END.year,
            })
        }
        TieSource::Curated => {
            let (infos, pairs) = registry_pairs(&registry()?, REGISTRY_LAST_YEAR, 0);
            let states = pair_state_years(infos.clone(), &pairs);
            Ok(AllianceTies { dyads: DyadTable::from_pairs(infos, pairs), states, last_year: REGISTRY_LAST_YEAR })
        }
        TieSource::Both => {
            let agreements = registry()?;
            let claimed: HashSet<u32> = agreements.iter().filter_map(|a| a.atopid).collect();
            let members = atop_members(&claimed)?;
            let (mut infos, mut pairs) =
                atop_pairs_through(&members, &store.atop_alliances()?, is_state, atop_open_until);
            let (more_infos, more_pairs) = registry_pairs(&agreements, registry_until, infos.len() as u32);
            infos.extend(more_infos);
            pairs.extend(more_pairs);
            let states = pair_state_years(infos.clone(), &pairs);
            Ok(AllianceTies { dyads: DyadTable::from_pairs(infos, pairs), states, last_year: registry_until })
        }
    }
}

/// NMC capabilities when imported (weights and capability columns are empty otherwise).
pub fn capabilities(store: &Store) -> Result<Option<Capabilities>> {
    Ok(if store.has_dataset(Dataset::Nmc)? { Some(Capabilities::new(&store.nmc()?)) } else { None })
}
