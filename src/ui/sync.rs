//! The sync overlay's lines (sketch in `app/sync.rs`).

use ratatui::text::{Line, Span};

use super::{pad, theme, truncate};
use crate::app::App;
use crate::app::sync::{Offer, SyncForm};

/// Characters of a path or result line that fit the 60-column overlay.
const ROOM: usize = 56;

pub fn sync_lines(app: &App, f: &SyncForm) -> (String, Vec<Line<'static>>) {
    let i18n = &app.i18n;
    let mut lines = Vec::new();
    if let Some(offer) = f.offer {
        let key = match offer {
            Offer::Handover => "sync.offer_handover",
            Offer::SignOff => "sync.offer_signoff",
        };
        lines.push(Line::styled(truncate(i18n.t(key), ROOM), theme::title()));
    }
    match &f.info {
        Some(info) => {
            let short = crate::sync::short_laptop(&info.laptop);
            let who = if info.command_post {
                format!("{} {}", i18n.t("sync.command_post"), info.checkpoint)
            } else {
                format!("{} {}", i18n.t("sync.this_laptop"), info.checkpoint)
            };
            lines.push(Line::raw(truncate(&format!("{who} …{short}"), ROOM)));
            lines.push(Line::from(vec![
                Span::raw(pad(i18n.t("sync.fingerprint"), 8)),
                Span::styled(info.fingerprint.clone(), theme::title()),
            ]));
        }
        None => lines.push(Line::raw("…")),
    }
    let row = |label: &str, value: &str, i: usize, extra: String| {
        Line::from(vec![
            Span::raw(pad(label, 8)),
            Span::styled(pad(&truncate(value, 36), 36), theme::field(f.focus == i)),
            Span::raw(format!(" {extra}")),
        ])
    };
    let waiting = f.info.as_ref().map_or(String::new(), |i| {
        format!("{} {}", i.waiting, i18n.t("sync.waiting"))
    });
    lines.push(row(
        i18n.t("sync.outbox"),
        f.outbox.text(),
        0,
        String::new(),
    ));
    lines.push(row(i18n.t("sync.inbox"), f.inbox.text(), 1, waiting));
    let range = if f.all {
        i18n.t("sync.since_all")
    } else {
        i18n.t("sync.since_last")
    };
    lines.push(Line::from(vec![
        Span::raw(pad(i18n.t("sync.range"), 8)),
        Span::styled(format!("‹{range}›"), theme::field(f.focus == 2)),
    ]));
    if let Some(n) = f.info.as_ref().map(|i| i.conflicts).filter(|n| *n > 0) {
        lines.push(Line::styled(
            truncate(
                &format!(
                    "{} {n} · kadian import --conflicts",
                    i18n.t("sync.conflicts")
                ),
                ROOM,
            ),
            theme::error(),
        ));
    }
    lines.push(Line::raw(""));
    for (text, ok) in f.lines.iter().rev().take(6).rev() {
        let style = if *ok { theme::ok() } else { theme::error() };
        lines.push(Line::styled(
            truncate(text.lines().next().unwrap_or(""), ROOM),
            style,
        ));
    }
    if let Some((_, laptop, fp)) = &f.untrusted {
        lines.push(Line::styled(
            truncate(&format!("{} {laptop}", i18n.t("sync.untrusted")), ROOM),
            theme::error(),
        ));
        lines.push(Line::styled(format!("  {fp}"), theme::title()));
        lines.push(Line::styled(
            truncate(i18n.t("sync.trust_hint"), ROOM),
            theme::hint(),
        ));
    }
    let hint = if f.info.as_ref().is_some_and(|i| i.command_post) {
        i18n.t("sync.hint_post")
    } else {
        i18n.t("sync.hint")
    };
    lines.push(Line::styled(truncate(hint, ROOM), theme::hint()));
    (i18n.t("sync.title").to_string(), lines)
}
