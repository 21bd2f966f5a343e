//! `kadian bench-ui`: the TUI headless on a data dir, timed from start to the opening screen
//! and to the first frame, then key presses on the 记录 tab, each dispatched and drawn.

use std::path::Path;
use std::time::Instant;

use super::measure::ms;
use crate::clock::Clock;
use crate::error::Result;

/// `kadian bench-ui` (hidden): the TUI on the data dir, headless at 80×24 — time to the first
/// frame, then key presses on 记录 (↓ and PgDn, each dispatched and drawn); prints JSON.
pub fn ui(dir: &Path, clock: std::sync::Arc<dyn Clock>) -> Result<String> {
    use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
    let t = Instant::now();
    let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(80, 24))
        .map_err(|e| crate::error::Error::Io(std::io::Error::other(e.to_string())))?;
    let i18n = crate::i18n::I18n::new(crate::i18n::Lang::Zh);
    let (store, opening_frame) = crate::tui::open_behind_splash(&mut term, dir, &i18n)?;
    let mut rt = crate::tui::Runtime::new(store, clock);
    let mut app = crate::tui::new_app(&mut rt, crate::policy::Policy::default_policy(), i18n)?;
    let draw = |term: &mut ratatui::Terminal<ratatui::backend::TestBackend>,
                app: &crate::app::App| {
        let _ = term.draw(|f| crate::ui::draw(f, app));
    };
    draw(&mut term, &app);
    let first_frame = t.elapsed();
    // Signed in as the first officer (the bench skips the PIN), on 记录.
    if let Some(o) = rt.store.officers()?.into_iter().find(|o| o.active) {
        crate::tui::dispatch(&mut app, crate::app::Action::SignedIn(o), &mut rt);
    }
    let key = |c: KeyCode| Event::Key(KeyEvent::new(c, KeyModifiers::NONE));
    let ctrl = Event::Key(KeyEvent::new(KeyCode::Right, KeyModifiers::CONTROL));
    if let Some(a) = crate::tui::action_for(&app, &ctrl) {
        crate::tui::dispatch(&mut app, a, &mut rt);
    }
    draw(&mut term, &app);
    let mut times = Vec::new();
    for i in 0..200 {
        let ev = if i % 10 == 9 {
            key(KeyCode::PageDown)
        } else {
            key(KeyCode::Down)
        };
        let t = Instant::now();
        if let Some(a) = crate::tui::action_for(&app, &ev) {
            crate::tui::dispatch(&mut app, a, &mut rt);
        }
        draw(&mut term, &app);
        times.push(t.elapsed());
    }
    times.sort();
    let p = |q: f64| ms(times[((times.len() - 1) as f64 * q).round() as usize]);
    Ok(serde_json::json!({
        "opening_frame_ms": ms(opening_frame),
        "first_frame_ms": ms(first_frame),
        "key_p50_ms": p(0.5),
        "key_p99_ms": p(0.99),
        "records_total": app.records.total,
    })
    .to_string())
}
