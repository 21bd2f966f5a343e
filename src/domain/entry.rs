//! The ledger entry: what is journaled as one unit of durable commit, replayed into the
//! store, and carried in bundles. Its encoding (`crate::codec`) outlives the code: variants are
//! only ever added at the end. Also the values that only sync writes into the ledger: this
//! laptop's key, the laptops it trusts, their reference data, and conflicts kept aside.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::duty::DutyConfig;
use super::privacy::{AuditEntry, Purge};
use super::report::{PushMark, SignOff, SignedFigures, SignedReport};
use super::shift::{Handover, PostEvent};
use super::{Checkpoint, Officer, Record};
use crate::domain::roster::Roster;

/// A ledger entry as journaled: the unit of durable commit.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Entry {
    Checkpoint(Checkpoint),
    Officer(Officer),
    Record(Record),
    /// Posts and shifts of the checkpoint.
    Duty(DutyConfig),
    /// One week's roster, whole (replaces the week).
    Roster(Roster),
    /// A day of leave set (`on`) or taken back.
    Leave {
        code: String,
        date: chrono::NaiveDate,
        on: bool,
    },
    /// A check-in or check-out at a post (到岗 / 离岗).
    Attendance(PostEvent),
    /// A signed shift handover (交接班).
    Handover(Handover),
    /// A signed day report (日报 / 零报告), one version.
    Report(SignedReport),
    /// A registered person marked as pushed to their destination community.
    Pushed(PushMark),
    /// An amendment or a void (更正 / 作废), with the resulting record.
    Amendment(Box<super::amendment::Amendment>),
    /// A day signed off by a leader (签字确认).
    SignOff(SignOff),
    /// A reveal of personal details, for the audit log.
    Audit(AuditEntry),
    /// This laptop's signing key and mode (made at init or on first sync).
    Identity(Identity),
    /// A laptop whose bundles are accepted (or no longer: `active` false).
    Trust(TrustedLaptop),
    /// Bundles for destination `to` have been written up to journal byte `offset`.
    SyncMark {
        to: String,
        offset: u64,
    },
    /// At a command post: an entry of another checkpoint, applied to that checkpoint's tree.
    Foreign {
        checkpoint: String,
        entry: Box<Entry>,
    },
    /// A laptop's staff (without PINs), posts, shifts and rosters, from a bundle.
    Reference(Box<Reference>),
    /// An imported entry with a known id and different content, kept aside.
    Conflict(Box<Conflict>),
    /// Where the TUI writes bundles (outbox) and looks for bundles to import (inbox).
    SyncFolders {
        outbox: String,
        inbox: String,
    },
    /// Retention purge: names, ID numbers and phones removed from records of days before
    /// `before` (PIPL); records, dispositions and tallies stay.
    Purge(Purge),
    /// The figures a signed day report version was signed over (written with it).
    ReportFigures(SignedFigures),
}

/// This laptop's signing key (made at init, or on first sync for older data dirs), and
/// whether the data dir is a command post.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identity {
    pub secret: [u8; 32],
    pub command_post: bool,
}

/// A laptop whose bundles this data dir accepts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrustedLaptop {
    pub laptop: String,
    pub checkpoint: String,
    pub name: String,
    pub public_key: [u8; 32],
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub at: DateTime<Utc>,
    /// False once removed (`kadian trust remove`): its bundles are refused again.
    pub active: bool,
}

/// A laptop's staff (without PINs), posts and shifts, and rosters, as of `taken_at`. Kept per
/// source laptop, newest wins: reference data, not the receiver's own staff list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    pub laptop: String,
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub taken_at: DateTime<Utc>,
    pub officers: Vec<Officer>,
    pub duty: Option<DutyConfig>,
    pub rosters: Vec<Roster>,
}

/// An entry that arrived with a known id and different content: kept, not applied.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conflict {
    pub id: String,
    pub checkpoint: String,
    /// SHA-256 (hex) of the version in effect and of the one kept aside.
    pub kept: String,
    pub other: String,
    /// The version kept aside, encoded as the store keeps that kind (see the id's prefix).
    pub entry: Vec<u8>,
}
