//! Sync by file: the bundle format, laptop keys and key files. Pure functions over bytes and
//! files (`write`, `read`, `key`); what goes into a bundle and how it is merged is decided in
//! `ops::sync`. Depends on the ledger entry and the codec only, not on the store.
//!
//! Bundle format, version 1 (documented in README "Sync bundles"):
//!
//! ```text
//! magic        8 bytes   "KADIANB" 0x1A
//! version      u16 LE    1
//! header_len   u32 LE
//! header       JSON      (Header: source checkpoint and laptop, public key, range, counts,
//!                         uncompressed body length and SHA-256)
//! body         zstd      entries, each: u16 LE id length | id | u32 LE length |
//!                         SHA-256 of the entry (32) | entry (format byte + bincode)
//! body_len     u64 LE    length of the compressed body
//! checksum     32 bytes  SHA-256 of every byte before it
//! signature    64 bytes  Ed25519 over "kadian-bundle-v1" ‖ checksum, by the laptop key
//! ```
//!
//! A checksum catches damage; the signature catches forgery once the receiver trusts the
//! laptop's public key. A bundle is verified whole before anything of it is imported.

mod key;
mod read;
mod write;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use ed25519_dalek::SigningKey;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

pub use key::KeyFile;
pub use read::{parse, read};
pub use write::{Writer, write, write_durably};

use crate::codec;
use crate::domain::entry::Entry;
use crate::error::{Error, Result};
use crate::i18n::Msg;

pub const MAGIC: &[u8; 8] = b"KADIANB\x1a";
pub const VERSION: u16 = 1;
pub(crate) const SIGNING_CONTEXT: &[u8] = b"kadian-bundle-v1";
pub(crate) const TRAILER: usize = 8 + 32 + 64;
pub(crate) const PREAMBLE: usize = 8 + 2 + 4;
/// The largest uncompressed body a bundle may declare (a year of a busy checkpoint is ~2 GB).
pub(crate) const MAX_BODY: u64 = 8 << 30;
/// zstd level: 3 is zstd's default, fast and ~5× on ledger entries.
pub(crate) const ZSTD_LEVEL: i32 = 3;

/// The bundle header: who sent it, what it covers, and how to check the body.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Header {
    pub format: String,
    pub version: u16,
    pub checkpoint: String,
    pub checkpoint_name: String,
    pub laptop: String,
    /// The laptop's Ed25519 public key, hex.
    pub public_key: String,
    /// Destination name the high-water mark is kept for.
    pub to: String,
    /// `last`, `all` or a date.
    pub since: String,
    pub created_at: DateTime<Utc>,
    /// Journal byte range of the source laptop this bundle covers.
    pub journal_from: u64,
    pub journal_to: u64,
    /// Earliest and latest entry time in the bundle.
    pub first: Option<DateTime<Utc>>,
    pub last: Option<DateTime<Utc>>,
    /// Entries by kind (`record`, `amendment`, …).
    pub counts: BTreeMap<String, u64>,
    pub entries: u64,
    pub compression: String,
    pub body_bytes: u64,
    pub body_sha256: String,
}

/// A verified bundle: its header, the sender's key fingerprint, and its compressed body
/// (entries are decoded on demand, a few at a time: a year's bundle does not fit in memory
/// decoded).
#[derive(Debug)]
pub struct Bundle {
    pub header: Header,
    pub public_key: [u8; 32],
    pub fingerprint: String,
    pub file_bytes: u64,
    path: PathBuf,
    body: Vec<u8>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BundleEntry {
    pub id: String,
    pub entry: Entry,
    /// The encoded entry (what the checksum covers).
    pub bytes: Vec<u8>,
}

impl BundleEntry {
    pub fn new(id: String, entry: Entry) -> Self {
        let bytes = codec::encode(&entry);
        Self { id, entry, bytes }
    }

