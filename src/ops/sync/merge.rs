//! The merge of a verified bundle: whom to trust (this laptop's own key, a trusted key, or a
//! fingerprint confirmed now), where it goes (a checkpoint takes its own checkpoint's bundles,
//! a command post any other), and what each entry becomes — added, skipped (held already),
//! a conflict kept aside (a known id with other content), an amendment waiting for its
//! record, a purge carried to the receiver. Idempotent and order-independent. Written once,
//! over the persistence calls of `MergeStore`, so every store merges the same way.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use chrono::{DateTime, NaiveDate, Utc};
use sha2::{Digest, Sha256};

use super::{ConflictLine, ImportReport};
use crate::codec;
use crate::domain::entry::{Conflict, Entry, TrustedLaptop};
use crate::error::{Error, Result};
use crate::i18n::Msg;
use crate::store::{MergeLedger, MergeStore, MergeTxn};
use crate::sync::{self as bundle, Bundle};

/// Entries per `MergeTxn::write` while importing (bounds memory for big bundles; at sled,
/// one journal fdatasync each).
pub const IMPORT_CHUNK: usize = 8192;

fn sha_hex(bytes: &[u8]) -> String {
    bundle::hex(&Sha256::digest(bytes))
}

/// The encoding of the value inside an entry: what a store keeps for it, and what two
/// versions of one entry are compared by.
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

enum Decision {
    Add,
    Skip,
    Conflict(Vec<u8>),
}

/// Checks that the bundle's laptop may send to this data dir; returns the laptop to trust
/// with this import (a first import whose fingerprint the user confirmed).
fn check_trust<S: MergeStore>(
    store: &S,
    b: &Bundle,
    file: &Path,
    confirm: Option<&str>,
    now: DateTime<Utc>,
) -> Result<Option<TrustedLaptop>> {
    let own = store.own_checkpoint()?;
    let h = &b.header;
    let refuse = |why: Msg| Error::Bundle {
        file: file.display().to_string(),
        detail: why,
    };
    if h.laptop == own.laptop {
        if store.own_public_key()? != b.public_key {
            return Err(refuse(
                Msg::new("error.bundle.not_own_key").with("laptop", &h.laptop),
            ));
        }
        return Ok(None);
    }
    match store.trusted(&h.laptop)? {
        Some(t) if t.active && t.public_key == b.public_key => {
            if t.checkpoint != h.checkpoint {
                return Err(refuse(
                    Msg::new("error.bundle.trusted_elsewhere")
                        .with("laptop", &h.laptop)
                        .with("trusted", &t.checkpoint)
                        .with("checkpoint", &h.checkpoint),
                ));
            }
            Ok(None)
        }
        Some(t) if t.active => Err(refuse(
            Msg::new("error.bundle.wrong_key")
                .with("fingerprint", &b.fingerprint)
                .with("laptop", &h.laptop)
                .with("trusted", bundle::fingerprint(&t.public_key)),
        )),
        _ => match confirm {
            Some(fp) if bundle::same_fingerprint(fp, &b.fingerprint) => Ok(Some(TrustedLaptop {
                laptop: h.laptop.clone(),
                checkpoint: h.checkpoint.clone(),
                name: h.checkpoint_name.clone(),
                public_key: b.public_key,
                at: now,
                active: true,
            })),
            Some(fp) => Err(refuse(
                Msg::new("error.bundle.fingerprint")
                    .with("confirmed", fp)
                    .with("fingerprint", &b.fingerprint),
            )),
            None => Err(Error::Untrusted {
                file: file.display().to_string(),
                laptop: h.laptop.clone(),
                checkpoint: h.checkpoint.clone(),
                fingerprint: b.fingerprint.clone(),
            }),
        },
    }
}

/// Writes the entries planned so far, with the laptop trusted now if it is not in yet.
fn write_chunk<T: MergeTxn>(
    txn: &mut T,
    out: &mut Vec<Entry>,
    trust: &mut Option<TrustedLaptop>,
) -> Result<()> {
    if out.is_empty() && trust.is_none() {
        return Ok(());
    }
    txn.write(trust.take(), std::mem::take(out))
}

