//! Exports for the command post: records, the day report and the push lists, as XLSX (the
//! default for people: Chinese headers, ID numbers and phones as text, real dates, frozen
//! header, fitted widths), CSV (UTF-8 with BOM, RFC 4180, formula injection neutralised) or
//! JSON (one object a line). Records stream: a day at a time from the index, rows written as
//! read, XLSX in constant-memory mode — memory does not grow with the export.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rust_xlsxwriter::{Format, FormatAlign, Workbook, Worksheet, XlsxError};

use super::{PushEntry, current_text, push_list, report_json};
use crate::domain::{Record, TestProof};
use crate::error::{Error, Result};
use crate::i18n::I18n;
use crate::policy::Policy;
use crate::store::Store;
use crate::view;

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
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Summary {
    pub rows: u64,
    pub files: Vec<PathBuf>,
    /// Push lists: the persons exported, to mark as pushed.
    pub pushed: Vec<(String, u8)>,
}

/// Excel's row limit per sheet; longer record exports continue on a new sheet.
const MAX_SHEET_ROWS: u32 = 1_000_000;

fn xerr(e: XlsxError) -> Error {
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
fn csv_writer(path: &Path) -> Result<csv::Writer<BufWriter<File>>> {
    let mut f = BufWriter::new(crate::private::create(path)?);
    f.write_all("\u{feff}".as_bytes())?;
    Ok(csv::WriterBuilder::new().from_writer(f))
}

fn csv_row(w: &mut csv::Writer<BufWriter<File>>, row: &[String]) -> Result<()> {
    let err = |e: csv::Error| Error::Io(std::io::Error::other(e.to_string()));
    for c in row {
        w.write_field(csv_safe(c).as_bytes()).map_err(err)?;
    }
    w.write_record(None::<&[u8]>).map_err(err)
}

fn csv_finish(w: csv::Writer<BufWriter<File>>) -> Result<()> {
    let f = w
        .into_inner()
        .map_err(|e| Error::Io(std::io::Error::other(e.to_string())))?;
    f.into_inner()
        .map_err(|e| Error::Io(e.into_error()))?
        .sync_all()?;
    Ok(())
}

pub const RECORD_HEADERS: [&str; 27] = [
    "记录号",
    "检查时间",
    "检查日",
    "卡点",
    "登记人",
    "车牌",
    "车型",
    "来自",
    "去往",
    "消杀",
    "货车闭环",
    "冷链",
    "人员序号",
    "体温",
    "健康码",
    "行程风险",
    "核酸",
    "拒检",
    "落地采样",
    "管号",
    "处置",
    "改判理由",
    "姓名",
    "身份证号",
    "手机",
    "目的地",
    "状态",
];
/// Columns written as text whatever they look like (IDs, phones, plates, codes).
const TEXT_COLUMNS: [usize; 6] = [0, 4, 5, 19, 23, 24];
const RECORD_WIDTHS: [f64; 27] = [
    30.0, 19.0, 11.0, 10.0, 8.0, 10.0, 8.0, 10.0, 14.0, 5.0, 8.0, 5.0, 8.0, 6.0, 7.0, 8.0, 8.0,
    5.0, 8.0, 10.0, 16.0, 16.0, 8.0, 20.0, 13.0, 18.0, 8.0,
];

fn yes(b: bool) -> String {
    if b { "是" } else { "否" }.to_string()
}

/// One row per person (the vehicle's columns repeated), in the `RECORD_HEADERS` order.
fn record_rows(r: &Record, day: NaiveDate, tz: chrono_tz::Tz, i18n: &I18n) -> Vec<Vec<String>> {
    let v = r.vehicle.as_ref();
    r.persons
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let reg = p.registration.as_ref();
            let test = match p.checks.test {
                TestProof::Negative { hours_ago } => format!("阴性 {hours_ago}h"),
                TestProof::None => "无".into(),
                TestProof::Positive => "阳性".into(),
            };
            vec![
                r.id.clone(),
                seconds_text(&r.time.with_timezone(&tz)),
                day.to_string(),
                r.checkpoint.clone(),
                r.officer.clone(),
                v.map_or_else(String::new, |v| v.plate.to_string()),
                v.map_or_else(
                    || i18n.t("walk_in").to_string(),
                    |v| i18n.kind(v.kind).to_string(),
                ),
                v.map_or_else(String::new, |v| v.origin.clone()),
                v.map_or_else(String::new, |v| v.destination.clone()),
                v.map_or_else(String::new, |v| yes(v.disinfected)),
                v.and_then(|v| v.freight)
                    .map_or_else(String::new, |f| yes(f.listed && f.pledge && f.reported)),
                v.map_or_else(String::new, |v| yes(v.cold_chain)),
                (i + 1).to_string(),
                p.checks.temperature.to_string(),
                i18n.health(p.checks.health_code).to_string(),
                yes(p.checks.itinerary_risk),
                test,
                yes(p.checks.identity_refused),
                yes(p.service.sampled),
                p.service.tube_no.clone(),
                p.dispositions()
                    .iter()
                    .map(|d| i18n.disposition(*d))
                    .collect::<Vec<_>>()
                    .join("+"),
                p.overridden
                    .as_ref()
                    .map_or_else(String::new, |o| o.reason.clone()),
                reg.map_or_else(String::new, |g| g.name.clone()),
                reg.map_or_else(String::new, |g| g.id_number.to_string()),
                reg.map_or_else(String::new, |g| g.phone.as_str().to_string()),
                reg.map_or_else(String::new, |g| g.destination.clone()),
                i18n.t(if r.voided {
                    "record.voided"
                } else if r.amendments > 0 {
                    "record.amended"
                } else {
                    "record.normal"
                })
                .to_string(),
            ]
        })
        .collect()
}

