//! The cell and file writing the exports share: CSV with the BOM Excel needs and formula
//! injection neutralised, XLSX sheets in constant-memory mode with a frozen header and text
//! columns kept as text, dates written as real dates, and files written to a `.tmp` first.

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use crate::error::{Error, Result};
use crate::store::Store;

/// Excel's row limit per sheet; longer record exports continue on a new sheet.
pub(super) const MAX_SHEET_ROWS: u32 = 1_000_000;

pub(super) fn xerr(e: XlsxError) -> Error {
    Error::Io(std::io::Error::other(e.to_string()))
}

/// A CSV cell that Excel will not run as a formula: `=`, `+`, `-`, `@`, tab or CR first
/// gets a leading `'`.
pub fn csv_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    match cell.as_bytes().first() {
        Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r') => format!("'{cell}").into(),
        _ => cell.into(),
    }
}

/// `YYYY-MM-DD HH:MM:SS` (written by hand: it is on every exported row).
pub fn seconds_text(t: &(impl chrono::Datelike + chrono::Timelike)) -> String {
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}:{:02}",
        t.year(),
        t.month(),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    )
}

/// A CSV writer with the UTF-8 BOM Excel needs to read Chinese.
pub(super) fn csv_writer(path: &Path) -> Result<csv::Writer<BufWriter<File>>> {
    let mut f = BufWriter::new(crate::private::create(path)?);
    f.write_all("\u{feff}".as_bytes())?;
    Ok(csv::WriterBuilder::new().from_writer(f))
}

pub(super) fn csv_row(w: &mut csv::Writer<BufWriter<File>>, row: &[String]) -> Result<()> {
    let err = |e: csv::Error| Error::Io(std::io::Error::other(e.to_string()));
    for c in row {
        w.write_field(csv_safe(c).as_bytes()).map_err(err)?;
    }
    w.write_record(None::<&[u8]>).map_err(err)
}

pub(super) fn csv_finish(w: csv::Writer<BufWriter<File>>) -> Result<()> {
    let f = w
        .into_inner()
        .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
    f.into_inner()
        .map_err(|e| Error::Io(e.into_error()))?
        .sync_all()?;
    Ok(())
}

/// Writes a worksheet row: text columns as strings, the time column (1) as a real date.
pub(super) fn xlsx_row(
    ws: &mut Worksheet,
    row: u32,
    cells: &[String],
    text: &[usize],
    date_col: Option<usize>,
    date_fmt: &Format,
) -> Result<()> {
    for (c, v) in cells.iter().enumerate() {
        let col = c as u16;
        if Some(c) == date_col {
            if let Ok(dt) = chrono::NaiveDateTime::parse_from_str(v, "%Y-%m-%d %H:%M:%S") {
                ws.write_datetime_with_format(row, col, dt, date_fmt)
                    .map_err(xerr)?;
                continue;
            }
        }
        if !text.contains(&c) {
            if let Ok(n) = v.parse::<f64>() {
                if v.len() < 12 {
                    ws.write_number(row, col, n).map_err(xerr)?;
                    continue;
                }
            }
        }
        ws.write_string(row, col, v).map_err(xerr)?;
    }
    Ok(())
}

pub(super) fn new_sheet<'a>(
    wb: &'a mut Workbook,
    name: &str,
    headers: &[&str],
    widths: &[f64],
    head: &Format,
) -> Result<&'a mut Worksheet> {
    let ws = wb.add_worksheet_with_constant_memory();
    ws.set_name(name).map_err(xerr)?;
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, *w).map_err(xerr)?;
    }
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, head)
            .map_err(xerr)?;
    }
    ws.set_freeze_panes(1, 0).map_err(xerr)?;
    Ok(ws)
}

/// Saves a workbook; a demo checkpoint's sheets say 演示数据 in their printed page header,
/// so a made-up ledger cannot pass for a real one on paper.
pub(super) fn save(wb: &mut Workbook, tmp: &Path, demo: bool) -> Result<()> {
    if demo {
        for ws in wb.worksheets_mut() {
            ws.set_header("&C&\"-,Bold\"演示数据 — 非真实记录");
        }
    }
    wb.save(tmp).map_err(xerr)
}

/// Whether these ledgers are the demo checkpoint's.
pub(super) fn is_demo(ledgers: &[std::sync::Arc<Store>]) -> bool {
    ledgers
        .iter()
        .any(|s| s.checkpoint().is_some_and(|c| c.is_demo()))
}

/// Writes to `path.tmp`, then renames, so a reader never sees half a file.
pub(super) fn tmp_of(path: &Path) -> PathBuf {
    let mut t = path.as_os_str().to_owned();
    t.push(".tmp");
    PathBuf::from(t)
}
