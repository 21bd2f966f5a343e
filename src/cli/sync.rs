//! `kadian sync`, `kadian import`, `kadian trust`: sync by file between laptops and to the
//! command post. The work is in `ops::sync`; this parses the arguments and prints.

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use clap::{Args, Subcommand};

use super::{Format, print_line};
use crate::clock::Clock;
use crate::error::Error;
use crate::i18n::{I18n, Lang, Msg};
use crate::ops::sync::{self as ops, Since, text};
use crate::store::Store;
use crate::sync::{self as bundle, KeyFile};

#[derive(Debug, Args)]
pub struct SyncArgs {
    /// The bundle file to write (a folder: a file named after the checkpoint, laptop and
    /// time). Default: the outbox folder (`--set-outbox`; first `outbox/` in the data dir).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Set the outbox folder the TUI (and `kadian sync` without --out) writes to, then stop.
    #[arg(long, value_name = "DIR")]
    pub set_outbox: Option<PathBuf>,
    /// Set the inbox folder the TUI (and `kadian import --inbox`) imports from, then stop.
    #[arg(long, value_name = "DIR")]
    pub set_inbox: Option<PathBuf>,
    /// `last` (everything not yet in a bundle for --to), `all`, or a day YYYY-MM-DD.
    #[arg(long, default_value = "last", value_parser = parse_since)]
    pub since: Since,
    /// Destination name the high-water mark is kept for (e.g. lead, county).
    #[arg(long, default_value = "default")]
    pub to: String,
}

#[derive(Debug, Args)]
pub struct ImportArgs {
    /// Bundle files (each verified whole before anything of it is imported).
    #[arg(required_unless_present_any = ["conflicts", "inbox"])]
    pub files: Vec<PathBuf>,
    /// Import every bundle (*.kdb) in the inbox folder.
    #[arg(long)]
    pub inbox: bool,
    /// Show what would be added, skipped and in conflict, without writing.
    #[arg(long)]
    pub dry_run: bool,
    /// Trust the sending laptop on this first import, after confirming its key fingerprint
    /// with the sender (printed when an untrusted bundle is refused).
    #[arg(long, value_name = "FINGERPRINT")]
    pub trust: Option<String>,
    /// List the conflicts kept aside by earlier imports.
    #[arg(long)]
    pub conflicts: bool,
    /// The leader importing (their PIN: --pin-stdin or --pin-file); not needed for
    /// --conflicts.
    #[command(flatten)]
    pub by: super::person::ByArgs,
}

#[derive(Debug, Subcommand)]
pub enum TrustCommand {
    /// Show this laptop's id and key fingerprint.
    Show,
    /// Write this laptop's public key file, to give to the receivers.
    Export {
        #[arg(long)]
        out: PathBuf,
    },
    /// Trust another laptop's key file (a leader: --by CODE and their PIN).
    Add {
        keyfile: PathBuf,
        #[command(flatten)]
        by: super::person::ByArgs,
    },
    /// List trusted laptops.
    List,
    /// Stop trusting a laptop (its bundles are refused again; a leader: --by CODE and their
    /// PIN).
    Remove {
        laptop: String,
        #[command(flatten)]
        by: super::person::ByArgs,
    },
}

/// `--since`, its refusal in the language asked for (clap reads the arguments before the
/// process language is set).
fn parse_since(s: &str) -> std::result::Result<Since, String> {
    Since::parse(s).map_err(|e| I18n::shared(lang_of_args()).error(&e))
}

/// The language of `--lang` (or `KADIAN_LANG`) as given, before clap has read the arguments.
fn lang_of_args() -> Lang {
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        if a == "--lang" {
            return args
                .next()
                .and_then(|l| Lang::parse(&l))
                .unwrap_or_default();
        }
        if let Some(l) = a.strip_prefix("--lang=") {
            return Lang::parse(l).unwrap_or_default();
        }
    }
    std::env::var("KADIAN_LANG")
        .ok()
        .and_then(|l| Lang::parse(&l))
        .unwrap_or_default()
}

pub fn run_sync(
    dir: &Path,
    a: &SyncArgs,
    format: Format,
    i18n: &I18n,
    clock: &dyn Clock,
) -> Result<()> {
    let store = Store::open_existing(dir)?;
    let now = clock.now();
    if a.set_outbox.is_some() || a.set_inbox.is_some() {
        let (outbox, inbox) = store.sync_folders()?;
        let outbox = a.set_outbox.clone().unwrap_or(outbox);
        let inbox = a.set_inbox.clone().unwrap_or(inbox);
        store.set_sync_folders(&outbox, &inbox)?;
        store.close()?;
        return print_line(
            format,
            &text::folders(i18n, &outbox, &inbox),
            || serde_json::json!({"outbox": outbox, "inbox": inbox}),
        );
    }
    let out = match &a.out {
        Some(o) => o.clone(),
        None => {
            let (outbox, _) = store.sync_folders()?;
            crate::private::create_dir(&outbox)?;
            outbox
        }
    };
    let path = if out.is_dir() {
        ops::bundle_path(&out, &store, now)
    } else {
        out
    };
    let r = ops::write_bundle(&store, &path, &a.to, &a.since, now)?;
    store.close()?;
    print_line(format, &text::written(i18n, &r), || {
        serde_json::to_value(&r).unwrap_or_default()
    })
}

