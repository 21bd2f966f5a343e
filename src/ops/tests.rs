//! The rules of the operations layer, checked here once for every front end: roles, the
//! PIN (its pause, count and lock), signing with the PIN typed again, staff administration
//! and the first set-up.

use std::sync::Mutex;
use std::time::Duration as StdDuration;

use chrono::{DateTime, Duration, TimeZone, Utc};

use super::*;
use crate::clock::Clock;
use crate::domain::input::RecordJson;
use crate::domain::{Officer, Role};
use crate::error::Error;
use crate::policy::Policy;
use crate::store::Store;
use crate::store::tests::ready_store;

/// A settable instant that notes the pauses asked of it.
struct TestClock {
    now: Mutex<DateTime<Utc>>,
    pauses: Mutex<Vec<StdDuration>>,
}

impl TestClock {
    fn new() -> Self {
        Self {
            now: Mutex::new(Utc.with_ymd_and_hms(2026, 11, 24, 1, 0, 0).unwrap()),
            pauses: Mutex::new(Vec::new()),
        }
    }
    fn advance(&self, d: Duration) {
        *self.now.lock().unwrap() += d;
    }
    fn pauses(&self) -> usize {
        self.pauses.lock().unwrap().len()
    }
}

impl Clock for TestClock {
    fn now(&self) -> DateTime<Utc> {
        *self.now.lock().unwrap()
    }
    fn pause(&self, d: StdDuration) {
        self.pauses.lock().unwrap().push(d);
    }
}

/// S01 (leader), O1 (officer), A1 (admin), all with PIN 2468.
fn store(dir: &std::path::Path) -> Store {
    let s = ready_store(dir);
    s.set_pin("S01", "2468").unwrap();
    for (code, role) in [("O1", Role::Officer), ("A1", Role::Admin)] {
        let mut o = Officer::new(code, code, role);
        o.pin_hash = Some(crate::auth::hash_pin("2468").unwrap());
        s.put_officer(o, false).unwrap();
    }
    s
}

const CAR: &str = r#"{"vehicle":{"plate":"湘J12345"},"persons":[{"temperature":36.5,"health_code":"green","test":{"result":"negative","hours_ago":20}}]}"#;

#[test]
fn a_wrong_pin_pauses_counts_and_the_fifth_locks() {
    let dir = tempfile::tempdir().unwrap();
    let s = store(dir.path());
    let clock = TestClock::new();
    assert_eq!(sign_in(&s, &clock, "S01", "2468").unwrap().code(), "S01");
    for left in (1..5).rev() {
        assert!(matches!(
            sign_in(&s, &clock, "S01", "0000"),
            Err(Error::WrongPin { left: l }) if l == left
        ));
    }
    assert_eq!(clock.pauses(), 4, "every refusal pauses");
    assert!(matches!(
        sign_in(&s, &clock, "S01", "0000"),
        Err(Error::PinLocked { .. })
    ));
    // Even the right PIN is refused while locked, and accepted after the lock.
    assert!(matches!(
        sign_in(&s, &clock, "S01", "2468"),
        Err(Error::PinLocked { .. })
    ));
    assert_eq!(clock.pauses(), 6);
    clock.advance(Duration::minutes(crate::auth::LOCK_MINUTES) + Duration::seconds(1));
    assert!(sign_in(&s, &clock, "S01", "2468").is_ok());
    assert!(matches!(
        sign_in(&s, &clock, "NOPE", "2468"),
        Err(Error::UnknownOfficer(_))
    ));
    let stored = s.officer("S01").unwrap().unwrap();
    assert!(!stored.pin_hash.unwrap().contains("2468"));
}

#[test]
fn roles_are_checked_for_every_act() {
    let dir = tempfile::tempdir().unwrap();
    let s = store(dir.path());
    let clock = TestClock::new();
    let policy = Policy::default_policy();
    let officer = sign_in(&s, &clock, "O1", "2468").unwrap();
    let leader = sign_in(&s, &clock, "S01", "2468").unwrap();
    let d = RecordJson::parse_line(CAR).unwrap();
    let r = records::log(&s, &policy, &officer, &d, &clock).unwrap();
    let change = || vec![crate::amend::parse_set("origin=岳阳").unwrap()];
    let forbidden = |e: Error| matches!(e, Error::Forbidden { .. });
    assert!(forbidden(
        records::amend(&s, &policy, &officer, &r.id, change(), "补录", &clock).unwrap_err()
    ));
    assert!(forbidden(
        records::void(&s, &officer, &r.id, "重复", &clock).unwrap_err()
    ));
    assert!(forbidden(
        records::reveal(&s, &officer, &r.id, &clock).unwrap_err()
    ));
    assert!(forbidden(records::audit(&s, &leader, None).unwrap_err()));
    let day = s.day_of(clock.now());
    assert!(forbidden(
        report::sign_off(&s, &clock, &officer, "2468", day).unwrap_err()
    ));
    assert!(forbidden(
        report::purge(&s, &clock, &officer, day, true).unwrap_err()
    ));
    assert!(forbidden(
        duty::set_duty_config(
            &s,
            &leader,
            crate::domain::duty::DutyConfig::default_config()
        )
        .unwrap_err()
    ));
    assert!(s.amendments(&r.id).unwrap().is_empty(), "nothing written");
    assert!(s.audit(None).unwrap().is_empty());
    // The leader may; a member disabled since signing in may no longer.
    records::amend(&s, &policy, &leader, &r.id, change(), "补录", &clock).unwrap();
    staff::set_active(
        &s,
        staff::Admin::Actor(&sign_in(&s, &clock, "A1", "2468").unwrap()),
        "S01",
        false,
    )
    .unwrap();
    assert!(matches!(
        records::void(&s, &leader, &r.id, "重复", &clock).unwrap_err(),
        Error::Inactive(_)
    ));
}

