//! The day's audit log (记录, admins): time, who, what, which record.

use ratatui::text::Line;

use crate::app::App;
use crate::store::AuditEntry;
use crate::ui::theme;
use crate::width::truncate;

pub fn lines(app: &App, entries: &[AuditEntry]) -> (String, Vec<Line<'static>>) {
    let i18n = &app.i18n;
    let mut lines: Vec<Line> = entries
        .iter()
        .map(|e| {
            // `what` is a stored code (`reveal`); its words are those of the action.
            let key = format!("act.{}", e.what);
            let what = if i18n.has(&key) {
                i18n.t(&key)
            } else {
                &e.what
            };
            Line::raw(format!(
                "{} {} {} {}",
                app.local(e.at).format("%H:%M:%S"),
                e.by,
                truncate(what, 16),
                truncate(&e.record, 36)
            ))
        })
        .collect();
    if lines.is_empty() {
        lines.push(Line::styled(
            i18n.t("audit.none").to_string(),
            theme::hint(),
        ));
    }
    (i18n.t("audit.title").to_string(), lines)
}
