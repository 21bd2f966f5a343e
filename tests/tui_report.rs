//! TUI tests of the 日报 tab: snapshots at 80×24 of a zero day and a busy day, signing with
//! the leader's PIN (and a reason for a new version), exporting with F4.

mod common;

use common::desk::{Desk, add_staff, checkpoint_store};
use crossterm::event::KeyCode;
use kadian::domain::Role;
use kadian::policy::Policy;

fn leader_desk() -> Desk {
    let (store, dir) = checkpoint_store();
    add_staff(&store, "L01", "李队", Role::Leader);
    let mut d = Desk::on(store, dir);
    d.typed("2468");
    d.key(KeyCode::Enter);
    d
}

fn busy(d: &Desk) {
    let mut rng = kadian::rng::Rng::new(11);
    let now = d.clock.0;
    let start = now - chrono::Duration::hours(9);
    let policy = Policy::default_policy();
    let news: Vec<_> = (0..120)
        .map(|i| {
            let t = start + chrono::Duration::minutes(i * 4);
            policy
                .assess(
                    &kadian::demo::random_draft(&mut rng, t, '湘', 8),
                    now,
                    now.date_naive(),
                )
                .unwrap()
        })
        .collect();
    d.store
        .add_records(news, "L01", "default-2026.1", now)
        .unwrap();
}

#[test]
fn a_zero_day_reads_as_a_zero_report() {
    let mut d = leader_desk();
    d.ctrl(KeyCode::Left);
    let screen = d.screen();
    insta::assert_snapshot!(screen);
    assert!(screen.contains("零报告"));
    assert!(screen.contains("今日卡点运行正常，无异常情况"));
}

#[test]
fn a_busy_day_with_charts_and_masked_persons() {
    let mut d = leader_desk();
    busy(&d);
    d.ctrl(KeyCode::Left);
    let screen = d.screen();
    insta::assert_snapshot!(screen);
    assert!(screen.contains("情况报告"));
    assert!(screen.contains("4307**********"), "IDs masked");
    assert!(screen.contains('█'));
}

#[test]
fn sign_then_issue_a_new_version_with_a_reason() {
    let mut d = leader_desk();
    d.ctrl(KeyCode::Left);
    d.key(KeyCode::F(2));
    d.typed("2468");
    d.key(KeyCode::F(2));
    let day = d.store.day_of(d.clock.0);
    assert_eq!(d.store.reports(day).unwrap().len(), 1);
    assert!(d.screen().contains("已签发 L01 v1"));
    d.typed("补充");
    d.key(KeyCode::F(2));
    d.typed("2468");
    d.key(KeyCode::F(2));
    assert!(d.screen().contains("理由"), "a new version needs a reason");
    d.key(KeyCode::Tab);
    d.typed("补充说明");
    d.key(KeyCode::BackTab);
    d.typed("2468");
    d.key(KeyCode::F(2));
    let v = d.store.reports(day).unwrap();
    assert_eq!(v.len(), 2);
    assert!(v[1].text.ends_with("补充"));
    assert_eq!(v[1].reason, "补充说明");
}

#[test]
fn f4_exports_the_day_with_progress_and_a_result() {
    let mut d = leader_desk();
    busy(&d);
    d.ctrl(KeyCode::Left);
    d.key(KeyCode::F(4));
    d.key(KeyCode::Tab);
    d.key(KeyCode::Right); // XLSX → CSV
    d.key(KeyCode::F(2));
    assert!(
        d.app.report.export.is_some(),
        "an export under way shows progress"
    );
    d.finish_jobs();
    let screen = d.screen();
    assert!(screen.contains("已导出"), "{screen}");
    let path = d.store.dir().join(format!(
        "exports/HN-01-明细-{}.csv",
        d.store.day_of(d.clock.0)
    ));
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with('\u{feff}'));
    assert!(text.lines().count() > 120);
}

