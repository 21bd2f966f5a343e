//! What the screens read again after something was written (a notice from an effect, a
//! bundle imported): the day's rows and counts, and the 日报 when it is on screen.

use super::action::Effect;
use super::state::{App, TODAY_ROWS, Tab};

/// The reloads after a write, after `first` (what the caller reloads itself).
pub fn after_write(app: &App, first: Effect) -> Vec<Effect> {
    let mut effects = vec![
        first,
        Effect::LoadToday {
            day: app.day,
            limit: TODAY_ROWS,
        },
    ];
    if app.tab == Tab::Report {
        effects.push(Effect::LoadReport {
            day: app.report.day.unwrap_or(app.day),
        });
    }
    effects
}
