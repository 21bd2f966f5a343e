//! Personal details over time, as values: a reveal of a record's personal details written to
//! the audit log, and a retention purge (which days, by whom) with what it removed. The
//! rules for who may reveal or purge are not here.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

/// A reveal of a record's personal details (ID number, phone) on screen: who, when, which.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct AuditEntry {
    pub by: String,
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub at: DateTime<Utc>,
    pub record: String,
    pub what: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Purge {
    /// Days before this one are purged.
    pub before: NaiveDate,
    pub by: String,
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub at: DateTime<Utc>,
}

/// What a purge removed (or, dry, would remove).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PurgeReport {
    pub before: Option<NaiveDate>,
    /// Records with personal details on the purged days.
    pub records: u64,
    /// Registered persons in them.
    pub persons: u64,
    /// Journal frames rewritten without the personal details.
    pub journal_frames: u64,
    pub dry_run: bool,
}
