//! Retention purge (PIPL, minimum necessary): registered persons' names, ID numbers, phones
//! (and destinations) are removed from the records of days before a date — from the records,
//! the originals, the amendments and their indexes, the versions sync conflicts kept aside,
//! and from the journal — while the records,
//! their dispositions and every tally stay. The purge is itself a ledger entry (who, when,
//! which days); records of purged days that arrive later (a bundle) are stored purged.
//!
//! The journal keeps every offset: a purged frame is re-encoded shorter with format byte 2
//! and zero padding to its old length (`codec::encode_padded`). The chain of each purged day
//! is rebuilt over the purged entries, so `verify` holds afterwards.
//!
//! The journal spans of personal details it scrubs are noted as entries are applied
//! (`spans.rs`); the scrubbing of one record or amendment is in `scrub.rs`.

use chrono::{DateTime, NaiveDate, Utc};

use super::keys::search_keys;
use super::scrub::{scrub_amendment, scrub_record};
use super::spans::{merge_span, span_key};
use super::staged::Staged;
use super::sync::Conflict;
use super::{Entry, Store, codec, journal, keys};
use crate::domain::amendment::Amendment;
use crate::domain::{Purge, PurgeReport, Record, day_of};
use crate::error::{Error, FieldError, Result};

/// Removes the personal details from a conflict's kept-aside version when it is a record or
/// an amendment of a day before `before` (its SHA-256 still names the version as it arrived).
pub fn scrub_conflict(
    c: &mut Conflict,
    cp: &crate::domain::Checkpoint,
    before: NaiveDate,
) -> Result<bool> {
    let entry = if c.id.starts_with("record/") {
        let mut r: Record = codec::decode("conflict record", &c.entry)?;
        if day_of(cp, r.time) >= before || !scrub_record(&mut r) {
            return Ok(false);
        }
        codec::encode(&r)
    } else if c.id.starts_with("amendment/") {
        let mut a: Amendment = codec::decode("conflict amendment", &c.entry)?;
        if day_of(cp, a.result.time) >= before || !scrub_amendment(&mut a) {
            return Ok(false);
        }
        codec::encode(&a)
    } else {
        return Ok(false);
    };
    c.entry = entry;
    Ok(true)
}

fn persons(r: &Record) -> u64 {
    r.persons
        .iter()
        .filter(|p| p.registration.is_some())
        .count() as u64
}

impl Store {
    /// Days before this date have been purged (None: never).
    pub fn purged_before(&self) -> Result<Option<NaiveDate>> {
        self.tree
            .get(keys::meta("purged_before"))?
            .map(|v| codec::decode("purged_before", &v))
            .transpose()
    }

    /// Whether a record (by its time) falls on a purged day of this ledger.
    pub(super) fn is_purged(&self, t: DateTime<Utc>) -> Result<bool> {
        Ok(match (self.purged_before()?, self.checkpoint()) {
            (Some(before), Some(cp)) => day_of(cp, t) < before,
            _ => false,
        })
    }

    /// Purges the days before `before` in `by`'s name (who may: `ops::report`); with
    /// `dry_run`, only counts.
    pub fn purge(
        &self,
        by: &str,
        before: NaiveDate,
        dry_run: bool,
        now: DateTime<Utc>,
    ) -> Result<PurgeReport> {
        let today = self.day_of(now);
        if before > today {
            return Err(FieldError::rule("before", "rule.purge.before")
                .with("today", today)
                .into());
        }
        let mut report = PurgeReport {
            before: Some(before),
            dry_run,
            ..Default::default()
        };
        for l in self.ledgers()? {
            l.for_days_before(before, &mut |r| {
                if persons(r) > 0 {
                    report.records += 1;
                    report.persons += persons(r);
                }
            })?;
        }
        if dry_run {
            return Ok(report);
        }
        let entry = Purge {
            before,
            by: by.to_string(),
            at: now,
        };
        let mut w = self.writer();
        let entries: Vec<Entry> = if self.is_command_post() {
            // Each checkpoint's tree, through the journal like the rest.
            self.checkpoints()?
                .into_iter()
                .map(|checkpoint| Entry::Foreign {
                    checkpoint,
                    entry: Box::new(Entry::Purge(entry.clone())),
                })
                .collect()
        } else {
            vec![Entry::Purge(entry)]
        };
        self.commit(&mut w, &entries)?;
        report.journal_frames = self.scrub_journal(&mut w.journal, before)?;
        tracing::info!(%before, records = report.records, "purged personal details");
        Ok(report)
    }

