//! Finds the research datasets that tests run against (`../shared/data` beside the
//! repository). The project does not redistribute them, so a missing file is a skip on
//! a developer's machine and a failure under `CI=true`.

use std::path::PathBuf;

/// The folder holding the shared research datasets.
pub fn shared_root() -> PathBuf {
    match std::env::var_os("PACTBASE_SHARED_DATA") {
        Some(dir) => PathBuf::from(dir),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
    }
}

/// `rel` inside the shared data folder, or `None` (with a message) when it is missing
/// outside CI. Under `CI=true` a missing file panics: CI must test the real data.
pub fn shared(rel: &str) -> Option<PathBuf> {
    let path = shared_root().join(rel);
    if path.exists() {
        return Some(path);
    }
    let message = format!(
        "research dataset {} is missing (set PACTBASE_SHARED_DATA to the folder holding atop-5.1/, cow/, ...)",
        path.display()
    );
    if std::env::var("CI").is_ok_and(|v| v == "true") {
        panic!("{message}");
    }
    eprintln!("skipping: {message}");
    None
}
