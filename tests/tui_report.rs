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
    let mut rng = kadian::demo::Rng::new(11);
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
    assert!(
        d.screen().contains("reason"),
        "a new version needs a reason"
    );
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
