//! The store: the only module that touches sled and the journal. It holds the checkpoint
//! settings, the staff and the ledger records, with indexes by local day, plate, ID number
//! and disposition, and running per-day counters.
//!
//! Durable commit: entry → journal frame → `fdatasync` → apply to sled → acknowledge.
//! See `journal.rs` for why, and README "Durability" for how it is tested.

mod amend;
pub mod codec;
mod counters;
mod duty;
pub(crate) mod journal;
pub mod keys;
pub(crate) mod purge;
mod query;
mod report;
mod search;
mod staff;
mod sync;
pub(crate) mod verify;

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, OnceLock};

use chrono::{DateTime, NaiveDate, Utc};

pub use codec::Entry;
pub use counters::counters_of;
pub use journal::Journal;
pub use purge::scrub_record;
pub use staff::Actor;
pub use sync::{
    Conflict, ConflictLine, DumpEntry, Identity, ImportReport, Reference, Since, SyncReport,
    TrustedLaptop, bundle_files,
};
// The value types the store keeps live in `domain`; named here too while callers move.
pub use crate::domain::{
    AuditEntry, DayCounts, DayTally, Filter, Handover, HandoverDraft, Page, PostEvent, Purge,
    PurgeReport, PushMark, ShiftCounts, SignOff, SignedReport, day_of, plate_part, tz_of,
};

use crate::domain::{Checkpoint, NewRecord, Officer, Record};
use crate::error::{Error, Result};

/// sled's page cache. A checkpoint laptop has other work; the default (1 GiB) is far too much.
pub const CACHE_BYTES: u64 = 32 * 1024 * 1024;

/// Attempts (50 ms apart) to take a dir whose lock is held, before reporting it in use.
const LOCK_RETRIES: u32 = 10;

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

fn map_open_error(dir: &Path, e: sled::Error) -> Error {
    match &e {
        sled::Error::Io(io)
            if io.kind() == std::io::ErrorKind::WouldBlock || io.to_string().contains("lock") =>
        {
            Error::Locked(dir.display().to_string())
        }
        sled::Error::Io(io) => not_writable(dir, io).unwrap_or_else(|| e.into()),
        _ => e.into(),
    }
}

/// Opens a sled database. sled releases its lock when its last background thread ends, a
/// moment after the previous holder closed: wait briefly for that before saying the dir is
/// in use.
pub(crate) fn open_sled(config: &sled::Config, dir: &Path) -> Result<sled::Db> {
    let mut tries = 0;
    loop {
        match config.open().map_err(|e| map_open_error(dir, e)) {
            Err(Error::Locked(_)) if tries < LOCK_RETRIES => {
                tries += 1;
                std::thread::sleep(std::time::Duration::from_millis(50));
            }
            other => return other,
        }
    }
}

/// A read-only file system or a permission refusal, said as such with the dir.
fn not_writable(dir: &Path, io: &std::io::Error) -> Option<Error> {
    matches!(
        io.kind(),
        std::io::ErrorKind::PermissionDenied | std::io::ErrorKind::ReadOnlyFilesystem
    )
    .then(|| Error::NotWritable(dir.display().to_string(), io.to_string()))
}

/// Space kept in the data dir (`reserve.bin`) and given back when the disk fills up, so the
/// store can still open (replaying what the journal holds) and the officer can export or sync.
pub const RESERVE_BYTES: u64 = 2 * 1024 * 1024;

fn reserve_path(dir: &Path) -> PathBuf {
    dir.join("reserve.bin")
}

/// Gives the reserve back to the file system (after a "disk full").
fn release_reserve(dir: &Path) {
    if std::fs::remove_file(reserve_path(dir)).is_ok() {
        tracing::warn!("disk full: released the reserve");
    }
}

/// Makes the reserve if it is missing and there is room; a full disk just leaves it missing.
fn make_reserve(dir: &Path) {
    let path = reserve_path(dir);
    if path.exists() {
        return;
    }
    let made = (|| -> std::io::Result<()> {
        use std::io::Write;
        let mut f = crate::private::create(&path)?;
        let zeros = vec![0u8; 64 * 1024];
        for _ in 0..RESERVE_BYTES / zeros.len() as u64 {
            f.write_all(&zeros)?;
        }
        f.sync_all()
    })();
    if let Err(e) = made {
        let _ = std::fs::remove_file(&path);
        tracing::warn!(error = %e, "no room for the disk-full reserve");
    }
}

