//! The overlay open over a screen: a 60-column box under the header, its title and lines
//! drawn by the overlay's own file here.

mod amend;
mod assign;
mod audit;
mod export;
mod filter;
mod handover;
mod purge;
mod settings;
mod sign;
mod sync;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use crate::app::App;
use crate::app::state::Overlay;
use crate::ui::theme;

pub fn draw(frame: &mut Frame, app: &App, o: &Overlay) {
    let area = frame.area();
    let w = area.width.min(60);
    let (title, lines) = match o {
        Overlay::Assign(f) => assign::lines(app, f),
        Overlay::Handover(f) => handover::lines(app, f),
        Overlay::Settings(f) => settings::lines(app, f),
        Overlay::Sign(f) => sign::lines(app, f),
        Overlay::Export(f) => export::lines(app, f),
        Overlay::Filter(f) => filter::lines(app, f),
        Overlay::Amend(f) => amend::lines(app, f),
        Overlay::Audit(entries) => audit::lines(app, entries),
        Overlay::Sync(f) => sync::lines(app, f),
        Overlay::Purge(f) => purge::lines(app, f),
    };
    let h = (lines.len() as u16 + 2).min(area.height.saturating_sub(2));
    let rect = Rect::new(area.x + (area.width - w) / 2, area.y + 2, w, h);
    clear_for_overlay(frame, rect);
    let block = Block::default()
        .borders(Borders::ALL)
        .title(Span::styled(title, theme::title()));
    frame.render_widget(Paragraph::new(lines).block(block), rect);
}

/// Clears the area an overlay covers, one column wider on each side: a wide (CJK)
/// character of the screen below that straddles the overlay's edge would otherwise leave
/// half a glyph over its border.
fn clear_for_overlay(frame: &mut Frame, rect: Rect) {
    let area = frame.area();
    let x = rect.x.saturating_sub(1);
    let right = (rect.right() + 1).min(area.right());
    frame.render_widget(Clear, Rect::new(x, rect.y, right - x, rect.height));
}
