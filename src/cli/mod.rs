//! The command line: clap definitions and the command runners. Commands call the same
//! library functions as the TUI's effects; no business logic lives here.

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Result, anyhow};
use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::clock::Clock;
use crate::domain::Checkpoint;
use crate::error::FieldError;
use crate::i18n::{I18n, Lang};
use crate::store::Store;

mod duty;
pub mod person;
mod records;
mod report;
mod review;
mod staff;
mod sync;

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
    /// Only for `export` and `roster export`: an Excel workbook.
    Xlsx,
    /// Only for `export` and `roster export`: CSV (UTF-8 with BOM).
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
    Add(records::AddArgs),
    /// List records.
    List(records::ListArgs),
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

/// A command that does not apply here, said in one line; `main` exits 2 for it, as for a
/// usage error clap finds.
#[derive(Debug)]
pub struct UsageError(pub crate::i18n::Msg);

impl std::fmt::Display for UsageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for UsageError {}

/// The data dir: `--data-dir`, `KADIAN_DATA_DIR`, or the platform's data dir.
pub fn data_dir(cli: &Cli) -> Result<PathBuf> {
    match &cli.data_dir {
        Some(d) => Ok(d.clone()),
        None => directories::ProjectDirs::from("", "", "kadian")
            .map(|p| p.data_dir().to_path_buf())
            .ok_or_else(|| anyhow!(crate::i18n::Msg::new("cli.no_home"))),
    }
}

pub fn lang(cli: &Cli) -> Lang {
    Lang::parse(&cli.lang).unwrap_or_default()
}

/// Runs a non-TUI command.
/// `--format xlsx|csv` belongs to `export`; elsewhere it is a usage error (exit 2).
pub fn check_usage(cli: &Cli) {
    let file_format = matches!(cli.format, Format::Xlsx | Format::Csv);
    let writes_a_file = matches!(
        cli.command,
        Some(Command::Export(_) | Command::Roster(duty::RosterCommand::Export { .. }))
    );
    if file_format && !writes_a_file {
        use clap::CommandFactory;
        Cli::command()
            .error(
                clap::error::ErrorKind::ArgumentConflict,
                "--format xlsx|csv only applies to `kadian export` and `kadian roster export`",
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
        Command::Add(a) => records::add(&dir, a, cli.format, clock),
        Command::Sync(a) => sync::run_sync(&dir, a, cli.format, &I18n::new(lang(cli)), clock),
        Command::Import(a) => sync::run_import(&dir, a, cli.format, &I18n::new(lang(cli)), clock),
        Command::Trust(c) => sync::run_trust(&dir, c, cli.format, &I18n::new(lang(cli)), clock),
        Command::List(a) => records::list(&dir, a, cli.format, &I18n::new(lang(cli)), clock),
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
            // Made-up records never go into a real checkpoint's ledger.
            if store.is_command_post() || store.checkpoint().is_some_and(|c| !c.is_demo()) {
                let name = store
                    .checkpoint()
                    .map_or_else(String::new, |c| c.code.clone());
                store.close()?;
                return Err(UsageError(
                    crate::i18n::Msg::new("cli.demo.real")
                        .with("checkpoint", name)
                        .with("dir", dir.display()),
                )
                .into());
            }
            let n = crate::demo::fill(&store, a.days, a.per_day, a.seed, clock)?;
            store.close()?;
            print_line(
                cli.format,
                &I18n::process().render(&crate::i18n::Msg::new("cli.demo.done").with("n", n)),
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
        .map_err(|_| FieldError::rule("day_start", "rule.day_start_format").with("value", s))?;
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
            "{} {} {}",
            crate::i18n::I18n::process().t("sync.command_post"),
            cp.name,
            dir.display()
        )?;
        return Ok(());
    }
    let field = |v: &Option<String>| v.clone().unwrap_or_default();
    if field(&a.checkpoint).trim() == crate::domain::DEMO_CODE {
        return Err(FieldError::rule("checkpoint", "rule.checkpoint.demo")
            .with("code", crate::domain::DEMO_CODE)
            .into());
    }
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
