//! The research datasets in the store. Each importer's rows replace that dataset whole,
//! with its provenance, in one transaction: readers see the old dataset or the new one,
//! a failure leaves the old one, and importing the same file again stores the same rows.
//! Loaders give the typed rows back in a stable order.

use pactbase_model::research::{
    AtopAlliance, AtopCoding, AtopMember, AtopObligations, AtopPhase, Dataset, DatasetFile, MmeExercise, NmcRow,
    Rivalry, SipriMilex, SystemSpell, Ymd,
};
use pactbase_model::Agreement;
use pactbase_model::Vocabulary;
use rusqlite::{params, OptionalExtension, Row, Transaction};

use crate::write::sync_atop_agreements;
use crate::{Result, Store};

/// A date as the yyyymmdd integer the tables hold (dd = 00: day unknown).
pub(crate) fn date_key(d: Ymd) -> i64 {
    i64::from(d.year) * 10_000 + i64::from(d.month) * 100 + i64::from(d.day)
}

pub(crate) fn date_of(key: i64) -> Ymd {
    Ymd::new((key / 10_000) as i32, (key / 100 % 100) as u8, (key % 100) as u8)
}

/// The five obligation flags from columns `first..first + 5`.
fn obligations_at(r: &Row, first: usize) -> rusqlite::Result<AtopObligations> {
    Ok(AtopObligations {
        defense: r.get(first)?,
        offense: r.get(first + 1)?,
        neutral: r.get(first + 2)?,
        nonagg: r.get(first + 3)?,
        consul: r.get(first + 4)?,
    })
}

/// Empties `tables`, lets `fill` write the new rows and records `files` as the dataset's
/// provenance, all in one transaction.
pub(crate) fn replace<T>(
    store: &mut Store,
    dataset: Dataset,
    tables: &[&str],
    files: &[DatasetFile],
    fill: impl FnOnce(&Transaction) -> Result<T>,
) -> Result<T> {
    let tx = store.conn.transaction()?;
    for table in tables {
        tx.execute(&format!("DELETE FROM {table}"), [])?;
    }
    crate::fault::pause_at("import:emptied");
    let out = fill(&tx)?;
    tx.execute("DELETE FROM datasets WHERE dataset = ?1", [dataset.as_str()])?;
    let mut insert = tx.prepare(
        "INSERT INTO datasets (dataset, path, version, sha256, rows, imported_at)
         VALUES (?1, ?2, ?3, ?4, ?5, strftime('%Y-%m-%d %H:%M:%S', 'now'))",
    )?;
    for f in files {
        insert.execute(params![dataset.as_str(), f.path, f.version, f.sha256, f.rows as i64])?;
    }
    drop(insert);
    crate::fault::pause_at("import:filled");
    tx.commit()?;
    Ok(out)
}

impl Store {
    /// Replaces ATOP (alliances, phases, members) and the agreements its alliances
    /// become; returns how many of those are listed, i.e. not claimed by a curated
    /// agreement's atopid.
    pub fn replace_atop(
        &mut self,
        alliances: &[AtopAlliance],
        phases: &[AtopPhase],
        members: &[AtopMember],
        agreements: &[Agreement],
        files: &[DatasetFile],
    ) -> Result<usize> {
        let tables = ["atop_alliances", "atop_phases", "atop_members", "atop_agreements"];
        replace(self, Dataset::Atop, &tables, files, |tx| {
            let mut alliance = tx.prepare(
                "INSERT INTO atop_alliances VALUES
                 (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22)",
            )?;
            for a in alliances {
                let o = &a.obligations;
                alliance.execute(params![
                    a.atopid,
                    a.cowid,
                    date_key(a.begin),
                    a.end.map(date_key),
                    a.bilateral,
                    a.asymmetric,
                    o.defense,
                    o.offense,
                    o.neutral,
                    o.nonagg,
                    o.consul,
                    a.milcon,
                    a.milaid,
                    a.intcom,
                    a.subord,
                    a.base,
                    a.organ1,
                    a.contrib,
                    a.armred,
                    a.specthrt,
                    a.ecaid,
                    serde_json::to_string(&a.members)?,
                ])?;
            }
            let mut phase = tx.prepare("INSERT INTO atop_phases VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")?;
            for p in phases {
                let o = &p.obligations;
                phase.execute(params![
                    p.atopid,
                    p.phase,
                    date_key(p.begin),
                    p.end.map(date_key),
                    o.defense,
                    o.offense,
                    o.neutral,
                    o.nonagg,
                    o.consul
                ])?;
            }
            let mut member =
                tx.prepare("INSERT INTO atop_members VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)")?;
            for m in members {
                let o = &m.obligations;
                member.execute(params![
                    m.atopid,
                    m.ccode,
                    m.phase,
                    date_key(m.entry),
                    m.exit.map(date_key),
                    o.defense,
                    o.offense,
                    o.neutral,
                    o.nonagg,
                    o.consul,
                    m.obvary
                ])?;
            }
            let mut agreement = tx.prepare("INSERT INTO atop_agreements (atopid, doc) VALUES (?1, ?2)")?;
            for a in agreements {
                agreement.execute(params![a.atopid, serde_json::to_string(a)?])?;
            }
            sync_atop_agreements(tx)
        })
    }

