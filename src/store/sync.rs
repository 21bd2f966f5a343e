//! Sync in the store: the laptop key, trusted laptops, high-water marks per destination,
//! what goes into a bundle (journal frames since the mark), and the merge of a verified
//! bundle: idempotent, order-independent, conflicts kept and never overwritten silently.
//!
//! A checkpoint laptop merges bundles of its own checkpoint into its ledger. A command post
//! (`kadian init --command-post NAME`) keeps each checkpoint in a tree of its own (`cp/CODE`,
//! same key layout) so every tally, search and export works on it unchanged; its journal
//! holds those entries wrapped as `Entry::Foreign`.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::{Entry, Store, codec, day_of, journal, keys};
pub use crate::domain::entry::{Conflict, Identity, Reference, TrustedLaptop};
use crate::error::{Error, Result};
use crate::sync::{self as bundle, Bundle, Header, KeyFile};

impl Conflict {
    /// One line: checkpoint, entry id, and the two versions by the start of their SHA-256.
    pub fn line(&self) -> String {
        format!(
            "{} {}: in effect {}, kept aside {}",
            self.checkpoint,
            self.id,
            &self.kept[..self.kept.len().min(12)],
            &self.other[..self.other.len().min(12)]
        )
    }
}

/// One key of a canonical dump: (tree, key, value).
pub type DumpEntry = (String, Vec<u8>, Vec<u8>);

/// Where a bundle starts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Since {
    /// Everything not yet in a bundle for the same destination.
    Last,
    All,
    /// Entries about this checkpoint day or later.
    Day(NaiveDate),
}

impl Since {
    pub fn parse(s: &str) -> std::result::Result<Self, String> {
        match s {
            "last" => Ok(Self::Last),
            "all" => Ok(Self::All),
            d => NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map(Self::Day)
                .map_err(|_| format!("since: 须为 last、all 或 YYYY-MM-DD / must be last, all or YYYY-MM-DD, not {d:?}")),
        }
    }

    fn label(&self) -> String {
        match self {
            Self::Last => "last".into(),
            Self::All => "all".into(),
            Self::Day(d) => d.to_string(),
        }
    }
}

/// What an import did (or, dry, would do).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub file: String,
    pub checkpoint: String,
    pub laptop: String,
    pub fingerprint: String,
    /// New entries by kind.
    pub added: BTreeMap<String, u64>,
    /// Entries already held (same id, same content).
    pub skipped: u64,
    /// Entries with a known id and different content.
    pub conflicts: Vec<ConflictLine>,
    /// Amendments waiting for their record (it is in a bundle not imported yet).
    pub waiting: u64,
    /// Whether this import trusted the laptop's key (first import, fingerprint confirmed).
    pub trusted_now: bool,
    pub dry_run: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConflictLine {
    pub id: String,
    /// Which version is in effect: `existing` (the one held before) or `incoming`.
    pub in_effect: String,
}

impl ImportReport {
    pub fn added_total(&self) -> u64 {
        self.added.values().sum()
    }
}

/// What `sync --out` wrote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SyncReport {
    pub file: String,
    pub header: Header,
    pub bytes: u64,
}

/// Entries journaled per fdatasync while importing (bounds memory for big bundles).
const IMPORT_CHUNK: usize = 8192;

