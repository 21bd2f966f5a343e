//! Exports for the command post: records, the day report and the push lists, as XLSX (the
//! default for people: Chinese headers, ID numbers and phones as text, real dates, frozen
//! header, fitted widths), CSV (UTF-8 with BOM, RFC 4180, formula injection neutralised) or
//! JSON (one object a line). Records stream: a day at a time from the index, rows written as
//! read, XLSX in constant-memory mode — memory does not grow with the export.
//!
//! One file per thing exported (records, the day report, push lists); the cell and file
//! helpers the three share are in `write.rs`.

mod push;
mod records;
mod report;
mod request;
mod write;

pub use records::RECORD_HEADERS;
pub use request::{ExportFormat, Request, Summary, What};
pub use write::{csv_safe, seconds_text};

use crate::error::Result;
use crate::i18n::I18n;
use crate::policy::Policy;
use crate::store::Store;

pub fn export(
    store: &Store,
    policy: &Policy,
    i18n: &I18n,
    req: &Request,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Summary> {
    if let Some(parent) = req.out.parent().filter(|p| !p.as_os_str().is_empty()) {
        crate::private::create_dir(parent)?;
    }
    // At a command post: every checkpoint it holds, one after the other.
    let ledgers = store.ledgers()?;
    match req.what {
        What::Records => records::export_records(&ledgers, i18n, req, progress),
        What::Report if store.is_command_post() => report::export_consolidated(store, req),
        What::Report => report::export_report(store, policy, i18n, req),
        What::Push => push::export_push(&ledgers, policy, i18n, req),
    }
}
