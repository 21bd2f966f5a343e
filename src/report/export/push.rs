//! The push lists export: the registered persons to push to their communities, grouped by
//! district (a sheet or a CSV file each), optionally with those already marked pushed.

use std::collections::BTreeMap;
use std::io::{BufWriter, Write};

use rust_xlsxwriter::{Format, FormatAlign, Workbook};

use super::request::{ExportFormat, Request, Summary};
use super::write::{
    csv_finish, csv_row, csv_writer, is_demo, new_sheet, save, seconds_text, tmp_of, xerr, xlsx_row,
};
use crate::error::{Error, Result};
use crate::i18n::I18n;
use crate::policy::Policy;
use crate::report::{PushEntry, push_list};
use crate::store::Store;
use crate::view::Privacy;

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

fn push_row(e: &PushEntry, tz: chrono_tz::Tz, i18n: &I18n, privacy: Privacy) -> Vec<String> {
    vec![
        privacy.name(&e.name),
        privacy.masked_text(&e.id_number),
        privacy.masked_text(&e.phone),
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

pub(super) fn export_push(
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
                    csv_row(&mut w, &push_row(e, tz, i18n, Privacy::of(req.reveal)))?;
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
                        &push_row(e, tz, i18n, Privacy::of(req.reveal)),
                        &[0, 1, 2, 3, 5, 6, 7, 8],
                        Some(4),
                        &date_fmt,
                    )?;
                }
            }
            save(&mut wb, &tmp, is_demo(ledgers))?;
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
