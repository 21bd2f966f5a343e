//! A line of the form under construction: spans plus their display width, and where the
//! caret of the focused field falls, so the real terminal cursor can be placed there.

use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::theme;
use crate::width::width;

#[derive(Default)]
pub struct Row {
    spans: Vec<Span<'static>>,
    width: usize,
    /// Column of the caret if the focused text field is on this row.
    pub cursor: Option<usize>,
}

impl Row {
    pub fn text(&mut self, s: &str, style: Style) -> &mut Self {
        self.width += width(s);
        self.spans.push(Span::styled(s.to_string(), style));
        self
    }

    pub fn gap(&mut self) -> &mut Self {
        self.text("  ", Style::default())
    }

    /// A labelled value: `label value`, the value padded to `min_width` columns.
    /// `caret`: the caret column inside the value when this is the focused text field.
    pub fn field(
        &mut self,
        label: &str,
        value: &str,
        min_width: usize,
        style: Style,
        caret: Option<usize>,
    ) -> &mut Self {
        self.text(label, theme::label()).text(" ", Style::default());
        if let Some(c) = caret {
            self.cursor = Some(self.width + c);
        }
        let pad = min_width.saturating_sub(width(value));
        self.text(&format!("{value}{}", " ".repeat(pad)), style)
    }

    pub fn into_line(self) -> Line<'static> {
        Line::from(self.spans)
    }
}
