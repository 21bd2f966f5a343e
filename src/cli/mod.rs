//! The command line: clap definitions and the command runners. Commands call the same
//! library functions as the TUI's effects; no business logic lives here.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, anyhow, bail};
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::clock::Clock;
use crate::domain::Checkpoint;
use crate::domain::input::RecordJson;
use crate::error::FieldError;
use crate::i18n::{I18n, Lang};
use crate::policy::Policy;
use crate::store::Store;
use crate::view;

mod duty;
pub mod person;
mod report;
mod review;
mod staff;
mod sync;
pub use sync::{bundle_path, import_text, sync_text};

#[derive(Debug, Parser)]
#[command(
    name = "kadian",
    version,
    about = "卡点 — checkpoint duty desk: the ledger of 五查一服务"
)]
pub struct Cli {
    /// Data directory (default: the platform data dir).
    #[arg(long, global = true, env = "KADIAN_DATA_DIR")]
    pub data_dir: Option<PathBuf>,
    /// Output format: text or json; `export` also takes xlsx (its default) and csv.
    #[arg(long, global = true, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Language of the TUI and messages: zh (default) or en.
    #[arg(long, global = true, env = "KADIAN_LANG", default_value = "zh", value_parser = ["zh", "en"])]
    pub lang: String,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    Text,
    Json,
    /// Only for `export`: an Excel workbook.
    Xlsx,
    /// Only for `export`: CSV (UTF-8 with BOM).
    Csv,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Create the checkpoint of a new data dir.
    Init(InitArgs),
    /// Manage staff.
    #[command(subcommand)]
    Staff(staff::StaffCommand),
    /// Posts and shifts of the checkpoint.
    #[command(subcommand)]
    Duty(duty::DutyCommand),
    /// The duty roster (值排表).
    #[command(subcommand)]
    Roster(duty::RosterCommand),
    /// Shift handovers (交接班).
    #[command(subcommand)]
    Handover(duty::HandoverCommand),
    /// The day tally and report text (日报 / 零报告).
    Report(report::ReportArgs),
    /// Export records, the day report or the push lists (XLSX, CSV, JSON).
    Export(report::ExportArgs),
    /// Show one record (with --history: the original and every amendment).
    Show(review::ShowArgs),
    /// Correct fields of a record (leaders), with a reason; the original stays readable.
    Amend(review::AmendArgs),
    /// Void a record (作废), with a reason: it stays listed, counted nowhere.
    Void(review::VoidArgs),
    /// Sign off a day (签字确认) with a leader's PIN; later amendments are marked.
    Signoff(review::SignOffArgs),
    /// Check the store: records decode, indexes match, counters equal a recount, chains intact.
    Verify,
    /// The audit log of reveals of personal details.
    Audit(review::AuditArgs),
    /// Remove names, ID numbers and phones from older records (retention, PIPL); records,
    /// dispositions and tallies stay.
    Purge(review::PurgeArgs),
    /// Write a sync bundle (同步包) of what this laptop holds, for another laptop or the command post.
    Sync(sync::SyncArgs),
    /// Import sync bundles: verified whole first; idempotent; conflicts kept, never overwritten.
    Import(sync::ImportArgs),
    /// Laptop keys: show or export this laptop's key, trust or remove another's.
    #[command(subcommand)]
    Trust(sync::TrustCommand),
    /// Add records from JSON lines (a file, or - for stdin); prints each id once durable.
    Add(AddArgs),
    /// List records.
    List(ListArgs),
    /// Fill the data dir with a realistic demo.
    Demo(DemoArgs),
    /// Measure the ledger on a temporary store of --records records: commit, open, tally,
    /// lookups, exports, import, disk and memory use, the TUI — each beside its reference.
    Bench(BenchArgs),
    /// (For `kadian bench`) the TUI headless on the data dir: first frame and key latency.
    #[command(hide = true)]
    BenchUi,
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// Records in the store before measuring.
    #[arg(long, default_value_t = 10_000)]
    pub records: usize,
    /// Measured commits (and as many raw appends, alternating).
    #[arg(long, default_value_t = 2_000, value_parser = clap::value_parser!(u64).range(10..=1_000_000))]
    pub samples: u64,
    /// Directory to measure on (default: beside the data dir, i.e. the same disk).
    #[arg(long)]
    pub dir: Option<PathBuf>,
    /// Only the durable commit against the raw fdatasync append.
    #[arg(long)]
    pub commit_only: bool,
}

