//! `kadian add` (records from JSON lines, in an officer's name with their PIN) and
//! `kadian list` (records by filter, masked unless a leader reveals them).

use std::io::{BufRead, Write};
use std::path::Path;

use anyhow::{Result, bail};
use clap::Args;

use super::Format;
use super::person::{ByArgs, PinArgs, Stdin};
use crate::clock::Clock;
use crate::domain::input::RecordJson;
use crate::i18n::{I18n, Localized, Msg};
use crate::ops::filter::{self, FilterText};
use crate::policy::Policy;
use crate::store::Store;
use crate::view;

#[derive(Debug, Args)]
pub struct AddArgs {
    /// Code of the officer the records are attributed to (their PIN: --pin-stdin, the
    /// first line of stdin before the JSON lines, or --pin-file).
    #[arg(long)]
    pub officer: String,
    #[command(flatten)]
    pub pin: PinArgs,
    /// File of JSON lines, or - (default) for stdin.
    #[arg(default_value = "-")]
    pub input: String,
}

#[derive(Debug, Args)]
pub struct ListArgs {
    /// One checkpoint day, YYYY-MM-DD.
    #[arg(long, conflicts_with_all = ["from", "to"])]
    pub day: Option<chrono::NaiveDate>,
    /// First day of a range.
    #[arg(long)]
    pub from: Option<chrono::NaiveDate>,
    /// Last day of a range, inclusive.
    #[arg(long)]
    pub to: Option<chrono::NaiveDate>,
    /// A plate or part of one (`J123`), normalised as on entry.
    #[arg(long)]
    pub plate: Option<String>,
    /// A person's name, or its beginning.
    #[arg(long)]
    pub name: Option<String>,
    /// The last 4 characters of an ID number.
    #[arg(long)]
    pub id_suffix: Option<String>,
    /// A phone number, or its beginning.
    #[arg(long)]
    pub phone: Option<String>,
    /// A disposition code (pass, on_site_test, …).
    #[arg(long)]
    pub disposition: Option<String>,
    /// The officer who logged the record.
    #[arg(long)]
    pub officer: Option<String>,
    /// Vehicle kind (小客车 … or car, truck, …).
    #[arg(long)]
    pub kind: Option<String>,
    /// Only records that were amended.
    #[arg(long)]
    pub amended: bool,
    /// At most this many records (newest first when given).
    #[arg(long)]
    pub limit: Option<usize>,
    /// Skip this many (newest first).
    #[arg(long)]
    pub offset: Option<usize>,
    /// Show names, ID numbers and phones in full (a leader: --by CODE and their PIN;
    /// audited). Without it they are masked.
    #[arg(long, requires = "by")]
    pub reveal: bool,
    #[command(flatten)]
    pub by: ByArgs,
}

pub fn add(dir: &Path, a: &AddArgs, format: Format, clock: &dyn Clock) -> Result<()> {
    let store = Store::open_existing(dir)?;
    let policy = Policy::load(dir)?;
    // Refuse before reading any line: every record needs an officer on the staff list,
    // who vouches for it with their PIN.
    if !store.officer(&a.officer)?.is_some_and(|o| o.active) {
        return Err(crate::error::Error::UnknownOfficer(a.officer.clone()).into());
    }
    let mut stdin = Stdin::new();
    let actor = a.pin.sign_in(&store, clock, &a.officer, &mut stdin)?;
    let reader: Box<dyn BufRead> = if a.input == "-" {
        stdin.rest()
    } else {
        // A file is checked whole first: a wrong encoding refuses it before anything is
        // stored (stdin streams, and stops at the first line that is not UTF-8).
        let bytes = std::fs::read(&a.input).map_err(|e| {
            crate::error::FieldError::rule("input", "rule.input.read")
                .with("path", &a.input)
                .with_msg("detail", crate::error::io_reason(&e))
        })?;
        if let Err(e) = std::str::from_utf8(&bytes) {
            bail!(
                "{}",
                crate::domain::input::not_utf8(&bytes, e.valid_up_to(), true)
            );
        }
        Box::new(std::io::Cursor::new(bytes))
    };
    let mut refused = 0usize;
    let mut out = std::io::stdout().lock();
    for (i, line) in reader.split(b'\n').enumerate() {
        let n = i + 1;
        let line = line?;
        let line = match String::from_utf8(line) {
            Ok(l) => l,
            Err(e) => {
                let at = e.utf8_error().valid_up_to();
                bail!(
                    "line {n}: {}",
                    crate::domain::input::not_utf8(e.as_bytes(), at, false)
                );
            }
        };
        // A byte-order mark (Windows Notepad writes one) and CR line ends are not content.
        let line = line.trim_end_matches('\r');
        let line = if n == 1 {
            line.trim_start_matches('\u{feff}')
        } else {
            line
        };
        if line.trim().is_empty() {
            continue;
        }
        let assessed = RecordJson::parse_line(line)
            .and_then(|d| crate::ops::records::assess(&store, &policy, &d, clock));
        let new = match assessed {
            Ok(new) => new,
            Err(errors) => {
                refused += 1;
                for e in errors {
                    let line = Msg::new("cli.add.line")
                        .with("n", n)
                        .with_msg("error", e.msg());
                    eprintln!("{line}");
                }
                continue;
            }
        };
        // Printed only after add_record returns, i.e. after the journal fdatasync.
        let r = crate::ops::records::log_assessed(&store, &policy, &actor, new, clock)?;
        match format {
            Format::Text | Format::Xlsx | Format::Csv => writeln!(out, "{}", r.id)?,
            Format::Json => {
                let ds: Vec<&str> = r.dispositions().iter().map(|d| d.code()).collect();
                writeln!(
                    out,
                    "{}",
                    serde_json::json!({"line": n, "id": r.id, "dispositions": ds})
                )?
            }
        }
        out.flush()?;
    }
    store.close()?;
    if refused > 0 {
        bail!(crate::i18n::Msg::new("cli.add.refused").with("n", refused));
    }
    Ok(())
}

