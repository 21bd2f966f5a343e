//! One language per screen: every screen, tab and overlay of the TUI, and the status line after
//! the usual actions, drawn at 80×24 in Chinese and in English, holds no foreign word
//! (`i18n::foreign_words`: no Han character in English, no English word in Chinese but codes
//! and units). The data is chosen per language (ASCII names and places in the English run);
//! what cannot be (the province of a plate, a shift name stored in Chinese …) is blanked out
//! before the check, so only the screens' own words are read.

mod common;

use common::desk::Desk;
use crossterm::event::{Event, KeyCode};
use kadian::domain::duty::{DutyConfig, parse_week};
use kadian::domain::{Checkpoint, Officer, Role};
use kadian::i18n::{Lang, foreign_words};
use kadian::policy::Policy;
use kadian::store::Store;

/// The data of one run, in its language.
struct Data {
    lang: Lang,
    checkpoint: &'static str,
    /// (code, name, role) of the staff.
    staff: Vec<(String, String, Role)>,
    person: &'static str,
    origin: &'static str,
    destination: &'static str,
    /// Typed into free-text fields (reasons, handover notes).
    reason: &'static str,
}

impl Data {
    fn of(lang: Lang) -> Self {
        let zh = lang == Lang::Zh;
        let zh_names = [
            "管理员",
            "李队",
            "王队",
            "张三",
            "李四",
            "王五",
            "赵六",
            "钱七",
            "孙八",
            "周九",
            "吴十",
            "郑一",
        ];
        let staff = (0..12)
            .map(|i| {
                let (code, role) = match i {
                    0 => ("A01".to_string(), Role::Admin),
                    1 | 2 => (format!("L{i:02}"), Role::Leader),
                    _ => (format!("S{:02}", i - 2), Role::Officer),
                };
                let name = if zh {
                    zh_names[i].to_string()
                } else {
                    format!("Staff {i}")
                };
                (code, name, role)
            })
            .collect();
        Self {
            lang,
            checkpoint: if zh { "测试卡点" } else { "T01 Test" },
            staff,
            person: if zh { "王小明" } else { "Wang Ming" },
            origin: if zh { "长沙" } else { "Changsha" },
            destination: if zh { "常德" } else { "Changde" },
            reason: if zh { "录入错误" } else { "typo 1" },
        }
    }

    /// Values that are data whatever the language: the province of the plates.
    fn blank(&self) -> Vec<String> {
        let mut v = vec!["湘".to_string()];
        v.extend(self.staff.iter().map(|s| s.1.clone()));
        v.extend(
            [
                self.checkpoint,
                self.person,
                self.origin,
                self.destination,
                self.reason,
            ]
            .map(String::from),
        );
        v
    }

    fn record(&self, health: &str) -> String {
        format!(
            r#"{{"vehicle":{{"plate":"湘J12345","kind":"car","origin":"{}","destination":"{}","disinfected":true}},"persons":[{{"temperature":36.5,"health_code":"{health}","test":{{"result":"negative","hours_ago":20}},"name":"{}","id_number":"11010519491231002X","phone":"13900001111","destination":"{}"}}]}}"#,
            self.origin, self.destination, self.person, self.destination
        )
    }

    /// The duty organisation: the default one in Chinese, the same with ASCII names in
    /// English (shift and post names are the checkpoint's data).
    fn duty(&self) -> DutyConfig {
        let mut cfg = DutyConfig::default_config();
        if self.lang == Lang::En {
            for (s, n) in cfg.shifts.iter_mut().zip(["Early", "Late", "Night"]) {
                s.name = n.into();
            }
            for (p, n) in cfg
                .posts
                .iter_mut()
                .zip(["Lead", "Temp", "Code", "Desk", "Clean"])
            {
                p.name = n.into();
            }
        }
        cfg
    }
}

/// A walk through the screens in one language, collecting what fails.
struct Walk {
    d: Desk,
    data: Data,
    failures: Vec<String>,
}

