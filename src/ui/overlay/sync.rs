//! The sync overlay's lines (F11; sketch in `app/overlay/sync.rs`).

use ratatui::text::{Line, Span};

use crate::app::App;
use crate::app::data::{Conflicts, Offer};
use crate::app::overlay::sync::SyncForm;
use crate::ui::theme;
use crate::width::{pad, truncate};

/// Characters of a path or result line that fit the 60-column overlay.
const ROOM: usize = 56;

/// The conflicts kept aside: one line each (checkpoint, entry, the two versions by the start
/// of their SHA-256), and how many more the command line lists.
fn conflict_lines(app: &App, c: &Conflicts) -> Vec<Line<'static>> {
    let i18n = &app.i18n;
    if c.total == 0 {
        return vec![Line::styled(
            i18n.t("sync.no_conflicts").to_string(),
            theme::ok(),
        )];
    }
    let mut out: Vec<Line> = c
        .shown
        .iter()
        .take(if c.total > c.shown.len() {
            c.shown.len() - 1
        } else {
            c.shown.len()
        })
        .map(|(cp, id, kept, other)| {
            let text = format!(
                "{cp} {id} {} {} {} {}",
                i18n.t("sync.in_effect"),
                &kept[..kept.len().min(8)],
                i18n.t("sync.aside"),
                &other[..other.len().min(8)]
            );
            Line::styled(truncate(&text, ROOM), theme::error())
        })
        .collect();
    if c.total > out.len() {
        out.push(Line::styled(
            truncate(
                &format!(
                    "… {} {} kadian import --conflicts",
                    c.total - out.len(),
                    i18n.t("sync.more")
                ),
                ROOM,
            ),
            theme::hint(),
        ));
    }
    out
}

pub fn lines(app: &App, f: &SyncForm) -> (String, Vec<Line<'static>>) {
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
                    "{} {n} · {}",
                    i18n.t("sync.conflicts"),
                    i18n.t("sync.conflicts_key")
                ),
                ROOM,
            ),
            theme::error(),
        ));
    }
    lines.push(Line::raw(""));
    if let Some(c) = &f.conflicts {
        lines.extend(conflict_lines(app, c));
    }
    for (text, ok) in f
        .lines
        .iter()
        .rev()
        .take(if f.conflicts.is_some() { 0 } else { 6 })
        .rev()
    {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::data::CONFLICT_ROWS;

    fn app() -> App {
        let now = chrono::DateTime::UNIX_EPOCH;
        App::new(
            crate::i18n::I18n::new(crate::i18n::Lang::En),
            crate::app::keymap::Keymap::default_keymap(),
            crate::policy::Policy::default_policy(),
            now,
            now.date_naive(),
        )
    }

    fn text(lines: &[Line]) -> Vec<String> {
        lines.iter().map(|l| l.to_string()).collect()
    }

    #[test]
    fn conflicts_fit_the_overlay_and_say_how_many_more() {
        let app = app();
        let row = |i: usize| {
            (
                "T01".to_string(),
                format!("record/T01-{i}"),
                "a".repeat(64),
                "b".repeat(64),
            )
        };
        let none = Conflicts::default();
        assert_eq!(text(&conflict_lines(&app, &none)), ["No conflicts"]);
        let few = Conflicts {
            shown: (0..3).map(row).collect(),
            total: 3,
        };
        assert_eq!(
            text(&conflict_lines(&app, &few))[0],
            "T01 record/T01-0 in effect aaaaaaaa set aside bbbbbbbb"
        );
        assert_eq!(conflict_lines(&app, &few).len(), 3);
        let many = Conflicts {
            shown: (0..CONFLICT_ROWS).map(row).collect(),
            total: 40,
        };
        let lines = text(&conflict_lines(&app, &many));
        assert_eq!(lines.len(), CONFLICT_ROWS, "{lines:?}");
        assert_eq!(
            lines[CONFLICT_ROWS - 1],
            format!(
                "… {} more: kadian import --conflicts",
                40 - (CONFLICT_ROWS - 1)
            )
        );
    }
}
