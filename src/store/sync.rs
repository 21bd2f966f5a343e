//! Sync in the store: persistence only. The laptop key, trusted laptops, high-water marks
//! per destination, the journal frames a bundle is made of, the checkpoints a command post
//! holds, and the reads and commits the merge of a bundle needs (`MergeStore`). What goes
//! into a bundle, whom to trust and how a bundle is merged is decided in `ops::sync`.
//!
//! A checkpoint laptop merges bundles of its own checkpoint into its ledger. A command post
//! (`kadian init --command-post NAME`) keeps each checkpoint in a tree of its own (`cp/CODE`,
//! same key layout) so every tally, search and export works on it unchanged; its journal
//! holds those entries wrapped as `Entry::Foreign`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use sha2::{Digest, Sha256};

use super::{Entry, Store, codec, day_of, journal, keys};
use crate::domain::Checkpoint;
// `Conflict` also for the purge, which scrubs the versions kept aside.
pub(super) use crate::domain::entry::Conflict;
use crate::domain::entry::{Identity, Reference, TrustedLaptop};
use crate::error::{Error, Result};
use crate::i18n::Msg;
use crate::roster::Roster;

/// One key of a canonical dump: (tree, key, value).
pub type DumpEntry = (String, Vec<u8>, Vec<u8>);

/// What merging a bundle needs from a store: who this data dir is, whom it trusts, and one
/// bundle's merge (`begin_merge`: reads of the ledger the bundle's entries go to, and durable
/// writes). The sled store implements it below; another store (a PostgreSQL command post,
/// issue 17) implements the same calls, and the merge in `ops::sync` runs unchanged over
/// either.
///
/// One bundle = one `MergeTxn`. The merge streams a bundle (a year's bundle does not fit in
/// memory): it calls `MergeTxn::write` every `IMPORT_CHUNK` entries, then `finish` once the
/// whole bundle is written; a bundle refused half-way (a damaged entry found late, a full
/// disk) drops the `MergeTxn` without `finish`. A dry run reads through a `MergeTxn` and
/// drops it. How each store keeps "verified whole, then written whole":
/// - sled: each `write` is one commit (one journal fdatasync) of whole entries; `finish` and
///   drop do nothing more. A bundle cut short leaves whole chunks in, and the merge is
///   idempotent, so importing the bundle again completes it. Unchanged by this seam.
/// - PostgreSQL: `begin_merge` opens a transaction (`BEGIN`) and takes the checkpoint's
///   advisory lock; `write` streams the entries into it (`COPY … FROM STDIN BINARY` into
///   staging tables, then `INSERT … SELECT`), so the reads that follow (`stored`,
///   `has_record` …, through the same transaction) see the chunks written before; `finish`
///   is `COMMIT`; drop without `finish` is `ROLLBACK`. So one bundle is one transaction, and
///   a `report` sees whole bundles only. The trust of a laptop confirmed now is written to
///   the data dir (where a PostgreSQL command post keeps keys and trust) once the `COMMIT`
///   succeeded: trusting again is harmless, so a crash between the two is repaired by the
///   next import with the same fingerprint.
pub trait MergeStore {
    /// One bundle's merge: reads of the target ledger and writes into it.
    type Merge<'a>: MergeTxn
    where
        Self: 'a;
    /// This data dir's own checkpoint (at a command post: the command post).
    fn own_checkpoint(&self) -> Result<Checkpoint>;
    fn is_command_post(&self) -> bool;
    /// This laptop's public key (the key is made now if the data dir predates sync).
    fn own_public_key(&self) -> Result<[u8; 32]>;
    fn trusted(&self, laptop: &str) -> Result<Option<TrustedLaptop>>;
    /// Starts the merge of one bundle of `checkpoint` into the ledger its entries go to: at a
    /// command post that checkpoint's own, at a checkpoint laptop its ledger.
    fn begin_merge(&self, checkpoint: &str) -> Result<Self::Merge<'_>>;
    /// Removes personal details of days before `before` from what is kept outside the
    /// ledger (sled: the journal's frames), after a bundle that carried a purge is in.
    fn scrub_before(&self, before: NaiveDate) -> Result<()>;
}

