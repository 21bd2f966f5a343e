//! Choosing a person for a roster cell (排班, F3): code and name, the cursor highlighted.

use ratatui::style::Style;
use ratatui::text::Line;

use crate::app::App;
use crate::app::overlay::assign::AssignForm;
use crate::ui::theme;

pub fn lines(app: &App, f: &AssignForm) -> (String, Vec<Line<'static>>) {
    let lines = f
        .options
        .iter()
        .enumerate()
        .map(|(i, (c, n))| {
            let style = if i == f.sel {
                theme::focused()
            } else {
                Style::default()
            };
            Line::styled(format!(" {c:<8} {n}"), style)
        })
        .collect();
    (app.i18n.t("roster.assign").to_string(), lines)
}