impl Store {
    /// Opens (creating if needed) the data dir, replaying journal frames sled does not hold
    /// yet. On a full disk it gives back the reserve and tries once more.
    pub fn open(dir: &Path) -> Result<Self> {
        match Self::open_once(dir) {
            Err(Error::DiskFull(_)) if reserve_path(dir).exists() => {
                release_reserve(dir);
                Self::open_once(dir)
            }
            Ok(s) => {
                make_reserve(dir);
                Ok(s)
            }
            e => e,
        }
    }

    fn open_once(dir: &Path) -> Result<Self> {
        crate::private::create_dir(dir)
            .map_err(|e| not_writable(dir, &e).unwrap_or_else(|| e.into()))?;
        let config = sled::Config::new()
            .path(dir.join("db"))
            .cache_capacity(CACHE_BYTES)
            .flush_every_ms(Some(500));
        let db = open_sled(&config, dir)?;
        // sled creates its files with the process umask: make them private like the rest.
        crate::private::restrict(&dir.join("db"))?;
        let tree = db.open_tree("ledger")?;
        let applied = match tree.get(keys::meta("journal_applied"))? {
            Some(v) => u64::from_be_bytes(v.as_ref().try_into().map_err(|_| Error::Corrupt {
                what: "meta journal_applied".into(),
                detail: "not 8 bytes".into(),
            })?),
            None => 0,
        };
        let (journal, frames) = Journal::open(&dir.join("journal.log"), applied)?;
        let store = Self {
            dir: dir.to_path_buf(),
            db,
            tree,
            writer: Arc::new(Mutex::new(Writer {
                journal,
                ids: ulid::Generator::new(),
                failed: None,
            })),
            checkpoint: OnceLock::new(),
            views: Mutex::default(),
            view_of: None,
        };
        if let Some(cp) = store.tree.get(keys::meta("checkpoint"))? {
            let _ = store.checkpoint.set(codec::decode("checkpoint", &cp)?);
        }
        let replayed = frames.len();
        let mut entries = Vec::with_capacity(frames.len());
        for (end, payload) in frames {
            entries.push((codec::decode::<Entry>("journal entry", &payload)?, end));
        }
        store.apply_many(applied, entries.iter().map(|(e, end)| (e, *end)))?;
        if replayed > 0 {
            tracing::info!(replayed, "replayed journal entries into sled");
            store.db.flush()?;
        }
        {
            let w = store.writer();
            store.index_spans(&w.journal)?;
        }
        retire_indexes(&store.tree)?;
        for code in store.checkpoints()? {
            retire_indexes(&store.view(&code)?.tree)?;
        }
        Ok(store)
    }

    /// Opens a data dir that must already be initialised (every command but `init`).
    pub fn open_existing(dir: &Path) -> Result<Self> {
        if !dir.join("db").exists() {
            return Err(Error::NotInitialised(dir.display().to_string()));
        }
        let store = Self::open(dir)?;
        if store.checkpoint().is_none() {
            return Err(Error::NotInitialised(dir.display().to_string()));
        }
        Ok(store)
    }

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

    /// Journals the entries with one fdatasync, then applies them. Returns only after the
    /// entries are durable: this is the commit every acknowledgement waits for.
    fn commit(&self, w: &mut Writer, entries: &[Entry]) -> Result<()> {
        if let Some(code) = &self.view_of {
            return Err(Error::CommandPost(format!(
                "检查站{code}的数据只读，须在检查站修改 / checkpoint {code}'s data is read-only here: change it at the checkpoint"
            )));
        }
        if let Some(why) = &w.failed {
            return Err(Error::Corrupt {
                what: "store".into(),
                detail: format!(
                    "an earlier write could not be applied ({why}); restart kadian to recover it from the journal"
                ),
            });
        }
        let payloads: Vec<Vec<u8>> = entries.iter().map(codec::encode).collect();
        let ends = match w.journal.append(&payloads) {
            Ok(ends) => ends,
            Err(e @ Error::DiskFull(_)) => {
                // Not journaled, so not stored: free the reserve for what comes next.
                release_reserve(&self.dir);
                return Err(e);
            }
            Err(e) => return Err(e),
        };
        let start = ends
            .first()
            .map_or(0, |e| e - (payloads[0].len() + journal::HEADER) as u64);
        if let Err(e) = self.apply_many(start, entries.iter().zip(ends)) {
            if matches!(e, Error::DiskFull(_)) {
                // Journaled (kept) but not applied: the next open replays it into the space
                // the reserve gives back.
                release_reserve(&self.dir);
            }
            // Durable in the journal, so not lost; but not acknowledged here.
            tracing::error!(error = %e, "journaled entry not applied to sled");
            w.failed = Some(e.to_string());
            return Err(e);
        }
        Ok(())
    }

