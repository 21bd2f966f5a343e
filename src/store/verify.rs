//! Integrity: each day's ledger entries (records as first logged, amendments) are chained —
//! every link holds the entry's SHA-256 and the hash of the previous link with it — so a
//! removed or altered entry is detectable; `verify` checks that, that every record decodes,
//! that indexes and records match both ways, and that the counters equal a recount.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::keys::search_keys;
use super::{Store, codec, counters_of, keys};
use crate::domain::{DayCounts, Record, day_of};
use crate::error::{Error, Result};

/// One link of a day's chain.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Link {
    /// `R` + record id, or `E` + the amendment's key.
    pub entry: Vec<u8>,
    pub entry_hash: [u8; 32],
    pub chain: [u8; 32],
}

impl Link {
    /// The link for an entry stored under `entry` with `bytes`, after `prev`.
    pub fn new(entry: Vec<u8>, bytes: &[u8], prev: &[u8; 32]) -> Self {
        let entry_hash = sha256(bytes);
        Self {
            entry,
            entry_hash,
            chain: chain_hash(prev, &entry_hash),
        }
    }
}

pub fn sha256(bytes: &[u8]) -> [u8; 32] {
    Sha256::digest(bytes).into()
}

fn chain_hash(prev: &[u8; 32], entry: &[u8; 32]) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(prev);
    h.update(entry);
    h.finalize().into()
}

impl Store {
    /// The link to append to a day's chain for an entry stored under `key` with `bytes`:
    /// (its key, the encoded link). Called inside the entry's batch.
    pub(super) fn chain_link(
        &self,
        st: &mut super::Staged,
        day: NaiveDate,
        key: &[u8],
        bytes: &[u8],
    ) -> Result<(Vec<u8>, Vec<u8>)> {
        // The day's last link: as this batch left it, else as stored.
        let (seq, prev) = match st.chains.get(&day) {
            Some((seq, chain)) => (seq + 1, *chain),
            None => {
                let prefix = keys::chain_prefix(day);
                match self.tree.scan_prefix(&prefix).next_back() {
                    Some(kv) => {
                        let (k, v) = kv?;
                        let link: Link = codec::decode("chain", &v)?;
                        let seq =
                            u32::from_be_bytes(k[prefix.len()..].try_into().unwrap_or([0; 4]));
                        (seq + 1, link.chain)
                    }
                    None => (0, [0u8; 32]),
                }
            }
        };
        let entry_hash = sha256(bytes);
        let link = Link {
            entry: key.to_vec(),
            entry_hash,
            chain: chain_hash(&prev, &entry_hash),
        };
        st.chains.insert(day, (seq, link.chain));
        Ok((keys::chain(day, seq), codec::encode(&link)))
    }

