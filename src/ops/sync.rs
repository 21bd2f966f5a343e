//! Sync by file, the use cases shared by the TUI and the CLI: write a bundle (`write`: what
//! goes into it, the mark per destination), import one bundle, a list of files or the inbox
//! (who may, and whose bundles a confirmed fingerprint lets in; how they merge: `merge`),
//! trust and untrust laptops. The store only reads and commits; the bundle format is
//! `crate::sync`; the texts that describe the results are in `text`, in the user's language.

pub mod merge;
pub mod text;
mod write;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::domain::Permission;
use crate::domain::entry::{Conflict, TrustedLaptop};
use crate::error::{Error, Result};
use crate::i18n::Msg;
use crate::ops::Actor;
use crate::store::Store;
use crate::sync::{self as bundle, Bundle, KeyFile};

pub use crate::sync::bundle_files;
pub use write::{Since, SyncReport, bundle_path, write_bundle, write_to_outbox};

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

/// One bundle file of an import and what became of it.
#[derive(Debug)]
pub struct FileImport {
    pub file: PathBuf,
    pub result: Result<ImportReport>,
}

impl FileImport {
    /// The file's name without its folder (what a screen shows).
    pub fn name(&self) -> String {
        self.file.file_name().map_or_else(
            || self.file.display().to_string(),
            |n| n.to_string_lossy().to_string(),
        )
    }
}

/// An import of several bundle files: each verified and merged whole, or refused whole.
#[derive(Debug, Default)]
pub struct Imported {
    /// The inbox folder, when the inbox was imported.
    pub inbox: Option<PathBuf>,
    pub files: Vec<FileImport>,
}

impl Imported {
    /// The first bundle refused because its laptop is not trusted yet: (file name, laptop,
    /// fingerprint), for the offer to trust it.
    pub fn untrusted(&self) -> Option<(String, String, String)> {
        self.files.iter().find_map(|f| match &f.result {
            Err(Error::Untrusted {
                laptop,
                fingerprint,
                ..
            }) => Some((f.name(), laptop.clone(), fingerprint.clone())),
            _ => None,
        })
    }

    /// The files refused, whole.
    pub fn refused(&self) -> Vec<&Path> {
        self.files
            .iter()
            .filter(|f| f.result.is_err())
            .map(|f| f.file.as_path())
            .collect()
    }
}

fn own_checkpoint(store: &Store) -> Result<crate::domain::Checkpoint> {
    store
        .checkpoint()
        .cloned()
        .ok_or_else(|| Error::NotInitialised(store.dir().display().to_string()))
}

/// Verifies trust and merges a verified bundle; commits it unless `dry_run`. `confirm` is a
/// fingerprint the user confirmed for a laptop not trusted yet.
pub fn import_bundle(
    store: &Store,
    b: &Bundle,
    file: &Path,
    confirm: Option<&str>,
    dry_run: bool,
    now: DateTime<Utc>,
) -> Result<ImportReport> {
    merge::import_in_chunks(store, b, file, confirm, dry_run, now, merge::IMPORT_CHUNK)
}

/// Reads, verifies and imports one bundle file.
pub fn import_file(
    store: &Store,
    file: &Path,
    confirm: Option<&str>,
    dry_run: bool,
    now: DateTime<Utc>,
) -> Result<ImportReport> {
    let b = bundle::read(file)?;
    import_bundle(store, &b, file, confirm, dry_run, now)
}

/// Imports bundle files one by one (a refused one does not stop the others): a leader's
/// work. `confirm` applies to every file: a bundle of another key is refused for it.
pub fn import_files(
    store: &Store,
    actor: &Actor,
    files: &[PathBuf],
    confirm: Option<&str>,
    dry_run: bool,
    now: DateTime<Utc>,
) -> Result<Imported> {
    actor.require(store, Permission::Lead, "import")?;
    Ok(Imported {
        inbox: None,
        files: files
            .iter()
            .map(|f| FileImport {
                file: f.clone(),
                result: import_file(store, f, confirm, dry_run, now),
            })
            .collect(),
    })
}