/// Writes a worksheet row: text columns as strings, the time column (1) as a real date.
fn xlsx_row(
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

fn new_sheet<'a>(
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

/// Writes to `path.tmp`, then renames, so a reader never sees half a file.
fn tmp_of(path: &Path) -> PathBuf {
    let mut t = path.as_os_str().to_owned();
    t.push(".tmp");
    PathBuf::from(t)
}

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
        What::Records => export_records(&ledgers, i18n, req, progress),
        What::Report if store.is_command_post() => export_consolidated(store, req),
        What::Report => export_report(store, i18n, req),
        What::Push => export_push(&ledgers, policy, i18n, req),
    }
}

/// Every (ledger, day) of an export, in order, with the ledger's time zone.
fn each_day<'a>(
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

fn export_records(
    ledgers: &[std::sync::Arc<Store>],
    i18n: &I18n,
    req: &Request,
    progress: &mut dyn FnMut(u64, u64),
) -> Result<Summary> {
    let mut total = 0;
    for (store, _, d) in each_day(ledgers, &req.days) {
        total += store.day_counts(d)?.records;
    }
    let tmp = tmp_of(&req.out);
    let mut done = 0u64;
    let mut rows = 0u64;
    let mut tick = |done: u64| {
        if done % 1000 == 0 || done == total {
            progress(done, total);
        }
    };
    match req.format {
        ExportFormat::Json => {
            let mut f = BufWriter::new(crate::private::create(&tmp)?);
            for (store, _, d) in each_day(ledgers, &req.days) {
                store.for_each_record(Some(d), |r| {
                    writeln!(f, "{}", view::record_json(&r, d))?;
                    done += 1;
                    rows += 1;
                    tick(done);
                    Ok(())
                })?;
            }
            f.into_inner()
                .map_err(|e| Error::Io(e.into_error()))?
                .sync_all()?;
        }
        ExportFormat::Csv => {
            let mut w = csv_writer(&tmp)?;
            csv_row(&mut w, &RECORD_HEADERS.map(String::from))?;
            for (store, tz, d) in each_day(ledgers, &req.days) {
                store.for_each_record(Some(d), |r| {
                    for row in record_rows(&r, d, tz, i18n) {
                        csv_row(&mut w, &row)?;
                        rows += 1;
                    }
                    done += 1;
                    tick(done);
                    Ok(())
                })?;
            }
            csv_finish(w)?;
        }
        ExportFormat::Xlsx => {
            let mut wb = Workbook::new();
            let head = Format::new().set_bold().set_align(FormatAlign::Center);
            let date_fmt = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
            new_sheet(&mut wb, "记录", &RECORD_HEADERS, &RECORD_WIDTHS, &head)?;
            let (mut sheet, mut row_in_sheet) = (0usize, 1u32);
            for (store, tz, d) in each_day(ledgers, &req.days) {
                store.for_each_record(Some(d), |r| {
                    for row in record_rows(&r, d, tz, i18n) {
                        if row_in_sheet > MAX_SHEET_ROWS {
                            sheet += 1;
                            let name = format!("记录{}", sheet + 1);
                            new_sheet(&mut wb, &name, &RECORD_HEADERS, &RECORD_WIDTHS, &head)?;
                            row_in_sheet = 1;
                        }
                        let ws = wb.worksheet_from_index(sheet).map_err(xerr)?;
                        xlsx_row(ws, row_in_sheet, &row, &TEXT_COLUMNS, Some(1), &date_fmt)?;
                        row_in_sheet += 1;
                        rows += 1;
                    }
                    done += 1;
                    tick(done);
                    Ok(())
                })?;
            }
            wb.save(&tmp).map_err(xerr)?;
            crate::private::restrict(&tmp)?;
        }
    }
    std::fs::rename(&tmp, &req.out)?;
    progress(total, total);
    Ok(Summary {
        rows,
        files: vec![req.out.clone()],
        pushed: Vec::new(),
    })
}

