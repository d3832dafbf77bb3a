use pactbase_store::Store;

use crate::failure::Result;
use crate::output::{Output, Table};

pub fn list(store: &Store, out: &Output) -> Result {
    let states = store.states()?;
    let table = Table {
        headers: vec!["ccode", "abb", "iso3", "name", "spells", "aliases"],
        rows: states
            .iter()
            .map(|s| {
                let spells: Vec<String> = s
                    .spells
                    .iter()
                    .map(|sp| format!("{}..{}", sp.start, sp.end.map(|e| e.to_string()).unwrap_or_default()))
                    .collect();
                vec![
                    s.ccode.to_string(),
                    s.abb.clone(),
                    s.iso3.clone().unwrap_or_default(),
                    s.name.clone(),
                    spells.join(";"),
                    s.aliases.join(";"),
                ]
            })
            .collect(),
    };
    out.tabular(&table, &states)
}
