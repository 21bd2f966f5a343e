//! The export overlay (日报, F4): what, format, path, and marking a push list pushed.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use crate::app::App;
use crate::app::overlay::export::ExportForm;
use crate::report::export::{ExportFormat, What};
use crate::ui::theme;
use crate::width::{pad, truncate};

pub fn lines(app: &App, f: &ExportForm) -> (String, Vec<Line<'static>>) {
    let i18n = &app.i18n;
    let what = match f.what {
        What::Records => i18n.t("export.records"),
        What::Report => i18n.t("export.report"),
        What::Push => i18n.t("export.push"),
    };
    let format = match f.format {
        ExportFormat::Xlsx => "XLSX",
        ExportFormat::Csv => "CSV",
        ExportFormat::Json => "JSON",
    };
    let row = |label: &str, value: String, i: usize| {
        Line::from(vec![
            Span::raw(pad(label, 12)),
            Span::styled(value, theme::field(f.focus == i)),
        ])
    };
    let mut lines = vec![
        row(i18n.t("export.what"), format!("‹{what}›"), 0),
        row(i18n.t("export.format"), format!("‹{format}›"), 1),
        row(i18n.t("export.path"), truncate(f.path.text(), 44), 2),
    ];
    if f.what == What::Push {
        lines.push(row(
            i18n.t("export.mark_pushed"),
            format!("‹{}›", i18n.yes_no(f.mark_pushed)),
            3,
        ));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        i18n.t("export.hint").to_string(),
        Style::default(),
    ));
    (i18n.t("export.title").to_string(), lines)
}
