//! Reads: records by id, a day's page newest first, by plate, by ID number, the staff,
//! and a day's running counters. Every read is a key lookup or a prefix range scan — but
//! one: the records of a data dir as journaled, read from the journal (for measurements).

use std::path::Path;

use chrono::NaiveDate;

use super::{Entry, Store, codec, journal, keys};
use crate::domain::{DayCounts, Officer, Record};
use crate::error::{Error, Result};

impl Store {
    /// Calls `f` with every record journaled in the data dir `dir`, in the order they were
    /// logged, read from the journal alone (sled is not opened). Returns the journal's
    /// length in bytes.
    pub fn journaled_records(dir: &Path, f: &mut dyn FnMut(Record) -> Result<()>) -> Result<u64> {
        let path = dir.join("journal.log");
        let len = std::fs::metadata(&path)?.len();
        journal::read_frames(&path, 0, len, &mut |payload| {
            if let Entry::Record(r) = codec::decode::<Entry>("journal entry", payload)? {
                f(r)?;
            }
            Ok(())
        })?;
        Ok(len)
    }

    pub fn record(&self, id: &str) -> Result<Option<Record>> {
        match self.tree.get(keys::record(id))? {
            Some(v) => Ok(Some(codec::decode(&format!("record {id}"), &v)?)),
            None => Ok(None),
        }
    }

    fn resolve(&self, id: Option<&str>) -> Result<Record> {
        let id = id.ok_or_else(|| Error::Corrupt {
            what: "index".into(),
            detail: "bad key".into(),
        })?;
        self.record(id)?.ok_or_else(|| Error::Corrupt {
            what: "index".into(),
            detail: format!("index points to missing record {id}"),
        })
    }

    /// A page of a day's records, newest first.
    pub fn day_page(&self, day: NaiveDate, offset: usize, limit: usize) -> Result<Vec<Record>> {
        let mut out = Vec::with_capacity(limit.min(256));
        for kv in self
            .tree
            .scan_prefix(keys::day_prefix(day))
            .rev()
            .skip(offset)
            .take(limit)
        {
            let (k, _) = kv?;
            out.push(self.resolve(keys::id_after(&k, keys::DAY_KEY_FIXED))?);
        }
        Ok(out)
    }

    /// Every record, oldest first (by checkpoint day, then time), streamed to `f`.
    pub fn for_each_record(
        &self,
        day: Option<NaiveDate>,
        mut f: impl FnMut(Record) -> Result<()>,
    ) -> Result<()> {
        let prefix = match day {
            Some(d) => keys::day_prefix(d),
            None => keys::prefix(keys::BY_DAY),
        };
        for kv in self.tree.scan_prefix(prefix) {
            let (k, _) = kv?;
            f(self.resolve(keys::id_after(&k, keys::DAY_KEY_FIXED))?)?;
        }
        Ok(())
    }

    /// Records of one plate (exact, normalised), oldest first.
    pub fn by_plate(&self, plate: &str) -> Result<Vec<Record>> {
        let mut out = Vec::new();
        for kv in self.tree.scan_prefix(keys::plate_prefix(plate)) {
            let (k, _) = kv?;
            out.push(self.resolve(keys::id_in_plate_key(&k))?);
        }
        Ok(out)
    }

    /// Records in which a registered person has this ID number, oldest first (through the
    /// index of its last four digits).
    pub fn by_id_number(&self, idn: &str) -> Result<Vec<Record>> {
        let Some(suffix) = idn
            .get(idn.len().saturating_sub(4)..)
            .filter(|s| s.len() == 4)
        else {
            return Ok(Vec::new());
        };
        let prefix = keys::search_prefix(keys::BY_ID_SUFFIX, suffix);
        let fixed = prefix.len() + 8;
        let mut out = Vec::new();
        for kv in self.tree.scan_prefix(prefix) {
            let (k, _) = kv?;
            let r = self.resolve(keys::id_after(&k, fixed))?;
            if r.persons.iter().any(|p| {
                p.registration
                    .as_ref()
                    .is_some_and(|g| g.id_number.as_str() == idn)
            }) {
                out.push(r);
            }
        }
        Ok(out)
    }

    pub fn officer(&self, code: &str) -> Result<Option<Officer>> {
        match self.tree.get(keys::staff(code))? {
            Some(v) => Ok(Some(codec::decode(&format!("staff {code}"), &v)?)),
            None => Ok(None),
        }
    }

    pub fn officers(&self) -> Result<Vec<Officer>> {
        let mut out = Vec::new();
        for kv in self.tree.scan_prefix(keys::prefix(keys::STAFF)) {
            let (_, v) = kv?;
            out.push(codec::decode("staff", &v)?);
        }
        Ok(out)
    }

    pub fn day_counts(&self, day: NaiveDate) -> Result<DayCounts> {
        let prefix = keys::counter_prefix(day);
        let mut c = DayCounts::zero();
        for kv in self.tree.scan_prefix(&prefix) {
            let (k, v) = kv?;
            let n = u64::from_be_bytes(v.as_ref().try_into().map_err(|_| Error::Corrupt {
                what: "counter".into(),
                detail: "not 8 bytes".into(),
            })?);
            c.add(std::str::from_utf8(&k[prefix.len()..]).unwrap_or(""), n);
        }
        Ok(c)
    }
}