#[derive(Debug, Args)]
pub struct InitArgs {
    /// Checkpoint code, e.g. HN-CD-01 (letters, digits, - and _).
    #[arg(long, required_unless_present = "command_post")]
    pub checkpoint: Option<String>,
    /// Checkpoint name, e.g. 常德北收费站.
    #[arg(long, required_unless_present = "command_post")]
    pub name: Option<String>,
    /// Plate province abbreviation pre-filled on the log desk, e.g. 湘.
    #[arg(long, required_unless_present = "command_post")]
    pub province: Option<String>,
    /// Make this data dir a command post (指挥部) named NAME: it logs no records and
    /// merges the bundles of many checkpoints (`kadian import`).
    #[arg(long, value_name = "NAME", conflicts_with_all = ["checkpoint", "name"])]
    pub command_post: Option<String>,
    /// Time zone (IANA name).
    #[arg(long, default_value = "Asia/Shanghai")]
    pub tz: String,
    /// Start of the checkpoint day, HH:MM (00:00 = calendar day).
    #[arg(long, default_value = "00:00")]
    pub day_start: String,
    /// Vehicle kind the log desk starts with (小客车 客车 货车 冷链车 危化品车 摩托车 其他, or car, bus, …).
    #[arg(long, default_value = "小客车")]
    pub default_kind: String,
    /// Number of occupants the log desk starts with.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u8).range(1..=99))]
    pub default_occupants: u8,
}

#[derive(Debug, Args)]
pub struct AddArgs {
    /// Code of the officer the records are attributed to (their PIN: --pin-stdin, the
    /// first line of stdin before the JSON lines, or --pin-file).
    #[arg(long)]
    pub officer: String,
    #[command(flatten)]
    pub pin: person::PinArgs,
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
    pub by: person::ByArgs,
}

#[derive(Debug, Args)]
pub struct DemoArgs {
    /// Number of days to fill, ending today.
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u16).range(1..=60))]
    pub days: u16,
    /// Records per day.
    #[arg(long, default_value_t = 300, value_parser = clap::value_parser!(u32).range(1..=50_000))]
    pub per_day: u32,
    /// Random seed (same seed, same demo).
    #[arg(long, default_value_t = 7)]
    pub seed: u64,
}

/// The data dir: `--data-dir`, `KADIAN_DATA_DIR`, or the platform's data dir.
pub fn data_dir(cli: &Cli) -> Result<PathBuf> {
    match &cli.data_dir {
        Some(d) => Ok(d.clone()),
        None => directories::ProjectDirs::from("", "", "kadian")
            .map(|p| p.data_dir().to_path_buf())
            .ok_or_else(|| anyhow!("no home directory: pass --data-dir DIR")),
    }
}

pub fn lang(cli: &Cli) -> Lang {
    Lang::parse(&cli.lang).unwrap_or_default()
}

/// Runs a non-TUI command.
/// `--format xlsx|csv` belongs to `export`; elsewhere it is a usage error (exit 2).
pub fn check_usage(cli: &Cli) {
    let file_format = matches!(cli.format, Format::Xlsx | Format::Csv);
    if file_format && !matches!(cli.command, Some(Command::Export(_))) {
        use clap::CommandFactory;
        Cli::command()
            .error(
                clap::error::ErrorKind::ArgumentConflict,
                "--format xlsx|csv only applies to `kadian export`",
            )
            .exit();
    }
}

