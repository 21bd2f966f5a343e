//! Reading a bundle: verified whole (structure, version, checksums, signature, every
//! entry) before anything of it is used; entries decoded a few at a time.

use std::collections::BTreeMap;
use std::path::Path;

use ed25519_dalek::{Signature, Verifier, VerifyingKey};
use sha2::{Digest, Sha256};

use super::{
    Bundle, BundleEntry, Header, MAGIC, MAX_BODY, PREAMBLE, SIGNING_CONTEXT, TRAILER, VERSION,
    entry_id, fingerprint, hex, kind_of, refuse, unhex, why,
};
use crate::codec;
use crate::domain::entry::Entry;
use crate::error::Result;

/// Reads and verifies a bundle whole: structure, version, checksum, signature (against the
/// key in its own header: whether that key is trusted is the store's decision), body
/// checksum, every entry's checksum and id, and the counts. Any failure refuses it all.
pub fn read(path: &Path) -> Result<Bundle> {
    let bytes = std::fs::read(path)
        .map_err(|e| refuse(path, why("error.bundle.unreadable").with("detail", e)))?;
    parse(path, &bytes)
}

pub fn parse(path: &Path, bytes: &[u8]) -> Result<Bundle> {
    let n = bytes.len();
    let truncated = || {
        why("error.bundle.truncated")
            .with("n", n)
            .with("min", PREAMBLE + TRAILER)
    };
    if n < 8 || &bytes[..8] != MAGIC {
        if n < 8 && MAGIC.starts_with(bytes) {
            return Err(refuse(path, truncated()));
        }
        return Err(refuse(path, why("error.bundle.not_bundle")));
    }
    if n < PREAMBLE + TRAILER {
        return Err(refuse(path, truncated()));
    }
    let version = u16::from_le_bytes([bytes[8], bytes[9]]);
    if version != VERSION {
        return Err(refuse(
            path,
            why("error.bundle.version")
                .with("version", version)
                .with("ours", VERSION),
        ));
    }
    let header_len = u32::from_le_bytes(bytes[10..14].try_into().expect("4 bytes")) as usize;
    let trailer_at = n - TRAILER;
    if PREAMBLE + header_len > trailer_at {
        return Err(refuse(
            path,
            why("error.bundle.header_length")
                .with("claimed", header_len)
                .with("n", n),
        ));
    }
    let body_len = u64::from_le_bytes(bytes[trailer_at..trailer_at + 8].try_into().expect("8"));
    let body_start = PREAMBLE + header_len;
    if body_start as u64 + body_len != trailer_at as u64 {
        let expected = (body_start as u64)
            .saturating_add(body_len)
            .saturating_add(TRAILER as u64);
        return Err(refuse(
            path,
            why("error.bundle.length")
                .with("expected", expected)
                .with("n", n),
        ));
    }
    let checksum: [u8; 32] = Sha256::digest(&bytes[..trailer_at + 8]).into();
    if checksum[..] != bytes[trailer_at + 8..trailer_at + 40] {
        return Err(refuse(path, why("error.bundle.checksum")));
    }
    let header: Header = serde_json::from_slice(&bytes[PREAMBLE..body_start]).map_err(|e| {
        tracing::warn!(file = %path.display(), error = %e, "bundle header does not parse");
        refuse(path, why("error.bundle.header"))
    })?;
    if header.format != "kadian-bundle" || header.version != VERSION {
        return Err(refuse(path, why("error.bundle.header_version")));
    }
    let public_key: [u8; 32] =
        unhex(&header.public_key).ok_or_else(|| refuse(path, why("error.bundle.key_hex")))?;
    let key = VerifyingKey::from_bytes(&public_key)
        .map_err(|_| refuse(path, why("error.bundle.key_invalid")))?;
    let sig = Signature::from_bytes(
        bytes[trailer_at + 40..]
            .try_into()
            .expect("64 signature bytes"),
    );
    key.verify(&[SIGNING_CONTEXT, &checksum].concat(), &sig)
        .map_err(|_| refuse(path, why("error.bundle.signature")))?;
    if header.compression != "zstd" {
        return Err(refuse(
            path,
            why("error.bundle.compression").with("name", &header.compression),
        ));
    }
    if header.body_bytes > MAX_BODY {
        return Err(refuse(
            path,
            why("error.bundle.too_large").with("gib", MAX_BODY >> 30),
        ));
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
        return Err(refuse(path, why("error.bundle.checkpoint_code")));
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
                why("error.bundle.entry_checkpoint")
                    .with("id", &e.id)
                    .with("code", code)
                    .with("header", &b.header.checkpoint),
            ));
        }
        *counts.entry(kind_of(&e.entry).to_string()).or_default() += 1;
        entries += 1;
        Ok(())
    })?;
    if body_bytes != b.header.body_bytes || hex(&body_sha) != b.header.body_sha256 {
        return Err(refuse(path, why("error.bundle.body_checksum")));
    }
    if entries != b.header.entries || counts != b.header.counts {
        return Err(refuse(path, why("error.bundle.counts")));
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
        let damaged = |e: std::io::Error| {
            tracing::warn!(file = %path.display(), error = %e, "bundle body is damaged");
            refuse(path, why("error.bundle.body_damaged"))
        };
        let decoder = zstd::stream::Decoder::new(self.body.as_slice()).map_err(damaged)?;
        let mut r = HashingReader {
            inner: std::io::BufReader::new(decoder),
            hasher: Sha256::new(),
            n: 0,
        };
        let short = damaged;
        loop {
            let at = r.n;
            let mut id_len = [0u8; 2];
            match r.read_some(&mut id_len).map_err(short)? {
                0 => break,
                2 => {}
                _ => return Err(refuse(path, why("error.bundle.entry_cut").with("at", at))),
            }
            if r.n > self.header.body_bytes {
                return Err(refuse(path, why("error.bundle.body_long")));
            }
            let mut id = vec![0u8; u16::from_le_bytes(id_len) as usize];
            r.read_exact(&mut id).map_err(short)?;
            let id = String::from_utf8(id)
                .map_err(|_| refuse(path, why("error.bundle.entry_id_utf8").with("at", at)))?;
            let mut len = [0u8; 4];
            r.read_exact(&mut len).map_err(short)?;
            let len = u32::from_le_bytes(len) as usize;
            if len as u64 > self.header.body_bytes {
                return Err(refuse(
                    path,
                    why("error.bundle.entry_length").with("id", id),
                ));
            }
            let mut sha = [0u8; 32];
            r.read_exact(&mut sha).map_err(short)?;
            let mut bytes = vec![0u8; len];
            r.read_exact(&mut bytes).map_err(short)?;
            if <[u8; 32]>::from(Sha256::digest(&bytes)) != sha {
                return Err(refuse(
                    path,
                    why("error.bundle.entry_checksum").with("id", id),
                ));
            }
            let entry: Entry = codec::decode("bundle entry", &bytes).map_err(|e| {
                tracing::warn!(file = %path.display(), %id, error = ?e, "bundle entry does not decode");
                refuse(path, why("error.bundle.entry_decode").with("id", &id))
            })?;
            if entry_id(&entry).as_deref() != Some(id.as_str()) {
                return Err(refuse(path, why("error.bundle.entry_id").with("id", id)));
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
