//! `kadian show`, `kadian amend`, `kadian void`, `kadian signoff`: a leader's review of the
//! ledger from the command line (the TUI's 记录 tab does the same).

use std::io::Write;
use std::path::Path;

use anyhow::Result;
use chrono::NaiveDate;
use clap::Args;
use serde_json::json;

use super::person::{ByArgs, Stdin};
use super::{Format, print_line};
use crate::amend::{Amendment, parse_set};
use crate::clock::Clock;
use crate::i18n::{I18n, Msg};
use crate::ops::{self, records::History};
use crate::policy::Policy;
use crate::store::Store;
use crate::view::{self, Privacy};

#[derive(Debug, Args)]
pub struct ShowArgs {
    pub id: String,
    /// Also the original and every amendment.
    #[arg(long)]
    pub history: bool,
    /// Show names, ID numbers and phones in full (a leader: --by CODE and their PIN;
    /// audited). Without it they are masked.
    #[arg(long, requires = "by")]
    pub reveal: bool,
    #[command(flatten)]
    pub by: ByArgs,
}

#[derive(Debug, Args)]
pub struct AmendArgs {
    pub id: String,
    /// A changed field, `field=value` (repeat). Fields: see `crate::amend::FIELDS`.
    #[arg(long = "set", required = true)]
    pub set: Vec<String>,
    #[arg(long)]
    pub reason: String,
    /// The leader writing the amendment (their PIN: --pin-stdin or --pin-file).
    #[command(flatten)]
    pub by: ByArgs,
}

#[derive(Debug, Args)]
pub struct VoidArgs {
    pub id: String,
    #[arg(long)]
    pub reason: String,
    /// The leader voiding it (their PIN: --pin-stdin or --pin-file).
    #[command(flatten)]
    pub by: ByArgs,
}

#[derive(Debug, Args)]
pub struct SignOffArgs {
    #[arg(long)]
    pub day: NaiveDate,
    /// The leader signing (their PIN: --pin-stdin or --pin-file).
    #[command(flatten)]
    pub by: ByArgs,
}

fn amendment_json(a: &Amendment) -> serde_json::Value {
    json!({
        "id": a.id, "by": a.by, "at": a.at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true),
        "reason": a.reason, "void": a.void, "after_signoff": a.after_signoff,
        "changes": a.changes.iter().map(|c| json!({"field": c.field, "value": c.value})).collect::<Vec<_>>(),
    })
}

pub fn run_show(
    dir: &Path,
    a: &ShowArgs,
    format: Format,
    i18n: &I18n,
    clock: &dyn Clock,
) -> Result<()> {
    let store = Store::open_existing(dir)?;
    let History {
        record: r,
        original,
        amendments,
    } = ops::records::history(&store, &a.id)?;
    let privacy = if a.reveal {
        let actor = a.by.actor(&store, clock, &mut Stdin::new())?;
        ops::records::reveal(&store, &actor, &a.id, clock)?;
        Privacy::Revealed
    } else {
        Privacy::Masked
    };
    let day = store.day_of(r.time);
    let mut out = std::io::stdout().lock();
    match format {
        Format::Json => {
            let late = store.after_signoff(&r.id)?;
            let mut v = view::record_json(&r, day, late, privacy);
            if a.history {
                v = json!({
                    "record": v,
                    "original": view::record_json(&original, day, false, privacy),
                    "amendments": amendments.iter().map(amendment_json).collect::<Vec<_>>(),
                });
            }
            writeln!(out, "{v}")?;
        }
        _ => {
            let tz = store
                .checkpoint()
                .map_or(chrono_tz::Asia::Shanghai, crate::store::tz_of);
            let local = r
                .time
                .with_timezone(&tz)
                .format("%Y-%m-%d %H:%M:%S")
                .to_string();
            let state = if r.voided {
                format!(" [{}]", i18n.t("record.voided"))
            } else if r.amendments > 0 {
                format!(" [{}]", i18n.t("record.amended"))
            } else {
                String::new()
            };
            let meta = Msg::new("cli.show.meta")
                .with("officer", &r.officer)
                .with("policy", &r.policy_version);
            writeln!(
                out,
                "{}{state}\n{}  {}",
                r.id,
                view::record_line(&r, &local, i18n),
                i18n.render(&meta)
            )?;
            for (i, p) in r.persons.iter().enumerate() {
                writeln!(out, "  {}", view::person_line(i + 1, p, privacy, i18n))?;
                if let Some(o) = &p.overridden {
                    let m = Msg::new("cli.show.override")
                        .with("n", i + 1)
                        .with("reason", &o.reason);
                    writeln!(out, "  {}", i18n.render(&m))?;
                }
            }
            if a.history {
                writeln!(
                    out,
                    "{}{}",
                    i18n.t("cli.show.original"),
                    view::record_line(&original, &local, i18n)
                )?;
                for (i, p) in original.persons.iter().enumerate() {
                    writeln!(out, "  {}", view::person_line(i + 1, p, privacy, i18n))?;
                }
                for am in &amendments {
                    let at = am.at.with_timezone(&tz).format("%Y-%m-%d %H:%M:%S");
                    writeln!(
                        out,
                        "{}{}",
                        i18n.t("cli.show.amendment"),
                        view::amendment_line(am, &at.to_string(), privacy, i18n)
                    )?;
                }
            }
        }
    }
    Ok(())
}

