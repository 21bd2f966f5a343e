//! Writing a bundle: what goes into it (the checkpoint, this laptop's reference data, every
//! shareable journal entry since the mark for a destination, or since a day), where the file
//! goes, and the mark that moves once the file is durable.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::own_checkpoint;
use crate::domain::entry::{Entry, Reference};
use crate::error::{Error, FieldError, Result};
use crate::store::{Store, day_of};
use crate::sync::{self as bundle, Header};

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
    pub fn parse(s: &str) -> std::result::Result<Self, FieldError> {
        match s {
            "last" => Ok(Self::Last),
            "all" => Ok(Self::All),
            d => NaiveDate::parse_from_str(d, "%Y-%m-%d")
                .map(Self::Day)
                .map_err(|_| {
                    FieldError::rule("since", "rule.since").with("value", format!("{d:?}"))
                }),
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

/// What `sync --out` wrote.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct SyncReport {
    pub file: String,
    pub header: Header,
    pub bytes: u64,
}

/// A new bundle file in `dir`: checkpoint, laptop and time, e.g.
/// `T01-93AWBT-20261124T091500.kdb`; `-2`, `-3`… when one of that second is already there
/// (a bundle is never overwritten: the mark has moved past what it holds).
pub fn bundle_path(dir: &Path, store: &Store, now: DateTime<Utc>) -> PathBuf {
    let (code, laptop) = store
        .checkpoint()
        .map(|c| (c.code.clone(), c.laptop.clone()))
        .unwrap_or_default();
    let stem = format!(
        "{code}-{}-{}",
        bundle::short_laptop(&laptop),
        now.format("%Y%m%dT%H%M%S")
    );
    let mut path = dir.join(format!("{stem}.kdb"));
    let mut n = 1;
    while path.exists() {
        n += 1;
        path = dir.join(format!("{stem}-{n}.kdb"));
    }
    path
}

/// This laptop's reference data as of now: staff without PINs (a PIN hash never leaves its
/// laptop), posts and shifts, rosters.
fn reference(store: &Store, laptop: &str, now: DateTime<Utc>) -> Result<Reference> {
    let officers = store
        .officers()?
        .into_iter()
        .map(|mut o| {
            o.pin_hash = None;
            o
        })
        .collect();
    Ok(Reference {
        laptop: laptop.to_string(),
        taken_at: now,
        officers,
        duty: Some(store.duty_config()?),
        rosters: store.rosters()?,
    })
}

/// Writes the entries of a bundle for `to` into `w`: the checkpoint, this laptop's
/// reference data, and every shareable journal entry in the range (own and relayed from
/// other laptops), streamed from the journal. Returns the header to finish it with.
fn build_bundle(
    store: &Store,
    to: &str,
    since: &Since,
    now: DateTime<Utc>,
    w: &mut bundle::Writer,
) -> Result<Header> {
    if store.is_command_post() {
        return Err(Error::CommandPost(crate::i18n::Msg::new(
            "error.post.no_bundles",
        )));
    }
    let mut cp = own_checkpoint(store)?;
    store.ensure_identity()?;
    let end = store.journal_end();
    let from = match since {
        Since::Last => store.sync_mark(to)?.min(end),
        _ => 0,
    };
    let laptop = std::mem::take(&mut cp.laptop);
    let mut add = |e: &Entry, bytes: &[u8]| -> Result<()> {
        let id = bundle::entry_id(e).expect("shareable entries have ids");
        w.add(&id, bundle::kind_of(e), bytes)
    };
    let checkpoint = Entry::Checkpoint(cp.clone());
    add(&checkpoint, &crate::codec::encode(&checkpoint))?;
    let reference = Entry::Reference(Box::new(reference(store, &laptop, now)?));
    add(&reference, &crate::codec::encode(&reference))?;
    let (mut first, mut last): (Option<DateTime<Utc>>, Option<DateTime<Utc>>) = (None, None);
    store.journal_entries(from, end, &mut |entry, payload| {
        // The journal frame is the entry's encoding: it goes into the bundle as it is.
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
    store: &Store,
    path: &Path,
    to: &str,
    since: &Since,
    now: DateTime<Utc>,
) -> Result<SyncReport> {
    if to.trim().is_empty() || to.contains('/') {
        return Err(FieldError::rule("to", "rule.bundle.to").into());
    }
    let mut w = bundle::Writer::new()?;
    let header = build_bundle(store, to, since, now, &mut w)?;
    let id = store.ensure_identity()?;
    let (header, bytes) = w.finish(path, header, &id.secret)?;
    if !matches!(since, Since::Day(_)) {
        store.set_sync_mark(to, header.journal_to)?;
    }
    Ok(SyncReport {
        file: path.display().to_string(),
        header,
        bytes,
    })
}

/// The TUI's write: remembers the folders, writes a new file in the outbox for the
/// destination `outbox` (since the last such bundle, or everything), named by its file name.
pub fn write_to_outbox(
    store: &Store,
    outbox: &Path,
    inbox: &Path,
    all: bool,
    now: DateTime<Utc>,
) -> Result<SyncReport> {
    store.set_sync_folders(outbox, inbox)?;
    crate::private::create_dir(outbox)?;
    let path = bundle_path(outbox, store, now);
    let since = if all { Since::All } else { Since::Last };
    let mut r = write_bundle(store, &path, "outbox", &since, now)?;
    r.file = path
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    Ok(r)
}
