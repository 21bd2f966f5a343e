//! A TUI test desk: a temp store, a fixed clock (2026-11-24 09:15 Shanghai), the app driven
//! through the real keymap → update → effects path, drawn on an 80×24 TestBackend.

use chrono::{TimeZone, Utc};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use kadian::app::App;
use kadian::clock::FixedClock;
use kadian::domain::{Checkpoint, Officer, Role};
use kadian::i18n::{I18n, Lang};
use kadian::policy::Policy;
use kadian::store::Store;
use kadian::tui::{self, Runtime};
use ratatui::{Terminal, backend::TestBackend};
use std::sync::Arc;

pub struct Desk {
    pub _dir: tempfile::TempDir,
    pub store: Arc<Store>,
    pub clock: FixedClock,
    pub rt: Runtime,
    pub app: App,
    pub term: Terminal<TestBackend>,
}

/// A store with checkpoint HN-01 (常德北收费站, 湘) in a temp dir.
pub fn checkpoint_store() -> (Store, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let cp = Checkpoint::new(
        "HN-01",
        "常德北收费站",
        "湘",
        "Asia/Shanghai",
        0,
        "L1".into(),
    )
    .unwrap();
    store.init(cp).unwrap();
    (store, dir)
}

/// The log desk, signed in as officer S01 张三 (PIN 2468).
pub fn desk() -> Desk {
    let (store, dir) = checkpoint_store();
    add_staff(&store, "S01", "张三", Role::Officer);
    let mut d = Desk::on(store, dir);
    d.typed("2468");
    d.key(KeyCode::Enter);
    assert_eq!(
        d.app.officer.as_ref().map(|o| o.code.as_str()),
        Some("S01"),
        "signed in"
    );
    d
}

impl Desk {
    pub fn key(&mut self, code: KeyCode) {
        self.event(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)));
    }
    pub fn event(&mut self, ev: Event) {
        if let Some(a) = tui::action_for(&self.app, &ev) {
            tui::dispatch(&mut self.app, a, &mut self.rt);
        }
    }
    pub fn typed(&mut self, s: &str) {
        for c in s.chars() {
            self.key(KeyCode::Char(c));
        }
    }
    pub fn screen(&mut self) -> String {
        // A full redraw, as a terminal shows it: TestBackend keeps stale cells under wide
        // characters across partial redraws.
        self.term.clear().unwrap();
        self.term.draw(|f| kadian::ui::draw(f, &self.app)).unwrap();
        self.term.backend().to_string()
    }
    pub fn cursor(&mut self) -> (u16, u16) {
        let p = self.term.get_cursor_position().unwrap();
        (p.x, p.y)
    }
}

impl Desk {
    /// A desk on a store with no checkpoint yet, or one without staff (set-up screens).
    pub fn on(store: Store, dir: tempfile::TempDir) -> Desk {
        Desk::on_lang(store, dir, Lang::Zh)
    }

    /// The same, with the screens in `lang`.
    pub fn on_lang(store: Store, dir: tempfile::TempDir, lang: Lang) -> Desk {
        let clock = FixedClock(Utc.with_ymd_and_hms(2026, 11, 24, 1, 15, 0).unwrap());
        let mut rt = Runtime::new(store, Arc::new(clock));
        let app = tui::new_app(&mut rt, Policy::default_policy(), I18n::new(lang)).unwrap();
        Desk {
            _dir: dir,
            store: rt.store.clone(),
            clock,
            rt,
            app,
            term: Terminal::new(TestBackend::new(80, 24)).unwrap(),
        }
    }

    /// Dispatches an action directly (a clock tick, say).
    pub fn dispatch(&mut self, a: kadian::app::Action) {
        tui::dispatch(&mut self.app, a, &mut self.rt);
    }

    /// Waits for background jobs (exports) and handles what they report.
    pub fn finish_jobs(&mut self) {
        let start = std::time::Instant::now();
        loop {
            for a in self.rt.poll_jobs() {
                tui::dispatch(&mut self.app, a, &mut self.rt);
            }
            if !self.rt.busy() {
                break;
            }
            assert!(start.elapsed().as_secs() < 30, "job did not finish");
            std::thread::sleep(std::time::Duration::from_millis(10));
        }
    }

    pub fn ctrl(&mut self, code: KeyCode) {
        self.event(Event::Key(KeyEvent::new(code, KeyModifiers::CONTROL)));
    }
}

/// Adds a staff member with PIN 2468.
pub fn add_staff(store: &Store, code: &str, name: &str, role: Role) {
    let mut o = Officer::new(code, name, role);
    o.pin_hash = Some(kadian::auth::hash_pin("2468").unwrap());
    store.put_officer(o, false).unwrap();
}
