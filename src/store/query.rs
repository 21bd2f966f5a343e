//! Reads: records by id, a day's page newest first, by plate, by ID number, the staff,
//! and a day's running counters. Every read is a key lookup or a prefix range scan.

use std::collections::BTreeMap;

use chrono::NaiveDate;

use super::{Store, codec, keys};
use crate::domain::{Disposition, Officer, Record, VehicleKind};
use crate::error::{Error, Result};

/// The running counters of one checkpoint day (kept with each commit, never recounted).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct DayCounts {
    pub records: u64,
    pub vehicles: u64,
    pub persons: u64,
    pub abnormal: u64,
    /// On-site samples taken (一服务).
    pub sampled: u64,
    pub disinfected: u64,
    pub freight: u64,
    pub freight_closed: u64,
    pub cold_chain: u64,
    pub overrides: u64,
    /// Records amended at least once, and records voided (kept apart from the counts above,
    /// which hold the amended versions and leave voided records out).
    pub amended: u64,
    pub voided: u64,
    pub by_disposition: BTreeMap<&'static str, u64>,
    pub by_kind: BTreeMap<&'static str, u64>,
    /// Records logged per officer.
    pub by_officer: BTreeMap<String, u64>,
}

impl DayCounts {
    /// Adds another checkpoint's counts (a command post's total); officers are named
    /// `CHECKPOINT/CODE` there, since codes repeat between checkpoints.
    pub fn merge(&mut self, other: &DayCounts, checkpoint: &str) {
        self.records += other.records;
        self.vehicles += other.vehicles;
        self.persons += other.persons;
        self.abnormal += other.abnormal;
        self.sampled += other.sampled;
        self.disinfected += other.disinfected;
        self.freight += other.freight;
        self.freight_closed += other.freight_closed;
        self.cold_chain += other.cold_chain;
        self.overrides += other.overrides;
        self.amended += other.amended;
        self.voided += other.voided;
        for (k, n) in &other.by_disposition {
            *self.by_disposition.entry(k).or_default() += n;
        }
        for (k, n) in &other.by_kind {
            *self.by_kind.entry(k).or_default() += n;
        }
        for (k, n) in &other.by_officer {
            *self
                .by_officer
                .entry(format!("{checkpoint}/{k}"))
                .or_default() += n;
        }
    }

    /// Reads one counter into its field (names as in `counters.rs`).
    pub fn add(&mut self, name: &str, n: u64) {
        match name {
            "records" => self.records += n,
            "vehicles" => self.vehicles += n,
            "persons" => self.persons += n,
            "abnormal" => self.abnormal += n,
            "sampled" => self.sampled += n,
            "disinfected" => self.disinfected += n,
            "freight" => self.freight += n,
            "freight_closed" => self.freight_closed += n,
            "cold_chain" => self.cold_chain += n,
            "overrides" => self.overrides += n,
            "amended" => self.amended += n,
            "voided" => self.voided += n,
            _ => {
                if let Some(code) = name.strip_prefix("d:") {
                    if let Some(d) = Disposition::ALL.iter().find(|d| d.code() == code) {
                        *self.by_disposition.entry(d.code()).or_default() += n;
                    }
                } else if let Some(code) = name.strip_prefix("k:") {
                    if let Some(k) = VehicleKind::ALL.iter().find(|k| k.code() == code) {
                        *self.by_kind.entry(k.code()).or_default() += n;
                    }
                } else if let Some(code) = name.strip_prefix("o:") {
                    // An officer whose only record was voided has a counter at 0: not listed
                    // (a recount would not list them either).
                    if n > 0 {
                        *self.by_officer.entry(code.to_string()).or_default() += n;
                    }
                }
            }
        }
    }

    /// All zeros, every disposition and kind present.
    pub fn zero() -> Self {
        let mut c = DayCounts::default();
        for d in Disposition::ALL {
            c.by_disposition.insert(d.code(), 0);
        }
        for k in VehicleKind::ALL {
            c.by_kind.insert(k.code(), 0);
        }
        c
    }
}

impl Store {
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
