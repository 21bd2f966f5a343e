//! The retention purge overlay (日报, Ctrl+P; sketch in `app/overlay/purge.rs`).

use ratatui::text::Line;

use crate::app::App;
use crate::app::overlay::purge::PurgeForm;
use crate::ui::theme;

pub fn lines(app: &App, f: &PurgeForm) -> (String, Vec<Line<'static>>) {
    let i18n = &app.i18n;
    let mut lines = vec![
        Line::raw(format!(
            "{} {} {} · {} {}",
            i18n.t("purge.retention"),
            f.retention_days,
            i18n.t("purge.days"),
            i18n.t("purge.before"),
            f.before
        )),
        Line::styled(i18n.t("purge.what").to_string(), theme::hint()),
        Line::raw(""),
    ];
    let count = |label: &str, r: &crate::store::PurgeReport| {
        format!(
            "{label} {} {} · {} {}",
            r.records,
            i18n.t("purge.records"),
            r.persons,
            i18n.t("purge.persons")
        )
    };
    match (&f.preview, &f.done) {
        (_, Some(r)) => {
            lines.push(Line::styled(count(i18n.t("purge.removed"), r), theme::ok()));
            lines.push(Line::raw(""));
            lines.push(Line::styled(
                i18n.t("purge.close").to_string(),
                theme::hint(),
            ));
        }
        (Some(r), None) => {
            lines.push(Line::styled(count(i18n.t("purge.will"), r), theme::error()));
            lines.push(Line::raw(""));
            lines.push(Line::styled(
                i18n.t("purge.hint").to_string(),
                theme::hint(),
            ));
        }
        (None, None) => lines.push(Line::raw("…")),
    }
    (i18n.t("purge.title").to_string(), lines)
}
