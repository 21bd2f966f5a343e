//! The event loop: terminal events in, frames out. Opens the store behind an opening screen,
//! builds the `App`, then polls for keys (with a timeout for the clock tick), runs each
//! action through `app::update` and its effects, and draws with `ui::draw` after a change.
//! Background jobs (exports) run on threads and report back as actions.

use std::path::Path;
use std::sync::{Arc, mpsc};
use std::time::Duration;

use anyhow::Result;
use crossterm::event::{self, Event, KeyEventKind};
use ratatui::DefaultTerminal;

use crate::app::action::{Action, Effect};
use crate::app::state::{App, Tab};
use crate::app::{effects, keymap, text, update};
use crate::clock::Clock;
use crate::i18n::{I18n, Lang};
use crate::policy::Policy;
use crate::store::Store;
use crate::ui;

/// What effects run against: the store (shared with background jobs such as exports), the
/// clock, and the jobs under way, whose progress comes back as actions.
pub struct Runtime {
    pub store: Arc<Store>,
    pub clock: Arc<dyn Clock>,
    /// Who signed in with their PIN; effects act as them.
    pub session: effects::Session,
    jobs: Vec<mpsc::Receiver<Action>>,
}

impl Runtime {
    pub fn new(store: Store, clock: Arc<dyn Clock>) -> Self {
        Self {
            store: Arc::new(store),
            clock,
            session: effects::Session::default(),
            jobs: Vec::new(),
        }
    }

    /// Actions the background jobs have sent since the last call.
    pub fn poll_jobs(&mut self) -> Vec<Action> {
        let mut out = Vec::new();
        self.jobs.retain(|rx| {
            loop {
                match rx.try_recv() {
                    Ok(a) => out.push(a),
                    Err(mpsc::TryRecvError::Empty) => break true,
                    Err(mpsc::TryRecvError::Disconnected) => break false,
                }
            }
        });
        out
    }

    pub fn busy(&self) -> bool {
        !self.jobs.is_empty()
    }

    /// Runs an export on its own thread; progress and the result come back as actions.
    fn spawn_export(
        &mut self,
        app: &App,
        req: crate::report::export::Request,
        mark_by: Option<String>,
    ) {
        // A leader's export shows personal details (audited, like Ctrl+R); an officer's is
        // masked. Marking pushes acts as the signed-in person.
        let actor = self.session.actor().cloned();
        let revealer = actor.clone().filter(|a| {
            a.require(&self.store, crate::domain::Permission::Lead, "reveal")
                .is_ok()
        });
        let (tx, rx) = mpsc::channel();
        self.jobs.push(rx);
        let (store, clock) = (self.store.clone(), self.clock.clone());
        let (policy, i18n) = (app.policy.clone(), app.i18n.clone());
        std::thread::spawn(move || {
            let mut progress = |done, total| {
                let _ = tx.send(Action::ExportProgress(done, total));
            };
            let result = crate::ops::report::export(
                &store,
                &policy,
                &i18n,
                clock.as_ref(),
                revealer.as_ref(),
                &req,
                &mut progress,
            )
            .and_then(|s| {
                if mark_by.is_some() {
                    let actor = actor.as_ref().ok_or_else(|| {
                        crate::error::Error::PinNeeded(mark_by.clone().unwrap_or_default())
                    })?;
                    crate::ops::report::mark_pushed(&store, clock.as_ref(), actor, &s.pushed)?;
                }
                Ok(s)
            });
            let _ = tx.send(Action::ExportDone(
                result
                    .map(|s| (s.rows, s.files))
                    .map_err(|e| i18n.error(&e)),
            ));
        });
    }
}

/// Builds the app for a store: the set-up screen on an empty dir, else the sign-in.
pub fn new_app(rt: &mut Runtime, policy: Policy, i18n: I18n) -> crate::error::Result<App> {
    let now = rt.clock.now();
    let mut app = App::new(
        i18n,
        keymap::Keymap::default_keymap(),
        policy,
        now,
        rt.store.day_of(now),
    );
    app.export_dir = rt.store.dir().join("exports");
    // A command post logs nothing: it opens on the consolidated 日报.
    app.command_post = rt.store.is_command_post();
    if app.command_post {
        app.tab = Tab::Report;
    }
    if let Some(cp) = rt.store.checkpoint() {
        let ready = Action::Ready {
            checkpoint: cp.clone(),
            officers: rt.store.officers()?,
        };
        dispatch(&mut app, ready, rt);
    }
    Ok(app)
}

