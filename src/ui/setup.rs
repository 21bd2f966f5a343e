//! First-run set-up (checkpoint and first officer with PIN) and the sign-in / lock screen.

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};

use super::row::Row;
use super::theme;
use crate::app::App;
use crate::app::state::SETUP_LABELS;
use crate::app::text::TextInput;
use crate::width::pad;

/// A PIN as dots; the caret column counts the dots.
fn masked(t: &TextInput) -> (String, usize) {
    let n = t.text().chars().count();
    ("•".repeat(n), n)
}

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
        let (shown, caret) = if i == 5 {
            masked(input)
        } else {
            (input.text().to_string(), input.caret_columns())
        };
        row.field(
            &pad(i18n.t(label), 14),
            &shown,
            24,
            style,
            focused.then_some(caret),
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

/// Sign in (also the lock screen): the active staff, ↑↓ to choose, the PIN as dots.
pub fn draw_sign_in(frame: &mut Frame, area: Rect, app: &App) {
    let i18n = &app.i18n;
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(i18n.t("pick.title"), theme::title()));
    let inner = block.inner(area);
    let mut lines = vec![
        Line::styled(i18n.t("pick.intro"), theme::hint()),
        Line::raw(""),
    ];
    let officers = app.active_officers();
    let visible = inner.height.saturating_sub(6) as usize;
    let first = app.pick.saturating_sub(visible.saturating_sub(1));
    for (i, o) in officers.iter().enumerate().skip(first).take(visible) {
        let style = if i == app.pick {
            theme::focused()
        } else {
            ratatui::style::Style::default()
        };
        let role = i18n.t(match o.role {
            crate::domain::Role::Officer => "role.officer",
            crate::domain::Role::Leader => "role.leader",
            crate::domain::Role::Admin => "role.admin",
        });
        lines.push(Line::styled(
            format!(" {:<8} {} {role}", o.code, pad(&o.name, 10)),
            style,
        ));
    }
    lines.push(Line::raw(""));
    let mut row = Row::default();
    let (shown, caret) = masked(&app.pin);
    row.field(
        i18n.t("setup.pin"),
        &shown,
        8,
        theme::focused(),
        Some(caret),
    );
    let cursor = row
        .cursor
        .map(|c| Position::new(inner.x + c as u16, inner.y + lines.len() as u16));
    lines.push(row.into_line());
    if let Some(s) = &app.status {
        let style = if s.ok { theme::ok() } else { theme::error() };
        lines.push(Line::styled(s.text.clone(), style));
    }
    frame.render_widget(Paragraph::new(lines).block(block), area);
    if let Some(p) = cursor {
        frame.set_cursor_position(p);
    }
}
