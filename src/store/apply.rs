//! Applying journaled entries to sled, idempotently, each batch with the journal offset it
//! reaches (so a replay after a crash changes nothing). Runs of records share a batch; a
//! record is stored with its day, search and chain indexes and its counters.

use std::sync::Arc;

use super::keys::search_keys;
use super::spans::Span;
use super::staged::{STAGE_MAX, Staged};
use super::{Entry, Store, codec, counters_of, keys, scrub};
use crate::domain::{Checkpoint, Record, day_of};
use crate::error::{Error, Result};

impl Store {
    /// Applies journaled entries in order. Runs of records (own, or one checkpoint's at a
    /// command post) share a sled batch — with the journal offset of the last one, so the
    /// batch is all or nothing — which is what makes bulk imports and replays fast; every
    /// other entry is applied on its own.
    ///
    /// The entries are contiguous journal frames starting at byte `start`; the spans of those
    /// carrying personal details are noted by day with the journal offset (`Span`).
    pub(super) fn apply_many<'a>(
        &self,
        start: u64,
        entries: impl Iterator<Item = (&'a Entry, u64)>,
    ) -> Result<()> {
        let mut run: Option<(Arc<Store>, Staged)> = None;
        let mut next_start = start;
        for (entry, end) in entries {
            let span = self.personal_day(entry)?.map(|day| (day, next_start, end));
            next_start = end;
            let (target, r) = match entry {
                Entry::Record(r) => (None, r),
                Entry::Foreign {
                    checkpoint,
                    entry: inner,
                } => match inner.as_ref() {
                    Entry::Record(r) => (Some(checkpoint.as_str()), r),
                    _ => {
                        self.flush_run(&mut run)?;
                        self.apply(entry, end, span)?;
                        continue;
                    }
                },
                _ => {
                    self.flush_run(&mut run)?;
                    self.apply(entry, end, span)?;
                    continue;
                }
            };
            let same = run.as_ref().is_some_and(|(o, st)| {
                o.view_of.as_deref() == target && st.records.len() < STAGE_MAX
            });
            if !same {
                self.flush_run(&mut run)?;
                let owner = match target {
                    Some(code) => self.view(code)?,
                    None => Arc::new(self.shallow()),
                };
                run = Some((owner, Staged::default()));
            }
            let (owner, st) = run.as_mut().expect("a run was just started");
            if !st.held.contains(&r.id) && !owner.tree.contains_key(keys::record(&r.id))? {
                let cp = owner.require_checkpoint()?;
                owner.index_record(st, cp, r)?;
                st.held.insert(r.id.clone());
            }
            st.records.push(r.id.clone());
            st.journal_end = Some(end);
            st.spans.extend(span);
        }
        self.flush_run(&mut run)
    }

    /// Applies a run of records staged by `apply_many` as one batch.
    fn flush_run(&self, run: &mut Option<(Arc<Store>, Staged)>) -> Result<()> {
        let Some((owner, mut st)) = run.take() else {
            return Ok(());
        };
        match (&owner.view_of, st.journal_end) {
            (None, Some(end)) => {
                self.mark_applied(&mut st.batch, end, &st.spans)?;
                owner.tree.apply_batch(st.take_batch())?;
            }
            (Some(_), Some(end)) => {
                // The checkpoint's tree first, then the offset in the main tree (a crash
                // between replays the run, which changes nothing).
                owner.tree.apply_batch(st.take_batch())?;
                let mut main = sled::Batch::default();
                self.mark_applied(&mut main, end, &st.spans)?;
                self.tree.apply_batch(main)?;
            }
            (_, None) => return Ok(()),
        }
        // Amendments that arrived (from another laptop's bundle) before their record.
        if owner
            .tree
            .scan_prefix(keys::prefix(keys::PENDING))
            .next()
            .is_some()
        {
            for id in &st.records {
                owner.apply_pending(id)?;
            }
        }
        Ok(())
    }

    /// Applies one journaled entry to sled, idempotently, recording the journal offset in
    /// the same atomic batch.
    pub(super) fn apply(&self, entry: &Entry, journal_end: u64, span: Option<Span>) -> Result<()> {
        let spans: Vec<Span> = span.into_iter().collect();
        if let Entry::Foreign { checkpoint, entry } = entry {
            // Idempotent in the checkpoint's tree; the offset follows in the main tree (a
            // crash between the two replays the entry, which changes nothing).
            self.view(checkpoint)?.apply_entry(entry, None)?;
            let mut main = sled::Batch::default();
            self.mark_applied(&mut main, journal_end, &spans)?;
            self.tree.apply_batch(main)?;
            return Ok(());
        }
        self.apply_entry(entry, Some((journal_end, &spans)))
    }