fn export_report(store: &Store, i18n: &I18n, req: &Request) -> Result<Summary> {
    let tmp = tmp_of(&req.out);
    let mut items: Vec<(String, Vec<Vec<String>>)> = Vec::new(); // (day, rows)
    let mut json_lines = Vec::new();
    for d in &req.days {
        let t = store.day_tally(*d)?;
        let (signed, text) = current_text(store, &t, i18n)?;
        json_lines.push(report_json(&t, signed.as_ref(), &text));
        let c = &t.counts;
        let mut rows = vec![
            vec![
                "卡点".into(),
                format!("{} {}", t.checkpoint, t.checkpoint_name),
            ],
            vec!["日期".into(), t.day.to_string()],
            vec!["日起始".into(), t.day_start.clone()],
            vec![
                "报告类型".into(),
                if t.zero_report() {
                    "零报告"
                } else {
                    "情况报告"
                }
                .into(),
            ],
            vec!["车辆".into(), c.vehicles.to_string()],
        ];
        for (k, n) in &c.by_kind {
            let kind = crate::domain::VehicleKind::parse(k)
                .map(|k| i18n.kind(k).to_string())
                .unwrap_or_else(|_| k.to_string());
            rows.push(vec![format!("  {kind}"), n.to_string()]);
        }
        rows.push(vec!["人员".into(), c.persons.to_string()]);
        for (d, n) in &c.by_disposition {
            let name = crate::domain::Disposition::parse(d)
                .map(|d| i18n.disposition(d).to_string())
                .unwrap_or_default();
            rows.push(vec![format!("  {name}"), n.to_string()]);
        }
        for (k, v) in [
            ("异常人员", c.abnormal),
            ("落地检采样", c.sampled),
            ("车辆消杀", c.disinfected),
            ("货车", c.freight),
            ("货车司机闭环管理", c.freight_closed),
            ("冷链车", c.cold_chain),
            ("改判", c.overrides),
            ("更正记录", t.amended),
            ("作废记录", t.voided),
        ] {
            rows.push(vec![k.into(), v.to_string()]);
        }
        for (h, n) in &t.per_hour {
            rows.push(vec![format!("到达 {h}"), n.to_string()]);
        }
        for (s, sc) in &t.per_shift {
            rows.push(vec![
                format!("{s} 车辆/人员/异常"),
                format!("{}/{}/{}", sc.vehicles, sc.persons, sc.abnormal),
            ]);
        }
        rows.push(vec!["到岗人员".into(), t.on_duty.join("、")]);
        rows.push(vec![
            "签发".into(),
            signed.as_ref().map_or("未签发".into(), |s| {
                format!(
                    "{} v{} {}",
                    s.signed_by,
                    s.version,
                    s.signed_at
                        .with_timezone(&chrono_tz::Asia::Shanghai)
                        .format("%Y-%m-%d %H:%M")
                )
            }),
        ]);
        rows.push(vec!["报告".into(), text]);
        items.push((d.to_string(), rows));
    }
    match req.format {
        ExportFormat::Json => {
            let mut f = BufWriter::new(crate::private::create(&tmp)?);
            for v in &json_lines {
                writeln!(f, "{v}")?;
            }
            f.into_inner()
                .map_err(|e| Error::Io(e.into_error()))?
                .sync_all()?;
        }
        ExportFormat::Csv => {
            let mut w = csv_writer(&tmp)?;
            csv_row(&mut w, &["日期".into(), "项目".into(), "数值".into()])?;
            for (day, rows) in &items {
                for r in rows {
                    csv_row(&mut w, &[day.clone(), r[0].clone(), r[1].clone()])?;
                }
            }
            csv_finish(w)?;
        }
        ExportFormat::Xlsx => {
            let mut wb = Workbook::new();
            let head = Format::new().set_bold();
            let wrap = Format::new().set_text_wrap();
            for (day, rows) in &items {
                let ws = new_sheet(
                    &mut wb,
                    &format!("日报 {day}"),
                    &["项目", "数值"],
                    &[22.0, 60.0],
                    &head,
                )?;
                for (i, r) in rows.iter().enumerate() {
                    ws.write_string(i as u32 + 1, 0, &r[0]).map_err(xerr)?;
                    match r[1].parse::<f64>() {
                        Ok(n) if r[1].len() < 12 => {
                            ws.write_number(i as u32 + 1, 1, n).map_err(xerr)?
                        }
                        _ => ws
                            .write_string_with_format(i as u32 + 1, 1, &r[1], &wrap)
                            .map_err(xerr)?,
                    };
                }
            }
            wb.save(&tmp).map_err(xerr)?;
            crate::private::restrict(&tmp)?;
        }
    }
    std::fs::rename(&tmp, &req.out)?;
    Ok(Summary {
        rows: items.iter().map(|(_, r)| r.len() as u64).sum(),
        files: vec![req.out.clone()],
        pushed: Vec::new(),
    })
}

