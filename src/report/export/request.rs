//! What an export is asked for — records, the day report or push lists, as XLSX, CSV or
//! JSON, for some days, into a file — and what it did; and the (ledger, day) pairs the
//! request covers, at a command post every checkpoint it holds.

use std::path::PathBuf;

use chrono::NaiveDate;

use crate::store::Store;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum What {
    Records,
    Report,
    Push,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFormat {
    Xlsx,
    Csv,
    Json,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Request {
    pub what: What,
    pub format: ExportFormat,
    pub days: Vec<NaiveDate>,
    /// A file; for push lists as CSV, a folder (one file per district).
    pub out: PathBuf,
    /// Push lists: also persons already marked pushed.
    pub include_pushed: bool,
    /// Names, ID numbers and phones in full (a leader revealed them, audited by
    /// `ops::report::export`); otherwise masked as on screen.
    pub reveal: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub rows: u64,
    pub files: Vec<PathBuf>,
    /// Push lists: the persons exported, to mark as pushed.
    pub pushed: Vec<(String, u8)>,
}

/// Every (ledger, day) of an export, in order, with the ledger's time zone.
pub(super) fn each_day<'a>(
    ledgers: &'a [std::sync::Arc<Store>],
    days: &'a [NaiveDate],
) -> impl Iterator<Item = (&'a Store, chrono_tz::Tz, NaiveDate)> + 'a {
    ledgers.iter().flat_map(move |s| {
        let tz = s
            .checkpoint()
            .map_or(chrono_tz::Asia::Shanghai, crate::domain::tz_of);
        days.iter().map(move |d| (s.as_ref(), tz, *d))
    })
}