fn list_filter(a: &ListArgs) -> Result<crate::store::Filter> {
    let d = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    let t = |s: &Option<String>| s.clone().unwrap_or_default();
    let (from, to) = (d(a.from.or(a.day)), d(a.to.or(a.day)));
    let (plate, name, id_suffix, phone, officer) = (
        t(&a.plate),
        t(&a.name),
        t(&a.id_suffix),
        t(&a.phone),
        t(&a.officer),
    );
    Ok(filter::parse(&FilterText {
        from: &from,
        to: &to,
        plate: &plate,
        name: &name,
        id_suffix: &id_suffix,
        phone: &phone,
        officer: &officer,
        disposition: a
            .disposition
            .as_deref()
            .map(crate::domain::Disposition::parse)
            .transpose()?,
        kind: a
            .kind
            .as_deref()
            .map(crate::domain::VehicleKind::parse)
            .transpose()?,
        amended_only: a.amended,
    })?)
}

pub fn list(
    dir: &Path,
    a: &ListArgs,
    format: Format,
    i18n: &I18n,
    clock: &dyn Clock,
) -> Result<()> {
    let store = Store::open_existing(dir)?;
    let filter = list_filter(a)?;
    let privacy = if a.reveal {
        let actor = a.by.actor(&store, clock, &mut Stdin::new())?;
        crate::ops::records::reveal_many(&store, &actor, &list_what(a), clock)?;
        view::Privacy::Revealed
    } else {
        view::Privacy::Masked
    };
    // At a command post: every checkpoint it holds, one after the other.
    let ledgers = store.ledgers()?;
    let mut out = std::io::stdout().lock();
    let mut emit = |s: &Store, r: crate::domain::Record| -> crate::error::Result<()> {
        let line = match format {
            Format::Json => {
                view::record_json(&r, s.day_of(r.time), s.after_signoff(&r.id)?, privacy)
                    .to_string()
            }
            Format::Text | Format::Xlsx | Format::Csv => {
                let tz = s
                    .checkpoint()
                    .map_or(chrono_tz::Asia::Shanghai, crate::store::tz_of);
                let local = r
                    .time
                    .with_timezone(&tz)
                    .format("%Y-%m-%d %H:%M")
                    .to_string();
                format!("{}\t{}", view::record_line(&r, &local, i18n), r.id)
            }
        };
        writeln!(out, "{line}")?;
        Ok(())
    };
    let days_only = filter
        == crate::store::Filter {
            from: filter.from,
            to: filter.to,
            ..Default::default()
        };
    if days_only && a.limit.is_none() && a.offset.is_none() {
        // Everything in a range: streamed oldest first from the day index.
        for s in &ledgers {
            match (filter.from, filter.to) {
                (None, None) => s.for_each_record(None, |r| emit(s, r))?,
                (from, to) => {
                    let first = from.or(to).unwrap_or_default();
                    let last = to.or(from).unwrap_or_default();
                    for day in first.iter_days().take_while(|d| *d <= last) {
                        s.for_each_record(Some(day), |r| emit(s, r))?;
                    }
                }
            }
        }
    } else {
        let (offset, limit) = (a.offset.unwrap_or(0), a.limit.unwrap_or(usize::MAX));
        if let [s] = ledgers.as_slice() {
            for r in s.search(&filter, offset, limit)?.records {
                emit(s, r)?;
            }
        } else {
            // Several checkpoints: each one's first offset+limit, newest first overall.
            let mut all = Vec::new();
            for s in &ledgers {
                for r in s.search(&filter, 0, offset.saturating_add(limit))?.records {
                    all.push((r.time, s.clone(), r));
                }
            }
            all.sort_by(|x, y| y.0.cmp(&x.0).then_with(|| y.2.id.cmp(&x.2.id)));
            for (_, s, r) in all.into_iter().skip(offset).take(limit) {
                emit(&s, r)?;
            }
        }
    }
    Ok(())
}

/// What a revealed list showed, for the audit log: the command's filters.
fn list_what(a: &ListArgs) -> String {
    let mut parts = vec!["list".to_string()];
    let mut add = |k: &str, v: Option<String>| {
        if let Some(v) = v {
            parts.push(format!("{k}={v}"));
        }
    };
    add("day", a.day.map(|d| d.to_string()));
    add("from", a.from.map(|d| d.to_string()));
    add("to", a.to.map(|d| d.to_string()));
    add("plate", a.plate.clone());
    add("name", a.name.clone());
    add("id_suffix", a.id_suffix.clone());
    add("phone", a.phone.clone());
    add("disposition", a.disposition.clone());
    add("officer", a.officer.clone());
    add("kind", a.kind.clone());
    parts.join(" ")
}