    pub fn replace_system_spells(&mut self, spells: &[SystemSpell], file: &DatasetFile) -> Result<()> {
        replace(self, Dataset::CowStates, &["system_spells"], std::slice::from_ref(file), |tx| {
            let mut insert =
                tx.prepare("INSERT INTO system_spells (ccode, start_date, end_date) VALUES (?1, ?2, ?3)")?;
            for s in spells {
                insert.execute(params![s.ccode, date_key(s.start), date_key(s.end)])?;
            }
            Ok(())
        })
    }

    pub fn replace_nmc(&mut self, rows: &[NmcRow], file: &DatasetFile) -> Result<()> {
        replace(self, Dataset::Nmc, &["nmc"], std::slice::from_ref(file), |tx| {
            let mut insert = tx.prepare("INSERT INTO nmc VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)")?;
            for r in rows {
                insert.execute(params![r.ccode, r.year, r.milex, r.milper, r.irst, r.pec, r.tpop, r.upop, r.cinc])?;
            }
            Ok(())
        })
    }

    pub fn replace_mme(&mut self, exercises: &[MmeExercise], file: &DatasetFile) -> Result<()> {
        replace(self, Dataset::Mme, &["mme_participants", "mme_exercises"], std::slice::from_ref(file), |tx| {
            let mut exercise = tx.prepare(
                "INSERT INTO mme_exercises VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
            )?;
            let mut participant = tx.prepare("INSERT INTO mme_participants (exercise, ccode) VALUES (?1, ?2)")?;
            for (seq, e) in exercises.iter().enumerate() {
                let [cpx, air, land, sea, amphibious, cyber] = e.domains;
                let [warfighting, peacekeeping, humanitarian] = e.focus;
                exercise.execute(params![
                    seq as i64,
                    e.id,
                    e.name,
                    e.series,
                    e.location,
                    e.year,
                    e.month,
                    e.end_year,
                    cpx,
                    air,
                    land,
                    sea,
                    amphibious,
                    cyber,
                    warfighting,
                    peacekeeping,
                    humanitarian
                ])?;
                for c in &e.participants {
                    participant.execute(params![seq as i64, c])?;
                }
            }
            Ok(())
        })
    }

    pub fn replace_sipri(&mut self, rows: &[SipriMilex], file: &DatasetFile) -> Result<()> {
        replace(self, Dataset::SipriMilex, &["sipri_milex"], std::slice::from_ref(file), |tx| {
            let mut insert = tx.prepare("INSERT INTO sipri_milex (ccode, year, usd2017m) VALUES (?1, ?2, ?3)")?;
            for r in rows {
                insert.execute(params![r.ccode, r.year, r.usd2017m])?;
            }
            Ok(())
        })
    }

