//! pactbase for Python: the registry, panels and analyses in-process, as Arrow tables
//! handed to pyarrow through the C data interface (no copy). A thin binding: what to load
//! and compute comes from `pactbase-service` and `pactbase-analysis`, exactly as the CLI
//! does it; this crate only turns Python arguments into their values and results into
//! Python objects. Long computations run with the GIL released.

mod arguments;
mod errors;
mod registry;
mod tables;

use pyo3::prelude::*;

#[pymodule]
fn _pactbase(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<registry::Registry>()?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