const CONSOLIDATED_HEADERS: [&str; 11] = [
    "卡点",
    "名称",
    "记录",
    "车辆",
    "人员",
    "异常人员",
    "落地检采样",
    "车辆消杀",
    "更正",
    "作废",
    "日报",
];

/// A command post's report export: one sheet (or block) per day with a row per checkpoint,
/// the total, and the checkpoints that have not sent their day report named first.
fn export_consolidated(store: &Store, req: &Request) -> Result<Summary> {
    let tmp = tmp_of(&req.out);
    let mut days = Vec::new();
    for d in &req.days {
        days.push(super::consolidated(store, *d)?);
    }
    let row =
        |code: &str, name: &str, k: &crate::domain::DayCounts, report: String| -> Vec<String> {
            let mut r = vec![code.to_string(), name.to_string()];
            r.extend(
                [
                    k.records,
                    k.vehicles,
                    k.persons,
                    k.abnormal,
                    k.sampled,
                    k.disinfected,
                    k.amended,
                    k.voided,
                ]
                .map(|n| n.to_string()),
            );
            r.push(report);
            r
        };
    let table = |c: &super::Consolidated| -> Vec<Vec<String>> {
        let mut rows: Vec<Vec<String>> = c
            .lines
            .iter()
            .map(|l| {
                let report = l.report.as_ref().map_or_else(
                    || "未报送".to_string(),
                    |r| {
                        format!(
                            "{} v{} {}",
                            if r.zero { "零报告" } else { "情况报告" },
                            r.version,
                            r.signed_by
                        )
                    },
                );
                row(&l.checkpoint, &l.name, &l.counts, report)
            })
            .collect();
        rows.push(row(
            "合计",
            "",
            &c.total,
            format!("未报送 {}", c.missing.len()),
        ));
        rows
    };
    let missing = |c: &super::Consolidated| {
        if c.missing.is_empty() {
            "各卡点日报均已报送".to_string()
        } else {
            format!("未报送日报/零报告：{}", c.missing.join("、"))
        }
    };
    let mut n = 0u64;
    match req.format {
        ExportFormat::Json => {
            let mut f = BufWriter::new(crate::private::create(&tmp)?);
            for c in &days {
                writeln!(f, "{}", super::consolidated_json(c))?;
                n += 1;
            }
            f.into_inner()
                .map_err(|e| Error::Io(e.into_error()))?
                .sync_all()?;
        }
        ExportFormat::Csv => {
            let mut w = csv_writer(&tmp)?;
            let mut head = vec!["日期".to_string()];
            head.extend(CONSOLIDATED_HEADERS.map(String::from));
            csv_row(&mut w, &head)?;
            for c in &days {
                let mut first = vec![c.day.to_string(), missing(c)];
                first.resize(head.len(), String::new());
                csv_row(&mut w, &first)?;
                for r in table(c) {
                    let mut line = vec![c.day.to_string()];
                    line.extend(r);
                    csv_row(&mut w, &line)?;
                    n += 1;
                }
            }
            csv_finish(w)?;
        }
        ExportFormat::Xlsx => {
            let mut wb = Workbook::new();
            let head = Format::new().set_bold().set_align(FormatAlign::Center);
            let alert = Format::new()
                .set_bold()
                .set_font_color(rust_xlsxwriter::Color::Red);
            for c in &days {
                let ws = wb.add_worksheet();
                ws.set_name(format!("汇总 {}", c.day)).map_err(xerr)?;
                ws.write_string_with_format(
                    0,
                    0,
                    format!("{} {} 日报汇总", c.command_post, c.day),
                    &head,
                )
                .map_err(xerr)?;
                ws.write_string_with_format(1, 0, missing(c), &alert)
                    .map_err(xerr)?;
                for (i, h) in CONSOLIDATED_HEADERS.iter().enumerate() {
                    ws.write_string_with_format(2, i as u16, *h, &head)
                        .map_err(xerr)?;
                    ws.set_column_width(i as u16, if i == 1 || i == 10 { 22.0 } else { 10.0 })
                        .map_err(xerr)?;
                }
                ws.set_freeze_panes(3, 0).map_err(xerr)?;
                for (ri, r) in table(c).iter().enumerate() {
                    for (ci, cell) in r.iter().enumerate() {
                        let (row, col) = (ri as u32 + 3, ci as u16);
                        match cell.parse::<f64>() {
                            Ok(v) if (2..10).contains(&ci) => {
                                ws.write_number(row, col, v).map_err(xerr)?
                            }
                            _ => ws.write_string(row, col, cell).map_err(xerr)?,
                        };
                    }
                    n += 1;
                }
            }
            wb.save(&tmp).map_err(xerr)?;
            crate::private::restrict(&tmp)?;
        }
    }
    std::fs::rename(&tmp, &req.out)?;
    Ok(Summary {
        rows: n,
        files: vec![req.out.clone()],
        pushed: Vec::new(),
    })
}

