//! SIPRI's arms-transfer tables in the store: replaced whole by an import, with their
//! provenance, and read back as [`ArmsTransfers`].

use pactbase_model::arms::{ArmsParty, ArmsTransfer, ArmsTransfers, PartyKind};
use pactbase_model::research::{Dataset, DatasetFile};
use pactbase_model::Vocabulary;
use rusqlite::types::Type;
use rusqlite::{params, OptionalExtension};

use crate::research::replace;
use crate::{Result, Store};

impl Store {
    /// Replaces the arms-transfer tables; provenance under the dataset `sipri-arms`.
    pub fn replace_sipri_arms(&mut self, data: &ArmsTransfers, files: &[DatasetFile]) -> Result<()> {
        let tables = ["sipri_arms_transfers", "sipri_arms_parties", "sipri_arms_coverage"];
        replace(self, Dataset::SipriArms, &tables, files, |tx| {
            let mut party = tx.prepare("INSERT INTO sipri_arms_parties (id, name, kind) VALUES (?1, ?2, ?3)")?;
            for (id, p) in data.parties.iter().enumerate() {
                party.execute(params![id as i64, p.name, p.kind.as_str()])?;
            }
            let mut transfer = tx.prepare("INSERT INTO sipri_arms_transfers VALUES (?1, ?2, ?3, ?4, ?5, ?6)")?;
            for t in &data.transfers {
                transfer.execute(params![
                    t.supplier,
                    t.recipient,
                    t.year,
                    t.supplier_ccode,
                    t.recipient_ccode,
                    t.tiv
                ])?;
            }
            tx.execute(
                "INSERT INTO sipri_arms_coverage (id, first_year, last_year) VALUES (1, ?1, ?2)",
                params![data.coverage.0, data.coverage.1],
            )?;
            Ok(())
        })
    }

    /// The imported tables (empty, covering no year, when none are imported).
    pub fn sipri_arms(&self) -> Result<ArmsTransfers> {
        let coverage = self
            .conn
            .query_row("SELECT first_year, last_year FROM sipri_arms_coverage", [], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?
            .unwrap_or((0, -1));
        let mut stmt = self.conn.prepare("SELECT name, kind FROM sipri_arms_parties ORDER BY id")?;
        let parties = stmt
            .query_map([], |r| {
                let kind: String = r.get(1)?;
                let kind = PartyKind::parse(&kind)
                    .map_err(|e| rusqlite::Error::FromSqlConversionFailure(1, Type::Text, e.into()))?;
                Ok(ArmsParty { name: r.get(0)?, kind })
            })?
            .collect::<Result<_, _>>()?;
        let mut stmt = self.conn.prepare(
            "SELECT supplier, recipient, year, supplier_ccode, recipient_ccode, tiv FROM sipri_arms_transfers
             ORDER BY supplier, recipient, year",
        )?;
        let transfers = stmt
            .query_map([], |r| {
                Ok(ArmsTransfer {
                    supplier: r.get(0)?,
                    recipient: r.get(1)?,
                    year: r.get(2)?,
                    supplier_ccode: r.get(3)?,
                    recipient_ccode: r.get(4)?,
                    tiv: r.get(5)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(ArmsTransfers { coverage, parties, transfers })
    }
}
