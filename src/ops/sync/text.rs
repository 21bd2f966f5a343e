//! The texts that describe sync results, for the CLI and the TUI alike, in the user's
//! language (keys `bundle.*` in `assets/i18n`). Codes, ids, file names and numbers are shown
//! as they are.

use super::{ImportReport, Imported, SyncReport};
use crate::domain::entry::{Conflict, TrustedLaptop};
use crate::error::Error;
use crate::i18n::I18n;
use crate::sync::{self as bundle, KeyFile};

/// The text of `key` with each `{name}` replaced by its value.
fn fill(i18n: &I18n, key: &str, args: &[(&str, &dyn std::fmt::Display)]) -> String {
    let mut s = i18n.t(key).to_string();
    for (name, value) in args {
        s = s.replace(&format!("{{{name}}}"), &value.to_string());
    }
    s
}

/// An entry kind (`record`, `amendment` …) by its name in the user's language.
fn kind(i18n: &I18n, k: &str) -> String {
    let key = format!("bundle.kind.{k}");
    match i18n.t(&key) {
        t if t == key => k.to_string(),
        t => t.to_string(),
    }
}

fn kinds(i18n: &I18n, counts: &std::collections::BTreeMap<String, u64>) -> String {
    let list: Vec<String> = counts
        .iter()
        .map(|(k, n)| format!("{} {n}", kind(i18n, k)))
        .collect();
    if list.is_empty() {
        "-".into()
    } else {
        list.join(", ")
    }
}

/// What a written bundle holds.
pub fn written(i18n: &I18n, r: &SyncReport) -> String {
    let h = &r.header;
    fill(
        i18n,
        "bundle.written",
        &[
            ("file", &r.file),
            ("entries", &h.entries),
            ("counts", &kinds(i18n, &h.counts)),
            ("bytes", &r.bytes),
            ("to", &h.to),
            ("since", &h.since),
            ("from", &h.journal_from),
            ("end", &h.journal_to),
        ],
    )
}

/// What an import did: added, skipped, conflicts (one line each), waiting amendments.
pub fn imported(i18n: &I18n, r: &ImportReport) -> String {
    let dry = if r.dry_run {
        i18n.t("bundle.dry_run")
    } else {
        ""
    };
    let mut s = fill(
        i18n,
        "bundle.imported",
        &[
            ("dry", &dry),
            ("file", &r.file),
            ("checkpoint", &r.checkpoint),
            ("laptop", &r.laptop),
            ("added", &r.added_total()),
            ("kinds", &kinds(i18n, &r.added)),
            ("skipped", &r.skipped),
            ("conflicts", &r.conflicts.len()),
        ],
    );
    if r.waiting > 0 {
        s.push_str(&fill(i18n, "bundle.waiting", &[("n", &r.waiting)]));
    }
    if r.trusted_now {
        s.push_str(&fill(
            i18n,
            "bundle.trusted_now",
            &[("fingerprint", &r.fingerprint)],
        ));
    }
    for c in &r.conflicts {
        let in_effect = i18n.t(if c.in_effect == "incoming" {
            "bundle.incoming"
        } else {
            "bundle.existing"
        });
        s.push_str("\n  ");
        s.push_str(&fill(
            i18n,
            "bundle.conflict",
            &[("id", &c.id), ("in_effect", &in_effect)],
        ));
    }
    s
}

/// The inbox had no bundle.
pub fn no_bundles(i18n: &I18n, dir: &std::path::Path) -> String {
    fill(i18n, "bundle.no_bundles", &[("dir", &dir.display())])
}

