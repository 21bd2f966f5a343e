//! A sled batch being built, with what it has changed so far (counters, chain links, records
//! held), so that reads made while building it see it; and the counting of a record version
//! into its day's and hour's counters, staged in such a batch.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;

use super::spans::Span;
use super::{Store, keys};
use crate::domain::{Checkpoint, Record, day_of, tz_of};
use crate::error::Result;

/// A sled batch being built, with what it has changed so far, so that reads made while
/// building it (counters, a day's last chain link, whether a record is held) see the batch.
/// One entry per batch, or — for runs of records (bulk imports, replays) — many.
#[derive(Default)]
pub(crate) struct Staged {
    pub(crate) batch: sled::Batch,
    pub(super) counters: HashMap<Vec<u8>, u64>,
    pub(super) chains: HashMap<NaiveDate, (u32, [u8; 32])>,
    /// Records indexed in this batch (ids), in order.
    pub(super) records: Vec<String>,
    pub(super) held: HashSet<String>,
    pub(super) journal_end: Option<u64>,
    /// The ledger's purge line, read once per batch (a purge is applied on its own).
    pub(super) purged_before: Option<Option<NaiveDate>>,
    /// Journal spans of the staged entries that carry personal details.
    pub(super) spans: Vec<Span>,
}

impl Staged {
    /// The batch with the staged counters written in (each once, whatever number of
    /// entries moved it). A counter back at zero is removed, not kept as 0: the store then
    /// does not depend on whether a count went up and down or never moved (sync merges the
    /// same entries in any order).
    pub(crate) fn take_batch(&mut self) -> sled::Batch {
        for (key, n) in self.counters.drain() {
            if n == 0 {
                self.batch.remove(key);
            } else {
                self.batch.insert(key, &n.to_be_bytes());
            }
        }
        std::mem::take(&mut self.batch)
    }
}

/// Records staged per sled batch in a run of records (bounds the batch's memory).
pub(super) const STAGE_MAX: usize = 4096;

impl Store {
    /// Adds `sign` × `counters` to the record's day and hour (sign -1 takes a version out).
    pub(super) fn count(
        &self,
        st: &mut Staged,
        cp: &Checkpoint,
        r: &Record,
        sign: i64,
        counters: &BTreeMap<String, u64>,
    ) -> Result<()> {
        // Per checkpoint day, and per local clock hour (shift and hourly tallies add hours).
        let day = day_of(cp, r.time);
        let local = r.time.with_timezone(&tz_of(cp));
        let (date, hour) = (local.date_naive(), chrono::Timelike::hour(&local) as u8);
        for (name, n) in counters {
            for key in [
                keys::counter(day, name),
                keys::hour_counter(date, hour, name),
            ] {
                // Within one batch a later write of the same key wins: read what this batch
                // already holds first, else what is stored.
                let old = match st.counters.get(&key) {
                    Some(n) => *n,
                    None => match self.tree.get(&key)? {
                        Some(v) => u64::from_be_bytes(v.as_ref().try_into().unwrap_or([0; 8])),
                        None => 0,
                    },
                };
                let new = (old as i64 + sign * *n as i64).max(0) as u64;
                // Written into the batch once, when it is taken (`Staged::take_batch`).
                st.counters.insert(key, new);
            }
        }
        Ok(())
    }
}
