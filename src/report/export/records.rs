//! The records export: one row per person (the vehicle's columns repeated), streamed a day
//! at a time from the day index, with Chinese headers, IDs and phones as text, and a new
//! sheet past Excel's row limit.

use std::io::{BufWriter, Write};

use chrono::NaiveDate;
use rust_xlsxwriter::{Format, FormatAlign, Workbook};

use super::request::{ExportFormat, Request, Summary, each_day};
use super::write::{
    MAX_SHEET_ROWS, csv_finish, csv_row, csv_writer, is_demo, new_sheet, save, seconds_text,
    tmp_of, xerr, xlsx_row,
};
use crate::domain::{Record, TestProof};
use crate::error::{Error, Result};
use crate::i18n::I18n;
use crate::store::Store;
use crate::view::{self, Privacy};

pub const RECORD_HEADERS: [&str; 28] = [
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
    "签字确认后到达",
];
/// Columns written as text whatever they look like (IDs, phones, plates, codes).
const TEXT_COLUMNS: [usize; 6] = [0, 4, 5, 19, 23, 24];
const RECORD_WIDTHS: [f64; 28] = [
    30.0, 19.0, 11.0, 10.0, 8.0, 10.0, 8.0, 10.0, 14.0, 5.0, 8.0, 5.0, 8.0, 6.0, 7.0, 8.0, 8.0,
    5.0, 8.0, 10.0, 16.0, 16.0, 8.0, 20.0, 13.0, 18.0, 8.0, 8.0,
];

fn yes(b: bool) -> String {
    if b { "是" } else { "否" }.to_string()
}

/// One row per person (the vehicle's columns repeated), in the `RECORD_HEADERS` order.
fn record_rows(
    r: &Record,
    day: NaiveDate,
    after_signoff: bool,
    tz: chrono_tz::Tz,
    i18n: &I18n,
    privacy: Privacy,
) -> Vec<Vec<String>> {
    let v = r.vehicle.as_ref();
    r.persons
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let reg = p.registration.as_ref();
            // 拒检: nothing measured, the measurement cells stay empty.
            let c = &p.checks;
            let test = match c.test_measured() {
                Some(TestProof::Negative { hours_ago }) => format!("阴性 {hours_ago}h"),
                Some(TestProof::None) => "无".into(),
                Some(TestProof::Positive) => "阳性".into(),
                None => String::new(),
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
                c.temperature_measured()
                    .map_or_else(String::new, |t| t.to_string()),
                c.health_code_measured()
                    .map_or_else(String::new, |h| i18n.health(h).to_string()),
                c.itinerary_risk_measured().map_or_else(String::new, yes),
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
                reg.map_or_else(String::new, |g| privacy.name(&g.name)),
                reg.map_or_else(String::new, |g| privacy.id_number(&g.id_number)),
                reg.map_or_else(String::new, |g| privacy.phone(&g.phone)),
                reg.map_or_else(String::new, |g| g.destination.clone()),
                i18n.t(if r.voided {
                    "record.voided"
                } else if r.amendments > 0 {
                    "record.amended"
                } else {
                    "record.normal"
                })
                .to_string(),
                yes(after_signoff),
            ]
        })
        .collect()
}

pub(super) fn export_records(
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
                    writeln!(
                        f,
                        "{}",
                        view::record_json(
                            &r,
                            d,
                            store.after_signoff(&r.id)?,
                            Privacy::of(req.reveal)
                        )
                    )?;
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
                    let late = store.after_signoff(&r.id)?;
                    for row in record_rows(&r, d, late, tz, i18n, Privacy::of(req.reveal)) {
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
                    let late = store.after_signoff(&r.id)?;
                    for row in record_rows(&r, d, late, tz, i18n, Privacy::of(req.reveal)) {
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
            save(&mut wb, &tmp, is_demo(ledgers))?;
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