fn sha_hex(bytes: &[u8]) -> String {
    bundle::hex(&Sha256::digest(bytes))
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
            secret: bundle::new_secret()?,
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
            return Err(Error::CommandPost(format!(
                "{what}：须在检查站进行 / {what} is done at the checkpoint, not at a command post"
            )));
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

    /// This laptop's public key file.
    pub fn key_file(&self) -> Result<KeyFile> {
        let cp = self.require_checkpoint()?.clone();
        let id = self.ensure_identity()?;
        Ok(KeyFile {
            laptop: cp.laptop,
            checkpoint: cp.code,
            name: cp.name,
            public_key: bundle::public_of(&id.secret),
        })
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

    /// Trusts a laptop's key (replacing an earlier key only if that one was removed).
    pub fn trust(&self, key: &KeyFile, now: DateTime<Utc>) -> Result<TrustedLaptop> {
        let own = self.require_checkpoint()?;
        if key.laptop == own.laptop {
            return Err(Error::Bundle {
                file: "key".into(),
                detail: "this is this laptop's own key".into(),
            });
        }
        if let Some(t) = self.trusted(&key.laptop)?
            && t.active
            && t.public_key != key.public_key
        {
            return Err(Error::Bundle {
                file: "key".into(),
                detail: format!(
                    "laptop {} is already trusted with another key ({}); remove it first with `kadian trust remove {}`",
                    key.laptop,
                    bundle::fingerprint(&t.public_key),
                    key.laptop
                ),
            });
        }
        let t = TrustedLaptop {
            laptop: key.laptop.clone(),
            checkpoint: key.checkpoint.clone(),
            name: key.name.clone(),
            public_key: key.public_key,
            at: now,
            active: true,
        };
        let mut w = self.writer();
        self.commit(&mut w, &[Entry::Trust(t.clone())])?;
        Ok(t)
    }

    /// Stops trusting a laptop; returns false if it was not trusted.
    pub fn untrust(&self, laptop: &str, now: DateTime<Utc>) -> Result<bool> {
        match self.trusted(laptop)? {
            Some(mut t) if t.active => {
                t.active = false;
                t.at = now;
                let mut w = self.writer();
                self.commit(&mut w, &[Entry::Trust(t)])?;
                Ok(true)
            }
            _ => Ok(false),
        }
    }

    /// The journal offset up to which bundles for `to` have been written.
    pub fn sync_mark(&self, to: &str) -> Result<u64> {
        Ok(match self.tree.get(keys::meta(&format!("mark/{to}")))? {
            Some(v) => u64::from_be_bytes(v.as_ref().try_into().unwrap_or([0; 8])),
            None => 0,
        })
    }

    /// This laptop's reference data as of now: staff without PINs, posts/shifts, rosters.
    fn reference(&self, laptop: &str, now: DateTime<Utc>) -> Result<Reference> {
        let officers = self
            .officers()?
            .into_iter()
            .map(|mut o| {
                o.pin_hash = None;
                o
            })
            .collect();
        let mut rosters = Vec::new();
        for kv in self.tree.scan_prefix(keys::prefix(keys::ROSTER)) {
            let (_, v) = kv?;
            rosters.push(codec::decode("roster", &v)?);
        }
        Ok(Reference {
            laptop: laptop.to_string(),
            taken_at: now,
            officers,
            duty: Some(self.duty_config()?),
            rosters,
        })
    }

    /// Writes the entries of a bundle for `to` into `w`: the checkpoint, this laptop's
    /// reference data, and every shareable journal entry in the range (own and relayed from
    /// other laptops), streamed from the journal. Returns the header to finish it with.
    fn build_bundle(
        &self,
        to: &str,
        since: &Since,
        now: DateTime<Utc>,
        w: &mut bundle::Writer,
    ) -> Result<Header> {
        if self.is_command_post() {
            return Err(Error::CommandPost(
                "指挥部只接收同步包 / a command post receives bundles; it does not write them"
                    .into(),
            ));
        }
        let mut cp = self.require_checkpoint()?.clone();
        self.ensure_identity()?;
        let end = self.writer().journal.len();
        let from = match since {
            Since::Last => self.sync_mark(to)?.min(end),
            _ => 0,
        };
        let laptop = std::mem::take(&mut cp.laptop);
        let mut add = |e: &Entry, bytes: &[u8]| -> Result<()> {
            let id = bundle::entry_id(e).expect("shareable entries have ids");
            w.add(&id, bundle::kind_of(e), bytes)
        };
        let checkpoint = Entry::Checkpoint(cp.clone());
        add(&checkpoint, &codec::encode(&checkpoint))?;
        let reference = Entry::Reference(Box::new(self.reference(&laptop, now)?));
        add(&reference, &codec::encode(&reference))?;
        let (mut first, mut last): (Option<DateTime<Utc>>, Option<DateTime<Utc>>) = (None, None);
        journal::read_frames(&self.dir.join("journal.log"), from, end, &mut |payload| {
            // The journal frame is the entry's encoding: it goes into the bundle as it is.
            let entry: Entry = codec::decode("journal entry", payload)?;
            if matches!(entry, Entry::Checkpoint(_)) || bundle::entry_id(&entry).is_none() {
                return Ok(());
            }
            let t = bundle::time_of(&entry);
            if let (Since::Day(d), Some(t)) = (since, t)
                && day_of(&cp, t) < *d
            {
                return Ok(());
            }
            if let Some(t) = t {
                first = Some(first.map_or(t, |f| f.min(t)));
                last = Some(last.map_or(t, |l| l.max(t)));
            }
            add(&entry, payload)
        })?;
        Ok(Header {
            format: String::new(),
            version: 0,
            checkpoint: cp.code.clone(),
            checkpoint_name: cp.name.clone(),
            laptop,
            public_key: String::new(),
            to: to.to_string(),
            since: since.label(),
            created_at: now,
            journal_from: from,
            journal_to: end,
            first,
            last,
            counts: BTreeMap::new(),
            entries: 0,
            compression: String::new(),
            body_bytes: 0,
            body_sha256: String::new(),
        })
    }

    /// Writes a bundle for `to` to `path`; with `since` last or all, the mark for `to`
    /// moves to the end of what the bundle holds (after the file is durable).
    pub fn write_bundle(
        &self,
        path: &Path,
        to: &str,
        since: &Since,
        now: DateTime<Utc>,
    ) -> Result<SyncReport> {
        if to.trim().is_empty() || to.contains('/') {
            return Err(crate::error::FieldError::new(
                "to",
                "目的地名称不能为空、不能含 /",
                "destination name must not be empty or contain /",
            )
            .into());
        }
        let mut w = bundle::Writer::new()?;
        let header = self.build_bundle(to, since, now, &mut w)?;
        let id = self.ensure_identity()?;
        let (header, bytes) = w.finish(path, header, &id.secret)?;
        if !matches!(since, Since::Day(_)) {
            let mut w = self.writer();
            self.commit(
                &mut w,
                &[Entry::SyncMark {
                    to: to.to_string(),
                    offset: header.journal_to,
                }],
            )?;
        }
        Ok(SyncReport {
            file: path.display().to_string(),
            header,
            bytes,
        })
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
                return Err(crate::error::FieldError::new(
                    field,
                    "文件夹不能为空",
                    "a folder is needed",
                )
                .into());
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

    /// Verifies trust and plans the merge of a verified bundle; commits it unless `dry_run`.
    /// `confirm` is a fingerprint the user confirmed for a laptop not trusted yet.
    pub fn import_bundle(
        &self,
        b: &Bundle,
        file: &Path,
        confirm: Option<&str>,
        dry_run: bool,
        now: DateTime<Utc>,
    ) -> Result<ImportReport> {
        self.import_bundle_in_chunks(b, file, confirm, dry_run, now, IMPORT_CHUNK)
    }

    /// `import_bundle`, committing every `chunk` entries (tests use small chunks).
    pub fn import_bundle_in_chunks(
        &self,
        b: &Bundle,
        file: &Path,
        confirm: Option<&str>,
        dry_run: bool,
        now: DateTime<Utc>,
        chunk: usize,
    ) -> Result<ImportReport> {
        let own = self.require_checkpoint()?.clone();
        let command_post = self.is_command_post();
        let h = &b.header;
        let refuse = |detail: String| Error::Bundle {
            file: file.display().to_string(),
            detail,
        };
        let mut report = ImportReport {
            file: file.display().to_string(),
            checkpoint: h.checkpoint.clone(),
            laptop: h.laptop.clone(),
            fingerprint: b.fingerprint.clone(),
            dry_run,
            ..Default::default()
        };
        // Trust: this laptop's own key, or a trusted key, or a fingerprint confirmed now.
        let mut trust_entry = None;
        if h.laptop == own.laptop {
            let id = self.ensure_identity()?;
            if bundle::public_of(&id.secret) != b.public_key {
                return Err(refuse(format!(
                    "it claims to come from this laptop ({}) but is not signed by this laptop's key",
                    h.laptop
                )));
            }
        } else {
            match self.trusted(&h.laptop)? {
                Some(t) if t.active && t.public_key == b.public_key => {
                    if t.checkpoint != h.checkpoint {
                        return Err(refuse(format!(
                            "laptop {} is trusted for checkpoint {}, but the bundle says {}",
                            h.laptop, t.checkpoint, h.checkpoint
                        )));
                    }
                }
                Some(t) if t.active => {
                    return Err(refuse(format!(
                        "signed with a different key ({}) than the one trusted for laptop {} ({}); if that laptop was set up again, remove the old key with `kadian trust remove {}` and trust the new one",
                        b.fingerprint,
                        h.laptop,
                        bundle::fingerprint(&t.public_key),
                        h.laptop
                    )));
                }
                _ => match confirm {
                    Some(fp) if bundle::same_fingerprint(fp, &b.fingerprint) => {
                        report.trusted_now = true;
                        trust_entry = Some(Entry::Trust(TrustedLaptop {
                            laptop: h.laptop.clone(),
                            checkpoint: h.checkpoint.clone(),
                            name: h.checkpoint_name.clone(),
                            public_key: b.public_key,
                            at: now,
                            active: true,
                        }));
                    }
                    Some(fp) => {
                        return Err(refuse(format!(
                            "the fingerprint {fp} does not match the bundle's key {}",
                            b.fingerprint
                        )));
                    }
                    None => {
                        return Err(Error::Untrusted {
                            file: file.display().to_string(),
                            laptop: h.laptop.clone(),
                            checkpoint: h.checkpoint.clone(),
                            fingerprint: b.fingerprint.clone(),
                        });
                    }
                },
            }
        }
        // Where it goes: a checkpoint takes its own checkpoint's bundles; a command post any.
        let target: Arc<Store> = if command_post {
            if h.checkpoint == own.code {
                return Err(refuse(format!(
                    "checkpoint code {} is the command post's own name",
                    h.checkpoint
                )));
            }
            self.view(&h.checkpoint)?
        } else {
            if h.checkpoint != own.code {
                return Err(refuse(format!(
                    "it is from checkpoint {} and this data dir is checkpoint {}; other checkpoints' bundles go to a command post (`kadian init --command-post NAME`)",
                    h.checkpoint, own.code
                )));
            }
            // The same store, seen through an Arc for uniformity.
            Arc::new(self.shallow())
        };
        let mut out: Vec<Entry> = trust_entry.into_iter().collect();
        let mut seen: HashMap<String, String> = HashMap::new();
        // The latest purge a bundle carries: the journal is scrubbed after the import too.
        let mut purge_to: Option<NaiveDate> = None;
        // Records this import adds, so amendments of them are not counted as waiting.
        let mut new_records = std::collections::HashSet::new();
        let commit_chunk = |out: &mut Vec<Entry>| -> Result<()> {
            if !dry_run && !out.is_empty() {
                let mut w = self.writer();
                self.commit(&mut w, out)?;
                out.clear();
            }
            Ok(())
        };
        b.for_each(&mut |be| {
            // Compared as stored: the encoding of the value inside the entry (a record of a
            // day the receiver has purged is compared purged).
            let inner = match &be.entry {
                Entry::Record(r) if target.is_purged(r.time)? => {
                    let mut r = r.clone();
                    super::scrub_record(&mut r);
                    codec::encode(&r)
                }
                Entry::Amendment(a) if target.is_purged(a.result.time)? => {
                    let mut a = a.as_ref().clone();
                    super::scrub::scrub_amendment(&mut a);
                    codec::encode(&a)
                }
                e => inner_bytes(e),
            };
            let sha = sha_hex(&inner);
            if let Some(prev) = seen.get(&be.id) {
                if *prev != sha {
                    report.conflicts.push(ConflictLine {
                        id: be.id.clone(),
                        in_effect: "existing".into(),
                    });
                }
                return Ok(());
            }
            seen.insert(be.id.clone(), sha.clone());
            let decision = match &be.entry {
                Entry::Checkpoint(c) if !command_post => {
                    // A sibling laptop's settings: ours stay; only a different day boundary
                    // would matter, and it is reported.
                    if c.tz != own.tz || c.day_start_min != own.day_start_min {
                        report.conflicts.push(ConflictLine {
                            id: be.id.clone(),
                            in_effect: "existing".into(),
                        });
                    } else {
                        report.skipped += 1;
                    }
                    return Ok(());
                }
                Entry::Purge(p) => {
                    if target.purged_before()?.is_some_and(|b| b >= p.before) {
                        report.skipped += 1;
                    } else {
                        *report.added.entry("purge".into()).or_default() += 1;
                        purge_to = purge_to.max(Some(p.before));
                        out.push(self.wrap(command_post, &h.checkpoint, be.entry.clone()));
                    }
                    return Ok(());
                }
                Entry::Reference(r) => {
                    match target.reference_of(&r.laptop)? {
                        Some(old)
                            if (old.taken_at, sha_hex(&codec::encode(&old)))
                                >= (r.taken_at, sha_hex(&codec::encode(r))) =>
                        {
                            report.skipped += 1;
                        }
                        _ => {
                            *report.added.entry("reference".into()).or_default() += 1;
                            out.push(self.wrap(command_post, &h.checkpoint, be.entry.clone()));
                        }
                    }
                    return Ok(());
                }
                e => match target.known(e)? {
                    None => Decision::Add,
                    Some(bytes) if bytes.as_ref() == inner.as_slice() => Decision::Skip,
                    Some(bytes) => Decision::Conflict(bytes.to_vec()),
                },
            };
            match decision {
                Decision::Skip => report.skipped += 1,
                Decision::Add => {
                    match &be.entry {
                        Entry::Record(r) => {
                            new_records.insert(r.id.clone());
                        }
                        Entry::Amendment(a)
                            if !new_records.contains(&a.record)
                                && !target.tree.contains_key(keys::record(&a.record))? =>
                        {
                            report.waiting += 1;
                        }
                        _ => {}
                    }
                    *report
                        .added
                        .entry(bundle::kind_of(&be.entry).to_string())
                        .or_default() += 1;
                    out.push(self.wrap(command_post, &h.checkpoint, be.entry.clone()));
                }
                Decision::Conflict(existing) => {
                    // Simple keyed entries: the version with the lower SHA-256 is in effect,
                    // whichever arrived first, so the result does not depend on the order.
                    // Records and amendments (ids are unique ULIDs: a conflict there means
                    // damage or forgery) keep the version held first.
                    let existing_sha = sha_hex(&existing);
                    let swappable = !matches!(
                        be.entry,
                        Entry::Record(_) | Entry::Amendment(_) | Entry::Checkpoint(_)
                    );
                    let incoming_wins = swappable && sha < existing_sha;
                    let (kept, other, entry) = if incoming_wins {
                        (sha.clone(), existing_sha, existing)
                    } else {
                        (existing_sha, sha.clone(), inner)
                    };
                    out.push(self.wrap(
                        command_post,
                        &h.checkpoint,
                        Entry::Conflict(Box::new(Conflict {
                            id: be.id.clone(),
                            checkpoint: h.checkpoint.clone(),
                            kept,
                            other,
                            entry,
                        })),
                    ));
                    if incoming_wins {
                        out.push(self.wrap(command_post, &h.checkpoint, be.entry.clone()));
                    }
                    report.conflicts.push(ConflictLine {
                        id: be.id.clone(),
                        in_effect: if incoming_wins {
                            "incoming"
                        } else {
                            "existing"
                        }
                        .into(),
                    });
                }
            }
            if out.len() >= chunk.max(1) && !dry_run {
                // Committed chunk by chunk: memory stays bounded for a year's bundle, and
                // what follows is checked against what is already in (ids seen earlier).
                commit_chunk(&mut out)?;
                seen.clear();
                new_records.clear();
            }
            Ok(())
        })?;
        if dry_run {
            return Ok(report);
        }
        commit_chunk(&mut out)?;
        if let Some(before) = purge_to {
            // The bundle carried a purge: the journal frames of those days (held before, or
            // imported above) are scrubbed once the whole bundle is in — one pass over the
            // journal, not one per chunk.
            let mut w = self.writer();
            self.scrub_journal(&mut w.journal, before)?;
        }
        tracing::info!(file = %file.display(), added = report.added_total(), skipped = report.skipped, conflicts = report.conflicts.len(), "imported bundle");
        Ok(report)
    }

    fn wrap(&self, command_post: bool, checkpoint: &str, e: Entry) -> Entry {
        if command_post {
            Entry::Foreign {
                checkpoint: checkpoint.to_string(),
                entry: Box::new(e),
            }
        } else {
            e
        }
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

/// The encoding of the value inside an entry, as the store keeps it.
fn inner_bytes(e: &Entry) -> Vec<u8> {
    match e {
        Entry::Checkpoint(c) => codec::encode(c),
        Entry::Record(r) => codec::encode(r),
        Entry::Amendment(a) => codec::encode(a),
        Entry::Handover(h) => codec::encode(h),
        Entry::Report(r) => codec::encode(r),
        Entry::SignOff(s) => codec::encode(s),
        Entry::Pushed(p) => codec::encode(p),
        Entry::Attendance(a) => codec::encode(a),
        Entry::Reference(r) => codec::encode(r),
        other => codec::encode(other),
    }
}

/// The bundle files (`*.kdb`) in a folder, by name.
pub fn bundle_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    match std::fs::read_dir(dir) {
        Ok(entries) => {
            for e in entries {
                let p = e?.path();
                if p.extension().is_some_and(|x| x.eq_ignore_ascii_case("kdb")) && p.is_file() {
                    out.push(p);
                }
            }
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
        Err(e) => return Err(e.into()),
    }
    out.sort();
    Ok(out)
}

enum Decision {
    Add,
    Skip,
    Conflict(Vec<u8>),
}
