//! `kadian report` (the day tally and report text) and `kadian export` (records, report,
//! push lists as XLSX / CSV / JSON, with a progress bar on a terminal).

use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use chrono::NaiveDate;
use clap::{Args, ValueEnum};

use super::person::{ByArgs, Stdin};
use super::{Format, print_line};
use crate::clock::Clock;
use crate::i18n::{I18n, Msg};
use crate::ops;
use crate::policy::Policy;
use crate::report::export::{ExportFormat, Request, What};
use crate::report::{current_text, report_json};
use crate::store::Store;

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Checkpoint day, YYYY-MM-DD (default: today).
    #[arg(long)]
    pub day: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum WhatArg {
    Records,
    Report,
    Push,
}

#[derive(Debug, Args)]
pub struct ExportArgs {
    /// One checkpoint day (default: today).
    #[arg(long, conflicts_with_all = ["from", "to"])]
    pub day: Option<NaiveDate>,
    /// First day of a range (with --to).
    #[arg(long, requires = "to")]
    pub from: Option<NaiveDate>,
    /// Last day of a range, inclusive.
    #[arg(long, requires = "from")]
    pub to: Option<NaiveDate>,
    #[arg(long, value_enum, default_value_t = WhatArg::Records)]
    pub what: WhatArg,
    /// Output file (push lists as CSV: a folder, one file per district).
    #[arg(long)]
    pub out: PathBuf,
    /// Push lists: include persons already marked pushed.
    #[arg(long)]
    pub include_pushed: bool,
    /// Push lists: mark the exported persons as pushed (they leave the next list), as the
    /// leader C (their PIN: --pin-stdin or --pin-file); the list is then revealed.
    #[arg(long, value_name = "C", conflicts_with = "by")]
    pub mark_pushed_by: Option<String>,
    /// Records and push lists: names, ID numbers and phones in full (a leader: --by CODE and
    /// their PIN; audited). Without it they are masked.
    #[arg(long, requires = "by")]
    pub reveal: bool,
    #[command(flatten)]
    pub by: ByArgs,
}

pub fn days(
    day: Option<NaiveDate>,
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<Vec<NaiveDate>> {
    match (day, from, to) {
        (Some(d), _, _) => Ok(vec![d]),
        (None, Some(f), Some(t)) => {
            if t < f {
                bail!(Msg::new("cli.days.order"));
            }
            if (t - f).num_days() > 3660 {
                bail!(Msg::new("cli.days.span"));
            }
            Ok(f.iter_days().take_while(|d| *d <= t).collect())
        }
        _ => Ok(vec![today]),
    }
}

pub fn run_report(
    dir: &Path,
    a: &ReportArgs,
    format: Format,
    i18n: &I18n,
    clock: &dyn Clock,
) -> Result<()> {
    let store = Store::open_existing(dir)?;
    let day = a.day.unwrap_or_else(|| store.day_of(clock.now()));
    if store.is_command_post() {
        let c = crate::report::consolidated(&store, day)?;
        return print_line(format, &consolidated_text(&c, i18n), || {
            crate::report::consolidated_json(&c)
        });
    }
    let t = crate::report::tally(&store, &Policy::load(dir)?, day)?;
    let (signed, text) = current_text(&store, &t, i18n)?;
    let json = report_json(&t, signed.as_ref(), &text);
    let c = &t.counts;
    let signed_line = match &signed {
        None => Msg::new("cli.report.unsigned"),
        Some(s) => Msg::new("cli.report.signed")
            .with("by", &s.signed_by)
            .with("version", s.version),
    };
    // Counters are kept by code; each is named in the user's language.
    let named = |code: &str, name: Option<&str>, n: &u64| format!("{} {n}", name.unwrap_or(code));
    let kinds: Vec<String> = c
        .by_kind
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(k, n)| {
            let kind = crate::domain::VehicleKind::parse(k).ok();
            named(k, kind.map(|k| i18n.kind(k)), n)
        })
        .collect();
    let ds: Vec<String> = c
        .by_disposition
        .iter()
        .map(|(d, n)| {
            let disposition = crate::domain::Disposition::parse(d).ok();
            named(d, disposition.map(|d| i18n.disposition(d)), n)
        })
        .collect();
    let counts = Msg::new("cli.report.counts")
        .with("vehicles", c.vehicles)
        .with("kinds", kinds.join(i18n.t("list.sep")))
        .with("persons", c.persons)
        .with("abnormal", c.abnormal)
        .with("sampled", c.sampled)
        .with("disinfected", c.disinfected)
        .with("freight_closed", c.freight_closed)
        .with("freight", c.freight)
        .with("cold_chain", c.cold_chain);
    // Records arrived since the signed version: its figures beside the current ones.
    let signed_figures = match t.signed.as_ref().filter(|_| t.changed_since_signed) {
        Some(sf) => format!(
            "\n{}",
            i18n.render(
                &Msg::new("report.signed_figures")
                    .with("version", sf.version)
                    .with("vehicles", sf.vehicles)
                    .with("persons", sf.persons)
                    .with("abnormal", sf.abnormal_persons)
            )
        ),
        None => String::new(),
    };
    let text_out = format!(
        "{} {} {} ({}) {}{signed_figures}\n{}\n{}\n\n{text}",
        t.checkpoint,
        t.checkpoint_name,
        t.day,
        i18n.t(if t.zero_report() {
            "report.zero"
        } else {
            "report.incident"
        }),
        i18n.render(&signed_line),
        i18n.render(&counts),
        ds.join("  "),
    );
    print_line(format, &text_out, || json)
}