    pub fn replace_rivalries(&mut self, rivalries: &[Rivalry], file: &DatasetFile) -> Result<()> {
        replace(self, Dataset::Rivalries, &["rivalries"], std::slice::from_ref(file), |tx| {
            let mut insert =
                tx.prepare("INSERT INTO rivalries VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)")?;
            for r in rivalries {
                insert.execute(params![
                    r.id,
                    r.name,
                    r.ccode1,
                    r.ccode2,
                    r.start,
                    r.end,
                    r.positional,
                    r.spatial,
                    r.ideological,
                    r.interventionary,
                    r.principal
                ])?;
            }
            Ok(())
        })
    }

    /// Provenance of every imported file, by dataset.
    pub fn datasets(&self) -> Result<Vec<DatasetFile>> {
        self.rows(
            "SELECT dataset, version, path, sha256, rows, imported_at FROM datasets ORDER BY dataset, path",
            |r| {
                let dataset: String = r.get(0)?;
                Ok(DatasetFile {
                    dataset: dataset.parse().map_err(|e: String| {
                        rusqlite::Error::FromSqlConversionFailure(0, rusqlite::types::Type::Text, e.into())
                    })?,
                    version: r.get(1)?,
                    path: r.get(2)?,
                    sha256: r.get(3)?,
                    rows: r.get::<_, i64>(4)? as usize,
                    imported_at: r.get(5)?,
                })
            },
        )
    }

    pub fn atop_alliances(&self) -> Result<Vec<AtopAlliance>> {
        self.rows("SELECT * FROM atop_alliances ORDER BY atopid", alliance)
    }

    pub fn atop_phases(&self) -> Result<Vec<AtopPhase>> {
        self.rows("SELECT * FROM atop_phases ORDER BY atopid, phase", phase)
    }

    /// ATOP's member rows in the file's order.
    pub fn atop_members(&self) -> Result<Vec<AtopMember>> {
        self.rows("SELECT * FROM atop_members ORDER BY rowid", member)
    }

    /// ATOP's own coding of one alliance, when ATOP has been imported and has it.
    pub fn atop_coding(&self, atopid: u32) -> Result<Option<AtopCoding>> {
        let found =
            self.conn.query_row("SELECT * FROM atop_alliances WHERE atopid = ?1", [atopid], alliance).optional()?;
        let Some(alliance) = found else { return Ok(None) };
        let mut stmt = self.conn.prepare("SELECT * FROM atop_phases WHERE atopid = ?1 ORDER BY phase")?;
        let phases = stmt.query_map([atopid], phase)?.collect::<Result<_, _>>()?;
        let mut stmt = self.conn.prepare("SELECT * FROM atop_members WHERE atopid = ?1 ORDER BY rowid")?;
        let members = stmt.query_map([atopid], member)?.collect::<Result<_, _>>()?;
        Ok(Some(AtopCoding { alliance, phases, members }))
    }

    pub fn system_spells(&self) -> Result<Vec<SystemSpell>> {
        self.rows("SELECT ccode, start_date, end_date FROM system_spells ORDER BY ccode, start_date", |r| {
            Ok(SystemSpell { ccode: r.get(0)?, start: date_of(r.get(1)?), end: date_of(r.get(2)?) })
        })
    }

    pub fn nmc(&self) -> Result<Vec<NmcRow>> {
        self.rows("SELECT * FROM nmc ORDER BY ccode, year", |r| {
            Ok(NmcRow {
                ccode: r.get(0)?,
                year: r.get(1)?,
                milex: r.get(2)?,
                milper: r.get(3)?,
                irst: r.get(4)?,
                pec: r.get(5)?,
                tpop: r.get(6)?,
                upop: r.get(7)?,
                cinc: r.get(8)?,
            })
        })
    }

