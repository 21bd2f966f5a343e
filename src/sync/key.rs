//! A laptop's public key file (`kadian trust export` / `kadian trust add`).

use std::collections::BTreeMap;
use std::path::Path;

use ed25519_dalek::VerifyingKey;

use super::{fingerprint, hex, same_fingerprint, unhex};
use crate::error::{Error, Result};
use crate::i18n::Msg;

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
        let bad = |why: Msg| Error::Key {
            key: file.display().to_string(),
            detail: Msg::new("error.key.not_key_file").with_msg("why", why),
        };
        let mut lines = text.lines();
        if lines.next().map(str::trim) != Some("kadian laptop key v1") {
            return Err(bad(Msg::new("error.key.first_line")));
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
                .ok_or_else(|| bad(Msg::new("error.key.missing").with("field", k)))
        };
        let public_key: [u8; 32] =
            unhex(get("public")?).ok_or_else(|| bad(Msg::new("error.key.public_hex")))?;
        VerifyingKey::from_bytes(&public_key)
            .map_err(|_| bad(Msg::new("error.key.public_invalid")))?;
        if let Some(fp) = fields.get("fingerprint")
            && !same_fingerprint(fp, &fingerprint(&public_key))
        {
            return Err(bad(Msg::new("error.key.fingerprint")));
        }
        Ok(Self {
            laptop: get("laptop")?.to_string(),
            checkpoint: get("checkpoint")?.to_string(),
            name: fields.get("name").copied().unwrap_or("").to_string(),
            public_key,
        })
    }
}
