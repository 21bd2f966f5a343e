//! A laptop's public key file (`kadian trust export` / `kadian trust add`).

use std::collections::BTreeMap;
use std::path::Path;

use ed25519_dalek::VerifyingKey;

use super::{fingerprint, hex, same_fingerprint, unhex};
use crate::error::{Error, Result};

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
