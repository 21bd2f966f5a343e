//! The clock: the only source of "now" in the library. Logic asks a `Clock`, never
//! `Utc::now()`, so tests and the tmux end-to-end run with a fixed instant.

use chrono::{DateTime, Utc};

pub trait Clock: Send + Sync {
    fn now(&self) -> DateTime<Utc>;

    /// Waits (e.g. after a wrong PIN). A test clock does not.
    fn pause(&self, d: std::time::Duration) {
        std::thread::sleep(d);
    }
}

/// Wall clock, or a fixed instant when `KADIAN_NOW` (RFC 3339) is set — used by the
/// end-to-end tests that drive the real binary.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that always says the same instant.
#[derive(Debug, Clone, Copy)]
pub struct FixedClock(pub DateTime<Utc>);

impl Clock for FixedClock {
    fn now(&self) -> DateTime<Utc> {
        self.0
    }

    fn pause(&self, _: std::time::Duration) {}
}

/// The clock the binary uses: `KADIAN_NOW` if set and valid, else the system clock.
pub fn from_env() -> Box<dyn Clock> {
    match std::env::var("KADIAN_NOW")
        .ok()
        .and_then(|s| DateTime::parse_from_rfc3339(&s).ok())
    {
        Some(t) => Box::new(FixedClock(t.with_timezone(&Utc))),
        None => Box::new(SystemClock),
    }
}