/// One line per file of an import, with whether it went well (imported, no conflict); the
/// file by its name. An empty inbox says so.
pub fn import_lines(i18n: &I18n, r: &Imported) -> Vec<(String, bool)> {
    let mut lines = Vec::new();
    if let (Some(inbox), true) = (&r.inbox, r.files.is_empty()) {
        lines.push((no_bundles(i18n, inbox), false));
    }
    for f in &r.files {
        let name = f.name();
        lines.push(match &f.result {
            Ok(report) => {
                let mut report = report.clone();
                report.file = name;
                (imported(i18n, &report), report.conflicts.is_empty())
            }
            Err(Error::Untrusted { .. }) => {
                (fill(i18n, "bundle.untrusted", &[("file", &name)]), false)
            }
            Err(Error::Bundle { detail, .. }) => (
                fill(
                    i18n,
                    "bundle.refused",
                    &[("file", &name), ("detail", detail)],
                ),
                false,
            ),
            Err(e) => (
                fill(i18n, "bundle.refused", &[("file", &name), ("detail", e)]),
                false,
            ),
        });
    }
    lines
}

/// How many files were refused, and which.
pub fn refused_some(i18n: &I18n, r: &Imported) -> String {
    let refused: Vec<String> = r
        .refused()
        .iter()
        .map(|f| f.display().to_string())
        .collect();
    fill(
        i18n,
        "bundle.refused_some",
        &[
            ("n", &refused.len()),
            ("total", &r.files.len()),
            ("files", &refused.join(", ")),
        ],
    )
}

/// One line: checkpoint, entry id, and the two versions by the start of their SHA-256.
pub fn conflict(i18n: &I18n, c: &Conflict) -> String {
    fill(
        i18n,
        "bundle.conflict_line",
        &[
            ("checkpoint", &c.checkpoint),
            ("id", &c.id),
            ("kept", &&c.kept[..c.kept.len().min(12)]),
            ("other", &&c.other[..c.other.len().min(12)]),
        ],
    )
}

/// The conflicts kept aside, one a line.
pub fn conflicts(i18n: &I18n, list: &[Conflict]) -> String {
    if list.is_empty() {
        return i18n.t("bundle.no_conflicts").to_string();
    }
    let lines: Vec<String> = list.iter().map(|c| conflict(i18n, c)).collect();
    lines.join("\n")
}

pub fn folders(i18n: &I18n, outbox: &std::path::Path, inbox: &std::path::Path) -> String {
    fill(
        i18n,
        "bundle.folders",
        &[("outbox", &outbox.display()), ("inbox", &inbox.display())],
    )
}

/// This laptop's id and key fingerprint.
pub fn key(i18n: &I18n, k: &KeyFile) -> String {
    fill(
        i18n,
        "bundle.key",
        &[
            ("laptop", &k.laptop),
            ("checkpoint", &k.checkpoint),
            ("fingerprint", &bundle::fingerprint(&k.public_key)),
        ],
    )
}

/// A key file written.
pub fn key_written(i18n: &I18n, file: &std::path::Path, k: &KeyFile) -> String {
    fill(
        i18n,
        "bundle.key_written",
        &[
            ("file", &file.display()),
            ("fingerprint", &bundle::fingerprint(&k.public_key)),
        ],
    )
}

/// A laptop trusted now.
pub fn trusted(i18n: &I18n, t: &TrustedLaptop) -> String {
    fill(
        i18n,
        "bundle.trusted",
        &[
            ("laptop", &t.laptop),
            ("checkpoint", &t.checkpoint),
            ("name", &t.name),
            ("fingerprint", &bundle::fingerprint(&t.public_key)),
        ],
    )
}

/// The laptops trusted, one a line.
pub fn trusted_list(i18n: &I18n, list: &[TrustedLaptop]) -> String {
    if list.is_empty() {
        return i18n.t("bundle.no_trusted").to_string();
    }
    let lines: Vec<String> = list
        .iter()
        .map(|t| {
            format!(
                "{} {} {} {}",
                t.laptop,
                t.checkpoint,
                t.name,
                bundle::fingerprint(&t.public_key)
            )
        })
        .collect();
    lines.join("\n")
}

pub fn removed(i18n: &I18n, laptop: &str) -> String {
    fill(i18n, "bundle.removed", &[("laptop", &laptop)])
}

pub fn not_trusted(i18n: &I18n, laptop: &str) -> String {
    fill(i18n, "bundle.not_trusted", &[("laptop", &laptop)])
}