    /// Whether days before `before` hold records not purged yet (one index seek).
    pub fn purge_due(&self, before: NaiveDate) -> Result<bool> {
        let from = match self.purged_before()? {
            Some(b) if b >= before => return Ok(false),
            Some(b) => keys::day_prefix(b),
            None => keys::prefix(keys::BY_DAY),
        };
        Ok(self
            .tree
            .range(from..keys::day_prefix(before))
            .next()
            .is_some())
    }

    /// Calls `f` with every record of the days before `before` not purged yet (days before
    /// the last purge line hold no personal details: records arriving for them later are
    /// stored purged).
    fn for_days_before(&self, before: NaiveDate, f: &mut dyn FnMut(&Record)) -> Result<()> {
        let end = keys::day_prefix(before);
        let start = match self.purged_before()? {
            Some(b) if b >= before => return Ok(()),
            Some(b) => keys::day_prefix(b),
            None => keys::prefix(keys::BY_DAY),
        };
        for kv in self.tree.range(start..end) {
            let (k, _) = kv?;
            if let Some(id) = keys::id_after(&k, keys::DAY_KEY_FIXED)
                && let Some(r) = self.record(id)?
            {
                f(&r);
            }
        }
        Ok(())
    }

    /// Applies a purge to this ledger's tree: records, originals, amendments (and those
    /// waiting for their record), personal indexes; then rebuilds the purged days' chains.
    /// Idempotent. The caller's batch records `purged_before`.
    pub(super) fn apply_purge(&self, p: &Purge, st: &mut Staged) -> Result<()> {
        let Some(cp) = self.checkpoint() else {
            return Ok(());
        };
        let mut ids = Vec::new();
        self.for_days_before(p.before, &mut |r| {
            if persons(r) > 0 {
                ids.push(r.id.clone());
            }
        })?;
        let mut originals_only = Vec::new();
        for kv in self.tree.scan_prefix(keys::prefix(keys::ORIGINAL)) {
            let (k, v) = kv?;
            let r: Record = codec::decode("original", &v)?;
            if day_of(cp, r.time) < p.before && persons(&r) > 0 {
                originals_only.push(String::from_utf8_lossy(&k[2..]).into_owned());
            }
        }
        let mut days = std::collections::BTreeSet::new();
        for chunk in ids.chunks(1000) {
            let mut batch = sled::Batch::default();
            for id in chunk {
                let Some(old) = self.record(id)? else {
                    continue;
                };
                let day = day_of(cp, old.time);
                days.insert(day);
                let mut new = old.clone();
                scrub_record(&mut new);
                if !old.voided {
                    let keep = search_keys(day, &new);
                    for k in search_keys(day, &old) {
                        if !keep.contains(&k) {
                            batch.remove(k);
                        }
                    }
                }
                batch.insert(keys::record(id), codec::encode(&new));
            }
            self.tree.apply_batch(batch)?;
        }
        let mut batch = sled::Batch::default();
        for id in originals_only.iter().chain(ids.iter()) {
            if let Some(v) = self.tree.get(keys::original(id))? {
                let mut o: Record = codec::decode("original", &v)?;
                if scrub_record(&mut o) {
                    days.insert(day_of(cp, o.time));
                    batch.insert(keys::original(id), codec::encode(&o));
                }
            }
            for kv in self.tree.scan_prefix(keys::amendment_prefix(id)) {
                let (k, v) = kv?;
                let mut a: Amendment = codec::decode("amendment", &v)?;
                if scrub_amendment(&mut a) {
                    batch.insert(k, codec::encode(&a));
                }
            }
        }
        for kv in self.tree.scan_prefix(keys::prefix(keys::PENDING)) {
            let (k, v) = kv?;
            let mut a: Amendment = codec::decode("pending amendment", &v)?;
            if day_of(cp, a.result.time) < p.before && scrub_amendment(&mut a) {
                batch.insert(k, codec::encode(&a));
            }
        }
        // Versions kept aside by sync conflicts are copies of records and amendments too.
        for kv in self.tree.scan_prefix(keys::prefix(keys::CONFLICT)) {
            let (k, v) = kv?;
            let mut c: Conflict = codec::decode("conflict", &v)?;
            if scrub_conflict(&mut c, cp, p.before)? {
                batch.insert(k, codec::encode(&c));
            }
        }
        self.tree.apply_batch(batch)?;
        // The purged days' chains, rebuilt over what is now stored.
        for day in days {
            let prefix = keys::chain_prefix(day);
            let mut prev = [0u8; 32];
            let mut batch = sled::Batch::default();
            for kv in self.tree.scan_prefix(&prefix) {
                let (k, v) = kv?;
                let link: super::verify::Link = codec::decode("chain link", &v)?;
                let bytes = self.entry_bytes(&link.entry)?.unwrap_or_default();
                let link = super::verify::Link::new(link.entry, &bytes, &prev);
                prev = link.chain;
                batch.insert(k, codec::encode(&link));
            }
            self.tree.apply_batch(batch)?;
        }
        let before = match self.purged_before()? {
            Some(b) if b > p.before => b,
            _ => p.before,
        };
        st.batch
            .insert(keys::meta("purged_before"), codec::encode(&before));
        Ok(())
    }