const PUSH_HEADERS: [&str; 9] = [
    "姓名",
    "身份证号",
    "手机",
    "目的地",
    "到达时间",
    "来自",
    "车牌",
    "处置",
    "记录号",
];
const PUSH_WIDTHS: [f64; 9] = [8.0, 20.0, 13.0, 24.0, 19.0, 10.0, 10.0, 16.0, 30.0];

fn push_row(e: &PushEntry, tz: chrono_tz::Tz, i18n: &I18n) -> Vec<String> {
    vec![
        e.name.clone(),
        e.id_number.clone(),
        e.phone.clone(),
        e.destination.clone(),
        seconds_text(&e.time.with_timezone(&tz)),
        e.origin.clone(),
        e.plate.clone(),
        e.dispositions
            .iter()
            .map(|d| i18n.disposition(*d))
            .collect::<Vec<_>>()
            .join("+"),
        e.record.clone(),
    ]
}

/// A sheet or file name from a district: no `[]:*?/\`, at most 31 characters.
fn safe_name(s: &str, taken: &mut Vec<String>) -> String {
    let base: String = s
        .chars()
        .filter(|c| !"[]:*?/\\'".contains(*c))
        .take(28)
        .collect();
    let base = if base.is_empty() {
        "未填".to_string()
    } else {
        base
    };
    let mut name = base.clone();
    let mut n = 2;
    while taken.contains(&name) {
        name = format!("{base}{n}");
        n += 1;
    }
    taken.push(name.clone());
    name
}

