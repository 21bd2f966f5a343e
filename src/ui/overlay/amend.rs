//! Amend or void the record in the 记录 detail (F5 / F6): field, value, reason.

use ratatui::text::{Line, Span};

use crate::app::App;
use crate::app::overlay::amend::AmendForm;
use crate::ui::theme;
use crate::width::pad;

pub fn lines(app: &App, f: &AmendForm) -> (String, Vec<Line<'static>>) {
    let i18n = &app.i18n;
    let void = f.field >= f.fields.len();
    let field = match f.fields.get(f.field) {
        Some(p) => crate::view::amend_field(i18n, p),
        None => i18n.t("record.voided").to_string(),
    };
    let mut lines = vec![Line::from(vec![
        Span::raw(pad(i18n.t("amend.field"), 10)),
        Span::styled(format!("‹{field}›"), theme::field(f.focus == 0)),
    ])];
    if !void {
        lines.push(Line::from(vec![
            Span::raw(pad(i18n.t("amend.value"), 10)),
            Span::styled(pad(f.value.text(), 30), theme::field(f.focus == 1)),
        ]));
    }
    let reason_focus = if void { 1 } else { 2 };
    lines.push(Line::from(vec![
        Span::raw(pad(i18n.t("field.reason"), 10)),
        Span::styled(
            pad(f.reason.text(), 30),
            theme::field(f.focus == reason_focus),
        ),
    ]));
    lines.push(Line::styled(
        i18n.t("amend.hint").to_string(),
        theme::hint(),
    ));
    (i18n.t("amend.title").to_string(), lines)
}
