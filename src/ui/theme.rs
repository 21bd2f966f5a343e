//! Colours and styles, in one place. Dispositions are coloured by severity so the officer
//! sees at a glance whether a person passes.

use ratatui::style::{Color, Modifier, Style};

use crate::domain::Disposition;

pub fn disposition(d: Disposition) -> Style {
    let s = Style::default().add_modifier(Modifier::BOLD);
    match d {
        Disposition::Pass => s.fg(Color::Green),
        Disposition::OnSiteTest | Disposition::RegisterPush => s.fg(Color::Yellow),
        Disposition::HomeMonitoring => s.fg(Color::LightYellow),
        Disposition::FeverClinic | Disposition::CentralQuarantine => s.fg(Color::LightRed),
        Disposition::TurnedBack => s.fg(Color::Magenta),
    }
}

pub fn label() -> Style {
    Style::default().fg(Color::Gray)
}

pub fn value() -> Style {
    Style::default().add_modifier(Modifier::UNDERLINED)
}

pub fn focused() -> Style {
    Style::default().fg(Color::Black).bg(Color::Cyan)
}

pub fn error() -> Style {
    Style::default()
        .fg(Color::LightRed)
        .add_modifier(Modifier::BOLD)
}

pub fn ok() -> Style {
    Style::default()
        .fg(Color::Green)
        .add_modifier(Modifier::BOLD)
}

pub fn hint() -> Style {
    Style::default().fg(Color::DarkGray)
}

pub fn title() -> Style {
    Style::default().add_modifier(Modifier::BOLD)
}

pub fn key() -> Style {
    Style::default().fg(Color::Black).bg(Color::Gray)
}

/// A form field: highlighted when focused, else underlined as a value.
pub fn field(focused: bool) -> Style {
    if focused { self::focused() } else { value() }
}