fn export_push(
    ledgers: &[std::sync::Arc<Store>],
    policy: &Policy,
    i18n: &I18n,
    req: &Request,
) -> Result<Summary> {
    let tz = ledgers
        .first()
        .and_then(|s| s.checkpoint())
        .map_or(chrono_tz::Asia::Shanghai, crate::domain::tz_of);
    let mut list = Vec::new();
    for s in ledgers {
        list.extend(push_list(s, policy, &req.days, req.include_pushed)?);
    }
    list.sort_by(|a, b| {
        (&a.district, &a.community, a.time).cmp(&(&b.district, &b.community, b.time))
    });
    let mut groups: BTreeMap<&str, Vec<&PushEntry>> = BTreeMap::new();
    for e in &list {
        groups.entry(&e.district).or_default().push(e);
    }
    let mut files = Vec::new();
    let mut taken = Vec::new();
    match req.format {
        ExportFormat::Json => {
            let tmp = tmp_of(&req.out);
            let mut f = BufWriter::new(crate::private::create(&tmp)?);
            for e in &list {
                writeln!(
                    f,
                    "{}",
                    serde_json::to_string(e).map_err(|e| Error::Io(std::io::Error::other(e)))?
                )?;
            }
            f.into_inner()
                .map_err(|e| Error::Io(e.into_error()))?
                .sync_all()?;
            std::fs::rename(&tmp, &req.out)?;
            files.push(req.out.clone());
        }
        ExportFormat::Csv => {
            crate::private::create_dir(&req.out)?;
            let mut w = csv_writer(&req.out.join("汇总.csv"))?;
            csv_row(&mut w, &["区县".into(), "人数".into()])?;
            for (d, es) in &groups {
                csv_row(&mut w, &[d.to_string(), es.len().to_string()])?;
            }
            csv_finish(w)?;
            files.push(req.out.join("汇总.csv"));
            for (d, es) in &groups {
                let path = req.out.join(format!("{}.csv", safe_name(d, &mut taken)));
                let mut w = csv_writer(&path)?;
                csv_row(&mut w, &PUSH_HEADERS.map(String::from))?;
                for e in es {
                    csv_row(&mut w, &push_row(e, tz, i18n))?;
                }
                csv_finish(w)?;
                files.push(path);
            }
        }
        ExportFormat::Xlsx => {
            let tmp = tmp_of(&req.out);
            let mut wb = Workbook::new();
            let head = Format::new().set_bold().set_align(FormatAlign::Center);
            let date_fmt = Format::new().set_num_format("yyyy-mm-dd hh:mm:ss");
            let summary = new_sheet(&mut wb, "汇总", &["区县", "人数"], &[28.0, 8.0], &head)?;
            for (i, (d, es)) in groups.iter().enumerate() {
                summary.write_string(i as u32 + 1, 0, *d).map_err(xerr)?;
                summary
                    .write_number(i as u32 + 1, 1, es.len() as f64)
                    .map_err(xerr)?;
            }
            for (d, es) in &groups {
                let ws = new_sheet(
                    &mut wb,
                    &safe_name(d, &mut taken),
                    &PUSH_HEADERS,
                    &PUSH_WIDTHS,
                    &head,
                )?;
                for (i, e) in es.iter().enumerate() {
                    xlsx_row(
                        ws,
                        i as u32 + 1,
                        &push_row(e, tz, i18n),
                        &[0, 1, 2, 3, 5, 6, 7, 8],
                        Some(4),
                        &date_fmt,
                    )?;
                }
            }
            wb.save(&tmp).map_err(xerr)?;
            crate::private::restrict(&tmp)?;
            std::fs::rename(&tmp, &req.out)?;
            files.push(req.out.clone());
        }
    }
    Ok(Summary {
        rows: list.len() as u64,
        files,
        pushed: list.iter().map(|e| (e.record.clone(), e.person)).collect(),
    })
}
