//! What `country`, `challenges` and `report` share: the state and the reference asked
//! for, loaded into the one assembly of `pactbase_service::assessment`.

use pactbase_analysis::assessment::View;
use pactbase_service::assessment::{Context, Request};
use pactbase_store::Store;

use super::research;
use crate::cli::ViewArgs;
use crate::failure::Result;
use crate::resolve;

/// The assessment context of `query` as `view` asks.
pub fn context(store: &Store, query: &str, view: &ViewArgs) -> Result<Context> {
    let index = store.state_index()?;
    let ccode = resolve::state(&index, query)?;
    let request = Request {
        view: match (view.all_history, view.year) {
            (true, _) => View::History,
            (false, Some(y)) => View::Year(resolve::year(y)?),
            (false, None) => Request::default().view,
        },
        include_all: view.all_agreements,
    };
    Context::load(store, ccode, request).map_err(research::failure)
}