    /// Creates the checkpoint of a new data dir; refuses an initialised one.
    pub fn init(&self, checkpoint: Checkpoint) -> Result<()> {
        self.init_as(checkpoint, false)
    }

    /// Creates the checkpoint (or, `command_post`, the command post) with this laptop's
    /// signing key, in one commit.
    pub(crate) fn init_as(&self, checkpoint: Checkpoint, command_post: bool) -> Result<()> {
        let mut w = self.writer();
        if let Some(cp) = self.checkpoint() {
            return Err(Error::AlreadyInitialised(
                self.dir.display().to_string(),
                cp.code.clone(),
            ));
        }
        let identity = Identity {
            secret: crate::sync::new_secret()?,
            command_post,
        };
        self.commit(
            &mut w,
            &[Entry::Checkpoint(checkpoint), Entry::Identity(identity)],
        )
    }

    /// Stores a staff member without a permission check (set-up and tests; commands and
    /// screens use `save_officer`, which checks the actor).
    pub fn put_officer(&self, officer: Officer, replace: bool) -> Result<()> {
        if !replace && self.officer(&officer.code)?.is_some() {
            return Err(Error::DuplicateStaff(officer.code));
        }
        self.journal_officer(officer)
    }

    /// Gives each new record its id and commits them together (one fdatasync), attributed
    /// to `officer`. Returns the stored records once durable.
    pub fn add_records(
        &self,
        news: Vec<NewRecord>,
        officer: &str,
        policy_version: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<Record>> {
        let cp = self.require_checkpoint()?;
        if self.is_command_post() {
            return Err(Error::CommandPost(
                "指挥部不登记记录 / a command post holds no records of its own: log at a checkpoint and import its bundles".into(),
            ));
        }
        match self.officer(officer)? {
            Some(o) if o.active => {}
            _ => return Err(Error::UnknownOfficer(officer.to_string())),
        }
        let mut w = self.writer();
        let mut records = Vec::with_capacity(news.len());
        for n in news {
            let id = w
                .ids
                .generate_from_datetime(now.into())
                .map_err(|e| Error::Corrupt {
                    what: "record id".into(),
                    detail: e.to_string(),
                })?;
            records.push(Record {
                id: format!("{}-{id}", cp.code),
                checkpoint: cp.code.clone(),
                officer: officer.to_string(),
                time: n.time,
                entered_at: now,
                vehicle: n.vehicle,
                persons: n.persons,
                policy_version: policy_version.to_string(),
                amendments: 0,
                voided: false,
            });
        }
        let entries: Vec<Entry> = records.iter().cloned().map(Entry::Record).collect();
        self.commit(&mut w, &entries)?;
        Ok(records)
    }

    pub fn add_record(
        &self,
        new: NewRecord,
        officer: &str,
        policy_version: &str,
        now: DateTime<Utc>,
    ) -> Result<Record> {
        let mut v = self.add_records(vec![new], officer, policy_version, now)?;
        Ok(v.remove(0))
    }

    /// The checkpoint day a UTC instant belongs to: local date in the checkpoint's zone,
    /// shifted by the configured day start.
    pub fn day_of(&self, t: DateTime<Utc>) -> NaiveDate {
        match self.checkpoint() {
            Some(cp) => day_of(cp, t),
            None => t.date_naive(),
        }
    }

    /// Applies journaled entries in order. Runs of records (own, or one checkpoint's at a
    /// command post) share a sled batch — with the journal offset of the last one, so the
    /// batch is all or nothing — which is what makes bulk imports and replays fast; every
    /// other entry is applied on its own.
    ///
    /// The entries are contiguous journal frames starting at byte `start`; the spans of those
    /// carrying personal details are noted by day with the journal offset (`purge::Span`).
    fn apply_many<'a>(
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
    fn apply(&self, entry: &Entry, journal_end: u64, span: Option<purge::Span>) -> Result<()> {
        let spans: Vec<purge::Span> = span.into_iter().collect();
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

    fn apply_entry(&self, entry: &Entry, applied: Option<(u64, &[purge::Span])>) -> Result<()> {
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
            Entry::Audit(e) => batch.insert(
                keys::audit(self.day_of(e.at), e.at, &e.by),
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
            purge::scrub_record(&mut c);
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
        for key in search_keys(day, r) {
            st.batch.insert(key, &[]);
        }
        self.count(st, cp, r, 1, &counters_of(r))
    }

    /// Adds `sign` × `counters` to the record's day and hour (sign -1 takes a version out).
    fn count(
        &self,
        st: &mut Staged,
        cp: &Checkpoint,
        r: &Record,
        sign: i64,
        counters: &std::collections::BTreeMap<String, u64>,
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

    /// Applies an amendment: the original is kept (once), the record becomes the result,
    /// search indexes and counters move from the old version to the new one; a voided record
    /// leaves every count and every search index but its day.
    fn apply_amendment(&self, st: &mut Staged, a: &crate::amend::Amendment) -> Result<()> {
        let purged;
        let a = if self.is_purged(a.result.time)? {
            let mut c = a.clone();
            purge::scrub_amendment(&mut c);
            purged = c;
            &purged
        } else {
            a
        };
        if self
            .tree
            .contains_key(keys::amendment(&a.record, a.at, &a.id))?
        {
            return Ok(());
        }
        let cp = self.require_checkpoint()?;
        let Some(old) = self.record(&a.record)? else {
            // From another laptop's bundle, ahead of its record: it waits for it.
            st.batch
                .insert(keys::pending(&a.record, a.at, &a.id), codec::encode(a));
            return Ok(());
        };
        let day = day_of(cp, old.time);
        // Amendments written on several laptops apply in (time, id) order: the record is the
        // result of the latest; an earlier one arriving later joins the history only.
        let key = keys::amendment(&a.record, a.at, &a.id);
        let superseded = match self
            .tree
            .scan_prefix(keys::amendment_prefix(&a.record))
            .keys()
            .next_back()
        {
            Some(last) => last?.as_ref() > key.as_slice(),
            None => false,
        };
        if superseded {
            self.count_amendment_written(st, cp, a)?;
            let bytes = codec::encode(a);
            let (link_key, link) = self.chain_link(st, day, &key[1..], &bytes)?;
            st.batch.insert(link_key, link);
            st.batch.insert(key, bytes);
            return Ok(());
        }
        if !self.tree.contains_key(keys::original(&a.record))? {
            st.batch
                .insert(keys::original(&a.record), codec::encode(&old));
            self.count(st, cp, &old, 1, &[("amended".to_string(), 1)].into())?;
        }
        let mut old_counts = if old.voided {
            Default::default()
        } else {
            counters_of(&old)
        };
        let new_counts = if a.result.voided {
            Default::default()
        } else {
            counters_of(&a.result)
        };
        if a.result.voided && !old.voided {
            self.count(st, cp, &old, 1, &[("voided".to_string(), 1)].into())?;
        }
        if old.voided && !a.result.voided {
            // Only when amendments from two laptops cross (a void superseded by a later
            // correction made without it): the record counts again.
            self.count(st, cp, &old, -1, &[("voided".to_string(), 1)].into())?;
        }
        // Net change per counter, so a counter both taken out and put back is written once.
        let mut net: std::collections::BTreeMap<String, i64> = std::collections::BTreeMap::new();
        for (k, n) in std::mem::take(&mut old_counts) {
            *net.entry(k).or_default() -= n as i64;
        }
        for (k, n) in new_counts {
            *net.entry(k).or_default() += n as i64;
        }
        let (plus, minus): (Vec<_>, Vec<_>) = net
            .into_iter()
            .filter(|(_, n)| *n != 0)
            .partition(|(_, n)| *n > 0);
        self.count(
            st,
            cp,
            &old,
            1,
            &plus.into_iter().map(|(k, n)| (k, n as u64)).collect(),
        )?;
        self.count(
            st,
            cp,
            &old,
            -1,
            &minus.into_iter().map(|(k, n)| (k, (-n) as u64)).collect(),
        )?;
        if !old.voided {
            for key in search_keys(day, &old) {
                st.batch.remove(key);
            }
        }
        if !a.result.voided {
            for key in search_keys(day, &a.result) {
                st.batch.insert(key, &[]);
            }
        }
        self.count_amendment_written(st, cp, a)?;
        st.batch
            .insert(keys::record(&a.record), codec::encode(&a.result));
        let bytes = codec::encode(a);
        let (link_key, link) = self.chain_link(st, day, &key[1..], &bytes)?;
        st.batch.insert(link_key, link);
        st.batch.insert(key, bytes);
        Ok(())
    }

    /// Counts an amendment in the hour it was written, for the shift's handover.
    fn count_amendment_written(
        &self,
        st: &mut Staged,
        cp: &Checkpoint,
        a: &crate::amend::Amendment,
    ) -> Result<()> {
        let written_at = a.at.with_timezone(&tz_of(cp));
        let key = keys::hour_counter(
            written_at.date_naive(),
            chrono::Timelike::hour(&written_at) as u8,
            duty::AMENDMENTS_WRITTEN,
        );
        let old_n = match st.counters.get(&key) {
            Some(n) => *n,
            None => match self.tree.get(&key)? {
                Some(v) => u64::from_be_bytes(v.as_ref().try_into().unwrap_or([0; 8])),
                None => 0,
            },
        };
        st.counters.insert(key, old_n + 1);
        Ok(())
    }

    /// Flushes sled (used on clean exit so the next open replays nothing).
    pub fn close(&self) -> Result<()> {
        self.db.flush()?;
        Ok(())
    }
}

/// A sled batch being built, with what it has changed so far, so that reads made while
/// building it (counters, a day's last chain link, whether a record is held) see the batch.
/// One entry per batch, or — for runs of records (bulk imports, replays) — many.
#[derive(Default)]
pub(crate) struct Staged {
    pub(crate) batch: sled::Batch,
    counters: HashMap<Vec<u8>, u64>,
    chains: HashMap<NaiveDate, (u32, [u8; 32])>,
    /// Records indexed in this batch (ids), in order.
    records: Vec<String>,
    held: std::collections::HashSet<String>,
    journal_end: Option<u64>,
    /// The ledger's purge line, read once per batch (a purge is applied on its own).
    purged_before: Option<Option<NaiveDate>>,
    /// Journal spans of the staged entries that carry personal details.
    spans: Vec<purge::Span>,
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
const STAGE_MAX: usize = 4096;

/// The search index keys of a record version (plate, ID numbers, dispositions); the day
/// index is separate, because a voided record stays listed on its day.
fn search_keys(day: NaiveDate, r: &Record) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    if let Some(v) = &r.vehicle {
        out.push(keys::by_plate(v.plate.as_str(), r.time, &r.id));
    }
    for p in &r.persons {
        if let Some(reg) = &p.registration {
            let idn = reg.id_number.as_str();
            // The full ID number is found through its last four digits (10,000 values; a
            // few records each), so it has no index of its own.
            out.push(keys::by_id_suffix(&idn[idn.len() - 4..], r.time, &r.id));
            out.push(keys::by_name(&reg.name, r.time, &r.id));
            out.push(keys::by_phone(reg.phone.as_str(), r.time, &r.id));
        }
    }
    out.sort();
    out.dedup();
    // 放行 (pass) is what most records are: an index of it would hold most of the day and
    // save nothing over the day index, so only the other dispositions are indexed.
    for d in r.dispositions() {
        if d != crate::domain::Disposition::Pass {
            out.push(keys::by_disposition(d.tag(), day, r.time, &r.id));
        }
    }
    out
}

/// Index keys an earlier key layout kept and this one does not: full ID numbers (`I`) and
/// the pass disposition (`X` tag 0). Removed from a tree once, when a data dir is opened.
fn retire_indexes(tree: &sled::Tree) -> Result<()> {
    let marker = keys::meta("index_v2");
    if tree.contains_key(&marker)? {
        return Ok(());
    }
    let mut removed = 0usize;
    for prefix in [
        keys::prefix(keys::BY_ID_NUMBER),
        keys::with_kind(
            keys::BY_DISPOSITION,
            &[crate::domain::Disposition::Pass.tag()],
        ),
    ] {
        loop {
            // In batches, each removal idempotent: a crash part way resumes at the next open.
            let chunk: Vec<sled::IVec> = tree
                .scan_prefix(&prefix)
                .keys()
                .take(10_000)
                .collect::<std::result::Result<_, _>>()?;
            if chunk.is_empty() {
                break;
            }
            let mut batch = sled::Batch::default();
            for k in &chunk {
                batch.remove(k.clone());
            }
            tree.apply_batch(batch)?;
            removed += chunk.len();
        }
    }
    tree.insert(marker, &[])?;
    if removed > 0 {
        tracing::info!(removed, "retired the full-ID and pass index keys");
    }
    Ok(())
}

#[cfg(test)]
pub(crate) mod tests;
