//! TUI tests of sync by file: F11 opens the sync overlay, F2 writes a bundle to the outbox,
//! F5 imports the inbox (leaders), an untrusted laptop is shown with its fingerprint and F6
//! trusts it; a command post opens on the consolidated 日报 naming who has not reported.

mod common;

use common::desk::{Desk, add_staff, checkpoint_store};
use crossterm::event::KeyCode;
use kadian::domain::{Checkpoint, Role};
use kadian::ops::sync::{self as ops, Since};
use kadian::policy::Policy;
use kadian::store::Store;

/// Another laptop of the same checkpoint (HN-01) with one record, and its bundle.
fn sibling_bundle(into: &std::path::Path) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(dir.path()).unwrap();
    let cp = Checkpoint::new(
        "HN-01",
        "常德北收费站",
        "湘",
        "Asia/Shanghai",
        0,
        "LANE-2".into(),
    )
    .unwrap();
    store.init(cp).unwrap();
    add_staff(&store, "S09", "赵九", Role::Officer);
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-24T01:00:00Z")
        .unwrap()
        .to_utc();
    let policy = Policy::default_policy();
    let draft = kadian::domain::input::RecordJson::parse_line(
        r#"{"vehicle":{"plate":"湘J77777","kind":"货车","origin":"长沙","destination":"常德","disinfected":true},"persons":[{"temperature":36.5,"health_code":"green","test":{"result":"negative","hours_ago":20}}]}"#,
    )
    .unwrap();
    let new = policy.assess(&draft, now, store.day_of(now)).unwrap();
    store.add_record(new, "S09", &policy.version, now).unwrap();
    std::fs::create_dir_all(into).unwrap();
    ops::write_bundle(&store, &into.join("lane2.kdb"), "lead", &Since::Last, now).unwrap();
    let fp = kadian::sync::fingerprint(&ops::key_file(&store).unwrap().public_key);
    (dir, fp)
}

/// The screen with the temp paths and this run's key fingerprint replaced.
fn redacted(d: &mut Desk, fps: &[&str]) -> String {
    let mut s = d.screen();
    let own = kadian::sync::fingerprint(&ops::key_file(&d.store).unwrap().public_key);
    for fp in fps.iter().copied().chain([own.as_str()]) {
        for n in (8..=fp.len()).rev() {
            s = s.replace(&fp[..n], &"x".repeat(n));
        }
    }
    let dir = d.store.dir().display().to_string();
    for n in (6..=dir.len()).rev() {
        s = s.replace(&dir[..n], &"~".repeat(n));
    }
    s
}

#[test]
fn f11_then_f2_writes_a_bundle_to_the_outbox() {
    let mut d = common::desk::desk();
    d.key(KeyCode::F(11));
    let screen = redacted(&mut d, &[]);
    assert!(
        screen.contains("发件箱") && screen.contains("收件箱"),
        "{screen}"
    );
    insta::assert_snapshot!(screen);
    d.key(KeyCode::F(2));
    let outbox = d.store.sync_folders().unwrap().0;
    let files = kadian::store::bundle_files(&outbox).unwrap();
    assert_eq!(files.len(), 1);
    let b = kadian::sync::read(&files[0]).unwrap();
    assert_eq!(b.header.checkpoint, "HN-01");
    assert!(
        d.screen().contains(" 条（"),
        "the result is shown: {}",
        d.screen()
    );
    // Nothing new since: the next bundle has no record; "everything" resends them.
    d.key(KeyCode::F(2));
    d.key(KeyCode::Tab);
    d.key(KeyCode::Tab);
    d.key(KeyCode::Right);
    assert!(d.screen().contains("全部（重发）"), "{}", d.screen());
    d.key(KeyCode::F(2));
    // Three bundles in the same (fixed-clock) second: three files, none overwritten.
    let files = kadian::store::bundle_files(&outbox).unwrap();
    assert_eq!(files.len(), 3, "{files:?}");
    let sinces: Vec<String> = files
        .iter()
        .map(|f| kadian::sync::read(f).unwrap().header.since)
        .collect();
    assert!(sinces.contains(&"all".to_string()), "{sinces:?}");
    // An officer may not import.
    d.key(KeyCode::F(5));
    assert!(d.screen().contains("无权"), "{}", d.screen());
}

#[test]
fn a_leader_imports_the_inbox_trusting_a_new_laptop_by_its_fingerprint() {
    let (store, dir) = checkpoint_store();
    add_staff(&store, "L01", "李队", Role::Leader);
    let inbox = store.sync_folders().unwrap().1;
    let (_lane, fp) = sibling_bundle(&inbox);
    let mut d = Desk::on(store, dir);
    d.typed("2468");
    d.key(KeyCode::Enter);
    d.key(KeyCode::F(11));
    d.key(KeyCode::F(5));
    let screen = redacted(&mut d, &[&fp]);
    assert!(screen.contains("未信任的电脑"), "{screen}");
    insta::assert_snapshot!(screen);
    assert_eq!(
        d.store
            .day_counts(d.store.day_of(d.clock.0))
            .unwrap()
            .records,
        0
    );
    d.key(KeyCode::F(6));
    assert_eq!(
        d.store
            .day_counts(d.store.day_of(d.clock.0))
            .unwrap()
            .records,
        1,
        "trusted and imported"
    );
    assert_eq!(d.store.trusted_laptops().unwrap().len(), 1);
    // Importing again adds nothing.
    d.key(KeyCode::F(5));
    assert!(d.screen().contains("新增 0"), "{}", d.screen());
    d.key(KeyCode::Esc);
    assert!(
        d.screen().contains("湘J77777"),
        "today's list shows the imported record"
    );
}

