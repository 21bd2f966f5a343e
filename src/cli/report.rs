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
use crate::i18n::I18n;
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
                bail!("to: 结束日期早于开始日期 / --to is before --from");
            }
            if (t - f).num_days() > 3660 {
                bail!("from/to: 最多十年 / at most ten years at a time");
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
        return print_line(format, &consolidated_text(&c), || {
            crate::report::consolidated_json(&c)
        });
    }
    let t = store.day_tally(day)?;
    let (signed, text) = current_text(&store, &t, i18n)?;
    let json = report_json(&t, signed.as_ref(), &text);
    let c = &t.counts;
    let signed_line = signed.as_ref().map_or_else(
        || "未签发 / not signed".to_string(),
        |s| format!("签发 {} v{} / signed", s.signed_by, s.version),
    );
    let kinds: Vec<String> = c
        .by_kind
        .iter()
        .filter(|(_, n)| **n > 0)
        .map(|(k, n)| format!("{k} {n}"))
        .collect();
    let ds: Vec<String> = c
        .by_disposition
        .iter()
        .map(|(d, n)| format!("{d} {n}"))
        .collect();
    let text_out = format!(
        "{} {} {} ({}) {}\nvehicles {} ({})  persons {}  abnormal {}  on-site tests {}  disinfected {}  freight closed-loop {}/{}  cold chain {}\n{}\n\n{text}",
        t.checkpoint,
        t.checkpoint_name,
        t.day,
        if t.zero_report() {
            "零报告"
        } else {
            "情况报告"
        },
        signed_line,
        c.vehicles,
        kinds.join(", "),
        c.persons,
        c.abnormal,
        c.sampled,
        c.disinfected,
        c.freight_closed,
        c.freight,
        c.cold_chain,
        ds.join("  "),
    );
    print_line(format, &text_out, || json)
}

/// The command post's day: missing reports first (日报告制度), then one line per checkpoint
/// and the total.
pub fn consolidated_text(c: &crate::report::Consolidated) -> String {
    let mut out = format!("{} {} 汇总 / consolidated\n", c.command_post, c.day);
    if c.missing.is_empty() {
        out.push_str("各卡点日报均已报送 / every checkpoint has sent its day report\n");
    } else {
        out.push_str(&format!(
            "!! 未报送日报/零报告 / no day report yet: {}\n",
            c.missing.join(", ")
        ));
    }
    // Names are Chinese: padded by display width, not by characters.
    let name = |s: &str| crate::width::pad(&crate::width::truncate(s, 26), 26);
    out.push_str(&format!(
        "{} {:>8} {:>8} {:>8} {:>8} {:>8}  {}\n",
        name("checkpoint"),
        "records",
        "vehicles",
        "persons",
        "abnormal",
        "sampled",
        "report"
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
                if r.zero { "零报告" } else { "情况报告" },
                r.version,
                r.signed_by
            ),
            None => "未报送 / missing".into(),
        };
        out.push_str(&line(
            &format!("{} {}", l.checkpoint, l.name),
            &l.counts,
            report,
        ));
    }
    out.push_str(&line("合计 total", &c.total, String::new()));
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
        bail!("mark_pushed_by: 只用于推送名单 / only with --what push");
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
                "\r导出 / exporting [{}{}] {done}/{total}",
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
        format!(", {} marked pushed", summary.pushed.len())
    } else {
        String::new()
    };
    writeln!(
        std::io::stdout().lock(),
        "{} rows → {}{marked}",
        summary.rows,
        files.join(", ")
    )?;
    Ok(())
}
