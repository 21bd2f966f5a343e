//! The store: the only module that touches sled and the journal. It holds the checkpoint
//! settings, the staff and the ledger records, with indexes by local day, plate, ID number
//! and disposition, and running per-day counters.
//!
//! Durable commit: entry → journal frame → `fdatasync` → apply to sled → acknowledge.
//! See `journal.rs` for why, and README "Durability" for how it is tested.
//!
//! The files, from the ground up: `keys` (the key layout, private to the store), `journal`,
//! `counters`, `disk` (sled and the data dir); `open` (open and replay), `commit`
//! (the durable commit), `apply`, `apply_amend` and `staged` (journaled entries into sled),
//! `spans` and `scrub` (personal details for the purge); then one file per part of the
//! ledger: `query`, `search`, `report`, `duty`, `staff`, `amend`, `purge`, `verify`, `sync`.
//! The values it keeps are `domain` types; this file only holds the `Store` itself.

mod amend;
mod apply;
mod apply_amend;
mod commit;
mod counters;
mod disk;
mod duty;
pub(crate) mod journal;
mod keys;
mod open;
mod purge;
mod query;
mod report;
mod scrub;
mod search;
mod spans;
mod staff;
mod staged;
mod sync;
mod verify;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use chrono::{DateTime, NaiveDate, Utc};

pub use crate::codec;
pub use crate::domain::entry::Entry;
pub use counters::counters_of;
pub use disk::sled_db;
pub use journal::Journal;
pub use scrub::{scrub_amendment, scrub_record};
pub(crate) use staged::Staged;
pub use sync::{DumpEntry, MergeLedger, MergeStore, MergeTxn, SledMerge};
// Named here too while callers move to `domain::entry` and `sync`.
pub use crate::domain::entry::{Conflict, Identity, Reference, TrustedLaptop};
pub use crate::sync::bundle_files;
// The value types the store keeps live in `domain`; named here too while callers move.
pub use crate::domain::{
    AuditEntry, DayCounts, DayTally, Filter, Handover, HandoverDraft, Page, PostEvent, Purge,
    PurgeReport, PushMark, ShiftCounts, SignOff, SignedReport, day_of, plate_part, tz_of,
};

use crate::domain::Checkpoint;
use crate::error::{Error, Result};

/// The ledger of one data dir (or, at a command post, of one checkpoint within it).
pub struct Store {
    dir: PathBuf,
    db: sled::Db,
    tree: sled::Tree,
    writer: Arc<Mutex<Writer>>,
    checkpoint: OnceLock<Checkpoint>,
    /// At a command post: the checkpoints' trees, opened once.
    views: Mutex<HashMap<String, Arc<Store>>>,
    /// Set on a view of one checkpoint at a command post (`Store::view`): read-only.
    view_of: Option<String>,
}

struct Writer {
    journal: Journal,
    ids: ulid::Generator,
    /// Set when a journaled entry could not be applied to sled. Later entries must not be
    /// applied past it (the applied offset would skip it), so commits stop until a reopen
    /// replays the journal.
    failed: Option<String>,
}

impl Store {
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    pub fn checkpoint(&self) -> Option<&Checkpoint> {
        self.checkpoint.get()
    }

    fn require_checkpoint(&self) -> Result<&Checkpoint> {
        self.checkpoint()
            .ok_or_else(|| Error::NotInitialised(self.dir.display().to_string()))
    }

    fn writer(&self) -> MutexGuard<'_, Writer> {
        // A panic while holding the lock leaves the journal consistent (frames are whole or
        // cut on the next open), so a poisoned lock is safe to take over.
        self.writer.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The checkpoint day a UTC instant belongs to: local date in the checkpoint's zone,
    /// shifted by the configured day start.
    pub fn day_of(&self, t: DateTime<Utc>) -> NaiveDate {
        match self.checkpoint() {
            Some(cp) => day_of(cp, t),
            None => t.date_naive(),
        }
    }

    /// Flushes sled (used on clean exit so the next open replays nothing).
    pub fn close(&self) -> Result<()> {
        self.db.flush()?;
        Ok(())
    }
}

#[cfg(test)]
pub(crate) mod tests;