    /// Rewrites the journal frames that carry personal details of purged days, in place
    /// (same length), then syncs. Returns how many frames were rewritten.
    pub(super) fn scrub_journal(&self, j: &mut journal::Journal, before: NaiveDate) -> Result<u64> {
        let path = j.path().to_path_buf();
        // The spans noted for the days before `before` (all of the journal if none were
        // ever noted), merged.
        let mut spans: Vec<(u64, u64)> = Vec::new();
        let mut done_keys = Vec::new();
        if self.tree.contains_key(keys::meta("scrub_spans"))? {
            for kv in self.tree.range(keys::meta("scrub/")..span_key(before)) {
                let (k, v) = kv?;
                let list: Vec<(u64, u64)> = codec::decode("scrub spans", &v)?;
                for (s, e) in list {
                    merge_span(&mut spans, s, e.min(j.len()));
                }
                done_keys.push(k);
            }
        } else {
            spans.push((0, j.len()));
        }
        let mut rewrites: Vec<(u64, Vec<u8>)> = Vec::new();
        let own = self.checkpoint().cloned();
        let mut views = std::collections::HashMap::new();
        for (start, end) in spans.iter().copied().filter(|(s, e)| s < e) {
            let mut pos = start;
            journal::read_frames(&path, start, end, &mut |payload| {
                let at = pos;
                pos += (payload.len() + 8) as u64;
                let mut entry: Entry = codec::decode("journal entry", payload)?;
                let cp = match &entry {
                    Entry::Foreign { checkpoint, .. } => {
                        if !views.contains_key(checkpoint) {
                            let v = self.view(checkpoint)?;
                            views.insert(checkpoint.clone(), v.checkpoint().cloned());
                        }
                        views[checkpoint].clone()
                    }
                    _ => own.clone(),
                };
                let Some(cp) = cp else { return Ok(()) };
                let inner = match &mut entry {
                    Entry::Foreign { entry, .. } => entry.as_mut(),
                    e => e,
                };
                let changed = match inner {
                    Entry::Record(r) if day_of(&cp, r.time) < before => scrub_record(r),
                    Entry::Amendment(a) if day_of(&cp, a.result.time) < before => {
                        scrub_amendment(a)
                    }
                    Entry::Conflict(c) => scrub_conflict(c, &cp, before)?,
                    _ => false,
                };
                if changed {
                    let bytes = codec::encode_padded(&entry, payload.len()).ok_or_else(|| {
                        Error::Corrupt {
                            what: "journal".into(),
                            detail: "a purged frame does not fit its old length".into(),
                        }
                    })?;
                    rewrites.push((at, bytes));
                }
                Ok(())
            })?;
        }
        j.rewrite_in_place(&rewrites)?;
        // Those days are clean now: forget their spans (a later frame notes a new one).
        let mut batch = sled::Batch::default();
        for k in done_keys {
            batch.remove(k);
        }
        self.tree.apply_batch(batch)?;
        Ok(rewrites.len() as u64)
    }
}
