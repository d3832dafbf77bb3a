//! A test hook for the fault catalogue (`crates/cli/tests/faults.rs`): in debug builds,
//! `PACTBASE_PAUSE_AT=POINT` stops a write at a named point inside its transaction
//! (announced on standard error), so that a test can kill the process there. Release
//! builds have no hook.

/// Pauses at `point` when `PACTBASE_PAUSE_AT` names it: for `PACTBASE_PAUSE_MS`
/// milliseconds when set, else until the process is killed.
#[cfg(debug_assertions)]
pub(crate) fn pause_at(point: &str) {
    if std::env::var("PACTBASE_PAUSE_AT").as_deref() != Ok(point) {
        return;
    }
    eprintln!("pactbase: paused at {point}");
    match std::env::var("PACTBASE_PAUSE_MS").ok().and_then(|ms| ms.parse().ok()) {
        Some(ms) => std::thread::sleep(std::time::Duration::from_millis(ms)),
        None => loop {
            std::thread::park();
        },
    }
}

#[cfg(not(debug_assertions))]
#[inline(always)]
pub(crate) fn pause_at(_point: &str) {}
