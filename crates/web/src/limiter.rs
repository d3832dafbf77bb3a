//! Counts failed authentications per client address and per token in fixed windows, in a
//! map of bounded size: a client past its allowance is refused (429) until its window
//! ends, before any credential is looked at.

use std::collections::HashMap;
use std::hash::Hash;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

/// Who failed: a client address, or the id of a token whose secret was wrong.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Subject {
    Client(IpAddr),
    Token(String),
}

struct Window {
    started: Instant,
    failures: u32,
}

pub struct FailureLimiter {
    allowed: u32,
    window: Duration,
    capacity: usize,
    windows: Mutex<HashMap<Subject, Window>>,
}

impl FailureLimiter {
    pub fn new(allowed: u32, window: Duration, capacity: usize) -> Self {
        FailureLimiter { allowed, window, capacity: capacity.max(1), windows: Mutex::new(HashMap::new()) }
    }

    /// `Err(wait)` while `subject` has used up its failures in the current window.
    pub fn check(&self, subject: &Subject) -> Result<(), Duration> {
        let windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        match windows.get(subject) {
            Some(w) if w.failures >= self.allowed => {
                let left = self.window.saturating_sub(w.started.elapsed());
                if left.is_zero() {
                    Ok(())
                } else {
                    Err(left)
                }
            }
            _ => Ok(()),
        }
    }

    pub fn record_failure(&self, subject: Subject) {
        let now = Instant::now();
        let mut windows = self.windows.lock().unwrap_or_else(|e| e.into_inner());
        if !windows.contains_key(&subject) && windows.len() >= self.capacity {
            windows.retain(|_, w| now.duration_since(w.started) < self.window);
            if windows.len() >= self.capacity {
                evict_oldest(&mut windows);
            }
        }
        let w = windows.entry(subject).or_insert(Window { started: now, failures: 0 });
        if now.duration_since(w.started) >= self.window {
            *w = Window { started: now, failures: 0 };
        }
        w.failures = w.failures.saturating_add(1);
    }

    /// Subjects remembered now (for tests of the bound).
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.windows.lock().unwrap_or_else(|e| e.into_inner()).len()
    }
}

fn evict_oldest<K: Clone + Eq + Hash>(windows: &mut HashMap<K, Window>) {
    if let Some(oldest) = windows.iter().min_by_key(|(_, w)| w.started).map(|(k, _)| k.clone()) {
        windows.remove(&oldest);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(last: u8) -> Subject {
        Subject::Client(IpAddr::from([10, 0, 0, last]))
    }

    #[test]
    fn a_subject_is_refused_after_its_failures_until_the_window_ends() {
        let limiter = FailureLimiter::new(3, Duration::from_millis(300), 100);
        for _ in 0..3 {
            assert!(limiter.check(&client(1)).is_ok());
            limiter.record_failure(client(1));
        }
        let wait = limiter.check(&client(1)).unwrap_err();
        assert!(wait <= Duration::from_millis(300) && wait > Duration::ZERO);
        assert!(limiter.check(&client(2)).is_ok(), "other clients are not affected");
        std::thread::sleep(Duration::from_millis(320));
        assert!(limiter.check(&client(1)).is_ok());
    }

    #[test]
    fn the_map_never_grows_past_its_capacity() {
        let limiter = FailureLimiter::new(3, Duration::from_secs(60), 50);
        for i in 0..10_000u32 {
            limiter.record_failure(Subject::Client(IpAddr::from(i.to_be_bytes())));
        }
        assert_eq!(limiter.len(), 50);
        // The newest are remembered.
        let newest = Subject::Client(IpAddr::from(9_999u32.to_be_bytes()));
        limiter.record_failure(newest.clone());
        limiter.record_failure(newest.clone());
        assert!(limiter.check(&newest).is_err());
    }
}