pub fn run(cli: &Cli, command: &Command, clock: &dyn Clock) -> Result<()> {
    let dir = data_dir(cli)?;
    if dir.is_dir() {
        crate::logging::init(&dir);
    }
    match command {
        Command::Init(a) => init(&dir, a, clock),
        Command::Staff(cmd) => staff::run(&dir, cmd, cli.format, clock),
        Command::Duty(cmd) => duty::run_duty(&dir, cmd, cli.format, clock),
        Command::Roster(cmd) => duty::run_roster(&dir, cmd, cli.format, clock),
        Command::Handover(cmd) => duty::run_handover(&dir, cmd, cli.format),
        Command::Report(a) => report::run_report(&dir, a, cli.format, &I18n::new(lang(cli)), clock),
        Command::Export(a) => report::run_export(&dir, a, cli.format, &I18n::new(lang(cli)), clock),
        Command::Show(a) => review::run_show(&dir, a, cli.format, &I18n::new(lang(cli)), clock),
        Command::Amend(a) => review::run_amend(&dir, a, cli.format, clock),
        Command::Void(a) => review::run_void(&dir, a, cli.format, clock),
        Command::Signoff(a) => review::run_signoff(&dir, a, cli.format, clock),
        Command::Verify => review::run_verify(&dir, cli.format),
        Command::Audit(a) => review::run_audit(&dir, a, cli.format, clock),
        Command::Purge(a) => review::run_purge(&dir, a, cli.format, clock),
        Command::Add(a) => add(&dir, a, cli.format, clock),
        Command::Sync(a) => sync::run_sync(&dir, a, cli.format, clock),
        Command::Import(a) => sync::run_import(&dir, a, cli.format, clock),
        Command::Trust(c) => sync::run_trust(&dir, c, cli.format, clock),
        Command::List(a) => list(&dir, a, cli.format, &I18n::new(lang(cli)), clock),
        Command::Bench(a) => {
            let base = match &a.dir {
                Some(d) => d.clone(),
                None => dir
                    .parent()
                    .map_or_else(|| PathBuf::from("."), Path::to_path_buf),
            };
            std::fs::create_dir_all(&base)?;
            if !a.commit_only {
                let s = crate::bench::suite(&base, a.records, a.samples as usize, clock)?;
                return print_line(cli.format, &s.table(), || {
                    serde_json::to_value(&s).unwrap_or_default()
                });
            }
            let f = crate::bench::commit(&base, a.records, a.samples as usize, clock)?;
            let text = format!(
                "durable commit of one record with its indexes ({} bytes, {} samples, store of {} records, in {})\n\
                 {:<34} p50 {:>8.1} µs   p99 {:>8.1} µs\n\
                 {:<34} p50 {:>8.1} µs   p99 {:>8.1} µs\n\
                 {:<34} p50 {:>8.2}×     p99 {:>8.2}×",
                f.record_bytes,
                f.samples,
                f.prefilled_records,
                base.display(),
                "kadian durable commit",
                f.commit_p50_us,
                f.commit_p99_us,
                "raw write+fdatasync append",
                f.fdatasync_p50_us,
                f.fdatasync_p99_us,
                "ratio (commit / raw)",
                f.ratio_p50,
                f.ratio_p99,
            );
            print_line(cli.format, &text, || {
                serde_json::to_value(&f).unwrap_or_default()
            })
        }
        Command::BenchUi => {
            let clock: std::sync::Arc<dyn Clock> = crate::clock::from_env().into();
            let out = crate::bench::ui(&dir, clock)?;
            print_line(Format::Text, &out, || serde_json::Value::Null)
        }
        Command::Demo(a) => {
            let store = Store::open(&dir)?;
            let n = crate::demo::fill(&store, a.days, a.per_day, a.seed, clock)?;
            store.close()?;
            print_line(
                cli.format,
                &format!("demo: {n} records"),
                || serde_json::json!({"records": n}),
            )
        }
    }
}

pub(crate) fn print_line(
    format: Format,
    text: &str,
    json: impl FnOnce() -> serde_json::Value,
) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match format {
        Format::Text | Format::Xlsx | Format::Csv => writeln!(out, "{text}")?,
        Format::Json => writeln!(out, "{}", json())?,
    }
    Ok(())
}

/// `HH:MM` → minutes after midnight.
pub fn parse_day_start(s: &str) -> Result<u16> {
    let t = chrono::NaiveTime::parse_from_str(s, "%H:%M")
        .map_err(|_| anyhow!("day_start: 须为 HH:MM / must be HH:MM, got {s:?}"))?;
    use chrono::Timelike;
    Ok((t.hour() * 60 + t.minute()) as u16)
}

pub fn new_checkpoint(
    code: &str,
    name: &str,
    province: &str,
    tz: &str,
    day_start: u16,
    clock: &dyn Clock,
) -> Result<Checkpoint> {
    let laptop = ulid::Ulid::from_datetime(clock.now().into()).to_string();
    Ok(Checkpoint::new(
        code, name, province, tz, day_start, laptop,
    )?)
}

