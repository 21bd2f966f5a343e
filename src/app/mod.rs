//! The terminal UI (The Elm Architecture, synchronous): terminal event → keymap → Action →
//! `update(&mut App)` → effects → store → result Actions; `ui::draw(&App)` after changes.

pub mod action;
pub mod duty;
pub mod effects;
pub mod form;
pub mod keymap;
pub mod state;
pub mod text;
pub mod update;

use std::time::Duration;

use anyhow::Result;
use crossterm::event::{self, Event, KeyEventKind};
use ratatui::DefaultTerminal;

pub use action::{Action, Effect};
pub use state::App;

use crate::cli::{Cli, data_dir, lang};
use crate::clock::Clock;
use crate::i18n::I18n;
use crate::policy::Policy;
use crate::store::Store;

/// Builds the app for a store: the set-up screen on an empty dir, else ready to log.
pub fn new_app(
    store: &Store,
    policy: Policy,
    i18n: I18n,
    clock: &dyn Clock,
) -> crate::error::Result<App> {
    let now = clock.now();
    let mut app = App::new(
        i18n,
        keymap::Keymap::default_keymap(),
        policy,
        now,
        store.day_of(now),
    );
    if let Some(cp) = store.checkpoint() {
        let ready = Action::Ready {
            checkpoint: cp.clone(),
            officers: store.officers()?,
        };
        dispatch(&mut app, ready, store, clock);
    }
    Ok(app)
}

/// Runs an action and every effect it causes, feeding results back, until quiet.
pub fn dispatch(app: &mut App, action: Action, store: &Store, clock: &dyn Clock) {
    // First in, first out: an effect's results are handled in the order it gave them.
    let mut queue = std::collections::VecDeque::from([action]);
    while let Some(a) = queue.pop_front() {
        for effect in update::update(app, a) {
            let policy = app.policy.clone();
            queue.extend(effects::run(effect, store, clock, &policy));
        }
    }
}

/// Maps a terminal event to an action (key presses only: Windows also reports releases).
pub fn action_for(app: &App, ev: &Event) -> Option<Action> {
    match ev {
        Event::Key(k) if k.kind != KeyEventKind::Release => {
            if app.help {
                return Some(Action::Close);
            }
            app.keymap.dispatch(k, app.context())
        }
        Event::Paste(s) => Some(Action::Edit(text::Edit::Paste(s.clone()))),
        _ => None,
    }
}

pub fn run_tui(cli: &Cli, clock: &dyn Clock) -> Result<()> {
    let dir = data_dir(cli)?;
    // Opened before the terminal is taken, so "in use by another kadian" prints normally.
    let store = Store::open(&dir)?;
    crate::logging::init(&dir);
    let policy = Policy::load(&dir)?;
    let mut app = new_app(&store, policy, I18n::new(lang(cli)), clock)?;
    let mut terminal = ratatui::init();
    let _ = crossterm::execute!(std::io::stdout(), event::EnableBracketedPaste);
    let result = event_loop(&mut terminal, &mut app, &store, clock);
    let _ = crossterm::execute!(std::io::stdout(), event::DisableBracketedPaste);
    ratatui::restore();
    store.close()?;
    result
}

fn event_loop(
    terminal: &mut DefaultTerminal,
    app: &mut App,
    store: &Store,
    clock: &dyn Clock,
) -> Result<()> {
    let mut dirty = true;
    let mut shown_minute = String::new();
    while !app.quit {
        if dirty {
            terminal.draw(|f| crate::ui::draw(f, app))?;
            dirty = false;
        }
        if event::poll(Duration::from_millis(250))? {
            let ev = event::read()?;
            if let Some(action) = action_for(app, &ev) {
                dispatch(app, Action::Touch(clock.now()), store, clock);
                dispatch(app, action, store, clock);
            }
            dirty = true;
        } else {
            let now = clock.now();
            let minute = app.local(now).format("%H:%M").to_string();
            if minute != shown_minute {
                shown_minute = minute;
                dispatch(app, Action::Tick(now, store.day_of(now)), store, clock);
                dirty = true;
            }
        }
    }
    Ok(())
}