impl Walk {
    /// A checkpoint with 12 staff, a roster for this week, two records (one registered), not
    /// signed in.
    fn new(lang: Lang) -> Self {
        let data = Data::of(lang);
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let cp = Checkpoint::new(
            "T01",
            data.checkpoint,
            "湘",
            "Asia/Shanghai",
            0,
            "L1".into(),
        )
        .unwrap();
        store.init(cp).unwrap();
        for (code, name, role) in &data.staff {
            let mut o = Officer::new(code, name, *role);
            o.pin_hash = Some(kadian::auth::hash_pin("2468").unwrap());
            store.put_officer(o, false).unwrap();
        }
        store.set_duty_config(data.duty()).unwrap();
        let monday = parse_week("2026-W48").unwrap();
        let r = kadian::roster::generate(
            &store.duty_config().unwrap(),
            &store.officers().unwrap(),
            "2026-W48",
            monday,
            &Default::default(),
            &Default::default(),
            5,
        )
        .unwrap();
        store.save_roster(r).unwrap();
        let policy = Policy::default_policy();
        let now = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 24, 1, 0, 0).unwrap();
        for health in ["green", "yellow"] {
            let line = data.record(health);
            let draft = kadian::domain::input::RecordJson::parse_line(&line).unwrap();
            let n = policy.assess(&draft, now, now.date_naive()).unwrap();
            store.add_record(n, "S01", &policy.version, now).unwrap();
        }
        let d = Desk::on_lang(store, dir, lang);
        Self {
            d,
            data,
            failures: Vec::new(),
        }
    }

    fn sign_in(&mut self, code: &str) {
        let i = self
            .d
            .app
            .active_officers()
            .iter()
            .position(|o| o.code == code)
            .unwrap();
        self.d.app.pick = i;
        self.d.typed("2468");
        self.d.key(KeyCode::Enter);
        assert_eq!(
            self.d.app.officer.as_ref().map(|o| o.code.as_str()),
            Some(code)
        );
    }

    /// Checks the screen as it is now; `what` names it in a failure.
    fn check(&mut self, what: &str) {
        let screen = screen_text(&mut self.d);
        self.check_text(what, &screen);
    }

    fn check_text(&mut self, what: &str, text: &str) {
        if let Ok(path) = std::env::var("LANG_SCREENS_DUMP") {
            use std::io::Write;
            let mut f = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .unwrap();
            writeln!(f, "=== {what} ({:?})\n{text}", self.data.lang).unwrap();
        }
        let mut chrome = blank_paths(text, &self.d.store.dir().display().to_string());
        for v in self.data.blank() {
            chrome = chrome.replace(&v, &" ".repeat(v.len()));
        }
        let bad = foreign_words(&chrome, self.data.lang);
        if !bad.is_empty() {
            self.failures
                .push(format!("{what} ({:?}): {bad:?}\n{text}", self.data.lang));
        }
    }

    /// Checks the status line alone (its last line but the footer).
    fn check_status(&mut self, what: &str) {
        let status = self
            .d
            .app
            .status
            .as_ref()
            .map(|s| s.text.clone())
            .unwrap_or_default();
        assert!(!status.is_empty(), "{what}: a status line is shown");
        self.check_text(&format!("{what} [status]"), &status);
        self.check(what);
    }

    /// F1 on the screen shown, checked, then closed.
    fn help(&mut self, what: &str) {
        self.d.key(KeyCode::F(1));
        self.check(&format!("help: {what}"));
        self.d.key(KeyCode::Esc);
    }

    fn finish(self) {
        assert!(
            self.failures.is_empty(),
            "{} screens with foreign words:\n\n{}",
            self.failures.len(),
            self.failures.join("\n\n")
        );
    }
}

/// `text` with every path under `dir` (the data dir's folders and files) blanked.
fn blank_paths(text: &str, dir: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(dir) {
        out.push_str(&rest[..i]);
        let path = &rest[i..];
        let end = path
            .find(|c: char| c.is_whitespace() || "│,，)）".contains(c))
            .unwrap_or(path.len());
        rest = &path[end..];
    }
    out.push_str(rest);
    out
}

