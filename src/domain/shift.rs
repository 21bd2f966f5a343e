//! The duty day's events and counts as values: a check-in or check-out at a post, the
//! counts of a shift (from the per-hour counters), and a shift handover with the draft the
//! outgoing leader fills in. The store keeps them; `onpost` and the screens read them.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::duty::ShiftSlot;

/// A check-in (`on_post = true`) or check-out at a post.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PostEvent {
    pub code: String,
    pub post: String,
    pub on_post: bool,
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub time: DateTime<Utc>,
}

/// Counts of one shift (or any whole-hour range), from the per-hour counters.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShiftCounts {
    pub records: u64,
    pub vehicles: u64,
    pub persons: u64,
    pub abnormal: u64,
    /// Amendments and voids written in the range (by when they were written).
    #[serde(default)]
    pub amendments_written: u64,
    pub by_disposition: BTreeMap<String, u64>,
}

impl ShiftCounts {
    /// Adds the counts of another range (the hours of a shift, one by one).
    pub fn add(&mut self, other: &ShiftCounts) {
        self.records += other.records;
        self.vehicles += other.vehicles;
        self.persons += other.persons;
        self.abnormal += other.abnormal;
        self.amendments_written += other.amendments_written;
        for (k, n) in &other.by_disposition {
            *self.by_disposition.entry(k.clone()).or_default() += n;
        }
    }
}

/// A shift handover, signed by the outgoing and the incoming leader (PIN checked for both).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Handover {
    pub id: String,
    pub date: NaiveDate,
    pub shift: String,
    pub from: String,
    pub to: String,
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub time: DateTime<Utc>,
    pub counts: ShiftCounts,
    /// Amendments and voids written during the shift.
    pub amended: u64,
    /// Open matters the incoming shift must follow up.
    pub matters: String,
    pub notes: String,
}

/// What the outgoing leader fills in: the shift, who takes over (with their PIN), open
/// matters and notes. The counts are filled in by the store.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandoverDraft {
    pub slot: ShiftSlot,
    pub incoming: String,
    pub incoming_pin: String,
    pub matters: String,
    pub notes: String,
}