/// Reads of one checkpoint's ledger, for the merge.
pub trait MergeLedger {
    /// The stored encoding of the entry with the same id (`None`: new). The encoding is the
    /// codec's of the value inside the entry (a record, an amendment …).
    fn stored(&self, e: &Entry) -> Result<Option<Vec<u8>>>;
    fn has_record(&self, id: &str) -> Result<bool>;
    /// Whether a time falls on a day whose personal details were purged here.
    fn is_purged(&self, t: DateTime<Utc>) -> Result<bool>;
    fn purged_before(&self) -> Result<Option<NaiveDate>>;
    /// The reference data a laptop sent last.
    fn reference_of(&self, laptop: &str) -> Result<Option<Reference>>;
}

/// One bundle's merge (see `MergeStore`): its reads see what its earlier `write`s wrote.
pub trait MergeTxn: MergeLedger {
    /// Writes a laptop trusted now (if any) and entries of the bundle's checkpoint (the new,
    /// the conflicts kept aside, the versions that replace others).
    fn write(&mut self, trust: Option<TrustedLaptop>, entries: Vec<Entry>) -> Result<()>;
    /// The whole bundle is written: makes it durable and visible as one (sled: already).
    fn finish(self) -> Result<()>;
}

/// The sled store's merge of one bundle: each `write` one durable commit.
pub struct SledMerge<'a> {
    store: &'a Store,
    ledger: Arc<Store>,
    checkpoint: String,
}

fn sha_hex(bytes: &[u8]) -> String {
    crate::sync::hex(&Sha256::digest(bytes))
}

impl Store {
    pub fn identity(&self) -> Result<Option<Identity>> {
        self.tree
            .get(keys::meta("identity"))?
            .map(|v| codec::decode("identity", &v))
            .transpose()
    }

    /// The laptop key, made now if this data dir predates sync.
    pub fn ensure_identity(&self) -> Result<Identity> {
        if let Some(id) = self.identity()? {
            return Ok(id);
        }
        self.require_checkpoint()?;
        let mut w = self.writer();
        if let Some(id) = self.identity()? {
            return Ok(id);
        }
        let id = Identity {
            secret: crate::sync::new_secret()?,
            command_post: false,
        };
        self.commit(&mut w, &[Entry::Identity(id.clone())])?;
        Ok(id)
    }

    /// Creates a command post: a data dir that holds no records of its own and merges the
    /// bundles of many checkpoints.
    pub fn init_command_post(&self, cp: crate::domain::Checkpoint) -> Result<()> {
        self.init_as(cp, true)
    }

    /// Refuses what only a checkpoint does (its records, reports, push marks are made there).
    pub fn refuse_at_command_post(&self, what: &str) -> Result<()> {
        if self.is_command_post() {
            return Err(Error::CommandPost(
                Msg::new("error.post.checkpoint_only").with_msg("what", crate::error::action(what)),
            ));
        }
        Ok(())
    }

    pub fn is_command_post(&self) -> bool {
        matches!(
            self.identity(),
            Ok(Some(Identity {
                command_post: true,
                ..
            }))
        )
    }

    pub fn trusted(&self, laptop: &str) -> Result<Option<TrustedLaptop>> {
        self.tree
            .get(keys::meta(&format!("trust/{laptop}")))?
            .map(|v| codec::decode("trusted laptop", &v))
            .transpose()
    }

    pub fn trusted_laptops(&self) -> Result<Vec<TrustedLaptop>> {
        let mut out = Vec::new();
        for kv in self.tree.scan_prefix(keys::meta("trust/")) {
            let (_, v) = kv?;
            out.push(codec::decode("trusted laptop", &v)?);
        }
        Ok(out)
    }

    /// Stores a trusted laptop (a new one, or one changed: `active` false stops the trust).
    pub fn save_trust(&self, t: &TrustedLaptop) -> Result<()> {
        let mut w = self.writer();
        self.commit(&mut w, &[Entry::Trust(t.clone())])
    }

    /// The journal offset up to which bundles for `to` have been written.
    pub fn sync_mark(&self, to: &str) -> Result<u64> {
        Ok(match self.tree.get(keys::meta(&format!("mark/{to}")))? {
            Some(v) => u64::from_be_bytes(v.as_ref().try_into().unwrap_or([0; 8])),
            None => 0,
        })
    }

