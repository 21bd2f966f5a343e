//! The texts that describe sync results, for the CLI and the TUI alike, in the user's
//! language (keys `bundle.*` in `assets/i18n`). Codes, ids, file names and numbers are shown
//! as they are.

use super::{ImportReport, Imported, SyncReport};
use crate::domain::entry::{Conflict, TrustedLaptop};
use crate::error::Error;
use crate::i18n::Localized;
use crate::i18n::{I18n, Msg};
use crate::sync::{self as bundle, KeyFile};

/// An entry kind (`record`, `amendment` …) by its name in the user's language; a kind
/// without one (from a newer kadian) as it is.
fn kind(k: &str) -> Msg {
    let key = format!("bundle.kind.{k}");
    if I18n::shared(crate::i18n::Lang::Zh).has(&key) {
        Msg::new(key)
    } else {
        Msg::legacy(k)
    }
}

/// Entries by kind: `record 3, reference 1` / `记录 3、参考资料 1`; `-` for none.
fn kinds(counts: &std::collections::BTreeMap<String, u64>) -> Msg {
    if counts.is_empty() {
        return Msg::legacy("-");
    }
    Msg::list(counts.iter().map(|(k, n)| {
        Msg::new("bundle.kind_count")
            .with_msg("kind", kind(k))
            .with("n", n)
    }))
}

/// The destination a bundle's mark is kept for: the default one (`kadian sync` without
/// `--to`) and the TUI's outbox by their names, a label the user gave as it is.
fn destination(to: &str) -> Msg {
    match to {
        "default" => Msg::new("bundle.to.default"),
        "outbox" => Msg::new("bundle.to.outbox"),
        label => Msg::legacy(label),
    }
}

/// Where a bundle starts (`last`, `all` or a day), in words.
fn since(s: &str) -> Msg {
    match s {
        "last" => Msg::new("bundle.since.last"),
        "all" => Msg::new("bundle.since.all"),
        day => Msg::new("bundle.since.day").with("day", day),
    }
}

/// What a written bundle holds.
pub fn written(i18n: &I18n, r: &SyncReport) -> String {
    let h = &r.header;
    i18n.render(
        &Msg::new("bundle.written")
            .with("file", &r.file)
            .with("entries", h.entries)
            .with_msg("counts", kinds(&h.counts))
            .with("bytes", r.bytes)
            .with_msg("to", destination(&h.to))
            .with_msg("since", since(&h.since))
            .with("from", h.journal_from)
            .with("end", h.journal_to),
    )
}

/// What an import did: added, skipped, conflicts (one line each), waiting amendments.
pub fn imported(i18n: &I18n, r: &ImportReport) -> String {
    let dry = if r.dry_run {
        Msg::new("bundle.dry_run")
    } else {
        Msg::legacy("")
    };
    let mut s = i18n.render(
        &Msg::new("bundle.imported")
            .with_msg("dry", dry)
            .with("file", &r.file)
            .with("checkpoint", &r.checkpoint)
            .with("laptop", &r.laptop)
            .with("added", r.added_total())
            .with_msg("kinds", kinds(&r.added))
            .with("skipped", r.skipped)
            .with("conflicts", r.conflicts.len()),
    );
    if r.waiting > 0 {
        s.push_str(&i18n.render(&Msg::new("bundle.waiting").with("n", r.waiting)));
    }
    if r.trusted_now {
        s.push_str(
            &i18n.render(&Msg::new("bundle.trusted_now").with("fingerprint", &r.fingerprint)),
        );
    }
    for c in &r.conflicts {
        let in_effect = Msg::new(if c.in_effect == "incoming" {
            "bundle.incoming"
        } else {
            "bundle.existing"
        });
        s.push_str("\n  ");
        s.push_str(
            &i18n.render(
                &Msg::new("bundle.conflict")
                    .with("id", &c.id)
                    .with_msg("in_effect", in_effect),
            ),
        );
    }
    s
}

/// The inbox had no bundle.
pub fn no_bundles(i18n: &I18n, dir: &std::path::Path) -> String {
    i18n.render(&Msg::new("bundle.no_bundles").with("dir", dir.display()))
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
            Err(Error::Untrusted { .. }) => (
                i18n.render(&Msg::new("bundle.untrusted").with("file", &name)),
                false,
            ),
            // The reason alone: the line names the file.
            Err(Error::Bundle { detail, .. }) => (
                i18n.render(
                    &Msg::new("bundle.refused")
                        .with("file", &name)
                        .with_msg("detail", detail.clone()),
                ),
                false,
            ),
            Err(e) => (
                i18n.render(
                    &Msg::new("bundle.refused")
                        .with("file", &name)
                        .with_msg("detail", e.msg()),
                ),
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
    i18n.render(
        &Msg::new("bundle.refused_some")
            .with("n", refused.len())
            .with("total", r.files.len())
            .with("files", refused.join(i18n.t("list.sep"))),
    )
}

/// One line: checkpoint, entry id, and the two versions by the start of their SHA-256.
pub fn conflict(i18n: &I18n, c: &Conflict) -> String {
    i18n.render(
        &Msg::new("bundle.conflict_line")
            .with("checkpoint", &c.checkpoint)
            .with("id", &c.id)
            .with("kept", &c.kept[..c.kept.len().min(12)])
            .with("other", &c.other[..c.other.len().min(12)]),
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
    i18n.render(
        &Msg::new("bundle.folders")
            .with("outbox", outbox.display())
            .with("inbox", inbox.display()),
    )
}

/// This laptop's id and key fingerprint.
pub fn key(i18n: &I18n, k: &KeyFile) -> String {
    i18n.render(
        &Msg::new("bundle.key")
            .with("laptop", &k.laptop)
            .with("checkpoint", &k.checkpoint)
            .with("fingerprint", bundle::fingerprint(&k.public_key)),
    )
}

/// A key file written.
pub fn key_written(i18n: &I18n, file: &std::path::Path, k: &KeyFile) -> String {
    i18n.render(
        &Msg::new("bundle.key_written")
            .with("file", file.display())
            .with("fingerprint", bundle::fingerprint(&k.public_key)),
    )
}

/// A laptop trusted now.
pub fn trusted(i18n: &I18n, t: &TrustedLaptop) -> String {
    i18n.render(
        &Msg::new("bundle.trusted")
            .with("laptop", &t.laptop)
            .with("checkpoint", &t.checkpoint)
            .with("name", &t.name)
            .with("fingerprint", bundle::fingerprint(&t.public_key)),
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
    i18n.render(&Msg::new("bundle.removed").with("laptop", laptop))
}

pub fn not_trusted(i18n: &I18n, laptop: &str) -> String {
    i18n.render(&Msg::new("bundle.not_trusted").with("laptop", laptop))
}
