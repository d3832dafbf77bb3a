//! The alliance-study covariates in the store (issue 10): contiguity, capitals, minimum
//! distances, major powers, GML disputes and shared IGO memberships. Each importer's rows
//! replace that dataset whole with its provenance, in one transaction, as the other
//! research datasets do (`research.rs`).

use pactbase_model::research::{
    Capital, ContiguitySpell, Dataset, DatasetFile, DisputeParticipant, DisputeYear, MajorSpell, MinDistance,
    SharedIgos,
};
use rusqlite::params;

use crate::research::{date_key, date_of, replace};
use crate::{Result, Store};

impl Store {
    pub fn replace_contiguity(&mut self, spells: &[ContiguitySpell], file: &DatasetFile) -> Result<()> {
        replace(self, Dataset::Contiguity, &["contiguity"], std::slice::from_ref(file), |tx| {
            let mut insert = tx.prepare("INSERT INTO contiguity VALUES (?1, ?2, ?3, ?4, ?5)")?;
            for s in spells {
                insert.execute(params![s.ccode1, s.ccode2, s.conttype, date_key(s.start), date_key(s.end)])?;
            }
            Ok(())
        })
    }

    pub fn replace_capitals(&mut self, capitals: &[Capital], file: &DatasetFile) -> Result<()> {
        replace(self, Dataset::Capitals, &["capitals"], std::slice::from_ref(file), |tx| {
            let mut insert = tx.prepare("INSERT INTO capitals VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?;
            for c in capitals {
                insert.execute(params![c.ccode, c.name, date_key(c.start), date_key(c.end), c.lat, c.lng])?;
            }
            Ok(())
        })
    }

    pub fn replace_mindist(&mut self, rows: &[MinDistance], file: &DatasetFile) -> Result<()> {
        replace(self, Dataset::Mindist, &["mindist"], std::slice::from_ref(file), |tx| {
            let mut insert = tx.prepare("INSERT INTO mindist VALUES (?1, ?2, ?3, ?4)")?;
            for r in rows {
                insert.execute(params![r.year, r.ccode1, r.ccode2, r.km])?;
            }
            Ok(())
        })
    }

    pub fn replace_majors(&mut self, spells: &[MajorSpell], file: &DatasetFile) -> Result<()> {
        replace(self, Dataset::Majors, &["majors"], std::slice::from_ref(file), |tx| {
            let mut insert = tx.prepare("INSERT INTO majors VALUES (?1, ?2, ?3)")?;
            for s in spells {
                insert.execute(params![s.ccode, date_key(s.start), date_key(s.end)])?;
            }
            Ok(())
        })
    }

    pub fn replace_gml_mids(
        &mut self,
        participants: &[DisputeParticipant],
        dyad_years: &[DisputeYear],
        files: &[DatasetFile],
    ) -> Result<()> {
        replace(self, Dataset::GmlMids, &["gml_participants", "gml_dyad_years"], files, |tx| {
            let mut insert = tx.prepare("INSERT INTO gml_participants VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?;
            for p in participants {
                insert.execute(params![p.dispnum, p.ccode, p.start_year, p.end_year, p.sidea, p.orig])?;
            }
            let mut insert =
                tx.prepare("INSERT INTO gml_dyad_years VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)")?;
            for d in dyad_years {
                insert.execute(params![
                    d.dispnum, d.ccode1, d.ccode2, d.year, d.onset, d.fatality, d.hostlev, d.mindur, d.maxdur, d.recip,
                    d.stmon
                ])?;
            }
            Ok(())
        })
    }

    pub fn replace_igos(&mut self, rows: &[SharedIgos], file: &DatasetFile) -> Result<()> {
        replace(self, Dataset::Igos, &["igos"], std::slice::from_ref(file), |tx| {
            let mut insert = tx.prepare("INSERT INTO igos VALUES (?1, ?2, ?3, ?4)")?;
            for r in rows {
                insert.execute(params![r.year, r.ccode1, r.ccode2, r.dyadigos])?;
            }
            Ok(())
        })
    }

    pub fn contiguity(&self) -> Result<Vec<ContiguitySpell>> {
        self.rows("SELECT * FROM contiguity ORDER BY ccode1, ccode2, start_date", |r| {
            Ok(ContiguitySpell {
                ccode1: r.get(0)?,
                ccode2: r.get(1)?,
                conttype: r.get(2)?,
                start: date_of(r.get(3)?),
                end: date_of(r.get(4)?),
            })
        })
    }

    pub fn capitals(&self) -> Result<Vec<Capital>> {
        self.rows("SELECT * FROM capitals ORDER BY ccode, start_date", |r| {
            Ok(Capital {
                ccode: r.get(0)?,
                name: r.get(1)?,
                start: date_of(r.get(2)?),
                end: date_of(r.get(3)?),
                lat: r.get(4)?,
                lng: r.get(5)?,
            })
        })
    }

    /// Minimum distances by (year, ccode1, ccode2).
    pub fn mindist(&self) -> Result<Vec<MinDistance>> {
        self.rows("SELECT * FROM mindist ORDER BY year, ccode1, ccode2", |r| {
            Ok(MinDistance { year: r.get(0)?, ccode1: r.get(1)?, ccode2: r.get(2)?, km: r.get(3)? })
        })
    }

    pub fn majors(&self) -> Result<Vec<MajorSpell>> {
        self.rows("SELECT * FROM majors ORDER BY ccode, start_date", |r| {
            Ok(MajorSpell { ccode: r.get(0)?, start: date_of(r.get(1)?), end: date_of(r.get(2)?) })
        })
    }

    pub fn gml_participants(&self) -> Result<Vec<DisputeParticipant>> {
        self.rows("SELECT * FROM gml_participants ORDER BY dispnum, ccode, start_year", |r| {
            Ok(DisputeParticipant {
                dispnum: r.get(0)?,
                ccode: r.get(1)?,
                start_year: r.get(2)?,
                end_year: r.get(3)?,
                sidea: r.get(4)?,
                orig: r.get(5)?,
            })
        })
    }

    pub fn gml_dyad_years(&self) -> Result<Vec<DisputeYear>> {
        self.rows("SELECT * FROM gml_dyad_years ORDER BY ccode1, ccode2, year, dispnum", |r| {
            Ok(DisputeYear {
                dispnum: r.get(0)?,
                ccode1: r.get(1)?,
                ccode2: r.get(2)?,
                year: r.get(3)?,
                onset: r.get(4)?,
                fatality: r.get(5)?,
                hostlev: r.get(6)?,
                mindur: r.get(7)?,
                maxdur: r.get(8)?,
                recip: r.get(9)?,
                stmon: r.get(10)?,
            })
        })
    }

    /// Shared IGO memberships by (year, ccode1, ccode2).
    pub fn igos(&self) -> Result<Vec<SharedIgos>> {
        self.rows("SELECT * FROM igos ORDER BY year, ccode1, ccode2", |r| {
            Ok(SharedIgos { year: r.get(0)?, ccode1: r.get(1)?, ccode2: r.get(2)?, dyadigos: r.get(3)? })
        })
    }
}
