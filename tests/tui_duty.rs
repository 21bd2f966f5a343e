//! TUI tests of the duty side: sign-in and lock, check-in, the 排班 grid and 五个到位
//! panel (snapshots at 80×24), roster edits, permissions, handover and settings overlays.

mod common;

use chrono::Duration;
use common::desk::{Desk, add_staff, checkpoint_store};
use crossterm::event::KeyCode;
use kadian::app::Action;
use kadian::app::state::Screen;
use kadian::domain::Role;
use kadian::domain::duty::parse_week;

const NAMES: [&str; 12] = [
    "张伟", "李娜", "王芳", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周杰", "吴芳", "徐强", "孙丽",
];

/// 12 staff (C01–C03 leaders, C01 also admin), a generated roster for 2026-W48, not signed in.
fn checkpoint() -> Desk {
    let (store, dir) = checkpoint_store();
    for (i, n) in NAMES.iter().enumerate() {
        let role = match i {
            0 => Role::Admin,
            1 | 2 => Role::Leader,
            _ => Role::Officer,
        };
        add_staff(&store, &format!("C{:02}", i + 1), n, role);
    }
    let monday = parse_week("2026-W48").unwrap();
    let staff = store.officers().unwrap();
    let r = kadian::roster::generate(
        &store.duty_config().unwrap(),
        &staff,
        "2026-W48",
        monday,
        &Default::default(),
        &Default::default(),
        5,
    )
    .unwrap();
    store.save_roster(r).unwrap();
    Desk::on(store, dir)
}

fn sign_in_as(d: &mut Desk, index: usize) {
    for _ in 0..index {
        d.key(KeyCode::Down);
    }
    d.typed("2468");
    d.key(KeyCode::Enter);
}

#[test]
fn sign_in_screen_refuses_a_wrong_pin_and_locks_after_five() {
    let mut d = checkpoint();
    assert_eq!(d.app.screen, Screen::SignIn);
    d.typed("13ab579"); // letters are not typed into a PIN
    assert_eq!(d.app.pin.text(), "13579");
    insta::assert_snapshot!(d.screen());
    d.key(KeyCode::Enter);
    assert!(d.screen().contains("PIN错误，还可再试4次"));
    for _ in 0..4 {
        d.typed("0000");
        d.key(KeyCode::Enter);
    }
    assert!(d.screen().contains("已锁定至"));
    d.typed("2468");
    d.key(KeyCode::Enter);
    assert_eq!(
        d.app.screen,
        Screen::SignIn,
        "even the right PIN waits for the lock to end"
    );
    // Another person can still sign in.
    sign_in_as(&mut d, 1);
    assert_eq!(d.app.officer.as_ref().unwrap().code, "C02");
}

#[test]
fn the_screen_locks_after_the_idle_time_and_keeps_the_form() {
    let mut d = checkpoint();
    sign_in_as(&mut d, 3);
    d.typed("J12345");
    let later = d.clock.0 + Duration::minutes(11);
    d.dispatch(Action::Tick(later, d.store.day_of(later)));
    assert_eq!(d.app.screen, Screen::SignIn);
    assert!(d.app.officer.is_none());
    sign_in_as(&mut d, 3);
    assert_eq!(
        d.app.form.as_ref().unwrap().plate.text(),
        "湘J12345",
        "the half-typed car is still there"
    );
}

#[test]
fn roster_grid_and_on_post_panel() {
    let mut d = checkpoint();
    // C04 is whoever; sign in as the person scheduled on 测温岗 this morning and check in.
    let monday = parse_week("2026-W48").unwrap();
    let r = d.store.roster("2026-W48").unwrap().unwrap();
    let tuesday = monday + Duration::days(1);
    let on_temp = r.slot(tuesday, 0, 1).unwrap().staff[0].clone();
    let index = on_temp[1..].parse::<usize>().unwrap() - 1;
    sign_in_as(&mut d, index);
    d.key(KeyCode::F(7));
    assert!(d.screen().contains("已到岗 测温岗"));
    d.key(KeyCode::F(9));
    d.key(KeyCode::F(9));
    let screen = d.screen();
    insta::assert_snapshot!(screen);
    assert!(screen.contains("值排表 2026-W48"));
    assert!(screen.contains("五个到位 早班 08:00–16:00"));
    assert!(screen.contains("测温岗 1/1"));
    assert!(screen.contains("带班✗"), "nobody leads yet");
    assert!(screen.contains("缺岗"));
    // The cursor starts on the shift running now (Tuesday 早班 = row 3).
    assert_eq!(d.app.roster.row, 3);
}

