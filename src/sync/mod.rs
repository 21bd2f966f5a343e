//! Sync by file: the bundle format, laptop keys and key files. Pure functions over bytes and
//! files; what goes into a bundle and how it is merged lives in `store::sync`.
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

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use chrono::{DateTime, Utc};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::codec;
use crate::domain::entry::Entry;
use crate::error::{Error, Result};

pub const MAGIC: &[u8; 8] = b"KADIANB\x1a";
pub const VERSION: u16 = 1;
const SIGNING_CONTEXT: &[u8] = b"kadian-bundle-v1";
const TRAILER: usize = 8 + 32 + 64;
const PREAMBLE: usize = 8 + 2 + 4;
/// The largest uncompressed body a bundle may declare (a year of a busy checkpoint is ~2 GB).
const MAX_BODY: u64 = 8 << 30;
/// zstd level: 3 is zstd's default, fast and ~5× on ledger entries.
const ZSTD_LEVEL: i32 = 3;

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
    path: std::path::PathBuf,
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

fn unhex<const N: usize>(s: &str) -> Option<[u8; N]> {
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

fn refuse(file: &Path, detail: impl Into<String>) -> Error {
    Error::Bundle {
        file: file.display().to_string(),
        detail: detail.into(),
    }
}

/// Builds a bundle entry by entry: the body is compressed as it comes (memory holds the
/// compressed body only), its checksum and the counts kept on the way.
pub struct Writer {
    encoder: zstd::stream::Encoder<'static, Vec<u8>>,
    hasher: Sha256,
    counts: BTreeMap<String, u64>,
    entries: u64,
    body_bytes: u64,
}

impl Writer {
    pub fn new() -> Result<Self> {
        Ok(Self {
            encoder: zstd::stream::Encoder::new(Vec::new(), ZSTD_LEVEL)?,
            hasher: Sha256::new(),
            counts: BTreeMap::new(),
            entries: 0,
            body_bytes: 0,
        })
    }

    /// Adds one entry: its id, its kind (for the counts) and its encoding.
    pub fn add(&mut self, id: &str, kind: &str, bytes: &[u8]) -> Result<()> {
        let bad = |what: &str| Error::Bundle {
            file: "bundle".into(),
            detail: format!("entry {id}: {what}"),
        };
        let id_len = u16::try_from(id.len()).map_err(|_| bad("id too long"))?;
        let len = u32::try_from(bytes.len()).map_err(|_| bad("too large"))?;
        let sha: [u8; 32] = Sha256::digest(bytes).into();
        for part in [
            &id_len.to_le_bytes()[..],
            id.as_bytes(),
            &len.to_le_bytes(),
            &sha,
            bytes,
        ] {
            self.hasher.update(part);
            self.encoder.write_all(part)?;
            self.body_bytes += part.len() as u64;
        }
        *self.counts.entry(kind.to_string()).or_default() += 1;
        self.entries += 1;
        Ok(())
    }

    /// Finishes the header, signs, and writes the file durably. Returns the header as
    /// written and the file size.
    pub fn finish(
        self,
        path: &Path,
        mut header: Header,
        secret: &[u8; 32],
    ) -> Result<(Header, u64)> {
        header.format = "kadian-bundle".into();
        header.version = VERSION;
        header.public_key = hex(&public_of(secret));
        header.counts = self.counts;
        header.entries = self.entries;
        header.compression = "zstd".into();
        header.body_bytes = self.body_bytes;
        header.body_sha256 = hex(&self.hasher.finalize());
        let compressed = self.encoder.finish()?;
        let header_json = serde_json::to_vec(&header).expect("header serialises");
        let mut out = Vec::with_capacity(PREAMBLE + header_json.len() + compressed.len() + TRAILER);
        out.extend_from_slice(MAGIC);
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend_from_slice(&(header_json.len() as u32).to_le_bytes());
        out.extend_from_slice(&header_json);
        out.extend_from_slice(&compressed);
        drop(compressed);
        let body_len = (out.len() - PREAMBLE - header_json.len()) as u64;
        out.extend_from_slice(&body_len.to_le_bytes());
        let checksum: [u8; 32] = Sha256::digest(&out).into();
        out.extend_from_slice(&checksum);
        let key = SigningKey::from_bytes(secret);
        let sig = key.sign(&[SIGNING_CONTEXT, &checksum].concat());
        out.extend_from_slice(&sig.to_bytes());
        write_durably(path, &out)?;
        Ok((header, out.len() as u64))
    }
}

/// Writes a bundle of `entries` to `path` (via a temporary file, fsync'd and renamed, so a
/// crash leaves either no file or a whole one).
pub fn write(
    path: &Path,
    header: Header,
    entries: &[BundleEntry],
    secret: &[u8; 32],
) -> Result<(Header, u64)> {
    let mut w = Writer::new()?;
    for e in entries {
        w.add(&e.id, kind_of(&e.entry), &e.bytes)?;
    }
    w.finish(path, header, secret)
}

/// Writes a whole file durably: temporary file, fsync, rename, fsync of the directory.
pub fn write_durably(path: &Path, bytes: &[u8]) -> Result<()> {
    let dir = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    crate::private::create_dir(dir)?;
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_else(|| "bundle".into());
    let tmp = dir.join(format!(".{name}.partial"));
    {
        let mut f = crate::private::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path)?;
    #[cfg(unix)]
    std::fs::File::open(dir)?.sync_all()?;
    Ok(())
}

/// Reads and verifies a bundle whole: structure, version, checksum, signature (against the
/// key in its own header: whether that key is trusted is the store's decision), body
/// checksum, every entry's checksum and id, and the counts. Any failure refuses it all.
pub fn read(path: &Path) -> Result<Bundle> {
    let bytes = std::fs::read(path).map_err(|e| refuse(path, format!("cannot read: {e}")))?;
    parse(path, &bytes)
}

pub fn parse(path: &Path, bytes: &[u8]) -> Result<Bundle> {
    let n = bytes.len();
    if n < 8 || &bytes[..8] != MAGIC {
        if n < 8 && MAGIC.starts_with(bytes) {
            return Err(refuse(path, format!("truncated: only {n} bytes")));
        }
        return Err(refuse(
            path,
            "not a kadian bundle (the file does not start with the bundle signature)",
        ));
    }
    if n < PREAMBLE + TRAILER {
        return Err(refuse(
            path,
            format!(
                "truncated: {n} bytes, a bundle has at least {}",
                PREAMBLE + TRAILER
            ),
        ));
    }
    let version = u16::from_le_bytes([bytes[8], bytes[9]]);
    if version != VERSION {
        return Err(refuse(
            path,
            format!(
                "unknown bundle version {version} (this kadian reads version {VERSION}): update kadian on this laptop"
            ),
        ));
    }
    let header_len = u32::from_le_bytes(bytes[10..14].try_into().expect("4 bytes")) as usize;
    let trailer_at = n - TRAILER;
    if PREAMBLE + header_len > trailer_at {
        return Err(refuse(
            path,
            format!("truncated or damaged: the header claims {header_len} bytes, the file has {n}"),
        ));
    }
    let body_len = u64::from_le_bytes(bytes[trailer_at..trailer_at + 8].try_into().expect("8"));
    let body_start = PREAMBLE + header_len;
    if body_start as u64 + body_len != trailer_at as u64 {
        return Err(refuse(
            path,
            format!(
                "truncated or damaged: expected {} bytes, the file has {n}",
                (body_start as u64)
                    .saturating_add(body_len)
                    .saturating_add(TRAILER as u64)
            ),
        ));
    }
    let checksum: [u8; 32] = Sha256::digest(&bytes[..trailer_at + 8]).into();
    if checksum[..] != bytes[trailer_at + 8..trailer_at + 40] {
        return Err(refuse(
            path,
            "checksum mismatch: the file was damaged or altered on the way",
        ));
    }
    let header: Header = serde_json::from_slice(&bytes[PREAMBLE..body_start])
        .map_err(|e| refuse(path, format!("damaged header: {e}")))?;
    if header.format != "kadian-bundle" || header.version != VERSION {
        return Err(refuse(path, "header does not describe a version 1 bundle"));
    }
    let public_key: [u8; 32] = unhex(&header.public_key)
        .ok_or_else(|| refuse(path, "header: public key is not 64 hex digits"))?;
    let key = VerifyingKey::from_bytes(&public_key)
        .map_err(|_| refuse(path, "header: not a valid Ed25519 public key"))?;
    let sig = Signature::from_bytes(
        bytes[trailer_at + 40..]
            .try_into()
            .expect("64 signature bytes"),
    );
    key.verify(&[SIGNING_CONTEXT, &checksum].concat(), &sig)
        .map_err(|_| {
            refuse(
                path,
                "signature does not match: not signed by the laptop key named in the header",
            )
        })?;
    if header.compression != "zstd" {
        return Err(refuse(
            path,
            format!("unknown compression {}", header.compression),
        ));
    }
    if header.body_bytes > MAX_BODY {
        return Err(refuse(path, "declared body larger than 8 GiB"));
    }
    let b = Bundle {
        fingerprint: fingerprint(&public_key),
        public_key,
        header,
        file_bytes: n as u64,
        path: path.to_path_buf(),
        body: bytes[body_start..trailer_at].to_vec(),
    };
    // A whole pass now, so a bad entry anywhere refuses the bundle before any import.
    let mut counts: BTreeMap<String, u64> = BTreeMap::new();
    let mut entries = 0u64;
    if crate::domain::validate_code("checkpoint", &b.header.checkpoint).is_err() {
        return Err(refuse(
            path,
            "header: the checkpoint code is not a valid code",
        ));
    }
    let (body_bytes, body_sha) = b.walk(&mut |e| {
        // Every entry belongs to the checkpoint the header names.
        let other = match &e.entry {
            Entry::Checkpoint(c) => Some(&c.code),
            Entry::Record(r) => Some(&r.checkpoint),
            _ => None,
        };
        if let Some(code) = other.filter(|c| **c != b.header.checkpoint) {
            return Err(refuse(
                path,
                format!(
                    "entry {} is of checkpoint {code}, the header says {}",
                    e.id, b.header.checkpoint
                ),
            ));
        }
        *counts.entry(kind_of(&e.entry).to_string()).or_default() += 1;
        entries += 1;
        Ok(())
    })?;
    if body_bytes != b.header.body_bytes || hex(&body_sha) != b.header.body_sha256 {
        return Err(refuse(path, "body checksum mismatch"));
    }
    if entries != b.header.entries || counts != b.header.counts {
        return Err(refuse(path, "entry counts differ from the header"));
    }
    Ok(b)
}

impl Bundle {
    /// Decodes the entries one by one, checking each one's checksum and id.
    pub fn for_each(&self, each: &mut dyn FnMut(BundleEntry) -> Result<()>) -> Result<()> {
        self.walk(each).map(|_| ())
    }

    /// All entries at once (small bundles and tests).
    pub fn entries(&self) -> Result<Vec<BundleEntry>> {
        let mut out = Vec::new();
        self.for_each(&mut |e| {
            out.push(e);
            Ok(())
        })?;
        Ok(out)
    }

    /// Streams the body: returns its length and SHA-256.
    fn walk(&self, each: &mut dyn FnMut(BundleEntry) -> Result<()>) -> Result<(u64, [u8; 32])> {
        let path = self.path.as_path();
        let decoder = zstd::stream::Decoder::new(self.body.as_slice())
            .map_err(|e| refuse(path, format!("body does not decompress: {e}")))?;
        let mut r = HashingReader {
            inner: std::io::BufReader::new(decoder),
            hasher: Sha256::new(),
            n: 0,
        };
        let short = |e: std::io::Error| refuse(path, format!("body is damaged: {e}"));
        loop {
            let at = r.n;
            let mut id_len = [0u8; 2];
            match r.read_some(&mut id_len).map_err(short)? {
                0 => break,
                2 => {}
                _ => return Err(refuse(path, format!("entry at byte {at} is cut short"))),
            }
            if r.n > self.header.body_bytes {
                return Err(refuse(path, "body longer than the header says"));
            }
            let mut id = vec![0u8; u16::from_le_bytes(id_len) as usize];
            r.read_exact(&mut id).map_err(short)?;
            let id = String::from_utf8(id)
                .map_err(|_| refuse(path, format!("entry at byte {at}: id is not UTF-8")))?;
            let mut len = [0u8; 4];
            r.read_exact(&mut len).map_err(short)?;
            let len = u32::from_le_bytes(len) as usize;
            if len as u64 > self.header.body_bytes {
                return Err(refuse(path, format!("entry {id}: length out of range")));
            }
            let mut sha = [0u8; 32];
            r.read_exact(&mut sha).map_err(short)?;
            let mut bytes = vec![0u8; len];
            r.read_exact(&mut bytes).map_err(short)?;
            if <[u8; 32]>::from(Sha256::digest(&bytes)) != sha {
                return Err(refuse(path, format!("entry {id}: checksum mismatch")));
            }
            let entry: Entry = codec::decode("bundle entry", &bytes)
                .map_err(|e| refuse(path, format!("entry {id}: {e}")))?;
            if entry_id(&entry).as_deref() != Some(id.as_str()) {
                return Err(refuse(
                    path,
                    format!("entry {id}: its id does not match its content"),
                ));
            }
            each(BundleEntry { id, entry, bytes })?;
        }
        Ok((r.n, r.hasher.finalize().into()))
    }
}

/// Reads through, hashing and counting what it reads.
struct HashingReader<R> {
    inner: R,
    hasher: Sha256,
    n: u64,
}

impl<R: std::io::Read> HashingReader<R> {
    fn read_exact(&mut self, buf: &mut [u8]) -> std::io::Result<()> {
        self.inner.read_exact(buf)?;
        self.hasher.update(&*buf);
        self.n += buf.len() as u64;
        Ok(())
    }

    /// Fills `buf` unless the stream ends first; returns how many bytes were read.
    fn read_some(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let mut got = 0;
        while got < buf.len() {
            match self.inner.read(&mut buf[got..])? {
                0 => break,
                k => got += k,
            }
        }
        self.hasher.update(&buf[..got]);
        self.n += got as u64;
        Ok(got)
    }
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

/// A laptop's public key file, to give to the receivers (`kadian trust export` /
/// `kadian trust add`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KeyFile {
    pub laptop: String,
    pub checkpoint: String,
    pub name: String,
    pub public_key: [u8; 32],
}

impl KeyFile {
    pub fn to_text(&self) -> String {
        format!(
            "kadian laptop key v1\nlaptop {}\ncheckpoint {}\nname {}\npublic {}\nfingerprint {}\n",
            self.laptop,
            self.checkpoint,
            self.name,
            hex(&self.public_key),
            fingerprint(&self.public_key)
        )
    }

    pub fn parse(file: &Path, text: &str) -> Result<Self> {
        let bad = |d: &str| Error::Bundle {
            file: file.display().to_string(),
            detail: format!("not a kadian key file: {d}"),
        };
        let mut lines = text.lines();
        if lines.next().map(str::trim) != Some("kadian laptop key v1") {
            return Err(bad("first line must be `kadian laptop key v1`"));
        }
        let mut fields: BTreeMap<&str, &str> = BTreeMap::new();
        for l in lines {
            if let Some((k, v)) = l.trim().split_once(' ') {
                fields.insert(k, v.trim());
            }
        }
        let get = |k: &str| {
            fields
                .get(k)
                .copied()
                .ok_or_else(|| bad(&format!("no {k}")))
        };
        let public_key: [u8; 32] =
            unhex(get("public")?).ok_or_else(|| bad("public must be 64 hex digits"))?;
        VerifyingKey::from_bytes(&public_key).map_err(|_| bad("not an Ed25519 public key"))?;
        if let Some(fp) = fields.get("fingerprint")
            && !same_fingerprint(fp, &fingerprint(&public_key))
        {
            return Err(bad("the fingerprint does not match the key"));
        }
        Ok(Self {
            laptop: get("laptop")?.to_string(),
            checkpoint: get("checkpoint")?.to_string(),
            name: fields.get("name").copied().unwrap_or("").to_string(),
            public_key,
        })
    }
}

#[cfg(test)]
mod tests;
