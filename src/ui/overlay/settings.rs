//! Posts and shifts (排班, F9): the shift pattern, grace, idle lock, each post's need.

use ratatui::text::{Line, Span};

use crate::app::App;
use crate::app::overlay::settings::SettingsForm;
use crate::ui::theme;
use crate::width::pad;

pub fn lines(app: &App, f: &SettingsForm) -> (String, Vec<Line<'static>>) {
    let i18n = &app.i18n;
    let mark = |i: usize| theme::field(f.row == i);
    let pattern = f
        .cfg
        .shifts
        .iter()
        .map(|s| format!("{}{}h", s.name, s.hours))
        .collect::<Vec<_>>()
        .join(" ");
    let mut lines = vec![
        Line::from(vec![
            Span::raw(pad(i18n.t("settings.shifts"), 14)),
            Span::styled(format!("‹{pattern}›"), mark(0)),
        ]),
        Line::from(vec![
            Span::raw(pad(i18n.t("settings.grace"), 14)),
            Span::styled(format!("‹{}›", f.cfg.grace_min), mark(1)),
        ]),
        Line::from(vec![
            Span::raw(pad(i18n.t("settings.idle"), 14)),
            Span::styled(format!("‹{}›", f.cfg.idle_lock_min), mark(2)),
        ]),
    ];
    for (i, p) in f.cfg.posts.iter().enumerate() {
        lines.push(Line::from(vec![
            Span::raw(pad(&p.name, 14)),
            Span::styled(format!("‹{}›", p.need), mark(3 + i)),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        i18n.t("settings.hint").to_string(),
        theme::hint(),
    ));
    (i18n.t("settings.title").to_string(), lines)
}