#[test]
fn signing_needs_the_pin_typed_again_and_not_a_day_to_come() {
    let dir = tempfile::tempdir().unwrap();
    let s = store(dir.path());
    let clock = TestClock::new();
    let leader = sign_in(&s, &clock, "S01", "2468").unwrap();
    let day = s.day_of(clock.now());
    assert!(matches!(
        report::sign_report(&s, &clock, &leader, "0000", day, "无异常", "").unwrap_err(),
        Error::WrongPin { .. }
    ));
    assert_eq!(clock.pauses(), 1);
    assert!(report::sign_off(&s, &clock, &leader, "2468", day + Duration::days(1)).is_err());
    let v1 = report::sign_report(&s, &clock, &leader, "2468", day, "无异常", "").unwrap();
    assert_eq!((v1.version, v1.signed_by.as_str()), (1, "S01"));
    report::sign_off(&s, &clock, &leader, "2468", day).unwrap();
    assert!(
        report::sign_off(&s, &clock, &leader, "2468", day).is_err(),
        "once"
    );
}

#[test]
fn staff_are_an_admins_and_the_set_up_closes_once_an_admin_exists() {
    let dir = tempfile::tempdir().unwrap();
    let s = ready_store(dir.path());
    let clock = TestClock::new();
    // No admin yet: the set-up may add one.
    assert!(auth::needs_first_admin(&s).unwrap());
    let mut a = Officer::new("A1", "管理", Role::Admin);
    a = staff::add(&s, staff::Admin::SetUp, a.clone(), Some("2468")).unwrap();
    assert!(a.pin_hash.is_some());
    assert!(!auth::needs_first_admin(&s).unwrap());
    assert!(matches!(
        staff::add(
            &s,
            staff::Admin::SetUp,
            Officer::new("X", "x", Role::Admin),
            None
        ),
        Err(Error::Field(f)) if f.field == "by"
    ));
    let admin = sign_in(&s, &clock, "A1", "2468").unwrap();
    staff::set_pin(&s, staff::Admin::Actor(&admin), "S01", "1357").unwrap();
    let leader = sign_in(&s, &clock, "S01", "1357").unwrap();
    assert!(matches!(
        staff::add(
            &s,
            staff::Admin::Actor(&leader),
            Officer::new("X", "x", Role::Officer),
            None
        ),
        Err(Error::Forbidden { .. })
    ));
    assert!(s.officer("X").unwrap().is_none());
    // The last admin can be neither disabled nor demoted.
    assert!(matches!(
        staff::set_active(&s, staff::Admin::Actor(&admin), "A1", false),
        Err(Error::LastAdmin(_))
    ));
    let mut demoted = s.officer("A1").unwrap().unwrap();
    demoted.role = Role::Leader;
    assert!(matches!(
        staff::edit(&s, staff::Admin::Actor(&admin), demoted),
        Err(Error::LastAdmin(_))
    ));
    // One's own PIN, with the current one.
    staff::set_own_pin(&s, &leader, "8642").unwrap();
    assert!(sign_in(&s, &clock, "S01", "8642").is_ok());
}

#[test]
fn a_handover_needs_two_different_leaders_with_their_pins() {
    let dir = tempfile::tempdir().unwrap();
    let s = store(dir.path());
    let clock = TestClock::new();
    let mut l2 = Officer::new("L2", "二", Role::Leader);
    l2.pin_hash = Some(crate::auth::hash_pin("1357").unwrap());
    s.put_officer(l2, false).unwrap();
    let leader = sign_in(&s, &clock, "S01", "2468").unwrap();
    let cfg = s.duty_config().unwrap();
    let tz = crate::domain::day::tz_of(s.checkpoint().unwrap());
    let slot = cfg.slot(s.day_of(clock.now()), 0, tz);
    let draft = |to: &str, pin: &str| crate::domain::HandoverDraft {
        slot,
        incoming: to.into(),
        incoming_pin: pin.into(),
        matters: String::new(),
        notes: String::new(),
    };
    assert!(matches!(
        duty::handover(&s, &clock, &leader, &draft("L2", "0000")).unwrap_err(),
        Error::WrongPin { .. }
    ));
    assert_eq!(clock.pauses(), 1);
    assert!(matches!(
        duty::handover(&s, &clock, &leader, &draft("O1", "2468")).unwrap_err(),
        Error::Forbidden { .. }
    ));
    assert!(duty::handover(&s, &clock, &leader, &draft("S01", "2468")).is_err());
    let h = duty::handover(&s, &clock, &leader, &draft("L2", "1357")).unwrap();
    assert_eq!((h.from.as_str(), h.to.as_str()), ("S01", "L2"));
}
