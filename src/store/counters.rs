//! The running counters one record adds to its day (and to its local hour). One function,
//! so the store, a recount (tests, `verify`) and the day tally agree on what is counted.
//!
//! | name | counts |
//! |---|---|
//! | `records` | records |
//! | `vehicles` | records with a vehicle |
//! | `persons` | persons |
//! | `abnormal` | persons whose final disposition is not 通行 |
//! | `sampled` | on-site samples taken (一服务) |
//! | `disinfected` | vehicles disinfected (消杀) |
//! | `freight` / `freight_closed` | freight vehicles / with all three closed-loop items |
//! | `cold_chain` | vehicles carrying cold-chain cargo |
//! | `overrides` | persons whose disposition an officer overrode |
//! | `k:<kind>` | vehicles by kind |
//! | `d:<disposition>` | persons by final disposition (the most severe in force), each once |
//! | `amended` | records amended at least once (a voided record counts nowhere, not here) |
//! | `o:<officer>` | records logged by each officer |

use std::collections::BTreeMap;

use crate::domain::Record;

pub fn counters_of(r: &Record) -> BTreeMap<String, u64> {
    let mut c: BTreeMap<String, u64> = BTreeMap::new();
    let mut add = |name: &str, n: u64| {
        if n > 0 {
            *c.entry(name.to_string()).or_default() += n;
        }
    };
    add("records", 1);
    add("persons", r.persons.len() as u64);
    add("abnormal", r.abnormal_persons() as u64);
    add(
        "sampled",
        r.persons.iter().filter(|p| p.service.sampled).count() as u64,
    );
    add(
        "overrides",
        r.persons.iter().filter(|p| p.overridden.is_some()).count() as u64,
    );
    add(&format!("o:{}", r.officer), 1);
    if let Some(v) = &r.vehicle {
        add("vehicles", 1);
        add(&format!("k:{}", v.kind.code()), 1);
        add("disinfected", u64::from(v.disinfected));
        add("cold_chain", u64::from(v.cold_chain));
        if let Some(f) = v.freight {
            add("freight", 1);
            add(
                "freight_closed",
                u64::from(f.listed && f.pledge && f.reported),
            );
        }
    }
    for p in &r.persons {
        add(&format!("d:{}", p.final_disposition().code()), 1);
    }
    add("amended", u64::from(r.amendments > 0));
    c
}

/// The per-hour counter of amendments written (by when they were written, not by the time
/// of the record they correct).
pub const AMENDMENTS_WRITTEN: &str = "amendments_written";

/// Marks a ledger whose counters follow the table above (each person once under the final
/// disposition, abnormal = final disposition not 通行, a voided record not amended).
const COUNTERS_V2: &str = "counters_v2";

impl super::Store {
    /// Recounts the day and hour counters of a ledger written before `COUNTERS_V2` from its
    /// records, in one atomic batch (a crash before it leaves the old counters and the next
    /// open recounts; after it, the marker says done). Amendments written per hour are kept:
    /// they count writes, not records. A new ledger only gets the marker.
    pub(super) fn recount_counters(&self) -> crate::error::Result<()> {
        use super::{codec, keys};
        use crate::domain::day_of;
        let marker = keys::meta(COUNTERS_V2);
        if self.tree.contains_key(&marker)? {
            return Ok(());
        }
        let mut batch = sled::Batch::default();
        if let Some(cp) = self.checkpoint() {
            let tz = crate::domain::tz_of(cp);
            let mut counts: BTreeMap<Vec<u8>, u64> = BTreeMap::new();
            for kv in self.tree.scan_prefix(keys::prefix(keys::RECORD)) {
                let (_, v) = kv?;
                let r: Record = codec::decode("record", &v)?;
                let day = day_of(cp, r.time);
                let local = r.time.with_timezone(&tz);
                let (date, hour) = (local.date_naive(), chrono::Timelike::hour(&local) as u8);
                let of = if r.voided {
                    [("voided".to_string(), 1)].into()
                } else {
                    counters_of(&r)
                };
                for (name, n) in of {
                    *counts.entry(keys::counter(day, &name)).or_default() += n;
                    *counts
                        .entry(keys::hour_counter(date, hour, &name))
                        .or_default() += n;
                }
            }
            for kv in self.tree.scan_prefix(keys::prefix(keys::COUNTER)) {
                batch.remove(kv?.0);
            }
            let hour_fixed = keys::hour_prefix(chrono::NaiveDate::MIN, 0).len();
            for kv in self.tree.scan_prefix(keys::prefix(keys::HOUR_COUNTER)) {
                let (k, _) = kv?;
                if k.get(hour_fixed..) != Some(AMENDMENTS_WRITTEN.as_bytes()) {
                    batch.remove(k);
                }
            }
            for (k, n) in counts {
                batch.insert(k, &n.to_be_bytes());
            }
            tracing::info!("recounted the day counters (counters_v2)");
        }
        batch.insert(marker, &[]);
        self.tree.apply_batch(batch)?;
        Ok(())
    }
}
