//! Writing a bundle: entries compressed as they come, the header finished with the counts
//! and checksums, the whole signed and written durably.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

use ed25519_dalek::{Signer, SigningKey};
use sha2::{Digest, Sha256};

use super::{
    BundleEntry, Header, MAGIC, PREAMBLE, SIGNING_CONTEXT, TRAILER, VERSION, ZSTD_LEVEL, hex,
    kind_of, public_of,
};
use crate::error::{Error, Result};
use crate::i18n::Msg;

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
        let bad = |key: &'static str| Error::Bundle {
            file: String::new(),
            detail: Msg::new(key).with("id", id),
        };
        let id_len = u16::try_from(id.len()).map_err(|_| bad("error.bundle.id_too_long"))?;
        let len = u32::try_from(bytes.len()).map_err(|_| bad("error.bundle.entry_too_large"))?;
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