/// The command post's day: missing reports first (日报告制度), then one line per checkpoint
/// and the total.
pub fn consolidated_text(c: &crate::report::Consolidated, i18n: &I18n) -> String {
    let mut out = format!("{} {} {}\n", c.command_post, c.day, i18n.t("post.title"));
    if c.missing.is_empty() {
        out.push_str(i18n.t("post.all_reported"));
        out.push('\n');
    } else {
        out.push_str(&format!(
            "!! {}{}\n",
            i18n.t("post.missing"),
            c.missing.join(", ")
        ));
    }
    // Names are Chinese: padded by display width, not by characters.
    let name = |s: &str| crate::width::pad(&crate::width::truncate(s, 26), 26);
    let col = |key: &str| crate::width::pad_left(i18n.t(key), 8);
    out.push_str(&format!(
        "{} {} {} {} {} {}  {}\n",
        name(i18n.t("post.checkpoint")),
        col("post.records"),
        col("count.vehicles"),
        col("count.persons"),
        col("count.abnormal"),
        col("cli.report.sampled"),
        i18n.t("cli.report.report")
    ));
    let line = |code: &str, k: &crate::store::DayCounts, report: String| {
        format!(
            "{} {:>8} {:>8} {:>8} {:>8} {:>8}  {}\n",
            name(code),
            k.records,
            k.vehicles,
            k.persons,
            k.abnormal,
            k.sampled,
            report
        )
    };
    for l in &c.lines {
        let report = match &l.report {
            Some(r) => format!(
                "{} v{} {}",
                i18n.t(if r.zero {
                    "report.zero"
                } else {
                    "report.incident"
                }),
                r.version,
                r.signed_by
            ),
            None => i18n.t("post.not_sent").into(),
        };
        out.push_str(&line(
            &format!("{} {}", l.checkpoint, l.name),
            &l.counts,
            report,
        ));
    }
    out.push_str(&line(i18n.t("post.total"), &c.total, String::new()));
    out.trim_end().to_string()
}

pub fn run_export(
    dir: &Path,
    a: &ExportArgs,
    format: Format,
    i18n: &I18n,
    clock: &dyn Clock,
) -> Result<()> {
    let store = Store::open_existing(dir)?;
    let policy = Policy::load(dir)?;
    let req = Request {
        what: match a.what {
            WhatArg::Records => What::Records,
            WhatArg::Report => What::Report,
            WhatArg::Push => What::Push,
        },
        // `--format` is the file's format here: xlsx (default), csv or json.
        format: match format {
            Format::Text | Format::Xlsx => ExportFormat::Xlsx,
            Format::Csv => ExportFormat::Csv,
            Format::Json => ExportFormat::Json,
        },
        days: days(a.day, a.from, a.to, store.day_of(clock.now()))?,
        out: a.out.clone(),
        include_pushed: a.include_pushed,
        reveal: false,
    };
    if a.mark_pushed_by.is_some() && req.what != What::Push {
        bail!(Msg::new("cli.export.mark_pushed"));
    }
    // Who reveals: `--reveal --by C`, or the leader marking the pushes.
    let by = match &a.mark_pushed_by {
        Some(code) => ByArgs {
            by: Some(code.clone()),
            pin: a.by.pin.clone(),
        },
        None => a.by.clone(),
    };
    let actor = if a.reveal || a.mark_pushed_by.is_some() {
        Some(by.actor(&store, clock, &mut Stdin::new())?)
    } else {
        None
    };
    let tty = std::io::stderr().is_terminal();
    let mut progress = |done: u64, total: u64| {
        if tty && total > 0 {
            let width = 30;
            let filled = (done * width / total.max(1)) as usize;
            eprint!(
                "\r{} [{}{}] {done}/{total}",
                I18n::process().t("status.exporting"),
                "#".repeat(filled),
                " ".repeat(width as usize - filled)
            );
            let _ = std::io::stderr().flush();
        }
    };
    let summary = ops::report::export(
        &store,
        &policy,
        i18n,
        clock,
        actor.as_ref(),
        &req,
        &mut progress,
    )?;
    if tty {
        eprintln!();
    }
    if let (Some(actor), Some(_)) = (&actor, &a.mark_pushed_by) {
        ops::report::mark_pushed(&store, clock, actor, &summary.pushed)?;
    }
    store.close()?;
    let files: Vec<String> = summary
        .files
        .iter()
        .map(|f| f.display().to_string())
        .collect();
    let marked = if a.mark_pushed_by.is_some() {
        i18n.render(&Msg::new("cli.export.marked").with("n", summary.pushed.len()))
    } else {
        String::new()
    };
    let done = Msg::new("cli.export.done")
        .with("rows", summary.rows)
        .with("files", files.join(", "));
    writeln!(std::io::stdout().lock(), "{}{marked}", i18n.render(&done))?;
    Ok(())
}
