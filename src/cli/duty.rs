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
use crate::domain::duty::{DutyConfig, ShiftSlot, parse_week};
use crate::i18n::{I18n, Msg};
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
    /// rest between shifts — the neighbouring weeks' included —, leave respected, rotation);
    /// says which rule cannot be met and why. Shifts already begun are kept as they are.
    Generate {
        #[arg(long)]
        week: String,
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Replace the assignments of the week's shifts not begun (refused without it when
        /// the week has any).
        #[arg(long)]
        replace: bool,
        /// The leader filling it (their PIN: --pin-stdin or --pin-file).
        #[command(flatten)]
        by: ByArgs,
    },
    /// Show a week's roster.
    Show {
        #[arg(long)]
        week: String,
    },
    /// Write the printable 值排表: XLSX or CSV, by `--format xlsx|csv`, else by the file's
    /// extension (XLSX unless it ends in .csv).
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
            let text = Msg::new("cli.duty.imported")
                .with("shifts", c.shifts.len())
                .with("posts", c.posts.len());
            print_line(format, &text.to_string(), || {
                serde_json::to_value(&c).unwrap_or_default()
            })?;
        }
    }
    store.close()?;
    Ok(())
}

/// The roster as `{"week":…, "slots":[{"date","shift","start","end","start_at","end_at",
/// "post","staff"}]}`: `date` is the duty day the shift belongs to (a night shift from
/// 00:00 belongs to the day before), `start_at`/`end_at` its instants in local time with
/// the offset (ISO 8601), which say when it is without knowing the duty pattern.
pub fn roster_json(r: &Roster, cfg: &DutyConfig, tz: chrono_tz::Tz) -> serde_json::Value {
    let slots: Vec<_> = r
        .slots
        .iter()
        .map(|s| {
            let slot = cfg.slot(s.date, s.shift as usize, tz);
            let iso = |t: chrono::DateTime<chrono::Utc>| {
                t.with_timezone(&tz)
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, false)
            };
            json!({
                "date": s.date.to_string(),
                "shift": cfg.shifts[s.shift as usize].name,
                "start": slot.start.with_timezone(&tz).format("%H:%M").to_string(),
                "end": slot.end.with_timezone(&tz).format("%H:%M").to_string(),
                "start_at": iso(slot.start),
                "end_at": iso(slot.end),
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
        RosterCommand::Generate {
            week,
            seed,
            replace,
            by,
        } => {
            let monday = parse_week(week)?;
            let actor = by.actor(&store, clock, &mut Stdin::new())?;
            match ops::duty::generate_roster(&store, clock, &actor, week, monday, *seed, *replace)?
            {
                Generated::Saved { fairness, kept, .. } => {
                    let f = &fairness;
                    let text = Msg::new("cli.roster.generated")
                        .with("week", week)
                        .with("hours_min", f.hours_min)
                        .with("hours_max", f.hours_max)
                        .with("nights_min", f.nights_min)
                        .with("nights_max", f.nights_max)
                        .with("kept", kept);
                    print_line(
                        format,
                        &text.to_string(),
                        || json!({"week": week, "fairness": f, "kept": kept}),
                    )
                }
                Generated::WouldReplace => {
                    bail!(Msg::new("cli.roster.replace_needed").with("week", week))
                }
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
                    roster_text(&r, &cfg, &store, tz)?
                )?,
            }
            Ok(())
        }
        RosterCommand::Export { week, out } => {
            let r = existing(&store, week)?;
            let i18n = I18n::process();
            let table = roster_table(&r, &cfg, &store, tz, i18n)?;
            let title = format!(
                "{} {} {week}",
                store.checkpoint().map_or("", |c| c.name.as_str()),
                i18n.t("roster.title")
            );
            let by_extension = out
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| e.eq_ignore_ascii_case("csv"));
            match format {
                Format::Csv => write_csv(out, &table)?,
                Format::Xlsx => write_xlsx(out, i18n.t("roster.title"), &title, &table)?,
                Format::Text | Format::Json if by_extension => write_csv(out, &table)?,
                Format::Text | Format::Json => {
                    write_xlsx(out, i18n.t("roster.title"), &title, &table)?
                }
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
            let key = if *remove {
                "cli.roster.leave_off"
            } else {
                "cli.roster.leave_on"
            };
            let text = Msg::new(key).with("code", code).with("date", date);
            print_line(
                format,
                &text.to_string(),
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

/// The calendar day a shift starts on, as the wall roster shows it: `11-24 周二` — a night
/// shift from 00:00 is on the day it starts, not on its duty day (the day before).
fn calendar_day(slot: &ShiftSlot, tz: chrono_tz::Tz, i18n: &I18n) -> String {
    use chrono::Datelike;
    let local = slot.start.with_timezone(&tz).date_naive();
    let names: Vec<&str> = i18n.t("roster.day_names").split(',').collect();
    let name = names
        .get(local.weekday().num_days_from_monday() as usize)
        .copied()
        .unwrap_or("");
    format!("{} {name}", local.format("%m-%d"))
}

/// Header row and one row per shift in time order: the calendar day it starts, shift,
/// hours, then each post's names.
fn roster_table(
    r: &Roster,
    cfg: &DutyConfig,
    store: &Store,
    tz: chrono_tz::Tz,
    i18n: &I18n,
) -> Result<Vec<Vec<String>>> {
    let names: std::collections::HashMap<String, String> = store
        .officers()?
        .into_iter()
        .map(|o| (o.code.clone(), format!("{}({})", o.name, o.code)))
        .collect();
    let mut rows = vec![{
        let mut h = vec![
            i18n.t("roster.col.date").to_string(),
            i18n.t("roster.col.shift").to_string(),
            i18n.t("roster.col.time").to_string(),
        ];
        h.extend(cfg.posts.iter().map(|p| p.name.clone()));
        h
    }];
    for slot in cfg.week_slots(r.monday, tz) {
        let mut row = vec![
            calendar_day(&slot, tz, i18n),
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

fn roster_text(r: &Roster, cfg: &DutyConfig, store: &Store, tz: chrono_tz::Tz) -> Result<String> {
    let mut out = String::new();
    for row in roster_table(r, cfg, store, tz, I18n::process())? {
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

fn write_xlsx(path: &Path, sheet: &str, title: &str, table: &[Vec<String>]) -> Result<()> {
    use rust_xlsxwriter::{Format as XFormat, FormatAlign, FormatBorder, Workbook};
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(sheet)?;
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