pub fn run_import(
    dir: &Path,
    a: &ImportArgs,
    format: Format,
    i18n: &I18n,
    clock: &dyn Clock,
) -> Result<()> {
    let store = Store::open_existing(dir)?;
    if a.conflicts {
        let list = ops::conflicts(&store)?;
        return print_line(format, &text::conflicts(i18n, &list), || {
            serde_json::json!(list
                .iter()
                .map(|c| serde_json::json!({"checkpoint": c.checkpoint, "id": c.id, "in_effect": c.kept, "kept_aside": c.other}))
                .collect::<Vec<_>>())
        });
    }
    let actor =
        a.by.actor(&store, clock, &mut super::person::Stdin::new())?;
    let now = clock.now();
    let trust = a.trust.as_deref();
    let mut done = ops::import_files(&store, &actor, &a.files, trust, a.dry_run, now)?;
    if a.inbox {
        let inbox = ops::import_inbox(&store, &actor, trust, a.dry_run, now)?;
        if done.files.is_empty() && inbox.files.is_empty() {
            let dir = inbox.inbox.unwrap_or_default();
            bail!("{}", text::no_bundles(i18n, &dir));
        }
        done.files.extend(inbox.files);
    }
    for f in &done.files {
        match &f.result {
            Ok(r) => print_line(format, &text::imported(i18n, r), || {
                serde_json::to_value(r).unwrap_or_default()
            })?,
            Err(e) => eprintln!("{e}"),
        }
    }
    store.close()?;
    if !done.refused().is_empty() {
        bail!("{}", text::refused_some(i18n, &done));
    }
    Ok(())
}

pub fn run_trust(
    dir: &Path,
    c: &TrustCommand,
    format: Format,
    i18n: &I18n,
    clock: &dyn Clock,
) -> Result<()> {
    let store = Store::open_existing(dir)?;
    let out = match c {
        TrustCommand::Show => {
            let k = ops::key_file(&store)?;
            let fp = bundle::fingerprint(&k.public_key);
            print_line(
                format,
                &text::key(i18n, &k),
                || serde_json::json!({"laptop": k.laptop, "checkpoint": k.checkpoint, "fingerprint": fp, "public_key": bundle::hex(&k.public_key)}),
            )
        }
        TrustCommand::Export { out } => {
            let k = ops::key_file(&store)?;
            bundle::write_durably(out, k.to_text().as_bytes())?;
            print_line(
                format,
                &text::key_written(i18n, out, &k),
                || serde_json::json!({"file": out, "fingerprint": bundle::fingerprint(&k.public_key)}),
            )
        }
        TrustCommand::Add { keyfile, by } => {
            let text = std::fs::read_to_string(keyfile).map_err(|e| Error::Key {
                key: keyfile.display().to_string(),
                detail: Msg::new("error.key.unreadable").with("detail", e),
            })?;
            let k = KeyFile::parse(keyfile, &text)?;
            let actor = by.actor(&store, clock, &mut super::person::Stdin::new())?;
            let t = ops::trust(&store, &actor, &k, clock.now())?;
            let fp = bundle::fingerprint(&t.public_key);
            print_line(
                format,
                &text::trusted(i18n, &t),
                || serde_json::json!({"laptop": t.laptop, "checkpoint": t.checkpoint, "fingerprint": fp}),
            )
        }
        TrustCommand::List => {
            let list = ops::trusted_laptops(&store)?;
            print_line(format, &text::trusted_list(i18n, &list), || {
                serde_json::json!(list.iter().map(|t| serde_json::json!({"laptop": t.laptop, "checkpoint": t.checkpoint, "name": t.name, "fingerprint": bundle::fingerprint(&t.public_key)})).collect::<Vec<_>>())
            })
        }
        TrustCommand::Remove { laptop, by } => {
            let actor = by.actor(&store, clock, &mut super::person::Stdin::new())?;
            if !ops::untrust(&store, &actor, laptop, clock.now())? {
                bail!("{}", text::not_trusted(i18n, laptop));
            }
            print_line(
                format,
                &text::removed(i18n, laptop),
                || serde_json::json!({"removed": laptop}),
            )
        }
    };
    store.close()?;
    out
}