#[test]
fn a_command_post_opens_on_the_consolidated_report() {
    let dir = tempfile::tempdir().unwrap();
    let post = Store::open(dir.path()).unwrap();
    post.init_command_post(
        Checkpoint::new(
            "CDZHB",
            "常德市指挥部",
            "湘",
            "Asia/Shanghai",
            0,
            "POST".into(),
        )
        .unwrap(),
    )
    .unwrap();
    add_staff(&post, "Z01", "周指挥", Role::Leader);
    let files = tempfile::tempdir().unwrap();
    let (_lane, fp) = sibling_bundle(files.path());
    let f = files.path().join("lane2.kdb");
    let b = kadian::sync::read(&f).unwrap();
    ops::import_bundle(&post, &b, &f, Some(&fp), false, chrono::Utc::now()).unwrap();
    let mut d = Desk::on(post, dir);
    d.typed("2468");
    d.key(KeyCode::Enter);
    let screen = d.screen();
    assert!(screen.contains("日报汇总"), "{screen}");
    assert!(
        screen.contains("未报送日报/零报告：HN-01 常德北收费站"),
        "{screen}"
    );
    insta::assert_snapshot!(screen);
}

/// A conflict kept aside is listed in the TUI (F11 then F7): with the TUI open, the command
/// line (`kadian import --conflicts`) cannot reach the data dir. Listing keeps an untrusted
/// laptop's F6 offer.
#[test]
fn f7_lists_the_conflicts_kept_aside() {
    let now = chrono::DateTime::parse_from_rfc3339("2026-11-24T01:00:00Z")
        .unwrap()
        .to_utc();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    // Two laptops of HN-01 sign version 1 of the day's report, differently.
    let lane_dir = tempfile::tempdir().unwrap();
    let lane = Store::open(lane_dir.path()).unwrap();
    lane.init(
        Checkpoint::new(
            "HN-01",
            "常德北收费站",
            "湘",
            "Asia/Shanghai",
            0,
            "LANE-3".into(),
        )
        .unwrap(),
    )
    .unwrap();
    add_staff(&lane, "L09", "钱九", Role::Leader);
    let l09 = lane.officer("L09").unwrap().unwrap();
    lane.sign_report(&l09.code, day, "无异常", "", now).unwrap();
    let (store, dir) = checkpoint_store();
    add_staff(&store, "L01", "李队", Role::Leader);
    let l01 = store.officer("L01").unwrap().unwrap();
    store
        .sign_report(&l01.code, day, "一切正常", "", now)
        .unwrap();
    let file = lane_dir.path().join("lane.kdb");
    ops::write_bundle(&lane, &file, "lead", &Since::All, now).unwrap();
    let l01 = kadian::ops::sign_in(&store, &kadian::clock::FixedClock(now), "L01", "2468").unwrap();
    ops::trust(&store, &l01, &ops::key_file(&lane).unwrap(), now).unwrap();
    let b = kadian::sync::read(&file).unwrap();
    let r = ops::import_bundle(&store, &b, &file, None, false, now).unwrap();
    assert_eq!(r.conflicts.len(), 1);
    // And a bundle from a laptop not trusted yet waits in the inbox.
    let inbox = store.sync_folders().unwrap().1;
    let (_other, fp) = sibling_bundle(&inbox);
    let mut d = Desk::on(store, dir);
    d.typed("2468");
    d.key(KeyCode::Enter);
    d.key(KeyCode::F(11));
    d.key(KeyCode::F(5));
    assert!(
        d.screen().contains("已保留的冲突： 1 · F7 查看"),
        "{}",
        d.screen()
    );
    d.key(KeyCode::F(7));
    let c = &d.store.conflicts().unwrap()[0];
    let mut screen = redacted(&mut d, &[&fp]);
    for sha in [&c.kept, &c.other] {
        screen = screen.replace(&sha[..8], "########");
    }
    insta::assert_snapshot!(screen);
    assert!(
        screen.contains("HN-01 report/2026-11-24/v1 在用 ######## 未采用 ########"),
        "{screen}"
    );
    assert!(
        screen.contains("未信任的电脑"),
        "the F6 offer stays: {screen}"
    );
    d.key(KeyCode::F(6));
    assert_eq!(d.store.trusted_laptops().unwrap().len(), 2);
}
