//! One rule, two front ends: what the operations layer enforces holds through the CLI and
//! through the TUI alike — an officer cannot amend, a wrong PIN costs the same pause and
//! counts towards the same lock, and personal details are masked unless a leader reveals
//! them, with an audit entry.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, TimeZone, Utc};
use clap::Parser;
use common::desk::{add_staff, checkpoint_store};
use common::{NORMAL, PIN, YELLOW, kadian, ready};
use crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use kadian::app::{self, Action};
use kadian::clock::Clock;
use kadian::domain::Role;
use kadian::i18n::{I18n, Lang};
use kadian::policy::Policy;
use kadian::tui::{self, Runtime};
use predicates::prelude::*;

/// A fixed instant that notes every pause asked of it instead of sleeping.
#[derive(Default)]
struct Recording {
    pauses: Mutex<Vec<Duration>>,
}

impl Clock for Recording {
    fn now(&self) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 11, 24, 1, 15, 0).unwrap()
    }
    fn pause(&self, d: Duration) {
        self.pauses.lock().unwrap().push(d);
    }
}

impl Recording {
    fn taken(&self) -> Vec<Duration> {
        std::mem::take(&mut *self.pauses.lock().unwrap())
    }
}

fn add_one(dir: &std::path::Path, line: &str) -> String {
    let out = kadian(dir)
        .args(["add", "--officer", "S01"])
        .write_stdin(format!("{line}\n"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap().trim().to_string()
}

fn wrong_pin_file(dir: &std::path::Path) -> std::path::PathBuf {
    let path = dir.join("wrong-pin");
    std::fs::write(&path, "0000\n").unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    path
}

/// Runs a command in this process with `clock`, as `main` would.
fn run_cli(args: &[&str], clock: &dyn Clock) -> anyhow::Result<()> {
    let cli =
        kadian::cli::Cli::try_parse_from(std::iter::once("kadian").chain(args.iter().copied()))
            .unwrap();
    let cmd = cli.command.as_ref().unwrap();
    kadian::cli::run(&cli, cmd, clock)
}

fn key(app: &mut kadian::app::App, rt: &mut Runtime, code: KeyCode) {
    let ev = Event::Key(KeyEvent::new(code, KeyModifiers::NONE));
    if let Some(a) = tui::action_for(app, &ev) {
        tui::dispatch(app, a, rt);
    }
}

#[test]
fn a_wrong_pin_costs_the_same_pause_and_counts_the_same_through_the_cli_and_the_tui() {
    let dir = ready();
    let id = add_one(dir.path(), NORMAL);
    let data = dir.path().join("data");
    let wrong = wrong_pin_file(dir.path());
    let clock = Recording::default();

    // The command line: voiding in S01's name with a wrong PIN.
    let e = run_cli(
        &[
            "--data-dir",
            data.to_str().unwrap(),
            "void",
            &id,
            "--reason",
            "重复登记",
            "--by",
            "S01",
            "--pin-file",
            wrong.to_str().unwrap(),
        ],
        &clock,
    )
    .unwrap_err();
    assert!(e.to_string().contains("4"), "{e}");
    assert_eq!(clock.taken(), [kadian::auth::WRONG_PIN_DELAY]);

    // The TUI's sign-in screen, on the same store: the same pause, the same count.
    let store = kadian::store::Store::open(&data).unwrap();
    let tui_clock = Arc::new(Recording::default());
    let mut rt = Runtime::new(store, tui_clock.clone());
    let mut app = tui::new_app(&mut rt, Policy::default_policy(), I18n::new(Lang::En)).unwrap();
    for c in "0000".chars() {
        key(&mut app, &mut rt, KeyCode::Char(c));
    }
    key(&mut app, &mut rt, KeyCode::Enter);
    assert_eq!(tui_clock.taken(), [kadian::auth::WRONG_PIN_DELAY]);
    assert!(app.officer.is_none(), "not signed in");
    rt.store.close().unwrap();
    drop(rt);

    // The third wrong PIN, back on the command line, knows of both: 2 tries left.
    let e = run_cli(
        &[
            "--data-dir",
            data.to_str().unwrap(),
            "signoff",
            "--day",
            "2026-11-24",
            "--by",
            "S01",
            "--pin-file",
            wrong.to_str().unwrap(),
        ],
        &clock,
    )
    .unwrap_err();
    assert!(
        matches!(
            e.downcast_ref::<kadian::error::Error>(),
            Some(kadian::error::Error::WrongPin { left: 2 })
        ),
        "{e}"
    );
    assert_eq!(clock.taken(), [kadian::auth::WRONG_PIN_DELAY]);
}

#[test]
fn an_officer_cannot_amend_through_the_cli_or_the_tui() {
    // The command line.
    let dir = ready();
    kadian(dir.path())
        .args([
            "staff",
            "add",
            "--code",
            "O1",
            "--name",
            "值守",
            "--pin-stdin",
        ])
        .write_stdin(format!("{PIN}\n"))
        .assert()
        .success();
    let id = add_one(dir.path(), NORMAL);
    kadian(dir.path())
        .args([
            "amend",
            &id,
            "--set",
            "origin=岳阳",
            "--reason",
            "补录",
            "--by",
            "O1",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("O1"));
    // Without a PIN nobody writes in a leader's name.
    kadian(dir.path())
        .env_remove("KADIAN_PIN_FILE")
        .args([
            "amend",
            &id,
            "--set",
            "origin=岳阳",
            "--reason",
            "补录",
            "--by",
            "S01",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("PIN"));

    // The TUI: the officer signed in, the amend effect refused by the same rule.
    let (store, _tmp) = checkpoint_store();
    add_staff(&store, "O2", "值守", Role::Officer);
    let clock = Arc::new(Recording::default());
    let policy = Policy::default_policy();
    let now = clock.now();
    let d = kadian::domain::input::RecordJson::parse_line(NORMAL).unwrap();
    let n = policy.assess(&d, now, now.date_naive()).unwrap();
    let rec = store.add_record(n, "O2", &policy.version, now).unwrap();
    let mut rt = Runtime::new(store, clock);
    let mut app = tui::new_app(&mut rt, policy, I18n::new(Lang::En)).unwrap();
    for c in "2468".chars() {
        key(&mut app, &mut rt, KeyCode::Char(c));
    }
    key(&mut app, &mut rt, KeyCode::Enter);
    let officer = app.officer.clone().expect("signed in");
    let changes = vec![kadian::amend::parse_set("origin=岳阳").unwrap()];
    let out = app::effects::run(
        app::Effect::Amend {
            officer,
            id: rec.id.clone(),
            changes,
            reason: "补录".into(),
        },
        app::effects::Env {
            store: &rt.store,
            clock: rt.clock.as_ref(),
            policy: &app.policy,
            i18n: &app.i18n,
        },
        &mut rt.session,
    );
    assert!(
        matches!(out.as_slice(), [Action::Failed(m)] if m.contains("O2")),
        "{out:?}"
    );
    assert!(rt.store.amendments(&rec.id).unwrap().is_empty());
}

#[test]
fn lists_and_exports_are_masked_unless_a_leader_reveals_them_audited() {
    let dir = ready();
    kadian(dir.path())
        .args([
            "staff",
            "add",
            "--code",
            "A01",
            "--name",
            "管理",
            "--role",
            "admin",
            "--pin-stdin",
        ])
        .write_stdin(format!("{PIN}\n"))
        .assert()
        .success();
    let id = add_one(dir.path(), YELLOW);
    let masked = kadian(dir.path())
        .args(["list", "--format", "json"])
        .output()
        .unwrap();
    let masked = String::from_utf8(masked.stdout).unwrap();
    assert!(masked.contains("1101**********002X") && masked.contains("王**"));
    assert!(!masked.contains("11010519491231002X") && !masked.contains("13900001111"));
    let shown = kadian(dir.path())
        .args(["show", &id, "--format", "json"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&shown.stdout).contains("11010519491231002X"));
    let csv = dir.path().join("r.csv");
    kadian(dir.path())
        .args(["export", "--format", "csv", "--out"])
        .arg(&csv)
        .assert()
        .success();
    assert!(
        !std::fs::read_to_string(&csv)
            .unwrap()
            .contains("11010519491231002X")
    );
    // Nothing was revealed: the audit log is empty.
    let audit = kadian(dir.path())
        .args(["audit", "--by", "A01", "--format", "json"])
        .output()
        .unwrap();
    assert!(audit.status.success());
    assert!(audit.stdout.is_empty());

    // A reveal needs a leader with their PIN, and it is audited.
    kadian(dir.path())
        .args(["list", "--reveal"])
        .assert()
        .code(2);
    let revealed = kadian(dir.path())
        .args(["list", "--format", "json", "--reveal", "--by", "S01"])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&revealed.stdout).contains("11010519491231002X"));
    kadian(dir.path())
        .args(["show", &id, "--reveal", "--by", "S01"])
        .assert()
        .success()
        .stdout(predicate::str::contains("13900001111"));
    let audit = kadian(dir.path())
        .args(["audit", "--by", "A01", "--format", "json"])
        .output()
        .unwrap();
    let lines: Vec<serde_json::Value> = String::from_utf8(audit.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 2, "{lines:?}");
    assert!(
        lines
            .iter()
            .all(|l| l["by"] == "S01" && l["what"] == "reveal")
    );
    assert!(
        lines
            .iter()
            .any(|l| l["record"].as_str().unwrap().starts_with("list"))
    );
    assert!(lines.iter().any(|l| l["record"] == id.as_str()));
    // The audit log itself is an admin's.
    kadian(dir.path())
        .args(["audit", "--by", "S01"])
        .assert()
        .code(1);
}

#[test]
fn a_day_not_begun_cannot_be_signed_or_signed_off() {
    let dir = ready();
    kadian(dir.path())
        .args(["signoff", "--day", "2026-11-25", "--by", "S01"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("2026-11-25"));
    kadian(dir.path())
        .args(["signoff", "--day", "2026-11-24", "--by", "S01"])
        .assert()
        .success();
}