pub fn run_amend(dir: &Path, a: &AmendArgs, format: Format, clock: &dyn Clock) -> Result<()> {
    let store = Store::open_existing(dir)?;
    let policy = Policy::load(dir)?;
    let changes = a
        .set
        .iter()
        .map(|s| parse_set(s))
        .collect::<Result<Vec<_>, _>>()?;
    let actor = a.by.actor(&store, clock, &mut Stdin::new())?;
    let am = ops::records::amend(&store, &policy, &actor, &a.id, changes, &a.reason, clock)?;
    store.close()?;
    print_line(format, &am.id, || amendment_json(&am))
}

pub fn run_void(dir: &Path, a: &VoidArgs, format: Format, clock: &dyn Clock) -> Result<()> {
    let store = Store::open_existing(dir)?;
    let actor = a.by.actor(&store, clock, &mut Stdin::new())?;
    let am = ops::records::void(&store, &actor, &a.id, &a.reason, clock)?;
    store.close()?;
    print_line(format, &am.id, || amendment_json(&am))
}

pub fn run_signoff(dir: &Path, a: &SignOffArgs, format: Format, clock: &dyn Clock) -> Result<()> {
    let store = Store::open_existing(dir)?;
    let code = a.by.code()?;
    let pin = a.by.pin.read(code, &mut Stdin::new())?;
    let actor = ops::sign_in(&store, clock, code, &pin)?;
    let s = ops::report::sign_off(&store, clock, &actor, &pin, a.day)?;
    store.close()?;
    print_line(
        format,
        &I18n::process().render(
            &Msg::new("cli.signoff.done")
                .with("day", s.day)
                .with("by", &s.by),
        ),
        || json!({"day": s.day, "by": s.by}),
    )
}

pub fn run_verify(dir: &Path, format: Format) -> Result<()> {
    let store = Store::open_existing(dir)?;
    let tty = std::io::IsTerminal::is_terminal(&std::io::stderr());
    let problems = store.verify(&mut |n| {
        if tty {
            eprint!("\r{}", Msg::new("cli.verify.progress").with("n", n));
        }
    })?;
    if tty {
        eprintln!();
    }
    let mut out = std::io::stdout().lock();
    match format {
        Format::Json => writeln!(
            out,
            "{}",
            json!({"ok": problems.is_empty(), "problems": problems})
        )?,
        _ if problems.is_empty() => writeln!(out, "{}", I18n::process().t("cli.verify.ok"))?,
        _ => {
            for p in &problems {
                writeln!(out, "{p}")?;
            }
        }
    }
    if !problems.is_empty() {
        anyhow::bail!(Msg::new("cli.verify.problems").with("n", problems.len()));
    }
    Ok(())
}

#[derive(Debug, Args)]
pub struct AuditArgs {
    /// One checkpoint day (default: all).
    #[arg(long)]
    pub day: Option<NaiveDate>,
    /// An admin (their PIN: --pin-stdin or --pin-file).
    #[command(flatten)]
    pub by: ByArgs,
}

/// `kadian audit`: who revealed which record's personal details, when (admins).
pub fn run_audit(dir: &Path, a: &AuditArgs, format: Format, clock: &dyn Clock) -> Result<()> {
    let store = Store::open_existing(dir)?;
    let actor = a.by.actor(&store, clock, &mut Stdin::new())?;
    let tz = store
        .checkpoint()
        .map_or(chrono_tz::Asia::Shanghai, crate::store::tz_of);
    let mut out = std::io::stdout().lock();
    for e in ops::records::audit(&store, &actor, a.day)? {
        match format {
            Format::Json => writeln!(
                out,
                "{}",
                json!({"by": e.by, "at": e.at.to_rfc3339_opts(chrono::SecondsFormat::Millis, true), "record": e.record, "what": e.what})
            )?,
            _ => {
                // `what` is a stored code (`reveal`); its words are those of the action.
                let i18n = I18n::process();
                let key = format!("act.{}", e.what);
                let what = if i18n.has(&key) {
                    i18n.t(&key)
                } else {
                    &e.what
                };
                writeln!(
                    out,
                    "{}\t{}\t{what}\t{}",
                    e.at.with_timezone(&tz).format("%Y-%m-%d %H:%M:%S"),
                    e.by,
                    e.record
                )?
            }
        }
    }
    Ok(())
}

#[derive(Debug, Args)]
pub struct PurgeArgs {
    /// Remove personal details from records of days before this one.
    #[arg(long, required_unless_present = "policy", conflicts_with = "policy")]
    pub before: Option<NaiveDate>,
    /// Days before today minus the policy's `retention_days` (28 by default).
    #[arg(long)]
    pub policy: bool,
    /// The leader doing it (recorded with the purge; their PIN: --pin-stdin or --pin-file).
    #[command(flatten)]
    pub by: ByArgs,
    /// Show what would be removed, remove nothing.
    #[arg(long)]
    pub dry_run: bool,
}

pub fn run_purge(dir: &Path, a: &PurgeArgs, format: Format, clock: &dyn Clock) -> Result<()> {
    let store = Store::open_existing(dir)?;
    let actor = a.by.actor(&store, clock, &mut Stdin::new())?;
    let before = match a.before {
        Some(d) => d,
        None => ops::report::retention_cutoff(&store, clock, &Policy::load(dir)?),
    };
    let r = ops::report::purge(&store, clock, &actor, before, a.dry_run)?;
    store.close()?;
    print_line(
        format,
        &I18n::process().render(
            &Msg::new(if r.dry_run {
                "cli.purge.dry_run"
            } else {
                "cli.purge.done"
            })
            .with("before", before)
            .with("records", r.records)
            .with("persons", r.persons)
            .with("frames", r.journal_frames),
        ),
        || serde_json::to_value(&r).unwrap_or_default(),
    )
}