    /// Bundles for `to` are written up to journal byte `offset`.
    pub fn set_sync_mark(&self, to: &str, offset: u64) -> Result<()> {
        let mut w = self.writer();
        self.commit(
            &mut w,
            &[Entry::SyncMark {
                to: to.to_string(),
                offset,
            }],
        )
    }

    /// Where the journal ends now (a bundle covers the journal up to here).
    pub fn journal_end(&self) -> u64 {
        self.writer().journal.len()
    }

    /// The journal's entries from byte `from` to `end`, each with its encoding as framed,
    /// streamed (a year's journal does not fit in memory).
    pub fn journal_entries(
        &self,
        from: u64,
        end: u64,
        each: &mut dyn FnMut(Entry, &[u8]) -> Result<()>,
    ) -> Result<()> {
        journal::read_frames(&self.dir.join("journal.log"), from, end, &mut |payload| {
            let entry: Entry = codec::decode("journal entry", payload)?;
            each(entry, payload)
        })
    }

    /// Every roster held, week by week.
    pub fn rosters(&self) -> Result<Vec<Roster>> {
        let mut rosters = Vec::new();
        for kv in self.tree.scan_prefix(keys::prefix(keys::ROSTER)) {
            let (_, v) = kv?;
            rosters.push(codec::decode("roster", &v)?);
        }
        Ok(rosters)
    }

    /// The outbox and inbox folders of the TUI's sync (default: `outbox/` and `inbox/` in
    /// the data dir; a USB stick's folder is typical).
    pub fn sync_folders(&self) -> Result<(PathBuf, PathBuf)> {
        Ok(match self.tree.get(keys::meta("sync_folders"))? {
            Some(v) => {
                let (o, i): (String, String) = codec::decode("sync folders", &v)?;
                (PathBuf::from(o), PathBuf::from(i))
            }
            None => (self.dir.join("outbox"), self.dir.join("inbox")),
        })
    }

    pub fn set_sync_folders(&self, outbox: &Path, inbox: &Path) -> Result<()> {
        let text = |field: &str, p: &Path| -> Result<String> {
            let s = p.to_str().map(str::trim).unwrap_or_default();
            if s.is_empty() {
                return Err(crate::error::FieldError::rule(field, "rule.folder.empty").into());
            }
            Ok(s.to_string())
        };
        let entry = Entry::SyncFolders {
            outbox: text("outbox", outbox)?,
            inbox: text("inbox", inbox)?,
        };
        if self.sync_folders()? == (outbox.to_path_buf(), inbox.to_path_buf()) {
            return Ok(());
        }
        let mut w = self.writer();
        self.commit(&mut w, &[entry])
    }

    /// The checkpoints a command post holds, by code.
    pub fn checkpoints(&self) -> Result<Vec<String>> {
        let mut out: Vec<String> = self
            .db
            .tree_names()
            .into_iter()
            .filter_map(|n| String::from_utf8(n.to_vec()).ok())
            .filter_map(|n| n.strip_prefix("cp/").map(str::to_string))
            .collect();
        out.sort();
        Ok(out)
    }

    /// The ledger of one checkpoint held at a command post (read side: every query works on
    /// it as on a checkpoint's own store).
    pub fn view(&self, code: &str) -> Result<Arc<Store>> {
        let mut views = self.views.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(v) = views.get(code) {
            return Ok(v.clone());
        }
        let tree = self.db.open_tree(format!("cp/{code}"))?;
        let v = Store {
            dir: self.dir.clone(),
            db: self.db.clone(),
            tree,
            writer: self.writer.clone(),
            checkpoint: std::sync::OnceLock::new(),
            views: Default::default(),
            view_of: Some(code.to_string()),
        };
        if let Some(cp) = v.tree.get(keys::meta("checkpoint"))? {
            let _ = v.checkpoint.set(codec::decode("checkpoint", &cp)?);
        }
        let v = Arc::new(v);
        views.insert(code.to_string(), v.clone());
        Ok(v)
    }

    /// The ledgers a report or export covers: at a command post every checkpoint it holds
    /// (in code order), elsewhere this store's own.
    pub fn ledgers(&self) -> Result<Vec<Arc<Store>>> {
        if !self.is_command_post() {
            return Ok(vec![Arc::new(self.shallow())]);
        }
        let mut out = Vec::new();
        for code in self.checkpoints()? {
            let v = self.view(&code)?;
            if v.checkpoint().is_some() {
                out.push(v);
            }
        }
        Ok(out)
    }