    /// MME's exercises in the file's order, participants by COW code.
    pub fn mme(&self) -> Result<Vec<MmeExercise>> {
        let mut exercises = self.rows("SELECT * FROM mme_exercises ORDER BY seq", |r| {
            Ok(MmeExercise {
                id: r.get(1)?,
                name: r.get(2)?,
                series: r.get(3)?,
                location: r.get(4)?,
                year: r.get(5)?,
                month: r.get(6)?,
                end_year: r.get(7)?,
                domains: [r.get(8)?, r.get(9)?, r.get(10)?, r.get(11)?, r.get(12)?, r.get(13)?],
                focus: [r.get(14)?, r.get(15)?, r.get(16)?],
                participants: Vec::new(),
            })
        })?;
        let mut stmt = self.conn.prepare("SELECT exercise, ccode FROM mme_participants ORDER BY exercise, ccode")?;
        let pairs = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)? as usize, r.get(1)?)))?;
        for pair in pairs {
            let (seq, ccode) = pair?;
            if let Some(e) = exercises.get_mut(seq) {
                e.participants.push(ccode);
            }
        }
        Ok(exercises)
    }

    pub fn sipri(&self) -> Result<Vec<SipriMilex>> {
        self.rows("SELECT ccode, year, usd2017m FROM sipri_milex ORDER BY ccode, year", |r| {
            Ok(SipriMilex { ccode: r.get(0)?, year: r.get(1)?, usd2017m: r.get(2)? })
        })
    }

    pub fn rivalries(&self) -> Result<Vec<Rivalry>> {
        self.rows("SELECT * FROM rivalries ORDER BY id", |r| {
            Ok(Rivalry {
                id: r.get(0)?,
                name: r.get(1)?,
                ccode1: r.get(2)?,
                ccode2: r.get(3)?,
                start: r.get(4)?,
                end: r.get(5)?,
                positional: r.get(6)?,
                spatial: r.get(7)?,
                ideological: r.get(8)?,
                interventionary: r.get(9)?,
                principal: r.get(10)?,
            })
        })
    }

    pub(crate) fn rows<T>(&self, sql: &str, map: impl FnMut(&Row) -> rusqlite::Result<T>) -> Result<Vec<T>> {
        let mut stmt = self.conn.prepare(sql)?;
        let rows = stmt.query_map([], map)?.collect::<Result<_, _>>()?;
        Ok(rows)
    }
}

fn alliance(r: &Row) -> rusqlite::Result<AtopAlliance> {
    let members: String = r.get(21)?;
    let members = serde_json::from_str(&members)
        .map_err(|e| rusqlite::Error::FromSqlConversionFailure(21, rusqlite::types::Type::Text, Box::new(e)))?;
    Ok(AtopAlliance {
        atopid: r.get(0)?,
        cowid: r.get(1)?,
        begin: date_of(r.get(2)?),
        end: r.get::<_, Option<i64>>(3)?.map(date_of),
        bilateral: r.get(4)?,
        asymmetric: r.get(5)?,
        obligations: obligations_at(r, 6)?,
        milcon: r.get(11)?,
        milaid: r.get(12)?,
        intcom: r.get(13)?,
        subord: r.get(14)?,
        base: r.get(15)?,
        organ1: r.get(16)?,
        contrib: r.get(17)?,
        armred: r.get(18)?,
        specthrt: r.get(19)?,
        ecaid: r.get(20)?,
        members,
    })
}

fn phase(r: &Row) -> rusqlite::Result<AtopPhase> {
    Ok(AtopPhase {
        atopid: r.get(0)?,
        phase: r.get(1)?,
        begin: date_of(r.get(2)?),
        end: r.get::<_, Option<i64>>(3)?.map(date_of),
        obligations: obligations_at(r, 4)?,
    })
}

fn member(r: &Row) -> rusqlite::Result<AtopMember> {
    Ok(AtopMember {
        atopid: r.get(0)?,
        ccode: r.get(1)?,
        phase: r.get(2)?,
        entry: date_of(r.get(3)?),
        exit: r.get::<_, Option<i64>>(4)?.map(date_of),
        obligations: obligations_at(r, 5)?,
        obvary: r.get(10)?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_round_trip_through_their_integer_keys() {
        for d in [Ymd::new(1815, 1, 3), Ymd::new(2018, 12, 31), Ymd::new(1844, 6, 0)] {
            assert_eq!(date_of(date_key(d)), d);
        }
        assert!(date_key(Ymd::new(1844, 6, 0)) < date_key(Ymd::new(1844, 6, 1)));
    }
}
