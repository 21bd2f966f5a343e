//! The figures of a checkpoint day and what is signed over them: the running counters of a
//! day (`DayCounts`), the day's tally with its hours and shifts, a signed day report
//! (日报 / 零报告) and its versions, a day's sign-off, and a person marked as pushed to their
//! community.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::shift::ShiftCounts;
use super::{Disposition, VehicleKind};

/// The running counters of one checkpoint day (kept with each commit, never recounted).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct DayCounts {
    pub records: u64,
    pub vehicles: u64,
    pub persons: u64,
    pub abnormal: u64,
    /// On-site samples taken (一服务).
    pub sampled: u64,
    pub disinfected: u64,
    pub freight: u64,
    pub freight_closed: u64,
    pub cold_chain: u64,
    pub overrides: u64,
    /// Records amended at least once, and records voided (kept apart from the counts above,
    /// which hold the amended versions and leave voided records out).
    pub amended: u64,
    pub voided: u64,
    pub by_disposition: BTreeMap<&'static str, u64>,
    pub by_kind: BTreeMap<&'static str, u64>,
    /// Records logged per officer.
    pub by_officer: BTreeMap<String, u64>,
}

impl DayCounts {
    /// Adds another checkpoint's counts (a command post's total); officers are named
    /// `CHECKPOINT/CODE` there, since codes repeat between checkpoints.
    pub fn merge(&mut self, other: &DayCounts, checkpoint: &str) {
        self.records += other.records;
        self.vehicles += other.vehicles;
        self.persons += other.persons;
        self.abnormal += other.abnormal;
        self.sampled += other.sampled;
        self.disinfected += other.disinfected;
        self.freight += other.freight;
        self.freight_closed += other.freight_closed;
        self.cold_chain += other.cold_chain;
        self.overrides += other.overrides;
        self.amended += other.amended;
        self.voided += other.voided;
        for (k, n) in &other.by_disposition {
            *self.by_disposition.entry(k).or_default() += n;
        }
        for (k, n) in &other.by_kind {
            *self.by_kind.entry(k).or_default() += n;
        }
        for (k, n) in &other.by_officer {
            *self
                .by_officer
                .entry(format!("{checkpoint}/{k}"))
                .or_default() += n;
        }
    }

    /// Reads one counter into its field (names as in `counters.rs`).
    pub fn add(&mut self, name: &str, n: u64) {
        match name {
            "records" => self.records += n,
            "vehicles" => self.vehicles += n,
            "persons" => self.persons += n,
            "abnormal" => self.abnormal += n,
            "sampled" => self.sampled += n,
            "disinfected" => self.disinfected += n,
            "freight" => self.freight += n,
            "freight_closed" => self.freight_closed += n,
            "cold_chain" => self.cold_chain += n,
            "overrides" => self.overrides += n,
            "amended" => self.amended += n,
            "voided" => self.voided += n,
            _ => {
                if let Some(code) = name.strip_prefix("d:") {
                    if let Some(d) = Disposition::ALL.iter().find(|d| d.code() == code) {
                        *self.by_disposition.entry(d.code()).or_default() += n;
                    }
                } else if let Some(code) = name.strip_prefix("k:") {
                    if let Some(k) = VehicleKind::ALL.iter().find(|k| k.code() == code) {
                        *self.by_kind.entry(k.code()).or_default() += n;
                    }
                } else if let Some(code) = name.strip_prefix("o:") {
                    // An officer whose only record was voided has a counter at 0: not listed
                    // (a recount would not list them either).
                    if n > 0 {
                        *self.by_officer.entry(code.to_string()).or_default() += n;
                    }
                }
            }
        }
    }

    /// All zeros, every disposition and kind present.
    pub fn zero() -> Self {
        let mut c = DayCounts::default();
        for d in Disposition::ALL {
            c.by_disposition.insert(d.code(), 0);
        }
        for k in VehicleKind::ALL {
            c.by_kind.insert(k.code(), 0);
        }
        c
    }
}

/// One version of a signed day report (日报 / 零报告). Frozen once stored; a new version
/// needs a reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedReport {
    pub day: NaiveDate,
    pub version: u32,
    pub zero: bool,
    pub text: String,
    pub signed_by: String,
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub signed_at: DateTime<Utc>,
    /// Why a new version was issued (empty for the first).
    pub reason: String,
}

/// The figures a version of the day report was signed over (kept beside it, so the 日报 can
/// show them next to the current figures when records arrive later).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignedFigures {
    pub day: NaiveDate,
    pub version: u32,
    pub records: u64,
    pub vehicles: u64,
    pub persons: u64,
    pub abnormal_persons: u64,
    pub amended: u64,
    pub voided: u64,
    pub by_disposition: BTreeMap<String, u64>,
}

impl SignedFigures {
    pub fn of(day: NaiveDate, version: u32, c: &DayCounts) -> Self {
        Self {
            day,
            version,
            records: c.records,
            vehicles: c.vehicles,
            persons: c.persons,
            abnormal_persons: c.abnormal,
            amended: c.amended,
            voided: c.voided,
            by_disposition: c
                .by_disposition
                .iter()
                .filter(|(_, n)| **n > 0)
                .map(|(k, n)| (k.to_string(), *n))
                .collect(),
        }
    }
}

/// A registered person (record, index in it) marked as pushed to their community.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PushMark {
    pub record: String,
    pub person: u8,
    pub by: String,
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub at: DateTime<Utc>,
}

/// The tally of one checkpoint day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DayTally {
    pub checkpoint: String,
    pub checkpoint_name: String,
    pub day: NaiveDate,
    /// Local start of the checkpoint day, `HH:MM`.
    pub day_start: String,
    pub start: DateTime<Utc>,
    pub counts: DayCounts,
    /// Records amended at least once, and voided records (counted nowhere else).
    pub amended: u64,
    pub voided: u64,
    /// Arrivals (records) in each hour from the day's start: (`HH:00`, count).
    pub per_hour: Vec<(String, u64)>,
    /// Counts of each shift of the duty date: (shift name, counts).
    pub per_shift: Vec<(String, ShiftCounts)>,
    /// Staff checked in at a post during the day.
    pub on_duty: Vec<String>,
    /// Persons of the day the policy pushes to their community, and how many are pushed.
    pub push: PushFigures,
    /// The figures of the latest signed version of the day report, if any.
    pub signed: Option<SignedFigures>,
    /// The current figures differ from the signed ones (records, amendments or voids arrived
    /// since): shown until a new version is signed.
    pub changed_since_signed: bool,
}

/// The day's push figures: persons to push (registered, with a disposition the policy
/// pushes) and how many of them are marked pushed; the rest are pending.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PushFigures {
    pub to_push: u64,
    pub pushed: u64,
}

impl PushFigures {
    pub fn pending(&self) -> u64 {
        self.to_push.saturating_sub(self.pushed)
    }
}

impl DayTally {
    pub fn zero_report(&self) -> bool {
        self.counts.abnormal == 0
    }
}

/// A leader's sign-off of a checkpoint day (签字确认): later amendments are marked.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SignOff {
    pub day: NaiveDate,
    pub by: String,
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub at: DateTime<Utc>,
}
