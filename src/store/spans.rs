//! So that a daily purge does not read a year of journal, every frame carrying personal
//! details (a record, an amendment, a version a conflict kept aside) notes its byte span
//! under its day (meta `scrub/DAY`: a few merged spans), in the same sled batch as the
//! journal offset it was applied with. A purge scrubs only the spans of the days before its
//! line and then forgets them; a frame of such a day that arrives later notes a new span.
//! A data dir from before this is indexed by one pass over its journal when it is opened.

use chrono::{DateTime, NaiveDate, Utc};

use super::sync::Conflict;
use super::{Entry, Store, codec, journal, keys};
use crate::domain::amendment::Amendment;
use crate::domain::{Record, day_of};
use crate::error::Result;

/// A journal frame carrying personal details: its day and byte span (start, end).
pub type Span = (NaiveDate, u64, u64);

/// Spans closer than this are noted as one (the frames between are read and skipped).
const SPAN_GAP: u64 = 1 << 20;
/// Spans kept per day at most (the closest are merged beyond it).
const SPANS_PER_DAY: usize = 16;

/// Adds a span to a day's list: sorted, merged where closer than `SPAN_GAP`, at most
/// `SPANS_PER_DAY` long.
pub(super) fn merge_span(list: &mut Vec<(u64, u64)>, start: u64, end: u64) {
    list.push((start, end));
    list.sort_unstable();
    let mut out: Vec<(u64, u64)> = Vec::with_capacity(list.len());
    for &(s, e) in list.iter() {
        match out.last_mut() {
            Some(last) if s <= last.1.saturating_add(SPAN_GAP) => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    while out.len() > SPANS_PER_DAY {
        let i = (1..out.len())
            .min_by_key(|&i| out[i].0 - out[i - 1].1)
            .expect("more than one span");
        out[i - 1].1 = out[i - 1].1.max(out[i].1);
        out.remove(i);
    }
    *list = out;
}

pub(super) fn span_key(day: NaiveDate) -> Vec<u8> {
    keys::meta(&format!("scrub/{day}"))
}

/// When the version a conflict kept aside was checked (records and amendments).
fn conflict_time(c: &Conflict) -> Result<Option<DateTime<Utc>>> {
    Ok(if c.id.starts_with("record/") {
        Some(codec::decode::<Record>("conflict record", &c.entry)?.time)
    } else if c.id.starts_with("amendment/") {
        Some(
            codec::decode::<Amendment>("conflict amendment", &c.entry)?
                .result
                .time,
        )
    } else {
        None
    })
}

impl Store {
    /// The day whose personal details a journal entry carries (records, amendments, the
    /// versions conflicts keep aside), by its own checkpoint's day; None for other entries.
    pub(super) fn personal_day(&self, entry: &Entry) -> Result<Option<NaiveDate>> {
        let (view, inner) = match entry {
            Entry::Foreign { checkpoint, entry } => (Some(self.view(checkpoint)?), entry.as_ref()),
            e => (None, e),
        };
        let t = match inner {
            Entry::Record(r) => r.time,
            Entry::Amendment(a) => a.result.time,
            Entry::Conflict(c) => match conflict_time(c)? {
                Some(t) => t,
                None => return Ok(None),
            },
            _ => return Ok(None),
        };
        let cp = match &view {
            Some(v) => v.checkpoint(),
            None => self.checkpoint(),
        };
        Ok(cp.map(|cp| day_of(cp, t)))
    }

    /// Records the journal offset applied up to, and the spans of personal details among the
    /// entries applied, in `batch` (the same batch as what they changed).
    pub(super) fn mark_applied(
        &self,
        batch: &mut sled::Batch,
        end: u64,
        spans: &[Span],
    ) -> Result<()> {
        batch.insert(keys::meta("journal_applied"), &end.to_be_bytes());
        let mut by_day: std::collections::BTreeMap<NaiveDate, Vec<(u64, u64)>> =
            std::collections::BTreeMap::new();
        for &(day, s, e) in spans {
            let list = match by_day.entry(day) {
                std::collections::btree_map::Entry::Occupied(o) => o.into_mut(),
                std::collections::btree_map::Entry::Vacant(v) => {
                    let old = match self.tree.get(span_key(day))? {
                        Some(v) => codec::decode("scrub spans", &v)?,
                        None => Vec::new(),
                    };
                    v.insert(old)
                }
            };
            merge_span(list, s, e);
        }
        for (day, list) in by_day {
            batch.insert(span_key(day), codec::encode(&list));
        }
        Ok(())
    }

    /// Notes the spans of a journal written before spans were kept (one pass, once).
    pub(super) fn index_spans(&self, j: &journal::Journal) -> Result<()> {
        let marker = keys::meta("scrub_spans");
        if self.tree.contains_key(&marker)? {
            return Ok(());
        }
        let mut spans = Vec::new();
        let mut pos = 0u64;
        journal::read_frames(j.path(), 0, j.len(), &mut |payload| {
            let start = pos;
            pos += (payload.len() + journal::HEADER) as u64;
            let entry: Entry = codec::decode("journal entry", payload)?;
            if let Some(day) = self.personal_day(&entry)? {
                spans.push((day, start, pos));
            }
            Ok(())
        })?;
        let mut batch = sled::Batch::default();
        let applied = match self.tree.get(keys::meta("journal_applied"))? {
            Some(v) => u64::from_be_bytes(v.as_ref().try_into().unwrap_or([0; 8])),
            None => 0,
        };
        self.mark_applied(&mut batch, applied, &spans)?;
        batch.insert(marker, &[]);
        self.tree.apply_batch(batch)?;
        if !spans.is_empty() {
            tracing::info!(
                frames = spans.len(),
                "noted the journal spans a purge scrubs"
            );
        }
        Ok(())
    }
}