    /// Conflicts kept aside, in id order.
    pub fn conflicts(&self) -> Result<Vec<Conflict>> {
        let mut out = Vec::new();
        let mut trees = vec![self.tree.clone()];
        for code in self.checkpoints()? {
            trees.push(self.view(&code)?.tree.clone());
        }
        for t in trees {
            for kv in t.scan_prefix(keys::prefix(keys::CONFLICT)) {
                let (_, v) = kv?;
                out.push(codec::decode("conflict", &v)?);
            }
        }
        Ok(out)
    }

    /// The reference data a laptop sent last (newest `taken_at`).
    pub fn reference_of(&self, laptop: &str) -> Result<Option<Reference>> {
        self.tree
            .get(keys::meta(&format!("reference/{laptop}")))?
            .map(|v| codec::decode("reference", &v))
            .transpose()
    }

    /// The stored encoding of the entry with the same id, if any (`None`: new).
    fn known(&self, e: &Entry) -> Result<Option<sled::IVec>> {
        let cp = self.checkpoint();
        let day = |t| cp.map_or_else(|| chrono::DateTime::<Utc>::date_naive(&t), |c| day_of(c, t));
        let key = match e {
            Entry::Checkpoint(_) => keys::meta("checkpoint"),
            Entry::Record(r) => {
                if let Some(o) = self.tree.get(keys::original(&r.id))? {
                    return Ok(Some(o));
                }
                keys::record(&r.id)
            }
            Entry::Amendment(a) => {
                if let Some(p) = self.tree.get(keys::pending(&a.record, a.at, &a.id))? {
                    return Ok(Some(p));
                }
                keys::amendment(&a.record, a.at, &a.id)
            }
            Entry::Handover(h) => keys::handover(day(h.time), h.time, &h.id),
            Entry::Report(r) => keys::report(r.day, r.version),
            Entry::SignOff(s) => keys::signoff(s.day),
            Entry::Pushed(p) => keys::pushed(&p.record, p.person),
            Entry::Attendance(a) => keys::attendance(day(a.time), a.time, &a.code),
            _ => return Ok(None),
        };
        Ok(self.tree.get(key)?)
    }

    /// Another handle on the same tree (for code that takes an `Arc<Store>`).
    pub(super) fn shallow(&self) -> Store {
        Store {
            dir: self.dir.clone(),
            db: self.db.clone(),
            tree: self.tree.clone(),
            writer: self.writer.clone(),
            checkpoint: self.checkpoint.clone(),
            views: Default::default(),
            view_of: self.view_of.clone(),
        }
    }

    /// Applies an amendment that waited for its record, now that the record is here.
    pub(super) fn apply_pending(&self, record: &str) -> Result<()> {
        let prefix = keys::pending_prefix(record);
        let waiting: Vec<(sled::IVec, sled::IVec)> = self
            .tree
            .scan_prefix(&prefix)
            .collect::<std::result::Result<_, _>>()?;
        for (k, v) in waiting {
            let a: crate::amend::Amendment = codec::decode("pending amendment", &v)?;
            let mut st = super::Staged::default();
            self.apply_amendment(&mut st, &a)?;
            st.batch.remove(k);
            self.tree.apply_batch(st.take_batch())?;
        }
        Ok(())
    }

    /// Applies a reference snapshot if it is newer than the one held for its laptop.
    pub(super) fn apply_reference(&self, batch: &mut sled::Batch, r: &Reference) -> Result<()> {
        let bytes = codec::encode(r);
        if let Some(old) = self.reference_of(&r.laptop)?
            && (old.taken_at, sha_hex(&codec::encode(&old))) >= (r.taken_at, sha_hex(&bytes))
        {
            return Ok(());
        }
        batch.insert(keys::meta(&format!("reference/{}", r.laptop)), bytes);
        Ok(())
    }

