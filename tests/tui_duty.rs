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

/// The 排班 tab, signed in as C02 (a leader).
fn roster_tab_as_leader() -> Desk {
    let mut d = checkpoint();
    sign_in_as(&mut d, 1);
    d.key(KeyCode::F(9));
    d.key(KeyCode::F(9));
    d
}

#[test]
fn the_night_shift_from_midnight_is_listed_under_its_calendar_day() {
    let mut d = roster_tab_as_leader();
    let zh = d.screen();
    // Monday's 夜班 runs 00:00–08:00 on Tuesday 11-24: it is listed under 11-24, and
    // Tuesday's 早班 follows it under the same day.
    let rows: Vec<&str> = zh.lines().collect();
    assert!(rows[3].contains("11-23一 早班"), "{zh}");
    assert!(rows[5].contains("11-24二 夜班"), "{zh}");
    assert!(rows[6].contains("│        早班"), "{zh}");
    assert!(!zh.contains("11-24二 早班"));
    d.app.i18n = kadian::i18n::I18n::new(kadian::i18n::Lang::En);
    let en = d.screen();
    insta::assert_snapshot!(en);
    assert!(en.contains("11-24T 夜班"), "{en}");
    assert!(en.contains("Roster 2026-W48"));
}

#[test]
fn generating_a_filled_week_asks_first_and_keeps_begun_shifts() {
    let mut d = roster_tab_as_leader();
    let roster = |d: &Desk| d.store.roster("2026-W48").unwrap().unwrap();
    let before = roster(&d);
    d.key(KeyCode::F(6));
    let screen = d.screen();
    insta::assert_snapshot!(screen);
    assert!(
        screen.contains("替换2026-W48未开始班次的排班？"),
        "{screen}"
    );
    assert_eq!(roster(&d), before, "asked, nothing changed yet");
    d.key(KeyCode::Esc);
    assert!(!d.screen().contains("替换2026-W48"));
    assert_eq!(roster(&d), before, "Esc says no");
    // Enter says yes.
    d.key(KeyCode::F(6));
    d.key(KeyCode::Enter);
    let after = roster(&d);
    assert_ne!(after, before, "the shifts to come were filled anew");
    // Tuesday 09:15: Monday's three shifts and Tuesday's running 早班 are as they were.
    let monday = parse_week("2026-W48").unwrap();
    for (date, shift) in [(0, 0), (0, 1), (0, 2), (1, 0)] {
        let date = monday + Duration::days(date);
        for post in 0..5 {
            assert_eq!(
                after.slot(date, shift, post),
                before.slot(date, shift, post),
                "{date} shift {shift} post {post}"
            );
        }
    }
    let screen = d.screen();
    assert!(screen.contains("已开始的4个班次保持不变"), "{screen}");
    assert!(screen.contains("规则全部满足"), "{screen}");
    // F6 again is the other yes: a cell emptied by hand is filled again.
    d.key(KeyCode::Down); // Tuesday 中班
    d.key(KeyCode::F(4));
    assert_ne!(roster(&d), after);
    d.key(KeyCode::F(6));
    assert!(d.screen().contains("替换2026-W48"));
    d.key(KeyCode::F(6));
    assert_eq!(roster(&d), after, "same clock, same seed, same week");
    // Another key says no and does what it does.
    d.key(KeyCode::F(6));
    d.key(KeyCode::Up);
    assert!(!d.screen().contains("替换2026-W48"));
    assert_eq!(roster(&d), after);
}

#[test]
fn the_panel_checks_the_rest_rule_across_weeks() {
    let mut d = checkpoint();
    let cfg = d.store.duty_config().unwrap();
    let staff = d.store.officers().unwrap();
    let w48 = d.store.roster("2026-W48").unwrap().unwrap();
    let w49 = parse_week("2026-W49").unwrap();
    let after = kadian::roster::Around::new(&cfg, w49, Some(&w48), None);
    // A W49 made without knowing W48 (as before): some of W48's Sunday-night people are on
    // W49's Monday 早班, straight after their night.
    let r = (0..)
        .map(|seed| {
            kadian::roster::generate(
                &cfg,
                &staff,
                "2026-W49",
                w49,
                &Default::default(),
                &Default::default(),
                seed,
            )
            .unwrap()
        })
        .find(|r| {
            let v = kadian::roster::check(r, &cfg, &staff, &Default::default(), &after);
            v.len() == 1 && v[0].rule == "rest"
        })
        .unwrap();
    d.store.save_roster(r).unwrap();
    sign_in_as(&mut d, 1);
    d.key(KeyCode::F(9));
    d.key(KeyCode::F(9));
    d.ctrl(KeyCode::PageDown);
    let screen = d.screen();
    assert!(screen.contains("值排表 2026-W49"), "{screen}");
    assert!(!screen.contains("规则全部满足"), "{screen}");
    assert!(screen.contains("连上两个班（2026-11-29 夜班起"), "{screen}");
    // W48 is checked against the W49 after it, too.
    d.ctrl(KeyCode::PageUp);
    let screen = d.screen();
    assert!(screen.contains("值排表 2026-W48"), "{screen}");
    assert!(!screen.contains("规则全部满足"), "{screen}");
}
