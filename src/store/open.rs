//! Opening a data dir: creating it, replaying the journal frames sled does not hold yet,
//! noting the journal spans of personal details once, and retiring the index keys an
//! earlier key layout kept. On a full disk it gives back the reserve and tries again.

use std::path::Path;
use std::sync::{Arc, Mutex, OnceLock};

use super::disk::{
    CACHE_BYTES, make_reserve, not_writable, open_sled, release_reserve, reserve_path,
};
use super::{Entry, Journal, Store, Writer, codec, keys};
use crate::error::{Error, Result};

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
        store.recount_counters()?;
        for code in store.checkpoints()? {
            retire_indexes(&store.view(&code)?.tree)?;
            store.view(&code)?.recount_counters()?;
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