    fn apply_entry(&self, entry: &Entry, applied: Option<(u64, &[Span])>) -> Result<()> {
        let mut st = Staged::default();
        if let Some((end, spans)) = applied {
            self.mark_applied(&mut st.batch, end, spans)?;
        }
        let mut record_applied = None;
        let batch = &mut st.batch;
        match entry {
            Entry::Checkpoint(cp) => {
                batch.insert(keys::meta("checkpoint"), codec::encode(cp));
                let _ = self.checkpoint.set(cp.clone());
            }
            Entry::Officer(o) => batch.insert(keys::staff(&o.code), codec::encode(o)),
            Entry::Record(r) => {
                if !self.tree.contains_key(keys::record(&r.id))? {
                    let cp = self.require_checkpoint()?;
                    self.index_record(&mut st, cp, r)?;
                }
                record_applied = Some(&r.id);
            }
            Entry::Duty(c) => batch.insert(keys::meta("duty"), codec::encode(c)),
            Entry::Roster(r) => batch.insert(keys::roster(&r.week), codec::encode(r)),
            Entry::Leave {
                code,
                date,
                on: true,
            } => batch.insert(keys::leave(*date, code), &[]),
            Entry::Leave {
                code,
                date,
                on: false,
            } => batch.remove(keys::leave(*date, code)),
            Entry::Attendance(e) => {
                let day = day_of(self.require_checkpoint()?, e.time);
                batch.insert(keys::attendance(day, e.time, &e.code), codec::encode(e));
            }
            Entry::Handover(h) => {
                let day = day_of(self.require_checkpoint()?, h.time);
                batch.insert(keys::handover(day, h.time, &h.id), codec::encode(h));
            }
            Entry::Report(r) => batch.insert(keys::report(r.day, r.version), codec::encode(r)),
            Entry::Pushed(m) => batch.insert(keys::pushed(&m.record, m.person), codec::encode(m)),
            Entry::Amendment(a) => self.apply_amendment(&mut st, a)?,
            Entry::SignOff(s) => batch.insert(keys::signoff(s.day), codec::encode(s)),
            Entry::ReportFigures(f) => {
                batch.insert(keys::report_figures(f.day, f.version), codec::encode(f))
            }
            Entry::Audit(e) => batch.insert(
                keys::audit(self.day_of(e.at), e.at, &e.by, &e.record),
                codec::encode(e),
            ),
            Entry::Identity(i) => batch.insert(keys::meta("identity"), codec::encode(i)),
            Entry::Trust(t) => {
                batch.insert(keys::meta(&format!("trust/{}", t.laptop)), codec::encode(t))
            }
            Entry::SyncMark { to, offset } => {
                batch.insert(keys::meta(&format!("mark/{to}")), &offset.to_be_bytes())
            }
            Entry::Foreign { .. } => {
                return Err(Error::Corrupt {
                    what: "journal entry".into(),
                    detail: "a foreign entry inside a foreign entry".into(),
                });
            }
            Entry::Reference(r) => self.apply_reference(batch, r)?,
            Entry::Conflict(c) => batch.insert(keys::conflict(&c.id, &c.other), codec::encode(c)),
            Entry::Purge(p) => self.apply_purge(p, &mut st)?,
            Entry::SyncFolders { outbox, inbox } => batch.insert(
                keys::meta("sync_folders"),
                codec::encode(&(outbox.clone(), inbox.clone())),
            ),
        }
        self.tree.apply_batch(st.take_batch())?;
        if let Some(id) = record_applied {
            // Amendments that arrived (from another laptop's bundle) before their record.
            self.apply_pending(id)?;
        }
        Ok(())
    }

    fn index_record(&self, st: &mut Staged, cp: &Checkpoint, r: &Record) -> Result<()> {
        // A record of a purged day (arriving in a bundle later) is stored purged.
        let purged;
        let before = match st.purged_before {
            Some(b) => b,
            None => *st.purged_before.insert(self.purged_before()?),
        };
        let r = if before.is_some_and(|b| day_of(cp, r.time) < b) {
            let mut c = r.clone();
            scrub::scrub_record(&mut c);
            purged = c;
            &purged
        } else {
            r
        };
        let day = day_of(cp, r.time);
        let bytes = codec::encode(r);
        let (link_key, link) = self.chain_link(
            st,
            day,
            &keys::with_kind(keys::RECORD, r.id.as_bytes())[1..],
            &bytes,
        )?;
        st.batch.insert(link_key, link);
        st.batch.insert(keys::record(&r.id), bytes);
        st.batch.insert(keys::by_day(day, r.time, &r.id), &[]);
        self.mark_after_signoff(st, day, &r.id)?;
        for key in search_keys(day, r) {
            st.batch.insert(key, &[]);
        }
        self.count(st, cp, r, 1, &counters_of(r))
    }
}