    /// Checks the whole store; returns what is wrong (empty: all well).
    pub fn verify(&self, progress: &mut dyn FnMut(u64)) -> Result<Vec<String>> {
        let cp = self
            .checkpoint()
            .ok_or_else(|| Error::NotInitialised(self.dir.display().to_string()))?;
        let mut problems = Vec::new();
        let mut recount: BTreeMap<NaiveDate, DayCounts> = BTreeMap::new();
        let mut expected_index: BTreeSet<Vec<u8>> = BTreeSet::new();
        let mut records_per_day: BTreeMap<NaiveDate, u64> = BTreeMap::new();
        let mut n = 0u64;
        // Every record decodes; what the indexes and counters must hold.
        for kv in self.tree.scan_prefix(keys::prefix(keys::RECORD)) {
            let (k, v) = kv?;
            let id = String::from_utf8_lossy(&k[2..]).into_owned();
            let r: Record = match codec::decode(&format!("record {id}"), &v) {
                Ok(r) => r,
                Err(e) => {
                    problems.push(format!("record {id} does not decode: {e}"));
                    continue;
                }
            };
            if r.id != id {
                problems.push(format!("record under key {id} says it is {}", r.id));
            }
            let day = day_of(cp, r.time);
            *records_per_day.entry(day).or_default() += 1;
            expected_index.insert(keys::by_day(day, r.time, &r.id));
            let c = recount.entry(day).or_insert_with(DayCounts::zero);
            if !r.voided {
                expected_index.extend(search_keys(day, &r));
                for (name, n) in counters_of(&r) {
                    c.add(&name, n);
                }
            } else {
                c.add("voided", 1);
            }
            n += 1;
            if n % 10_000 == 0 {
                progress(n);
            }
        }
        // Every index entry points to a record, every record is indexed.
        for kind in [
            keys::BY_DAY,
            keys::BY_PLATE,
            keys::BY_ID_NUMBER,
            keys::BY_DISPOSITION,
            keys::BY_NAME,
            keys::BY_ID_SUFFIX,
            keys::BY_PHONE,
        ] {
            for kv in self.tree.scan_prefix(keys::prefix(kind)) {
                let (k, _) = kv?;
                if !expected_index.remove(k.as_ref()) {
                    problems.push(format!(
                        "index entry {} points to no record (or to another version)",
                        String::from_utf8_lossy(&k)
                    ));
                }
            }
        }
        for k in &expected_index {
            problems.push(format!(
                "record not indexed: missing {}",
                String::from_utf8_lossy(k)
            ));
        }
        // Counters equal the recount.
        let days: BTreeSet<NaiveDate> = recount
            .keys()
            .copied()
            .chain(self.counter_days()?)
            .collect();
        for day in days {
            let stored = self.day_counts(day)?;
            let counted = recount.remove(&day).unwrap_or_else(DayCounts::zero);
            if stored != counted {
                problems.push(format!("counters of {day} differ from a recount: stored {} records / {} persons, counted {} / {}", stored.records, stored.persons, counted.records, counted.persons));
            }
        }
        // Chains: every link's entry is there and unchanged, links follow each other, and
        // every record of the day is on its chain.
        for (day, count) in &records_per_day {
            let prefix = keys::chain_prefix(*day);
            let mut prev = [0u8; 32];
            let mut linked_records = 0u64;
            for (i, kv) in self.tree.scan_prefix(&prefix).enumerate() {
                let (k, v) = kv?;
                let seq = u32::from_be_bytes(k[prefix.len()..].try_into().unwrap_or([0; 4]));
                if seq as usize != i {
                    problems.push(format!("chain of {day}: link {i} missing (found {seq})"));
                }
                let link: Link = match codec::decode("chain link", &v) {
                    Ok(l) => l,
                    Err(e) => {
                        problems.push(format!("chain of {day}: link {seq} does not decode: {e}"));
                        continue;
                    }
                };
                if link.chain != chain_hash(&prev, &link.entry_hash) {
                    problems.push(format!(
                        "chain of {day}: link {seq} does not follow the previous one"
                    ));
                }
                prev = link.chain;
                let stored = self.entry_bytes(&link.entry)?;
                match stored {
                    None => problems.push(format!(
                        "chain of {day}: entry {} was removed",
                        String::from_utf8_lossy(&link.entry)
                    )),
                    Some(bytes) if sha256(&bytes) != link.entry_hash => problems.push(format!(
                        "chain of {day}: entry {} was altered",
                        String::from_utf8_lossy(&link.entry)
                    )),
                    Some(_) => {}
                }
                if link.entry.first() == Some(&keys::RECORD) {
                    linked_records += 1;
                }
            }
            if linked_records != *count {
                problems.push(format!(
                    "chain of {day}: {linked_records} records chained, {count} stored"
                ));
            }
        }
        progress(n);
        // A command post: every checkpoint it holds, the same way.
        if self.view_of.is_none() {
            for code in self.checkpoints()? {
                for p in self.view(&code)?.verify(progress)? {
                    problems.push(format!("{code}: {p}"));
                }
            }
        }
        Ok(problems)
    }

    /// The immutable bytes a link covers: a record as first logged, or an amendment.
    pub(super) fn entry_bytes(&self, entry: &[u8]) -> Result<Option<Vec<u8>>> {
        match entry.split_first() {
            Some((&keys::RECORD, id)) => {
                let id = String::from_utf8_lossy(id);
                let key = match self.tree.get(keys::original(&id))? {
                    Some(v) => return Ok(Some(v.to_vec())),
                    None => keys::record(&id),
                };
                Ok(self.tree.get(key)?.map(|v| v.to_vec()))
            }
            Some((&keys::AMENDMENT, rest)) => Ok(self
                .tree
                .get(keys::with_kind(keys::AMENDMENT, rest))?
                .map(|v| v.to_vec())),
            _ => Ok(None),
        }
    }

    fn counter_days(&self) -> Result<BTreeSet<NaiveDate>> {
        let mut out = BTreeSet::new();
        for kv in self.tree.scan_prefix(keys::prefix(keys::COUNTER)) {
            let (k, _) = kv?;
            if let Some(d) = std::str::from_utf8(&k[2..10])
                .ok()
                .and_then(|s| NaiveDate::parse_from_str(s, "%Y%m%d").ok())
            {
                out.insert(d);
            }
        }
        Ok(out)
    }
}