/// The screen's text, row by row (the `Display` of a `TestBackend` adds notes in English
/// about wide characters, which are not on the screen).
fn screen_text(d: &mut Desk) -> String {
    d.screen();
    buffer_text(d.term.backend().buffer())
}

fn buffer_text(buf: &ratatui::buffer::Buffer) -> String {
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

/// Both languages, one after the other; every failure of both is reported.
fn both(walk: impl Fn(&mut Walk)) {
    let mut failures = Vec::new();
    for lang in [Lang::Zh, Lang::En] {
        let mut w = Walk::new(lang);
        walk(&mut w);
        failures.append(&mut w.failures);
    }
    assert!(
        failures.is_empty(),
        "{} screens with foreign words:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

#[test]
fn set_up_screen() {
    for lang in [Lang::Zh, Lang::En] {
        let data = Data::of(lang);
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(dir.path()).unwrap();
        let mut w = Walk {
            d: Desk::on_lang(store, dir, lang),
            data,
            failures: Vec::new(),
        };
        w.check("set-up");
        w.help("set-up");
        w.d.key(KeyCode::F(2));
        w.check_status("set-up refused: no code");
        w.d.typed("T01");
        w.d.key(KeyCode::Tab);
        w.d.typed("T01");
        w.d.key(KeyCode::Tab);
        w.d.key(KeyCode::Tab);
        w.d.typed("S01");
        w.d.key(KeyCode::Tab);
        w.d.typed("S01");
        w.d.key(KeyCode::F(2));
        w.check_status("set-up refused: no PIN");
        w.d.key(KeyCode::Tab);
        w.d.typed("12");
        w.d.key(KeyCode::F(2));
        w.check_status("set-up refused: short PIN");
        w.finish();
    }
}

#[test]
fn sign_in_screen() {
    both(|w| {
        w.check("sign-in");
        w.help("sign-in");
        w.d.typed("1357");
        w.d.key(KeyCode::Enter);
        w.check_status("sign-in: wrong PIN");
        for _ in 0..4 {
            w.d.typed("0000");
            w.d.key(KeyCode::Enter);
        }
        w.check_status("sign-in: locked");
        w.sign_in("S01");
        w.check_status("signed in");
        // Idle: the screen locks.
        let later = w.d.clock.0 + chrono::Duration::minutes(11);
        w.d.dispatch(kadian::app::Action::Tick(later, w.d.store.day_of(later)));
        w.check_status("locked after idle time");
    });
}

#[test]
fn log_desk() {
    both(|w| {
        w.sign_in("S01");
        w.check("log desk");
        w.help("log desk");
        w.d.typed("J12");
        w.check("log desk: half-filled");
        w.d.key(KeyCode::F(2));
        w.check_status("log desk: refused save (short plate)");
        w.d.typed("345");
        // Plate → kind → persons → disinfected → from → to → temperature
        for _ in 0..6 {
            w.d.key(KeyCode::Tab);
        }
        for _ in 0..4 {
            w.d.key(KeyCode::Backspace);
        }
        w.d.typed("38.2");
        w.d.key(KeyCode::Tab);
        w.d.key(KeyCode::Right); // health code: yellow
        for _ in 0..5 {
            w.d.key(KeyCode::Tab);
        }
        let person = w.data.person;
        w.d.event(Event::Paste(person.into()));
        w.d.key(KeyCode::Tab);
        w.d.typed("110105194912310021"); // wrong check digit
        w.d.key(KeyCode::Tab);
        w.check("log desk: invalid form");
        w.d.key(KeyCode::F(2));
        w.check_status("log desk: refused save (invalid ID)");
        w.d.key(KeyCode::F(3));
        w.check("log desk: a second person");
        w.d.key(KeyCode::F(5));
        w.check("log desk: override");
        w.d.key(KeyCode::F(6));
        w.check("log desk: cleared");
        w.d.typed("J12345");
        w.d.key(KeyCode::F(2));
        w.check_status("log desk: saved");
        w.d.key(KeyCode::F(7));
        w.check_status("log desk: check in");
        w.d.key(KeyCode::F(7));
        w.check_status("log desk: check out");
        w.d.key(KeyCode::F(12));
        w.check("handover");
        w.help("handover");
        w.d.key(KeyCode::Tab);
        w.d.typed("9999");
        w.d.key(KeyCode::F(2));
        w.check_status("handover: wrong PIN");
        w.d.key(KeyCode::Esc);
        w.d.key(KeyCode::F(11));
        w.check("sync");
        w.help("sync");
        w.d.key(KeyCode::F(5));
        w.check_status("sync: an officer may not import");
        w.d.key(KeyCode::F(7));
        w.check("sync: conflicts");
        w.d.key(KeyCode::F(2));
        w.check_status("sync: bundle written");
        w.d.key(KeyCode::Esc);
    });
}

#[test]
fn handover_signed_offers_a_bundle() {
    both(|w| {
        w.sign_in("L01");
        w.d.key(KeyCode::F(12));
        let reason = w.data.reason;
        w.d.event(Event::Paste(reason.into()));
        w.d.key(KeyCode::Tab);
        w.d.typed("2468");
        w.d.key(KeyCode::F(2));
        w.check_status("handover signed: the sync offer");
    });
}

#[test]
fn records_tab() {
    both(|w| {
        w.sign_in("S01");
        w.d.key(KeyCode::F(9));
        w.check("records");
        w.help("records");
        w.d.key(KeyCode::F(3));
        w.check("records: filter bar");
        w.help("filter bar");
        w.d.typed("J123");
        w.d.key(KeyCode::Tab);
        w.d.typed("9");
        w.check("records: filter bar typed");
        for _ in 0..8 {
            w.d.key(KeyCode::Tab);
            w.d.typed("2");
            w.check("records: filter bar, each field");
        }
        w.d.key(KeyCode::Enter);
        w.check_status("records: a refused filter");
        w.d.key(KeyCode::Esc);
        w.d.key(KeyCode::F(3));
        w.d.typed("J123");
        w.d.key(KeyCode::Enter);
        w.check("records: filtered");
        w.d.key(KeyCode::F(4));
        w.d.key(KeyCode::Enter);
        w.check("records: detail");
        w.help("detail");
        w.d.ctrl(KeyCode::Char('r'));
        w.check_status("records: a forbidden reveal");
        w.d.key(KeyCode::F(5));
        w.check("amend");
        w.help("amend");
        w.d.key(KeyCode::F(2));
        w.check_status("amend: refused (no reason)");
        w.d.key(KeyCode::Tab);
        let reason = w.data.reason;
        w.d.event(Event::Paste(reason.into()));
        w.d.key(KeyCode::F(2));
        w.check_status("amend: forbidden for an officer");
        w.d.key(KeyCode::Esc);
        w.d.key(KeyCode::F(6));
        w.check("void");
        w.d.key(KeyCode::F(2));
        w.check_status("void: refused");
        w.d.key(KeyCode::Esc);
        w.d.ctrl(KeyCode::Char('a'));
        w.check_status("audit: forbidden for an officer");
        w.d.key(KeyCode::Esc);
        w.d.key(KeyCode::Esc);
        // A leader amends, voids, reveals; the admin reads the audit log.
        w.d.key(KeyCode::F(8));
        w.sign_in("A01");
        w.d.key(KeyCode::Down);
        w.d.key(KeyCode::Enter);
        w.d.ctrl(KeyCode::Char('r'));
        w.check("records: revealed detail");
        w.d.key(KeyCode::F(5));
        w.d.key(KeyCode::Tab);
        w.d.key(KeyCode::Backspace);
        w.d.typed("6");
        w.d.key(KeyCode::Tab);
        let reason = w.data.reason;
        w.d.event(Event::Paste(reason.into()));
        w.d.key(KeyCode::F(2));
        w.check_status("amend: saved");
        w.d.key(KeyCode::F(6));
        w.d.key(KeyCode::Tab);
        w.d.event(Event::Paste(reason.into()));
        w.d.key(KeyCode::F(2));
        w.check_status("void: saved");
        w.d.key(KeyCode::Esc);
        w.check("records: a voided record listed");
        w.d.ctrl(KeyCode::Char('a'));
        w.check("audit");
        w.help("audit");
    });
}

#[test]
fn roster_tab() {
    both(|w| {
        w.sign_in("S01");
        w.d.key(KeyCode::F(9));
        w.d.key(KeyCode::F(9));
        w.check("roster");
        w.help("roster");
        w.d.key(KeyCode::F(4));
        w.check_status("roster: forbidden for an officer");
        w.d.key(KeyCode::F(8));
        w.sign_in("L01");
        w.d.key(KeyCode::F(3));
        w.check("assign");
        w.help("assign");
        w.d.key(KeyCode::Enter);
        w.check_status("assign: done");
        w.d.key(KeyCode::F(5));
        w.d.key(KeyCode::Right);
        w.d.key(KeyCode::F(5));
        w.check_status("roster: swapped");
        w.d.key(KeyCode::F(6));
        w.check_status("roster: generated");
        w.d.ctrl(KeyCode::Char('e'));
        w.check("settings");
        w.help("settings");
        w.d.key(KeyCode::F(2));
        w.check_status("settings: forbidden for a leader");
        w.d.key(KeyCode::Esc);
        w.d.ctrl(KeyCode::Right);
        w.d.ctrl(KeyCode::Left);
    });
}

#[test]
fn report_tab() {
    both(|w| {
        w.sign_in("S01");
        w.d.ctrl(KeyCode::Left);
        w.check("report");
        w.help("report");
        w.d.ctrl(KeyCode::PageUp);
        w.check("report: a zero day");
        w.d.ctrl(KeyCode::PageDown);
        w.d.ctrl(KeyCode::Char('p'));
        w.check_status("purge: forbidden for an officer");
        w.d.key(KeyCode::F(2));
        w.check("sign report");
        w.help("sign report");
        w.d.typed("2468");
        w.d.key(KeyCode::F(2));
        w.check_status("sign report: forbidden for an officer");
        w.d.key(KeyCode::Esc);
        w.d.key(KeyCode::F(3));
        w.check("sign-off");
        w.d.typed("1111");
        w.d.key(KeyCode::F(2));
        w.check_status("sign-off: wrong PIN");
        w.d.key(KeyCode::Esc);
        w.d.key(KeyCode::F(4));
        w.check("export");
        w.help("export");
        for _ in 0..4 {
            w.d.key(KeyCode::Tab);
            w.d.key(KeyCode::Right);
            w.check("export: each field");
        }
        w.d.key(KeyCode::Esc);
        w.d.key(KeyCode::F(8));
        w.sign_in("L01");
        w.d.key(KeyCode::F(2));
        w.d.typed("2468");
        w.d.key(KeyCode::F(2));
        w.check_status("sign report: signed");
        w.d.typed("1");
        w.d.key(KeyCode::F(2));
        w.d.typed("2468");
        w.d.key(KeyCode::F(2));
        w.check_status("sign report: a new version needs a reason");
        w.d.key(KeyCode::Esc);
        w.d.key(KeyCode::F(3));
        w.d.typed("2468");
        w.d.key(KeyCode::F(2));
        w.check_status("sign-off: signed, the sync offer");
        w.d.key(KeyCode::Esc);
        w.d.ctrl(KeyCode::Char('p'));
        w.check("purge");
        w.help("purge");
        w.d.key(KeyCode::F(2));
        w.check_status("purge: done");
        w.d.key(KeyCode::Esc);
        w.d.key(KeyCode::F(4));
        w.d.key(KeyCode::F(2));
        w.d.finish_jobs();
        w.check_status("export: done");
        w.d.key(KeyCode::F(11));
        w.check("sync from report");
        w.d.key(KeyCode::F(5));
        w.check_status("sync: inbox imported");
    });
}

/// A command post (指挥部): the consolidated 日报 of its checkpoints, with one checkpoint
/// reported by bundle and the other not.
#[test]
fn command_post_report() {
    use kadian::ops::sync::{self as ops, Since};
    for lang in [Lang::Zh, Lang::En] {
        let data = Data::of(lang);
        let now = chrono::TimeZone::with_ymd_and_hms(&chrono::Utc, 2026, 11, 24, 1, 0, 0).unwrap();
        // A checkpoint laptop with two records, and its bundle.
        let lane_dir = tempfile::tempdir().unwrap();
        let lane = Store::open(lane_dir.path()).unwrap();
        let cp = |code: &str, laptop: &str| {
            Checkpoint::new(
                code,
                data.checkpoint,
                "湘",
                "Asia/Shanghai",
                0,
                laptop.into(),
            )
            .unwrap()
        };
        lane.init(cp("T01", "L1")).unwrap();
        let (code, name, role) = &data.staff[3];
        lane.put_officer(Officer::new(code, name, *role), false)
            .unwrap();
        let policy = Policy::default_policy();
        for health in ["green", "yellow"] {
            let draft =
                kadian::domain::input::RecordJson::parse_line(&data.record(health)).unwrap();
            let n = policy.assess(&draft, now, now.date_naive()).unwrap();
            lane.add_record(n, "S01", &policy.version, now).unwrap();
        }
        let bundle = lane_dir.path().join("lane.kdb");
        ops::write_bundle(&lane, &bundle, "post", &Since::Last, now).unwrap();
        let fp = kadian::sync::fingerprint(&ops::key_file(&lane).unwrap().public_key);
        // The command post, with the bundle imported.
        let dir = tempfile::tempdir().unwrap();
        let post = Store::open(dir.path()).unwrap();
        post.init_command_post(cp("P01", "P1")).unwrap();
        let (code, name, role) = &data.staff[1];
        let mut o = Officer::new(code, name, *role);
        o.pin_hash = Some(kadian::auth::hash_pin("2468").unwrap());
        post.put_officer(o, false).unwrap();
        let b = kadian::sync::read(&bundle).unwrap();
        ops::import_bundle(&post, &b, &bundle, Some(&fp), false, now).unwrap();
        let mut w = Walk {
            d: Desk::on_lang(post, dir, lang),
            data,
            failures: Vec::new(),
        };
        w.check("command post: sign-in");
        w.sign_in("L01");
        w.check("command post: consolidated report");
        w.help("command post");
        w.d.ctrl(KeyCode::PageUp);
        w.check("command post: the day before");
        w.d.ctrl(KeyCode::PageDown);
        w.d.key(KeyCode::F(4));
        w.check("command post: export");
        w.d.key(KeyCode::Esc);
        w.d.key(KeyCode::F(11));
        w.check("command post: sync");
        w.d.key(KeyCode::F(5));
        w.check_status("command post: inbox imported");
        w.finish();
    }
}

/// The window too small, and the opening screen of a large store.
#[test]
fn too_small_and_opening_screens() {
    for lang in [Lang::Zh, Lang::En] {
        let mut w = Walk::new(lang);
        let mut small = ratatui::Terminal::new(ratatui::backend::TestBackend::new(40, 10)).unwrap();
        small.draw(|f| kadian::ui::draw(f, &w.d.app)).unwrap();
        let text = buffer_text(small.backend().buffer());
        w.check_text("too small", &text);
        let i18n = kadian::i18n::I18n::new(lang);
        let mut term = ratatui::Terminal::new(ratatui::backend::TestBackend::new(60, 8)).unwrap();
        term.draw(|f| {
            kadian::ui::draw_opening(
                f,
                &i18n,
                std::path::Path::new("/data/kadian"),
                std::time::Duration::from_millis(2300),
            )
        })
        .unwrap();
        let text = buffer_text(term.backend().buffer());
        w.check_text("opening", &text.replace("/data/kadian", ""));
        w.finish();
    }
}
