//! First-run set-up (checkpoint and first officer) and the officer-on-duty picker.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::row::Row;
use super::theme;
use crate::app::App;
use crate::app::state::SETUP_LABELS;

pub fn draw_setup(frame: &mut Frame, area: Rect, app: &App) {
    let i18n = &app.i18n;
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(i18n.t("setup.title"), theme::title()));
    let inner = block.inner(area);
    let mut lines = vec![
        Line::styled(i18n.t("setup.intro"), theme::hint()),
        Line::raw(""),
    ];
    let mut cursor = None;
    for (i, (label, input)) in SETUP_LABELS.iter().zip(&app.setup.fields).enumerate() {
        let focused = app.setup.focus == i;
        let mut row = Row::default();
        let style = if focused {
            theme::focused()
        } else {
            theme::value()
        };
        row.field(
            &super::pad(i18n.t(label), 14),
            input.text(),
            24,
            style,
            focused.then(|| input.caret_columns()),
        );
        if let Some(c) = row.cursor {
            cursor = Some(Position::new(
                inner.x + c as u16,
                inner.y + lines.len() as u16,
            ));
        }
        lines.push(row.into_line());
    }
    lines.push(Line::raw(""));
    if let Some(s) = &app.status {
        lines.push(Line::styled(format!("✗ {}", s.text), theme::error()));
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
    if let Some(p) = cursor {
        frame.set_cursor_position(p);
    }
}

pub fn draw_pick(frame: &mut Frame, area: Rect, app: &App) {
    let i18n = &app.i18n;
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(i18n.t("pick.title"), theme::title()));
    let mut lines = vec![
        Line::styled(i18n.t("pick.intro"), theme::hint()),
        Line::raw(""),
    ];
    for (i, o) in app.active_officers().iter().enumerate() {
        let style = if i == app.pick {
            theme::focused()
        } else {
            ratatui::style::Style::default()
        };
        lines.push(Line::styled(format!(" {:<8} {}", o.code, o.name), style));
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
}
