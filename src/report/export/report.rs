//! The day report export: at a checkpoint, the day's figures and report text per day; at a
//! command post, one sheet (or block) per day with a row per checkpoint and the total, the
//! checkpoints that have not sent their day report named first.

use std::io::{BufWriter, Write};

use rust_xlsxwriter::{Format, FormatAlign, Workbook};

use super::request::{ExportFormat, Request, Summary};
use super::write::{csv_finish, csv_row, csv_writer, new_sheet, save, tmp_of, xerr};
use crate::error::{Error, Result};
use crate::i18n::I18n;
use crate::policy::Policy;
use crate::report::{Consolidated, consolidated, consolidated_json, current_text, report_json};
use crate::store::Store;

pub(super) fn export_report(
    store: &Store,
    policy: &Policy,
    i18n: &I18n,
    req: &Request,
) -> Result<Summary> {
    let tmp = tmp_of(&req.out);
    let mut items: Vec<(String, Vec<Vec<String>>)> = Vec::new(); // (day, rows)
    let mut json_lines = Vec::new();
    for d in &req.days {
        let t = crate::report::tally(store, policy, *d)?;
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
            save(
                &mut wb,
                &tmp,
                store.checkpoint().is_some_and(|c| c.is_demo()),
            )?;
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
pub(super) fn export_consolidated(store: &Store, req: &Request) -> Result<Summary> {
    let tmp = tmp_of(&req.out);
    let mut days = Vec::new();
    for d in &req.days {
        days.push(consolidated(store, *d)?);
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
    let table = |c: &Consolidated| -> Vec<Vec<String>> {
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
    let missing = |c: &Consolidated| {
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
                writeln!(f, "{}", consolidated_json(c))?;
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
            save(&mut wb, &tmp, false)?;
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