    pub fn sha256(&self) -> [u8; 32] {
        Sha256::digest(&self.bytes).into()
    }
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn unhex<const N: usize>(s: &str) -> Option<[u8; N]> {
    let s = s.trim();
    if s.len() != 2 * N || !s.is_ascii() {
        return None;
    }
    let mut out = [0u8; N];
    for (i, o) in out.iter_mut().enumerate() {
        *o = u8::from_str_radix(&s[2 * i..2 * i + 2], 16).ok()?;
    }
    Some(out)
}

/// A short, readable fingerprint of a public key: the first 16 bytes of its SHA-256 in
/// groups of four hex digits, to compare over the phone.
pub fn fingerprint(public_key: &[u8; 32]) -> String {
    let d = Sha256::digest(public_key);
    d[..16].chunks(2).map(hex).collect::<Vec<_>>().join("-")
}

/// Normalises a typed fingerprint (case, spaces, separators) for comparison.
pub fn same_fingerprint(a: &str, b: &str) -> bool {
    let norm = |s: &str| -> String {
        s.chars()
            .filter(char::is_ascii_hexdigit)
            .map(|c| c.to_ascii_lowercase())
            .collect()
    };
    let (a, b) = (norm(a), norm(b));
    !a.is_empty() && a == b
}

/// The last six characters of a laptop id (ULIDs differ at the end), for file names and
/// screens.
pub fn short_laptop(laptop: &str) -> String {
    let n = laptop.chars().count();
    laptop.chars().skip(n.saturating_sub(6)).collect()
}

/// A new laptop signing key from the operating system's random source.
pub fn new_secret() -> Result<[u8; 32]> {
    let mut secret = [0u8; 32];
    getrandom::fill(&mut secret).map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
    Ok(secret)
}

pub fn public_of(secret: &[u8; 32]) -> [u8; 32] {
    SigningKey::from_bytes(secret).verifying_key().to_bytes()
}

/// A bundle refused whole, for the reason `why` (a message `error.bundle.*`).
pub(crate) fn refuse(file: &Path, why: Msg) -> Error {
    Error::Bundle {
        file: file.display().to_string(),
        detail: why,
    }
}

/// A refusal reason by its key (`error.bundle.*`); arguments follow with `with`.
pub(crate) fn why(key: &'static str) -> Msg {
    Msg::new(key)
}

/// The kind name of a shareable entry (for counts and messages).
pub fn kind_of(e: &Entry) -> &'static str {
    match e {
        Entry::Checkpoint(_) => "checkpoint",
        Entry::Record(_) => "record",
        Entry::Amendment(_) => "amendment",
        Entry::Handover(_) => "handover",
        Entry::Report(_) => "report",
        Entry::SignOff(_) => "signoff",
        Entry::Pushed(_) => "pushed",
        Entry::Attendance(_) => "attendance",
        Entry::Reference(_) => "reference",
        Entry::Purge(_) => "purge",
        _ => "other",
    }
}

/// The stable id of a shareable entry (the same on every laptop); `None` for entries that
/// never leave their laptop (PINs, keys, audit, marks).
pub fn entry_id(e: &Entry) -> Option<String> {
    Some(match e {
        Entry::Checkpoint(c) => format!("checkpoint/{}", c.code),
        Entry::Record(r) => format!("record/{}", r.id),
        Entry::Amendment(a) => format!("amendment/{}", a.id),
        Entry::Handover(h) => format!("handover/{}", h.id),
        Entry::Report(r) => format!("report/{}/v{}", r.day, r.version),
        Entry::SignOff(s) => format!("signoff/{}", s.day),
        Entry::Pushed(p) => format!("pushed/{}/{}", p.record, p.person),
        Entry::Attendance(a) => {
            format!("attendance/{}/{}", a.code, a.time.timestamp_millis())
        }
        Entry::Reference(r) => format!("reference/{}", r.laptop),
        Entry::Purge(p) => format!("purge/{}", p.before),
        _ => return None,
    })
}

/// The time an entry is about (for `--since DATE` and the header's range).
pub fn time_of(e: &Entry) -> Option<DateTime<Utc>> {
    match e {
        Entry::Record(r) => Some(r.time),
        Entry::Amendment(a) => Some(a.at),
        Entry::Handover(h) => Some(h.time),
        Entry::Report(r) => Some(r.signed_at),
        Entry::SignOff(s) => Some(s.at),
        Entry::Pushed(p) => Some(p.at),
        Entry::Attendance(a) => Some(a.time),
        _ => None,
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

#[cfg(test)]
pub(crate) mod tests;
