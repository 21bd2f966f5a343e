//! The checkpoint day: which local date an instant belongs to, in the checkpoint's time zone
//! and from its configured day start. Every "today", every day index and every day tally is
//! computed here, so the store, the reports and the screens agree on the day boundary.

use chrono::{DateTime, Duration, NaiveDate, Utc};

use super::Checkpoint;

/// The checkpoint's time zone (validated at init; Asia/Shanghai if ever unreadable).
pub fn tz_of(cp: &Checkpoint) -> chrono_tz::Tz {
    cp.tz.parse().unwrap_or(chrono_tz::Asia::Shanghai)
}

/// The checkpoint day an instant belongs to: local date in the checkpoint's zone, shifted
/// by the configured day start.
pub fn day_of(cp: &Checkpoint, t: DateTime<Utc>) -> NaiveDate {
    (t.with_timezone(&tz_of(cp)) - Duration::minutes(i64::from(cp.day_start_min))).date_naive()
}
