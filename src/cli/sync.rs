//! `kadian sync`, `kadian import`, `kadian trust`: sync by file between laptops and to the
//! command post. The work is in `store::sync` and `sync` (bundle format); this prints.

use std::path::{Path, PathBuf};

use anyhow::{Result, bail};
use clap::{Args, Subcommand};

use super::{Format, print_line};
use crate::clock::Clock;
use crate::store::{ImportReport, Since, Store, SyncReport};
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
    #[arg(long, default_value = "last", value_parser = Since::parse)]
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
    /// Trust another laptop's key file.
    Add { keyfile: PathBuf },
    /// List trusted laptops.
    List,
    /// Stop trusting a laptop (its bundles are refused again).
    Remove { laptop: String },
}

/// A new bundle file in `dir`: checkpoint, laptop and time, e.g.
/// `T01-93AWBT-20261124T091500.kdb`; `-2`, `-3`… when one of that second is already there
/// (a bundle is never overwritten: the mark has moved past what it holds).
pub fn bundle_path(dir: &Path, store: &Store, now: chrono::DateTime<chrono::Utc>) -> PathBuf {
    let (code, laptop) = store
        .checkpoint()
        .map(|c| (c.code.clone(), c.laptop.clone()))
        .unwrap_or_default();
    let stem = format!(
        "{code}-{}-{}",
        bundle::short_laptop(&laptop),
        now.format("%Y%m%dT%H%M%S")
    );
    let mut path = dir.join(format!("{stem}.kdb"));
    let mut n = 1;
    while path.exists() {
        n += 1;
        path = dir.join(format!("{stem}-{n}.kdb"));
    }
    path
}

pub fn sync_text(r: &SyncReport) -> String {
    let h = &r.header;
    let counts: Vec<String> = h.counts.iter().map(|(k, n)| format!("{k} {n}")).collect();
    format!(
        "{}: {} entries ({}), {} bytes, for {} since {} (journal {}..{})",
        r.file,
        h.entries,
        counts.join(", "),
        r.bytes,
        h.to,
        h.since,
        h.journal_from,
        h.journal_to
    )
}

pub fn run_sync(dir: &Path, a: &SyncArgs, format: Format, clock: &dyn Clock) -> Result<()> {
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
            &format!("outbox {} inbox {}", outbox.display(), inbox.display()),
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
        bundle_path(&out, &store, now)
    } else {
        out
    };
    let r = store.write_bundle(&path, &a.to, &a.since, now)?;
    store.close()?;
    print_line(format, &sync_text(&r), || {
        serde_json::to_value(&r).unwrap_or_default()
    })
}

pub fn import_text(r: &ImportReport) -> String {
    let added: Vec<String> = r.added.iter().map(|(k, n)| format!("{k} {n}")).collect();
    let mut s = format!(
        "{}{}: from {} laptop {}: added {} ({}), skipped {}, conflicts {}",
        if r.dry_run { "[dry run] " } else { "" },
        r.file,
        r.checkpoint,
        r.laptop,
        r.added_total(),
        if added.is_empty() {
            "-".into()
        } else {
            added.join(", ")
        },
        r.skipped,
        r.conflicts.len()
    );
    if r.waiting > 0 {
        s.push_str(&format!(
            "; {} amendment(s) wait for their record (in a bundle not imported yet)",
            r.waiting
        ));
    }
    if r.trusted_now {
        s.push_str(&format!("; laptop trusted ({})", r.fingerprint));
    }
    for c in &r.conflicts {
        s.push_str(&format!(
            "\n  conflict {}: same id, different content; in effect: {} version, the other kept aside",
            c.id, c.in_effect
        ));
    }
    s
}