/// Runs an action and every effect it causes, feeding results back, until quiet.
pub fn dispatch(app: &mut App, action: Action, rt: &mut Runtime) {
    // First in, first out: an effect's results are handled in the order it gave them.
    let mut queue = std::collections::VecDeque::from([action]);
    while let Some(a) = queue.pop_front() {
        for effect in update::update(app, a) {
            match effect {
                Effect::Export {
                    request,
                    mark_pushed_by,
                } => rt.spawn_export(app, request, mark_pushed_by),
                other => {
                    let policy = app.policy.clone();
                    let env = effects::Env {
                        store: &rt.store,
                        clock: rt.clock.as_ref(),
                        policy: &policy,
                        i18n: &app.i18n,
                    };
                    queue.extend(effects::run(other, env, &mut rt.session));
                }
            }
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

/// Opens the store on a thread while the terminal shows the opening screen (a large store
/// takes a moment: sled loads its page table and the journal tail is replayed), so the
/// officer sees the program answer at once. Returns the store and when the first frame was
/// drawn.
pub fn open_behind_splash<B: ratatui::backend::Backend>(
    terminal: &mut ratatui::Terminal<B>,
    dir: &Path,
    i18n: &I18n,
) -> crate::error::Result<(Store, Duration)> {
    let started = std::time::Instant::now();
    let path = dir.to_path_buf();
    let opening = std::thread::spawn(move || Store::open(&path));
    let mut first = None;
    while !opening.is_finished() {
        let waited = started.elapsed();
        // A failed draw shows again in the event loop; the store is what matters here.
        let _ = terminal.draw(|f| ui::draw_opening(f, i18n, dir, waited));
        first.get_or_insert_with(|| started.elapsed());
        std::thread::sleep(Duration::from_millis(40));
    }
    let store = match opening.join() {
        Ok(opened) => opened?,
        Err(panic) => std::panic::resume_unwind(panic),
    };
    Ok((store, first.unwrap_or_else(|| started.elapsed())))
}

/// Runs the TUI on the data dir `dir`, in `lang`, until the officer quits.
pub fn run(dir: &Path, lang: Lang, clock: Arc<dyn Clock>) -> Result<()> {
    let i18n = I18n::new(lang);
    let mut terminal = match ratatui::try_init() {
        Ok(t) => t,
        Err(e) => {
            ratatui::restore();
            // No terminal to draw on (output redirected, say): a store that cannot be opened
            // is still the more useful thing to say ("in use by another kadian").
            drop(Store::open(dir)?);
            return Err(anyhow::anyhow!(
                "kadian needs a terminal for its screens (use a command such as `kadian list` otherwise): {e}"
            ));
        }
    };
    // Any failure before the event loop gives the terminal back first, so its one line
    // ("in use by another kadian", a damaged store…) prints normally.
    let opened = (|| -> Result<_> {
        let (store, _) = open_behind_splash(&mut terminal, dir, &i18n)?;
        crate::logging::init(dir);
        let policy = Policy::load(dir)?;
        let mut rt = Runtime::new(store, clock);
        let app = new_app(&mut rt, policy, i18n)?;
        Ok((rt, app))
    })();
    let (mut rt, mut app) = match opened {
        Ok(v) => v,
        Err(e) => {
            ratatui::restore();
            return Err(e);
        }
    };
    let _ = crossterm::execute!(std::io::stdout(), event::EnableBracketedPaste);
    let result = event_loop(&mut terminal, &mut app, &mut rt);
    let _ = crossterm::execute!(std::io::stdout(), event::DisableBracketedPaste);
    ratatui::restore();
    // An export still running finishes its file before the store closes.
    while rt.busy() {
        rt.poll_jobs();
        std::thread::sleep(Duration::from_millis(50));
    }
    rt.store.close()?;
    result
}

fn event_loop(terminal: &mut DefaultTerminal, app: &mut App, rt: &mut Runtime) -> Result<()> {
    let mut dirty = true;
    let mut shown_minute = String::new();
    while !app.quit {
        if dirty {
            terminal.draw(|f| ui::draw(f, app))?;
            dirty = false;
        }
        if event::poll(Duration::from_millis(if rt.busy() { 100 } else { 250 }))? {
            let ev = event::read()?;
            if let Some(action) = action_for(app, &ev) {
                dispatch(app, Action::Touch(rt.clock.now()), rt);
                dispatch(app, action, rt);
            }
            dirty = true;
        } else {
            let now = rt.clock.now();
            let minute = app.local(now).format("%H:%M").to_string();
            if minute != shown_minute {
                shown_minute = minute;
                let day = rt.store.day_of(now);
                dispatch(app, Action::Tick(now, day), rt);
                dirty = true;
            }
        }
        for a in rt.poll_jobs() {
            dispatch(app, a, rt);
            dirty = true;
        }
    }
    Ok(())
}