#[test]
fn an_officer_may_not_edit_the_roster_but_a_leader_may() {
    let mut d = checkpoint();
    sign_in_as(&mut d, 5); // C06, an officer
    d.key(KeyCode::F(9));
    d.key(KeyCode::F(9));
    let before = d.store.roster("2026-W48").unwrap();
    d.key(KeyCode::F(4));
    assert!(
        d.screen().contains("无权"),
        "refused by the library, with the reason on screen"
    );
    assert_eq!(d.store.roster("2026-W48").unwrap(), before);

    d.key(KeyCode::F(8)); // switch officer
    sign_in_as(&mut d, 1); // C02, a leader
    let (row, col) = (d.app.roster.row, d.app.roster.col);
    let tuesday = parse_week("2026-W48").unwrap() + Duration::days(1);
    let cell = |d: &Desk| {
        d.store
            .roster("2026-W48")
            .unwrap()
            .unwrap()
            .slot(tuesday, 0, 0)
            .unwrap()
            .staff
            .clone()
    };
    assert_eq!((row, col), (3, 0));
    let original = cell(&d);
    d.key(KeyCode::F(4));
    assert!(cell(&d).is_empty(), "unassigned");
    d.key(KeyCode::F(3));
    d.key(KeyCode::Enter);
    assert_eq!(
        cell(&d).len(),
        1,
        "assigned from the picker (leaders only on 带班)"
    );
    // Swap two cells: mark, move right, swap.
    let a = cell(&d);
    d.key(KeyCode::F(5));
    d.key(KeyCode::Right);
    d.key(KeyCode::F(5));
    let r = d.store.roster("2026-W48").unwrap().unwrap();
    assert_eq!(r.slot(tuesday, 0, 1).unwrap().staff, a);
    let _ = original;
}

#[test]
fn settings_are_for_admins_only() {
    let mut d = checkpoint();
    sign_in_as(&mut d, 1); // C02 leader
    d.key(KeyCode::F(9));
    d.key(KeyCode::F(9));
    d.ctrl(KeyCode::Char('e'));
    d.key(KeyCode::Right); // 3×8 → 2×12
    d.key(KeyCode::F(2));
    assert!(d.screen().contains("无权"));
    assert_eq!(d.store.duty_config().unwrap().shifts.len(), 3);
    d.key(KeyCode::Esc);
    d.key(KeyCode::F(8));
    sign_in_as(&mut d, 0); // C01 admin
    d.ctrl(KeyCode::Char('e'));
    insta::assert_snapshot!(d.screen());
    d.key(KeyCode::Right);
    d.key(KeyCode::F(2));
    assert_eq!(d.store.duty_config().unwrap().shifts.len(), 2);
}

#[test]
fn handover_needs_the_incoming_leaders_pin() {
    let mut d = checkpoint();
    sign_in_as(&mut d, 0); // C01
    d.key(KeyCode::F(12));
    insta::assert_snapshot!(d.screen());
    d.key(KeyCode::Tab);
    d.typed("9999");
    d.key(KeyCode::F(2));
    assert!(d.screen().contains("PIN错误"));
    assert!(
        d.store
            .handovers(d.store.day_of(d.clock.0))
            .unwrap()
            .is_empty()
    );
    // The form stays open with the PIN cleared; the right PIN signs it.
    d.typed("2468");
    d.key(KeyCode::F(2));
    let hs = d.store.handovers(d.store.day_of(d.clock.0)).unwrap();
    assert_eq!(hs.len(), 1);
    assert_eq!(
        (hs[0].from.as_str(), hs[0].to.as_str(), hs[0].shift.as_str()),
        ("C01", "C02", "早班")
    );
    // Signed: the sync overlay offers a bundle for the lead / command post; F2 writes it.
    let screen = d.screen();
    assert!(screen.contains("交接班已签"), "{screen}");
    d.key(KeyCode::F(2));
    let outbox = d.store.sync_folders().unwrap().0;
    let files = kadian::store::bundle_files(&outbox).unwrap();
    assert_eq!(files.len(), 1, "one bundle in {}", outbox.display());
    let b = kadian::sync::read(&files[0]).unwrap();
    assert_eq!(b.header.counts.get("handover"), Some(&1));
}