/// Days past the policy's retention (28 days) still holding names and ID numbers: the 日报
/// tab says so, Ctrl+P shows what would go, F2 removes it (the records and tallies stay).
/// Officers may not; the command line cannot reach a data dir the TUI holds.
#[test]
fn ctrl_p_purges_personal_details_past_retention() {
    let mut d = leader_desk();
    let now = d.clock.0;
    let mut rng = kadian::rng::Rng::new(5);
    let policy = Policy::default_policy();
    let old = now - chrono::Duration::days(40);
    let news: Vec<_> = (0..60)
        .map(|i| {
            let t = old + chrono::Duration::minutes(i);
            policy
                .assess(
                    &kadian::demo::random_draft(&mut rng, t, '湘', 8),
                    t,
                    t.date_naive(),
                )
                .unwrap()
        })
        .collect();
    let stored = d
        .store
        .add_records(news, "L01", "default-2026.1", now)
        .unwrap();
    let registered = |d: &Desk| {
        stored
            .iter()
            .map(|r| d.store.record(&r.id).unwrap().unwrap())
            .flat_map(|r| r.persons)
            .filter(|p| p.registration.is_some())
            .count()
    };
    let persons = registered(&d);
    assert!(persons > 0, "the demo registers some persons");
    d.ctrl(KeyCode::Left);
    assert!(
        d.screen().contains("超过保留期的个人信息未清除"),
        "{}",
        d.screen()
    );
    d.ctrl(KeyCode::Char('p'));
    let screen = d.screen();
    insta::assert_snapshot!(screen);
    assert!(
        screen.contains(&format!("{persons} 人")),
        "the dry run counts them: {screen}"
    );
    assert_eq!(registered(&d), persons, "a dry run removes nothing");
    d.key(KeyCode::F(2));
    assert_eq!(registered(&d), 0);
    assert!(d.screen().contains("已清除："), "{}", d.screen());
    d.key(KeyCode::Esc);
    assert!(!d.screen().contains("超过保留期"), "{}", d.screen());
    let day = d.store.day_of(old);
    assert_eq!(d.store.day_counts(day).unwrap().records, 60, "records stay");
    assert!(d.store.verify(&mut |_| {}).unwrap().is_empty());
}

#[test]
fn an_officer_may_not_purge() {
    let (store, dir) = checkpoint_store();
    add_staff(&store, "S01", "张三", Role::Officer);
    let mut d = Desk::on(store, dir);
    d.typed("2468");
    d.key(KeyCode::Enter);
    d.ctrl(KeyCode::Left);
    d.ctrl(KeyCode::Char('p'));
    let screen = d.screen();
    assert!(screen.contains("清除个人信息须带班领导操作"), "{screen}");
    assert!(!screen.contains("将清除"), "{screen}");
}

/// Regression: after signing, a late record changed `report` but the 日报 kept the signed
/// figures alone. Now the signed version's figures are shown beside the current ones until a
/// new version is signed.
#[test]
fn a_record_after_signing_shows_the_signed_figures_beside_the_current_ones() {
    let mut d = leader_desk();
    busy(&d);
    d.ctrl(KeyCode::Left);
    d.key(KeyCode::F(2));
    d.typed("2468");
    d.key(KeyCode::F(2));
    assert!(d.screen().contains("已签发 L01 v1"));
    assert!(!d.screen().contains("签发后有变动"));
    let signed = d.store.day_counts(d.store.day_of(d.clock.0)).unwrap();
    let now = d.clock.0;
    let policy = Policy::default_policy();
    let mut rng = kadian::rng::Rng::new(5);
    let late = policy
        .assess(
            &kadian::demo::random_draft(&mut rng, now, '湘', 0),
            now,
            now.date_naive(),
        )
        .unwrap();
    d.store
        .add_records(vec![late], "L01", "default-2026.1", now)
        .unwrap();
    // Leave the tab and come back: the day is loaded again.
    d.ctrl(KeyCode::Right);
    d.ctrl(KeyCode::Left);
    let screen = d.screen();
    assert!(screen.contains("签发后有变动"), "{screen}");
    assert!(
        screen.contains(&format!("签发版 v1：车辆 {}", signed.vehicles)),
        "{screen}"
    );
}
