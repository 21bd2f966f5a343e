//! Drawing. `draw(frame, &App)` reads state only: no IO, no mutation. One file per screen.

mod log;
mod overlay;
mod records;
mod report;
mod review;
mod roster;
mod row;
mod setup;
pub mod theme;

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use crate::app::App;
use crate::app::state::{Screen, Tab};
use crate::width::{pad, truncate};

/// The smallest terminal the screens are laid out for (they are sketched at 80×24).
pub const MIN_WIDTH: u16 = 60;
pub const MIN_HEIGHT: u16 = 18;

pub fn draw(frame: &mut Frame, app: &App) {
    let area = frame.area();
    if area.width < MIN_WIDTH || area.height < MIN_HEIGHT {
        // Nothing is lost: the state is kept and drawn again once the window is larger.
        let text = format!(
            "{} {MIN_WIDTH}×{MIN_HEIGHT} ({}×{})",
            app.i18n.t("ui.too_small"),
            area.width,
            area.height
        );
        let lines: Vec<Line> = [text, app.i18n.t("ui.too_small_hint").to_string()]
            .into_iter()
            .map(|t| Line::styled(truncate(&t, area.width as usize), theme::error()))
            .collect();
        let y = area.y + area.height.saturating_sub(2) / 2;
        let rect = Rect::new(area.x, y, area.width, area.height.min(2));
        frame.render_widget(Paragraph::new(lines), rect);
        return;
    }
    let [header, body, duty, footer] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Min(0),
        Constraint::Length(1),
        Constraint::Length(1),
    ])
    .areas(frame.area());
    draw_header(frame, header, app);
    match app.screen {
        Screen::Setup => setup::draw_setup(frame, body, app),
        Screen::SignIn => setup::draw_sign_in(frame, body, app),
        Screen::Main => match app.tab {
            Tab::Log => log::draw(frame, body, app),
            Tab::Records => records::draw(frame, body, app),
            Tab::Roster => roster::draw(frame, body, app),
            Tab::Report => report::draw(frame, body, app),
        },
    }
    if app.screen == Screen::Main {
        roster::draw_duty_line(frame, duty, app);
        if let Some(o) = &app.overlay {
            overlay::draw(frame, app, o);
        }
    }
    draw_footer(frame, footer, app);
    if app.help {
        draw_help(frame, app);
    }
}

/// The opening screen, drawn while the store opens (`tui::open_behind_splash`).
pub fn draw_opening(
    frame: &mut Frame,
    i18n: &crate::i18n::I18n,
    dir: &std::path::Path,
    waited: std::time::Duration,
) {
    let area = frame.area();
    let width = area.width as usize;
    let lines = vec![
        Line::styled(truncate(i18n.t("app.name"), width), theme::title()),
        Line::raw(""),
        Line::raw(truncate(
            &format!(
                "{} {}",
                i18n.t("ui.opening"),
                i18n.render(
                    &crate::i18n::Msg::new("ui.seconds")
                        .with("n", format!("{:.1}", waited.as_secs_f64()))
                )
            ),
            width,
        )),
        Line::styled(truncate(&dir.display().to_string(), width), theme::hint()),
    ];
    let y = area.y + area.height.saturating_sub(lines.len() as u16) / 2;
    let rect = Rect::new(area.x, y, area.width, area.height.min(lines.len() as u16));
    frame.render_widget(
        Paragraph::new(lines).alignment(ratatui::layout::Alignment::Center),
        rect,
    );
}

fn draw_header(frame: &mut Frame, area: Rect, app: &App) {
    let i18n = &app.i18n;
    let mut spans = match &app.checkpoint {
        Some(cp) if cp.is_demo() => vec![
            Span::styled(format!(" {} ", i18n.t("header.demo")), theme::error()),
            Span::styled(format!("{} ", truncate(&cp.name, 12)), theme::title()),
        ],
        Some(cp) => vec![Span::styled(
            format!(" {} {} ", cp.code, truncate(&cp.name, 14)),
            theme::title(),
        )],
        None => vec![Span::styled(
            format!(" {} ", i18n.t("app.name")),
            theme::key(),
        )],
    };
    if app.screen == Screen::Main {
        spans.push(Span::raw("│"));
        for t in Tab::ALL {
            let style = if t == app.tab {
                theme::focused()
            } else {
                Style::default()
            };
            spans.push(Span::styled(format!(" {} ", i18n.t(t.key())), style));
        }
        spans.push(Span::raw("│"));
    }
    let clock = app.local(app.now).format(" %m-%d %H:%M ").to_string();
    if let Some(o) = &app.officer {
        // The clock always shows; the officer is cut to what is left.
        let used: usize = spans.iter().map(|s| s.width()).sum();
        let room = (area.width as usize).saturating_sub(used + clock.len());
        let who = format!(" {} {} {}", i18n.t("header.on_duty"), o.code, o.name);
        spans.push(Span::raw(truncate(&who, room)));
    }
    let used: usize = spans.iter().map(|s| s.width()).sum();
    let pad = (area.width as usize).saturating_sub(used + clock.len());
    spans.push(Span::raw(" ".repeat(pad)));
    spans.push(Span::styled(clock, theme::title()));
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The footer: the current screen's keys, generated from the keymap.
fn draw_footer(frame: &mut Frame, area: Rect, app: &App) {
    let mut spans = Vec::new();
    for (label, name) in app.keymap.footer(app.context()) {
        spans.push(Span::styled(label.to_string(), theme::key()));
        spans.push(Span::raw(format!(
            "{} ",
            app.i18n.t(&format!("action.{name}"))
        )));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// The F1 help: every key of the current screen with its action, then how fields are edited.
fn draw_help(frame: &mut Frame, app: &App) {
    let area = frame.area();
    let w = area.width.min(64);
    let h = area.height.saturating_sub(2).min(22);
    let rect = Rect::new(area.x + (area.width - w) / 2, area.y + 1, w, h);
    let i18n = &app.i18n;
    let mut lines: Vec<Line> = Vec::new();
    // The keys of this screen, one line per action, its keys joined: `Tab/Enter/Down  下一项`.
    let ctx = app.context();
    let mut actions: Vec<(&str, Vec<&str>)> = Vec::new();
    let here = app.keymap.bindings.iter().filter(|b| {
        b.contexts.contains(&ctx) || b.contexts.contains(&crate::app::keymap::Context::Global)
    });
    for b in here {
        match actions.iter_mut().find(|(n, _)| *n == b.name) {
            Some((_, labels)) if !labels.contains(&b.label.as_str()) => labels.push(&b.label),
            Some(_) => {}
            None => actions.push((&b.name, vec![&b.label])),
        }
    }
    for (name, labels) in actions {
        lines.push(Line::from(vec![
            Span::styled(format!(" {}", pad(&labels.join("/"), 22)), theme::title()),
            Span::raw(i18n.t(&format!("action.{name}")).to_string()),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!(" {}", i18n.t("help.fields")),
        theme::hint(),
    ));
    frame.render_widget(Clear, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(i18n.t("help.title"));
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        rect,
    );
}