fn init(dir: &Path, a: &InitArgs, clock: &dyn Clock) -> Result<()> {
    if let Some(name) = &a.command_post {
        // The name is the code where it can be one (HN-CD-ZHB), else a fixed code.
        let code = if crate::domain::validate_code("command_post", name).is_ok() {
            name.as_str()
        } else {
            "COMMAND-POST"
        };
        let province = a.province.as_deref().unwrap_or("湘");
        let cp = new_checkpoint(
            code,
            name,
            province,
            &a.tz,
            parse_day_start(&a.day_start)?,
            clock,
        )?;
        let store = Store::open(dir)?;
        store.init_command_post(cp.clone())?;
        store.close()?;
        writeln!(
            std::io::stdout().lock(),
            "指挥部 / command post {} {}",
            cp.name,
            dir.display()
        )?;
        return Ok(());
    }
    let field = |v: &Option<String>| v.clone().unwrap_or_default();
    let mut cp = new_checkpoint(
        &field(&a.checkpoint),
        &field(&a.name),
        &field(&a.province),
        &a.tz,
        parse_day_start(&a.day_start)?,
        clock,
    )?;
    cp.default_kind =
        crate::domain::VehicleKind::parse(&a.default_kind).map_err(|e| FieldError {
            field: "default_kind".into(),
            ..e
        })?;
    cp.default_occupants = a.default_occupants;
    let store = Store::open(dir)?;
    store.init(cp.clone())?;
    store.close()?;
    writeln!(
        std::io::stdout().lock(),
        "{} {} {}",
        cp.code,
        cp.name,
        dir.display()
    )?;
    Ok(())
}

fn add(dir: &Path, a: &AddArgs, format: Format, clock: &dyn Clock) -> Result<()> {
    let store = Store::open_existing(dir)?;
    let policy = Policy::load(dir)?;
    // Refuse before reading any line: every record needs an officer on the staff list,
    // who vouches for it with their PIN.
    if !store.officer(&a.officer)?.is_some_and(|o| o.active) {
        return Err(crate::error::Error::UnknownOfficer(a.officer.clone()).into());
    }
    let mut stdin = person::Stdin::new();
    let actor = a.pin.sign_in(&store, clock, &a.officer, &mut stdin)?;
    let reader: Box<dyn BufRead> = if a.input == "-" {
        stdin.rest()
    } else {
        // A file is checked whole first: a wrong encoding refuses it before anything is
        // stored (stdin streams, and stops at the first line that is not UTF-8).
        let bytes = std::fs::read(&a.input).with_context(|| format!("cannot open {}", a.input))?;
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
                    eprintln!("line {n}: {e}");
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
        bail!("{refused} line(s) refused, nothing stored for them / {refused} 行被拒绝，未保存");
    }
    Ok(())
}

fn list_filter(a: &ListArgs) -> Result<crate::store::Filter> {
    use crate::error::FieldError;
    let plate = match &a.plate {
        None => None,
        Some(p) => {
            let p = crate::store::plate_part(p);
            let ok = !p.is_empty()
                && p.chars().all(|c| {
                    c.is_ascii_uppercase()
                        || c.is_ascii_digit()
                        || crate::domain::plate::PROVINCES.contains(c)
                        || crate::domain::plate::SUFFIXES.contains(c)
                });
            if !ok {
                return Err(FieldError::new(
                    "plate",
                    "车牌（或其一部分）只含省份简称、字母和数字",
                    "a plate or part of one has only province characters, letters and digits",
                )
                .into());
            }
            Some(p)
        }
    };
    let id_suffix = match &a.id_suffix {
        None => None,
        Some(s) => {
            let s = s.trim().to_uppercase();
            if s.len() != 4 || !s.bytes().all(|b| b.is_ascii_digit() || b == b'X') {
                return Err(FieldError::new(
                    "id_suffix",
                    "须为身份证号末4位",
                    "must be the last 4 characters of an ID number",
                )
                .into());
            }
            Some(s)
        }
    };
    if let Some(p) = &a.phone {
        if p.is_empty() || p.len() > 11 || !p.bytes().all(|b| b.is_ascii_digit()) {
            return Err(FieldError::new(
                "phone",
                "须为手机号或其开头数字",
                "must be a phone number or its first digits",
            )
            .into());
        }
    }
    Ok(crate::store::Filter {
        from: a.from.or(a.day),
        to: a.to.or(a.day),
        plate,
        name: a.name.clone().filter(|n| !n.trim().is_empty()),
        id_suffix,
        phone: a.phone.clone(),
        disposition: a
            .disposition
            .as_deref()
            .map(crate::domain::Disposition::parse)
            .transpose()?,
        officer: a.officer.clone(),
        kind: a
            .kind
            .as_deref()
            .map(crate::domain::VehicleKind::parse)
            .transpose()?,
        amended_only: a.amended,
    })
}

fn list(dir: &Path, a: &ListArgs, format: Format, i18n: &I18n, clock: &dyn Clock) -> Result<()> {
    let store = Store::open_existing(dir)?;
    let filter = list_filter(a)?;
    let privacy = if a.reveal {
        let actor = a.by.actor(&store, clock, &mut person::Stdin::new())?;
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
            Format::Json => view::record_json(&r, s.day_of(r.time), privacy).to_string(),
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
