//! Searching the ledger for the 记录 tab and `kadian list`: filters that combine, served from
//! the narrowest index (ID suffix, name, phone, exact plate, disposition by day, day), newest
//! first, a page at a time with the total count.

use chrono::{DateTime, NaiveDate, Utc};

use super::{Store, keys};
use crate::domain::{Filter, Page, Plate};
use crate::error::Result;

impl Store {
    fn days_desc(&self, f: &Filter) -> Result<Vec<NaiveDate>> {
        let first = match f.from {
            Some(d) => d,
            None => match self.tree.scan_prefix(keys::prefix(keys::BY_DAY)).next() {
                Some(kv) => date_in(&kv?.0).unwrap_or_default(),
                None => return Ok(Vec::new()),
            },
        };
        let last = match f.to {
            Some(d) => d,
            None => match self
                .tree
                .scan_prefix(keys::prefix(keys::BY_DAY))
                .next_back()
            {
                Some(kv) => date_in(&kv?.0).unwrap_or(first),
                None => return Ok(Vec::new()),
            },
        };
        Ok(first
            .iter_days()
            .take_while(|d| *d <= last)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect())
    }

    /// Candidate (time, id) pairs, newest first, from the narrowest index for `f`.
    fn candidates(&self, f: &Filter) -> Result<Vec<(DateTime<Utc>, String)>> {
        let from_index = |kind: u8, value: &str| -> Result<Vec<(DateTime<Utc>, String)>> {
            let mut out = Vec::new();
            for kv in self
                .tree
                .scan_prefix(keys::search_prefix(kind, value))
                .rev()
            {
                let (k, _) = kv?;
                if let Some(c) = time_and_id(&k) {
                    out.push(c);
                }
            }
            out.sort_by(|a, b| b.cmp(a));
            Ok(out)
        };
        if let Some(s) = &f.id_suffix {
            return from_index(keys::BY_ID_SUFFIX, s);
        }
        if let Some(p) = &f.phone {
            return from_index(keys::BY_PHONE, p);
        }
        if let Some(n) = &f.name {
            // Names are a prefix: scan without the separator.
            let mut out = Vec::new();
            for kv in self
                .tree
                .scan_prefix(keys::with_kind(keys::BY_NAME, n.as_bytes()))
            {
                if let Some(c) = time_and_id(&kv?.0) {
                    out.push(c);
                }
            }
            out.sort_by(|a, b| b.cmp(a));
            return Ok(out);
        }
        if let Some(p) = &f.plate {
            if Plate::parse(p).is_ok() {
                return from_index(keys::BY_PLATE, p);
            }
            if f.from.is_none() && f.to.is_none() {
                // Part of a plate over all days: walk the plate index's keys (plates are
                // short; no record is read for a plate that does not match).
                let mut out = Vec::new();
                for kv in self.tree.scan_prefix(keys::prefix(keys::BY_PLATE)) {
                    let (k, _) = kv?;
                    let Some(sep) = k.iter().position(|b| *b == 0xFF) else {
                        continue;
                    };
                    if std::str::from_utf8(&k[2..sep]).is_ok_and(|plate| plate.contains(p.as_str()))
                    {
                        if let Some(c) = time_and_id(&k) {
                            out.push(c);
                        }
                    }
                }
                out.sort_by(|a, b| b.cmp(a));
                return Ok(out);
            }
        }
        let days = self.days_desc(f)?;
        let mut out = Vec::new();
        for day in days {
            // Pass has no index of its own (most records): the day's, filtered after.
            let prefix = match f.disposition {
                Some(d) if d != crate::domain::Disposition::Pass => {
                    keys::disposition_day_prefix(d.tag(), day)
                }
                _ => keys::day_prefix(day),
            };
            for kv in self.tree.scan_prefix(prefix).rev() {
                if let Some(c) = time_and_id(&kv?.0) {
                    out.push(c);
                }
            }
        }
        Ok(out)
    }

    /// A page of the records passing `f`, newest first, and how many pass in all.
    pub fn search(&self, f: &Filter, offset: usize, limit: usize) -> Result<Page> {
        if f.only_days() {
            // The day index holds every record once; counters give the total.
            let mut total = 0;
            let days = self.days_desc(f)?;
            for d in &days {
                let c = self.day_counts(*d)?;
                total += c.records + c.voided;
            }
            let mut records = Vec::with_capacity(limit.min(256));
            let mut skip = offset;
            for d in days {
                if records.len() >= limit {
                    break;
                }
                let page = self.day_page(d, skip, limit - records.len())?;
                skip = skip.saturating_sub(
                    self.day_counts(d)
                        .map(|c| (c.records + c.voided) as usize)
                        .unwrap_or(0),
                );
                records.extend(page);
            }
            return Ok(Page { records, total });
        }
        let mut page = Page::default();
        let mut seen = std::collections::HashSet::new();
        for (_, id) in self.candidates(f)? {
            if !seen.insert(id.clone()) {
                continue;
            }
            let Some(r) = self.record(&id)? else { continue };
            if !f.matches(&r, self.day_of(r.time)) {
                continue;
            }
            if page.total as usize >= offset && page.records.len() < limit {
                page.records.push(r);
            }
            page.total += 1;
        }
        Ok(page)
    }
}

fn date_in(key: &[u8]) -> Option<NaiveDate> {
    std::str::from_utf8(key.get(2..10)?)
        .ok()
        .and_then(|s| NaiveDate::parse_from_str(s, "%Y%m%d").ok())
}

/// (time, id) from an index key: `[1, kind] · value · time (8 bytes) · id`, where the
/// value has a fixed length per kind or ends with the 0xFF separator.
fn time_and_id(key: &[u8]) -> Option<(DateTime<Utc>, String)> {
    let at = match *key.get(1)? {
        keys::BY_DAY => 2 + 8,
        keys::BY_DISPOSITION => 2 + 1 + 8,
        keys::BY_ID_SUFFIX => 2 + 4,
        keys::BY_PHONE => 2 + 11,
        keys::BY_ID_NUMBER => 2 + 18,
        keys::BY_PLATE | keys::BY_NAME => key.iter().position(|b| *b == 0xFF)? + 1,
        _ => return None,
    };
    let t = u64::from_be_bytes(key.get(at..at + 8)?.try_into().ok()?) ^ (1 << 63);
    let id = std::str::from_utf8(key.get(at + 8..)?).ok()?;
    Some((DateTime::from_timestamp_millis(t as i64)?, id.to_string()))
}