/// Verifies trust and plans the merge of a verified bundle; commits it unless `dry_run`,
/// every `chunk` entries (memory stays bounded for a year's bundle).
pub fn import_in_chunks<S: MergeStore>(
    store: &S,
    b: &Bundle,
    file: &Path,
    confirm: Option<&str>,
    dry_run: bool,
    now: DateTime<Utc>,
    chunk: usize,
) -> Result<ImportReport> {
    let own = store.own_checkpoint()?;
    let command_post = store.is_command_post();
    let h = &b.header;
    let refuse = |why: Msg| Error::Bundle {
        file: file.display().to_string(),
        detail: why,
    };
    let mut report = ImportReport {
        file: file.display().to_string(),
        checkpoint: h.checkpoint.clone(),
        laptop: h.laptop.clone(),
        fingerprint: b.fingerprint.clone(),
        dry_run,
        ..Default::default()
    };
    let mut trust = check_trust(store, b, file, confirm, now)?;
    report.trusted_now = trust.is_some();
    // Where it goes: a checkpoint takes its own checkpoint's bundles; a command post any.
    if command_post && h.checkpoint == own.code {
        return Err(refuse(
            Msg::new("error.bundle.post_name").with("checkpoint", &h.checkpoint),
        ));
    }
    if !command_post && h.checkpoint != own.code {
        return Err(refuse(
            Msg::new("error.bundle.other_checkpoint")
                .with("checkpoint", &h.checkpoint)
                .with("own", &own.code),
        ));
    }
    // One bundle, one merge: its reads see what its earlier chunks wrote (see `MergeStore`).
    let mut txn = store.begin_merge(&h.checkpoint)?;
    let mut out: Vec<Entry> = Vec::new();
    let mut seen: HashMap<String, String> = HashMap::new();
    // The latest purge a bundle carries: the journal is scrubbed after the import too.
    let mut purge_to: Option<NaiveDate> = None;
    // Records this import adds, so amendments of them are not counted as waiting.
    let mut new_records = HashSet::new();
    b.for_each(&mut |be| {
        // Compared as stored: the encoding of the value inside the entry (a record of a
        // day the receiver has purged is compared purged).
        let inner = match &be.entry {
            Entry::Record(r) if txn.is_purged(r.time)? => {
                let mut r = r.clone();
                crate::store::scrub_record(&mut r);
                codec::encode(&r)
            }
            Entry::Amendment(a) if txn.is_purged(a.result.time)? => {
                let mut a = a.as_ref().clone();
                crate::store::scrub_amendment(&mut a);
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
                if txn.purged_before()?.is_some_and(|b| b >= p.before) {
                    report.skipped += 1;
                } else {
                    *report.added.entry("purge".into()).or_default() += 1;
                    purge_to = purge_to.max(Some(p.before));
                    out.push(be.entry.clone());
                }
                return Ok(());
            }
            Entry::Reference(r) => {
                match txn.reference_of(&r.laptop)? {
                    Some(old)
                        if (old.taken_at, sha_hex(&codec::encode(&old)))
                            >= (r.taken_at, sha_hex(&codec::encode(r))) =>
                    {
                        report.skipped += 1;
                    }
                    _ => {
                        *report.added.entry("reference".into()).or_default() += 1;
                        out.push(be.entry.clone());
                    }
                }
                return Ok(());
            }
            e => match txn.stored(e)? {
                None => Decision::Add,
                Some(bytes) if bytes == inner => Decision::Skip,
                Some(bytes) => Decision::Conflict(bytes),
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
                        if !new_records.contains(&a.record) && !txn.has_record(&a.record)? =>
                    {
                        report.waiting += 1;
                    }
                    _ => {}
                }
                *report
                    .added
                    .entry(bundle::kind_of(&be.entry).to_string())
                    .or_default() += 1;
                out.push(be.entry.clone());
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
                out.push(Entry::Conflict(Box::new(Conflict {
                    id: be.id.clone(),
                    checkpoint: h.checkpoint.clone(),
                    kept,
                    other,
                    entry,
                })));
                if incoming_wins {
                    out.push(be.entry.clone());
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
        // The laptop trusted now goes in with the first chunk, and counts in it.
        if out.len() + usize::from(trust.is_some()) >= chunk.max(1) && !dry_run {
            // Committed chunk by chunk: what follows is checked against what is already in
            // (ids seen earlier).
            write_chunk(&mut txn, &mut out, &mut trust)?;
            seen.clear();
            new_records.clear();
        }
        Ok(())
    })?;
    if dry_run {
        // Nothing written: the merge is dropped (a transactional store rolls back).
        return Ok(report);
    }
    write_chunk(&mut txn, &mut out, &mut trust)?;
    txn.finish()?;
    if let Some(before) = purge_to {
        // The bundle carried a purge: the journal frames of those days (held before, or
        // imported above) are scrubbed once the whole bundle is in — one pass over the
        // journal, not one per chunk.
        store.scrub_before(before)?;
    }
    tracing::info!(file = %file.display(), added = report.added_total(), skipped = report.skipped, conflicts = report.conflicts.len(), "imported bundle");
    Ok(report)
}