/// Imports every bundle in the inbox folder: a leader's work. A confirmed fingerprint
/// applies to that laptop's bundles only; those of other laptops not trusted yet are refused
/// and reported (`Imported::untrusted`).
pub fn import_inbox(
    store: &Store,
    actor: &Actor,
    confirm: Option<&str>,
    dry_run: bool,
    now: DateTime<Utc>,
) -> Result<Imported> {
    actor.require(store, Permission::Lead, "import")?;
    let inbox = store.sync_folders()?.1;
    let mut out = Imported {
        inbox: Some(inbox.clone()),
        ..Default::default()
    };
    for f in bundle_files(&inbox)? {
        let result = bundle::read(&f).and_then(|b| {
            let confirm = confirm.filter(|fp| bundle::same_fingerprint(fp, &b.fingerprint));
            import_bundle(store, &b, &f, confirm, dry_run, now)
        });
        out.files.push(FileImport { file: f, result });
    }
    Ok(out)
}

/// The TUI's import: the folders as typed are remembered (once the actor may import), then
/// the inbox is imported.
pub fn import_inbox_from(
    store: &Store,
    actor: &Actor,
    outbox: &Path,
    inbox: &Path,
    confirm: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Imported> {
    actor.require(store, Permission::Lead, "import")?;
    store.set_sync_folders(outbox, inbox)?;
    import_inbox(store, actor, confirm, false, now)
}

/// This laptop's public key file.
pub fn key_file(store: &Store) -> Result<KeyFile> {
    let cp = own_checkpoint(store)?;
    let id = store.ensure_identity()?;
    Ok(KeyFile {
        laptop: cp.laptop,
        checkpoint: cp.code,
        name: cp.name,
        public_key: bundle::public_of(&id.secret),
    })
}

/// Trusts a laptop's key (replacing an earlier key only if that one was removed): a
/// leader's decision, as trusting on a first import is.
pub fn trust(
    store: &Store,
    actor: &Actor,
    key: &KeyFile,
    now: DateTime<Utc>,
) -> Result<TrustedLaptop> {
    actor.require(store, Permission::Lead, "trust")?;
    let own = own_checkpoint(store)?;
    let refuse = |why: Msg| Error::Key {
        key: key.laptop.clone(),
        detail: why,
    };
    if key.laptop == own.laptop {
        return Err(refuse(Msg::new("error.key.own")));
    }
    if let Some(t) = store.trusted(&key.laptop)?
        && t.active
        && t.public_key != key.public_key
    {
        return Err(refuse(
            Msg::new("error.key.other_key")
                .with("laptop", &key.laptop)
                .with("fingerprint", bundle::fingerprint(&t.public_key)),
        ));
    }
    let t = TrustedLaptop {
        laptop: key.laptop.clone(),
        checkpoint: key.checkpoint.clone(),
        name: key.name.clone(),
        public_key: key.public_key,
        at: now,
        active: true,
    };
    store.save_trust(&t)?;
    Ok(t)
}

/// Stops trusting a laptop (a leader's decision); returns false if it was not trusted.
pub fn untrust(store: &Store, actor: &Actor, laptop: &str, now: DateTime<Utc>) -> Result<bool> {
    actor.require(store, Permission::Lead, "trust")?;
    match store.trusted(laptop)? {
        Some(mut t) if t.active => {
            t.active = false;
            t.at = now;
            store.save_trust(&t)?;
            Ok(true)
        }
        _ => Ok(false),
    }
}

/// The laptops whose bundles are accepted now.
pub fn trusted_laptops(store: &Store) -> Result<Vec<TrustedLaptop>> {
    Ok(store
        .trusted_laptops()?
        .into_iter()
        .filter(|t| t.active)
        .collect())
}

/// The conflicts kept aside by earlier imports.
pub fn conflicts(store: &Store) -> Result<Vec<Conflict>> {
    store.conflicts()
}

/// What the sync screen shows about this laptop (the TUI shows it as `app::data::SyncInfo`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Status {
    pub checkpoint: String,
    pub laptop: String,
    pub fingerprint: String,
    pub outbox: PathBuf,
    pub inbox: PathBuf,
    /// Bundle files waiting in the inbox.
    pub waiting: usize,
    /// Conflicts kept aside by earlier imports (`kadian import --conflicts` lists them).
    pub conflicts: usize,
    pub command_post: bool,
}

pub fn status(store: &Store) -> Result<Status> {
    let key = key_file(store)?;
    let (outbox, inbox) = store.sync_folders()?;
    Ok(Status {
        checkpoint: key.checkpoint,
        laptop: key.laptop,
        fingerprint: bundle::fingerprint(&key.public_key),
        waiting: bundle_files(&inbox)?.len(),
        conflicts: store.conflicts()?.len(),
        outbox,
        inbox,
        command_post: store.is_command_post(),
    })
}

#[cfg(test)]
mod tests;
