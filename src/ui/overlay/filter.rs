//! The 记录 filter bar (F3): one row per field, choices in ‹ ›.

use ratatui::text::{Line, Span};

use crate::app::App;
use crate::app::overlay::filter::{FILTER_FIELDS, FilterForm};
use crate::ui::theme;
use crate::width::pad;

pub fn lines(app: &App, f: &FilterForm) -> (String, Vec<Line<'static>>) {
    let i18n = &app.i18n;
    let mut lines = Vec::new();
    for (i, key) in FILTER_FIELDS.iter().enumerate() {
        let value = match i {
            0..=6 => f.texts[i].text().to_string(),
            7 => format!(
                "‹{}›",
                f.disposition
                    .map_or(i18n.t("filter.any").to_string(), |d| i18n
                        .disposition(d)
                        .to_string())
            ),
            8 => format!(
                "‹{}›",
                f.kind.map_or(i18n.t("filter.any").to_string(), |k| i18n
                    .kind(k)
                    .to_string())
            ),
            _ => format!("‹{}›", i18n.yes_no(f.amended)),
        };
        lines.push(Line::from(vec![
            Span::raw(pad(i18n.t(key), 14)),
            Span::styled(pad(&value, 20), theme::field(f.focus == i)),
        ]));
    }
    lines.push(Line::styled(
        i18n.t("filter.hint").to_string(),
        theme::hint(),
    ));
    (i18n.t("filter.title").to_string(), lines)
}