pub fn run_import(dir: &Path, a: &ImportArgs, format: Format, clock: &dyn Clock) -> Result<()> {
    let store = Store::open_existing(dir)?;
    if a.conflicts {
        let list = store.conflicts()?;
        let text = if list.is_empty() {
            "no conflicts".to_string()
        } else {
            list.iter().map(|c| c.line()).collect::<Vec<_>>().join("\n")
        };
        return print_line(format, &text, || {
            serde_json::json!(list
                .iter()
                .map(|c| serde_json::json!({"checkpoint": c.checkpoint, "id": c.id, "in_effect": c.kept, "kept_aside": c.other}))
                .collect::<Vec<_>>())
        });
    }
    let mut files = a.files.clone();
    if a.inbox {
        files.extend(crate::store::bundle_files(&store.sync_folders()?.1)?);
        if files.is_empty() {
            bail!(
                "inbox: 收件箱中没有同步包 / no bundles (*.kdb) in {}",
                store.sync_folders()?.1.display()
            );
        }
    }
    let mut failed = Vec::new();
    for f in &files {
        let result = bundle::read(f)
            .and_then(|b| store.import_bundle(&b, f, a.trust.as_deref(), a.dry_run, clock.now()));
        match result {
            Ok(r) => print_line(format, &import_text(&r), || {
                serde_json::to_value(&r).unwrap_or_default()
            })?,
            Err(e) => {
                eprintln!("{e}");
                failed.push(f.display().to_string());
            }
        }
    }
    store.close()?;
    if !failed.is_empty() {
        bail!(
            "{} of {} bundle(s) refused, nothing of them imported: {}",
            failed.len(),
            files.len(),
            failed.join(", ")
        );
    }
    Ok(())
}

pub fn run_trust(dir: &Path, c: &TrustCommand, format: Format, clock: &dyn Clock) -> Result<()> {
    let store = Store::open_existing(dir)?;
    let out = match c {
        TrustCommand::Show => {
            let k = store.key_file()?;
            let fp = bundle::fingerprint(&k.public_key);
            print_line(
                format,
                &format!(
                    "laptop {} checkpoint {} fingerprint {fp}",
                    k.laptop, k.checkpoint
                ),
                || serde_json::json!({"laptop": k.laptop, "checkpoint": k.checkpoint, "fingerprint": fp, "public_key": bundle::hex(&k.public_key)}),
            )
        }
        TrustCommand::Export { out } => {
            let k = store.key_file()?;
            bundle::write_durably(out, k.to_text().as_bytes())?;
            print_line(
                format,
                &format!(
                    "{} fingerprint {}",
                    out.display(),
                    bundle::fingerprint(&k.public_key)
                ),
                || serde_json::json!({"file": out, "fingerprint": bundle::fingerprint(&k.public_key)}),
            )
        }
        TrustCommand::Add { keyfile } => {
            let text = std::fs::read_to_string(keyfile)
                .map_err(|e| anyhow::anyhow!("keyfile: {}: {e}", keyfile.display()))?;
            let k = KeyFile::parse(keyfile, &text)?;
            let t = store.trust(&k, clock.now())?;
            let fp = bundle::fingerprint(&t.public_key);
            print_line(
                format,
                &format!(
                    "trusted laptop {} of {} {} ({fp})",
                    t.laptop, t.checkpoint, t.name
                ),
                || serde_json::json!({"laptop": t.laptop, "checkpoint": t.checkpoint, "fingerprint": fp}),
            )
        }
        TrustCommand::List => {
            let list: Vec<_> = store
                .trusted_laptops()?
                .into_iter()
                .filter(|t| t.active)
                .collect();
            let text = if list.is_empty() {
                "no trusted laptops".to_string()
            } else {
                list.iter()
                    .map(|t| {
                        format!(
                            "{} {} {} {}",
                            t.laptop,
                            t.checkpoint,
                            t.name,
                            bundle::fingerprint(&t.public_key)
                        )
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            print_line(format, &text, || {
                serde_json::json!(list.iter().map(|t| serde_json::json!({"laptop": t.laptop, "checkpoint": t.checkpoint, "name": t.name, "fingerprint": bundle::fingerprint(&t.public_key)})).collect::<Vec<_>>())
            })
        }
        TrustCommand::Remove { laptop } => {
            if !store.untrust(laptop, clock.now())? {
                bail!("laptop: {laptop} 不在信任列表中 / {laptop} is not trusted");
            }
            print_line(
                format,
                &format!("removed {laptop}"),
                || serde_json::json!({"removed": laptop}),
            )
        }
    };
    store.close()?;
    out
}
