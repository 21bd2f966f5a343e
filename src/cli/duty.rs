//! `kadian duty …` (posts and shifts), `kadian roster …` (值排表: generate, show, export,
//! leave) and `kadian handover list`.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use clap::Subcommand;
use serde_json::json;

use super::person::{ByArgs, Stdin};
use super::{Format, print_line};
use crate::clock::Clock;
use crate::domain::duty::{DutyConfig, parse_week};
use crate::i18n::Msg;
use crate::ops::{self, duty::Generated};
use crate::roster::Roster;
use crate::store::{Store, tz_of};

#[derive(Debug, Subcommand)]
pub enum DutyCommand {
    /// Show posts and shifts.
    Show,
    /// Replace posts and shifts from a TOML file (see assets/duty.toml); an admin.
    Import {
        file: PathBuf,
        #[command(flatten)]
        by: ByArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum RosterCommand {
    /// Fill a week fairly (every post covered, a leader every shift, even hours and nights,
    /// rest between shifts, leave respected, rotation); says which rule cannot be met and why.
    Generate {
        #[arg(long)]
        week: String,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// The leader filling it (their PIN: --pin-stdin or --pin-file).
        #[command(flatten)]
        by: ByArgs,
    },
    /// Show a week's roster.
    Show {
        #[arg(long)]
        week: String,
    },
    /// Write the printable 值排表: XLSX (default) or CSV, by the file's extension.
    Export {
        #[arg(long)]
        week: String,
        #[arg(long)]
        out: PathBuf,
    },
    /// Record a day of leave (or take it back with --remove).
    Leave {
        #[arg(long)]
        code: String,
        #[arg(long)]
        date: chrono::NaiveDate,
        #[arg(long)]
        remove: bool,
        /// The leader recording it (their PIN: --pin-stdin or --pin-file).
        #[command(flatten)]
        by: ByArgs,
    },
}

#[derive(Debug, Subcommand)]
pub enum HandoverCommand {
    /// List the handovers of a checkpoint day.
    List {
        #[arg(long)]
        day: chrono::NaiveDate,
    },
}

pub fn run_duty(dir: &Path, cmd: &DutyCommand, format: Format, clock: &dyn Clock) -> Result<()> {
    let store = Store::open_existing(dir)?;
    match cmd {
        DutyCommand::Show => {
            let c = store.duty_config()?;
            let text = toml::to_string(&c)?;
            print_line(format, text.trim_end(), || {
                serde_json::to_value(&c).unwrap_or_default()
            })?;
        }
        DutyCommand::Import { file, by } => {
            let text = std::fs::read_to_string(file)?;
            let c = DutyConfig::parse(&text)?;
            let actor = by.actor(&store, clock, &mut Stdin::new())?;
            ops::duty::set_duty_config(&store, &actor, c.clone())?;
            print_line(
                format,
                &format!("{} shifts, {} posts", c.shifts.len(), c.posts.len()),
                || serde_json::to_value(&c).unwrap_or_default(),
            )?;
        }
    }
    store.close()?;
    Ok(())
}

/// The roster as `{"week":…, "slots":[{"date","shift","start","end","post","staff"}]}`.
pub fn roster_json(r: &Roster, cfg: &DutyConfig, tz: chrono_tz::Tz) -> serde_json::Value {
    let slots: Vec<_> = r
        .slots
        .iter()
        .map(|s| {
            let slot = cfg.slot(s.date, s.shift as usize, tz);
            json!({
                "date": s.date.to_string(),
                "shift": cfg.shifts[s.shift as usize].name,
                "start": slot.start.with_timezone(&tz).format("%H:%M").to_string(),
                "end": slot.end.with_timezone(&tz).format("%H:%M").to_string(),
                "post": cfg.posts[s.post as usize].name,
                "staff": s.staff,
            })
        })
        .collect();
    json!({"week": r.week, "slots": slots})
}

pub fn run_roster(
    dir: &Path,
    cmd: &RosterCommand,
    format: Format,
    clock: &dyn Clock,
) -> Result<()> {
    let store = Store::open_existing(dir)?;
    let cfg = store.duty_config()?;
    let tz = store.checkpoint().map_or(chrono_tz::Asia::Shanghai, tz_of);
    let result = match cmd {
        RosterCommand::Generate { week, seed, by } => {
            let monday = parse_week(week)?;
            let actor = by.actor(&store, clock, &mut Stdin::new())?;
            match ops::duty::generate_roster(&store, &actor, week, monday, *seed)? {
                Generated::Saved(_, f) => print_line(
                    format,
                    &format!(
                        "{week}: hours {}–{} h, nights {}–{}",
                        f.hours_min, f.hours_max, f.nights_min, f.nights_max
                    ),
                    || json!({"week": week, "fairness": f}),
                ),
                Generated::Impossible(reasons) => {
                    for r in &reasons {
                        eprintln!("{r}");
                    }
                    bail!(
                        Msg::new("cli.roster.cannot_fill")
                            .with("week", week)
                            .with("n", reasons.len())
                    )
                }
            }
        }
        RosterCommand::Show { week } => {
            let r = existing(&store, week)?;
            match format {
                Format::Json => {
                    writeln!(std::io::stdout().lock(), "{}", roster_json(&r, &cfg, tz))?
                }
                Format::Text | Format::Xlsx | Format::Csv => write!(
                    std::io::stdout().lock(),
                    "{}",
                    roster_text(&r, &cfg, &store)?
                )?,
            }
            Ok(())
        }
        RosterCommand::Export { week, out } => {
            let r = existing(&store, week)?;
            let table = roster_table(&r, &cfg, &store, tz)?;
            let title = format!(
                "{} 值排表 {week}",
                store.checkpoint().map_or("", |c| c.name.as_str())
            );
            match out.extension().and_then(|e| e.to_str()) {
                Some("csv") => write_csv(out, &table)?,
                _ => write_xlsx(out, &title, &table)?,
            }
            print_line(format, &out.display().to_string(), || json!({"out": out}))
        }
        RosterCommand::Leave {
            code,
            date,
            remove,
            by,
        } => {
            let actor = by.actor(&store, clock, &mut Stdin::new())?;
            ops::duty::set_leave(&store, &actor, code, *date, !remove)?;
            print_line(
                format,
                &format!("{code} {date} {}", if *remove { "back" } else { "leave" }),
                || json!({"code": code, "date": date, "leave": !remove}),
            )
        }
    };
    store.close()?;
    result
}

fn existing(store: &Store, week: &str) -> Result<Roster> {
    parse_week(week)?;
    match store.roster(week)? {
        Some(r) => Ok(r),
        None => bail!(Msg::new("cli.roster.none").with("week", week)),
    }
}

/// Header row and one row per shift: date, shift, hours, then each post's names.
fn roster_table(
    r: &Roster,
    cfg: &DutyConfig,
    store: &Store,
    tz: chrono_tz::Tz,
) -> Result<Vec<Vec<String>>> {
    let names: std::collections::HashMap<String, String> = store
        .officers()?
        .into_iter()
        .map(|o| (o.code.clone(), format!("{}({})", o.name, o.code)))
        .collect();
    let mut rows = vec![{
        let mut h = vec!["日期".to_string(), "班次".to_string(), "时间".to_string()];
        h.extend(cfg.posts.iter().map(|p| p.name.clone()));
        h
    }];
    for slot in cfg.week_slots(r.monday, tz) {
        let mut row = vec![
            slot.date.format("%m-%d %a").to_string(),
            cfg.shifts[slot.shift].name.clone(),
            format!(
                "{}–{}",
                slot.start.with_timezone(&tz).format("%H:%M"),
                slot.end.with_timezone(&tz).format("%H:%M")
            ),
        ];
        for p in 0..cfg.posts.len() {
            let staff = r
                .slot(slot.date, slot.shift as u8, p as u8)
                .map(|s| s.staff.clone())
                .unwrap_or_default();
            row.push(
                staff
                    .iter()
                    .map(|c| names.get(c).cloned().unwrap_or_else(|| c.clone()))
                    .collect::<Vec<_>>()
                    .join("、"),
            );
        }
        rows.push(row);
    }
    Ok(rows)
}

fn roster_text(r: &Roster, cfg: &DutyConfig, store: &Store) -> Result<String> {
    let tz = store.checkpoint().map_or(chrono_tz::Asia::Shanghai, tz_of);
    let mut out = String::new();
    for row in roster_table(r, cfg, store, tz)? {
        out.push_str(&row.join("\t"));
        out.push('\n');
    }
    Ok(out)
}

fn write_csv(path: &Path, table: &[Vec<String>]) -> Result<()> {
    let mut f = std::fs::File::create(path)?;
    f.write_all("\u{feff}".as_bytes())?; // BOM: Excel reads UTF-8
    let mut w = csv::Writer::from_writer(f);
    for row in table {
        w.write_record(
            row.iter()
                .map(|c| crate::report::export::csv_safe(c).into_owned()),
        )?;
    }
    w.flush()?;
    w.into_inner()
        .map_err(|e| anyhow::anyhow!("{e}"))?
        .sync_all()?;
    Ok(())
}

fn write_xlsx(path: &Path, title: &str, table: &[Vec<String>]) -> Result<()> {
    use rust_xlsxwriter::{Format as XFormat, FormatAlign, FormatBorder, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("值排表")?;
    let title_fmt = XFormat::new()
        .set_bold()
        .set_font_size(16)
        .set_align(FormatAlign::Center);
    let head = XFormat::new()
        .set_bold()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center);
    let cell = XFormat::new()
        .set_border(FormatBorder::Thin)
        .set_text_wrap();
    let cols = table.first().map_or(1, Vec::len) as u16;
    ws.merge_range(0, 0, 0, cols - 1, title, &title_fmt)?;
    for (r, row) in table.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            let fmt = if r == 0 { &head } else { &cell };
            ws.write_string_with_format(r as u32 + 1, c as u16, v, fmt)?;
        }
    }
    ws.set_freeze_panes(2, 3)?;
    for c in 0..cols {
        ws.set_column_width(c, if c < 3 { 12 } else { 18 })?;
    }
    ws.set_landscape();
    ws.set_print_fit_to_pages(1, 1);
    wb.save(path)?;
    Ok(())
}

pub fn run_handover(dir: &Path, cmd: &HandoverCommand, format: Format) -> Result<()> {
    let store = Store::open_existing(dir)?;
    let HandoverCommand::List { day } = cmd;
    let mut out = std::io::stdout().lock();
    for h in store.handovers(*day)? {
        match format {
            Format::Json => {
                let mut v = serde_json::to_value(&h)?;
                v["time"] = json!(h.time.to_rfc3339_opts(chrono::SecondsFormat::Millis, true));
                writeln!(out, "{v}")?
            }
            Format::Text | Format::Xlsx | Format::Csv => writeln!(
                out,
                "{}",
                Msg::new("cli.handover.line")
                    .with("date", h.date)
                    .with("shift", &h.shift)
                    .with("from", &h.from)
                    .with("to", &h.to)
                    .with("vehicles", h.counts.vehicles)
                    .with("persons", h.counts.persons)
                    .with("abnormal", h.counts.abnormal)
                    .with("matters", &h.matters)
            )?,
        }
    }
    Ok(())
}
