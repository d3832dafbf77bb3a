//! `pactbase report S`: the self-contained HTML country report, rendered by
//! `pactbase-report` from the assessment `pactbase_service::assessment` assembles (the
//! same the web's country page shows). A part whose dataset is not imported says so, with
//! the import command, instead of failing the report.

use pactbase_store::Store;

use super::{assessment, research};
use crate::cli::ViewArgs;
use crate::failure::Result;
use crate::output::Output;

pub fn report(store: &Store, query: &str, view: &ViewArgs, out: &Output) -> Result {
    let ctx = assessment::context(store, query, view)?;
    let found = pactbase_service::assessment::assess(store, &ctx, None).map_err(research::failure)?;
    let html = pactbase_report::render(&found, &ctx.index, &format!("pactbase {}", env!("CARGO_PKG_VERSION")));
    out.raw(&html)?;
    if let Some(path) = &out.path {
        eprintln!("pactbase: wrote the report on {} to {}", found.core.state.name, path.display());
    }
    Ok(())
}
