//! The sign overlay (日报, F5 / F8): the PIN, and the reason for a new version.

use ratatui::text::{Line, Span};

use crate::app::App;
use crate::app::overlay::sign::SignForm;
use crate::ui::theme;
use crate::width::pad;

pub fn lines(app: &App, f: &SignForm) -> (String, Vec<Line<'static>>) {
    let i18n = &app.i18n;
    let mut lines = vec![
        Line::raw(i18n.t("report.sign_hint").to_string()),
        Line::raw(""),
        Line::from(vec![
            Span::raw(pad(i18n.t("setup.pin"), 18)),
            Span::styled(
                pad(&"•".repeat(f.pin.text().chars().count()), 8),
                theme::field(f.focus == 0),
            ),
        ]),
    ];
    if f.needs_reason {
        lines.push(Line::from(vec![
            Span::raw(pad(i18n.t("report.reason"), 18)),
            Span::styled(pad(f.reason.text(), 30), theme::field(f.focus == 1)),
        ]));
    }
    let title = if f.day_off {
        i18n.t("report.signoff_title")
    } else {
        i18n.t("report.sign_title")
    };
    (title.to_string(), lines)
}