    /// A canonical dump of the merged ledger, for comparing stores: every tree's keys and
    /// values except local bookkeeping (journal offset, keys, trust, marks) and the
    /// per-store hash chains (which follow arrival order by design).
    pub fn canonical_dump(&self) -> Result<Vec<DumpEntry>> {
        let mut out = Vec::new();
        let mut trees = vec![("ledger".to_string(), self.tree.clone())];
        for code in self.checkpoints()? {
            trees.push((format!("cp/{code}"), self.view(&code)?.tree.clone()));
        }
        let local = |k: &[u8]| {
            k.get(1) == Some(&keys::CHAIN)
                || k.get(1) == Some(&keys::FAILURES)
                || (k.get(1) == Some(&keys::META)
                    && !k[2..].starts_with(b"checkpoint")
                    && !k[2..].starts_with(b"reference/")
                    && !k[2..].starts_with(b"duty"))
        };
        for (name, t) in trees {
            for kv in t.iter() {
                let (k, v) = kv?;
                if !local(&k) {
                    out.push((name.clone(), k.to_vec(), v.to_vec()));
                }
            }
        }
        Ok(out)
    }
}

impl MergeStore for Store {
    type Merge<'a> = SledMerge<'a>;

    fn own_checkpoint(&self) -> Result<Checkpoint> {
        self.require_checkpoint().cloned()
    }

    fn is_command_post(&self) -> bool {
        Store::is_command_post(self)
    }

    fn own_public_key(&self) -> Result<[u8; 32]> {
        Ok(crate::sync::public_of(&self.ensure_identity()?.secret))
    }

    fn trusted(&self, laptop: &str) -> Result<Option<TrustedLaptop>> {
        Store::trusted(self, laptop)
    }

    fn begin_merge(&self, checkpoint: &str) -> Result<SledMerge<'_>> {
        let ledger = if self.is_command_post() {
            self.view(checkpoint)?
        } else {
            // The same store, seen through an Arc for uniformity.
            Arc::new(self.shallow())
        };
        Ok(SledMerge {
            store: self,
            ledger,
            checkpoint: checkpoint.to_string(),
        })
    }

    fn scrub_before(&self, before: NaiveDate) -> Result<()> {
        let mut w = self.writer();
        self.scrub_journal(&mut w.journal, before)?;
        Ok(())
    }
}

impl MergeTxn for SledMerge<'_> {
    fn write(&mut self, trust: Option<TrustedLaptop>, entries: Vec<Entry>) -> Result<()> {
        // At a command post an entry of a checkpoint goes to that checkpoint's tree.
        let command_post = self.store.is_command_post();
        let wrap = |e: Entry| {
            if command_post {
                Entry::Foreign {
                    checkpoint: self.checkpoint.clone(),
                    entry: Box::new(e),
                }
            } else {
                e
            }
        };
        let all: Vec<Entry> = trust
            .map(Entry::Trust)
            .into_iter()
            .chain(entries.into_iter().map(wrap))
            .collect();
        if all.is_empty() {
            return Ok(());
        }
        let mut w = self.store.writer();
        self.store.commit(&mut w, &all)
    }

    fn finish(self) -> Result<()> {
        Ok(())
    }
}

impl MergeLedger for SledMerge<'_> {
    fn stored(&self, e: &Entry) -> Result<Option<Vec<u8>>> {
        self.ledger.stored(e)
    }

    fn has_record(&self, id: &str) -> Result<bool> {
        self.ledger.has_record(id)
    }

    fn is_purged(&self, t: DateTime<Utc>) -> Result<bool> {
        MergeLedger::is_purged(&self.ledger, t)
    }

    fn purged_before(&self) -> Result<Option<NaiveDate>> {
        MergeLedger::purged_before(&self.ledger)
    }

    fn reference_of(&self, laptop: &str) -> Result<Option<Reference>> {
        MergeLedger::reference_of(&self.ledger, laptop)
    }
}

impl MergeLedger for Arc<Store> {
    fn stored(&self, e: &Entry) -> Result<Option<Vec<u8>>> {
        Ok(self.known(e)?.map(|v| v.to_vec()))
    }

    fn has_record(&self, id: &str) -> Result<bool> {
        Ok(self.tree.contains_key(keys::record(id))?)
    }

    fn is_purged(&self, t: DateTime<Utc>) -> Result<bool> {
        Store::is_purged(self, t)
    }

    fn purged_before(&self) -> Result<Option<NaiveDate>> {
        Store::purged_before(self)
    }

    fn reference_of(&self, laptop: &str) -> Result<Option<Reference>> {
        Store::reference_of(self, laptop)
    }
}
