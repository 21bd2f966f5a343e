//! The handover overlay (交接班, F12): the shift's counts, who takes over, the PIN (masked),
//! open matters, notes.

use ratatui::text::{Line, Span};

use crate::app::App;
use crate::app::overlay::handover::HandoverForm;
use crate::ui::roster::counts_text;
use crate::ui::theme;
use crate::width::pad;

pub fn lines(app: &App, f: &HandoverForm) -> (String, Vec<Line<'static>>) {
    let i18n = &app.i18n;
    let field = |i: usize| theme::field(f.focus == i);
    let incoming = f
        .leaders
        .get(f.incoming)
        .map_or(String::new(), |(c, n)| format!("‹{c} {n}›"));
    let counts = app
        .duty
        .as_ref()
        .map_or(String::new(), |d| counts_text(app, &d.shift, d));
    (
        i18n.t("handover.title").to_string(),
        vec![
            Line::styled(counts, theme::title()),
            Line::raw(""),
            Line::from(vec![
                Span::raw(pad(i18n.t("handover.incoming"), 10)),
                Span::styled(incoming, field(0)),
            ]),
            Line::from(vec![
                Span::raw(pad(i18n.t("setup.pin"), 10)),
                Span::styled(pad(&"•".repeat(f.pin.text().chars().count()), 8), field(1)),
            ]),
            Line::from(vec![
                Span::raw(pad(i18n.t("handover.matters"), 10)),
                Span::styled(pad(f.matters.text(), 40), field(2)),
            ]),
            Line::from(vec![
                Span::raw(pad(i18n.t("handover.notes"), 10)),
                Span::styled(pad(f.notes.text(), 40), field(3)),
            ]),
            Line::raw(""),
            Line::styled(i18n.t("handover.hint").to_string(), theme::hint()),
        ],
    )
}
