//! An amendment (更正) as a value: which fields changed to what, or a void, with the reason,
//! who and when, and the resulting record — so a replay or another laptop gets exactly the
//! same result without re-running the policy. Building one is `crate::amend`'s work.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::Record;

/// One changed field: a path (`plate`, `persons[0].temperature`, …) and its new value as text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Change {
    pub field: String,
    pub value: String,
}

/// An amendment as written: who, when, why, what changed — and the resulting record, so a
/// replay or another laptop gets exactly the same result without re-running the policy.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Amendment {
    pub id: String,
    pub record: String,
    pub changes: Vec<Change>,
    pub void: bool,
    pub reason: String,
    pub by: String,
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub at: DateTime<Utc>,
    /// Written after the leader signed off the record's day.
    pub after_signoff: bool,
    pub result: Record,
}
