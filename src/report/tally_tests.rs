//! Tests of the day's one tally: every figure of the report agrees with the others and with
//! the records (abnormal persons, the breakdown by disposition, the masked list, amended and
//! voided, the push figures), and the text says only what the figures say.

use chrono::{DateTime, TimeZone, Utc};

use super::*;
use crate::domain::amendment::Change;
use crate::domain::input::RecordJson;
use crate::i18n::Lang;
use crate::store::tests::ready_store;

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 1, 0, 0).unwrap()
}

fn add(s: &Store, line: &str) -> Record {
    let d = RecordJson::parse_line(line).unwrap();
    let new = Policy::default_policy()
        .assess(&d, now(), now().date_naive())
        .unwrap();
    s.add_record(new, "S01", "v1", now()).unwrap()
}

const CAR: &str = r#"{"vehicle":{"plate":"湘J12345"},"persons":[{"temperature":36.5,"health_code":"green","test":{"result":"negative","hours_ago":20}}]}"#;
const YELLOW: &str = r#"{"persons":[{"temperature":36.5,"health_code":"yellow","test":{"result":"negative","hours_ago":20},
  "name":"王小明","id_number":"11010519491231002X","phone":"13900001111","destination":"常德市武陵区"}]}"#;
/// Red code and fever: two dispositions in force for one person.
const RED_FEVER: &str = r#"{"persons":[{"temperature":38.5,"health_code":"red","test":{"result":"negative","hours_ago":20},
  "name":"李四","id_number":"11010519491231002X","phone":"13900002222","destination":"常德市鼎城区"}]}"#;
/// Yellow code, overridden to pass by the officer.
const YELLOW_PASSED: &str = r#"{"persons":[{"temperature":36.5,"health_code":"yellow","test":{"result":"negative","hours_ago":20},
  "name":"赵六","id_number":"11010519491231002X","phone":"13900003333","destination":"常德",
  "override":{"dispositions":["pass"],"reason":"健康码已转绿"}}]}"#;

fn day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
}

/// Regression: after an override to 通行, 日报 said 异常 6 while the masked list had 5 and
/// the breakdown summed to 5; a person with two dispositions counted under both; a voided
/// record counted as amended.
#[test]
fn abnormal_figures_agree_and_each_person_counts_once() {
    let dir = tempfile::tempdir().unwrap();
    let s = ready_store(dir.path());
    let policy = Policy::default_policy();
    add(&s, CAR);
    add(&s, YELLOW);
    let red = add(&s, RED_FEVER);
    assert!(red.persons[0].dispositions().len() > 1, "two dispositions");
    add(&s, YELLOW_PASSED);
    let voided = add(&s, CAR);
    let amended = add(&s, CAR);
    s.void("S01", &voided.id, "重复登记", now()).unwrap();
    s.amend(
        "S01",
        &policy,
        &amended.id,
        vec![Change {
            field: "plate".into(),
            value: "湘J54321".into(),
        }],
        "车牌录错",
        now(),
    )
    .unwrap();
    let t = tally(&s, &policy, day()).unwrap();
    let c = &t.counts;
    assert_eq!(c.persons, 5);
    assert_eq!(
        c.by_disposition.values().sum::<u64>(),
        c.persons,
        "each person once: {:?}",
        c.by_disposition
    );
    let breakdown: u64 = c
        .by_disposition
        .iter()
        .filter(|(d, _)| **d != "pass")
        .map(|(_, n)| n)
        .sum();
    assert_eq!(c.abnormal, 2, "the overridden person passed");
    assert_eq!(breakdown, c.abnormal);
    assert_eq!(
        abnormal_persons(&s, day()).unwrap().len() as u64,
        c.abnormal
    );
    assert_eq!(c.by_disposition["central_quarantine"], 1, "the most severe");
    assert_eq!((t.amended, t.voided), (1, 1), "a void is not an amendment");
    // The JSON reads the same figures.
    let json = report_json(&t, None, "");
    assert_eq!(json["abnormal_persons"], 2);
    assert_eq!(json["amended"], 1);
    assert_eq!(json["voided"], 1);
}

/// Regression: the default text said 需推送的已推送至目的地社区 while nothing was pushed.
#[test]
fn the_text_says_pending_pushes_and_the_json_counts_them() {
    let dir = tempfile::tempdir().unwrap();
    let s = ready_store(dir.path());
    let policy = Policy::default_policy();
    add(&s, YELLOW);
    add(&s, RED_FEVER);
    let t = tally(&s, &policy, day()).unwrap();
    let to_push = push_list(&s, &policy, &[day()], true).unwrap().len() as u64;
    assert!(to_push > 0);
    assert_eq!(t.push, PushFigures { to_push, pushed: 0 });
    let zh = default_text(&t, &I18n::new(Lang::Zh));
    assert!(!zh.contains("已推送至目的地社区"), "{zh}");
    assert!(zh.contains(&format!("待推送{to_push}人")), "{zh}");
    let json = report_json(&t, None, &zh);
    assert_eq!(json["push"]["to_push"], to_push);
    assert_eq!(json["push"]["pushed"], 0);
    // Once every one is marked pushed, the text says so.
    let items: Vec<(String, u8)> = push_list(&s, &policy, &[day()], false)
        .unwrap()
        .into_iter()
        .map(|e| (e.record, e.person))
        .collect();
    s.mark_pushed("S01", &items, now()).unwrap();
    let t = tally(&s, &policy, day()).unwrap();
    assert_eq!(t.push.pending(), 0);
    let zh = default_text(&t, &I18n::new(Lang::Zh));
    assert!(zh.contains("已全部推送"), "{zh}");
    assert!(!zh.contains("待推送"), "{zh}");
}

/// Regression: a record logged after its day's sign-off was accepted with no mark, and the
/// signed report kept saying 16 vehicles while `report` said 17. Now the late record, and a
/// late amendment or void, are kept and marked, and the signed figures are shown beside the
/// current ones until a new version is signed.
#[test]
fn late_records_are_kept_marked_and_shown_beside_the_signed_figures() {
    let dir = tempfile::tempdir().unwrap();
    let s = ready_store(dir.path());
    let policy = Policy::default_policy();
    let early = add(&s, CAR);
    let to_void = add(&s, CAR);
    s.sign_report("S01", day(), "今日卡点运行正常。", "", now())
        .unwrap();
    let t = tally(&s, &policy, day()).unwrap();
    assert_eq!(t.signed.as_ref().map(|f| f.vehicles), Some(2));
    assert!(!t.changed_since_signed);
    s.sign_off("S01", day(), now()).unwrap();
    let late = add(&s, CAR);
    s.void("S01", &to_void.id, "重复登记", now()).unwrap();
    assert!(s.record(&late.id).unwrap().is_some(), "kept");
    assert!(s.after_signoff(&late.id).unwrap());
    assert!(
        s.after_signoff(&to_void.id).unwrap(),
        "voided after sign-off"
    );
    assert!(!s.after_signoff(&early.id).unwrap());
    let json = crate::view::record_json(
        &late,
        day(),
        s.after_signoff(&late.id).unwrap(),
        crate::view::Privacy::Masked,
    );
    assert_eq!(json["after_signoff"], true);
    let t = tally(&s, &policy, day()).unwrap();
    assert_eq!(t.counts.vehicles, 2, "one late, one voided");
    assert_eq!(t.counts.records, 2);
    assert!(
        t.changed_since_signed,
        "a void and a late record since signing"
    );
    let json = report_json(&t, None, "");
    assert_eq!(json["signed"]["version"], 1);
    assert_eq!(json["signed"]["vehicles"], 2);
    assert_eq!(json["changed_since_signed"], true);
    // The marks survive a replay of the journal.
    drop(s);
    let s = Store::open_existing(dir.path()).unwrap();
    assert!(s.after_signoff(&late.id).unwrap());
    assert!(!s.after_signoff(&early.id).unwrap());
    // A new version signed over the current figures: no longer changed.
    s.sign_report("S01", day(), "更正后的报告。", "补登记一辆", now())
        .unwrap();
    let t = tally(&s, &policy, day()).unwrap();
    assert_eq!(t.signed.as_ref().map(|f| f.version), Some(2));
    assert!(!t.changed_since_signed);
    assert_eq!(report_json(&t, None, "")["changed_since_signed"], false);
}

/// A brute-force recount of a day from its records (what every figure must equal).
#[derive(Debug, Default, PartialEq, Eq)]
struct Recount {
    records: u64,
    vehicles: u64,
    persons: u64,
    abnormal: u64,
    amended: u64,
    voided: u64,
    by_disposition: std::collections::BTreeMap<String, u64>,
    to_push: u64,
    pushed: u64,
}

fn recount(s: &Store, policy: &Policy, day: NaiveDate) -> Recount {
    let mut c = Recount::default();
    s.for_each_record(Some(day), |r| {
        if r.voided {
            c.voided += 1;
            return Ok(());
        }
        c.records += 1;
        c.vehicles += u64::from(r.vehicle.is_some());
        c.amended += u64::from(r.amendments > 0);
        for (i, p) in r.persons.iter().enumerate() {
            c.persons += 1;
            c.abnormal += u64::from(p.final_disposition() != Disposition::Pass);
            *c.by_disposition
                .entry(p.final_disposition().code().to_string())
                .or_default() += 1;
            if p.registration.is_some() && policy.requires_push(p.dispositions()) {
                c.to_push += 1;
                c.pushed += u64::from(s.is_pushed(&r.id, i as u8)?);
            }
        }
        Ok(())
    })
    .unwrap();
    c
}

fn figures_of(t: &DayTally) -> Recount {
    Recount {
        records: t.counts.records,
        vehicles: t.counts.vehicles,
        persons: t.counts.persons,
        abnormal: t.counts.abnormal,
        amended: t.amended,
        voided: t.voided,
        by_disposition: t
            .counts
            .by_disposition
            .iter()
            .filter(|(_, n)| **n > 0)
            .map(|(k, n)| (k.to_string(), *n))
            .collect(),
        to_push: t.push.to_push,
        pushed: t.push.pushed,
    }
}

mod random_days {
    use super::*;
    use crate::demo::random_draft;
    use crate::domain::duty::{DEFAULT_DUTY, DutyConfig, TWO_SHIFTS};
    use crate::domain::{Checkpoint, NewRecord, Officer, Override, Role};
    use crate::rng::Rng;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]
        /// Random days — records at any hour, overrides, amendments, voids, records after the
        /// day's sign-off, 3×8 or 2×12, the day from midnight or from 08:00: every figure of
        /// the report partitions the day and agrees with a recount of the records.
        #[test]
        fn every_figure_partitions_and_agrees_with_a_recount(
            seed in any::<u64>(),
            n in 1usize..50,
            two_shifts in any::<bool>(),
            eight in any::<bool>(),
        ) {
            let dir = tempfile::tempdir().unwrap();
            let s = Store::open(dir.path()).unwrap();
            let mut cp: Checkpoint = crate::store::tests::checkpoint();
            cp.day_start_min = if eight { 480 } else { 0 };
            s.init(cp).unwrap();
            s.put_officer(Officer::new("S01", "x", Role::Leader), false).unwrap();
            let duty = if two_shifts { TWO_SHIFTS } else { DEFAULT_DUTY };
            s.set_duty_config(DutyConfig::parse(duty).unwrap()).unwrap();
            let policy = Policy::default_policy();
            let mut rng = Rng::new(seed);
            // 2026-11-23 00:00 local; records over three days.
            let base = Utc.with_ymd_and_hms(2026, 11, 22, 16, 0, 0).unwrap();
            let now = base + chrono::Duration::days(4);
            let draw = |rng: &mut Rng, t0: DateTime<Utc>, span_min: u64| {
                let t = t0 + chrono::Duration::minutes(rng.below(span_min) as i64);
                let mut r = policy
                    .assess(&random_draft(rng, t, '湘', 30), now, now.date_naive())
                    .unwrap();
                for p in &mut r.persons {
                    if rng.chance(15) {
                        let to = if p.is_abnormal() {
                            vec![Disposition::Pass]
                        } else {
                            vec![Disposition::OnSiteTest]
                        };
                        p.overridden = Some(Override { dispositions: to, reason: "现场复核".into() });
                    }
                }
                r
            };
            let news: Vec<NewRecord> = (0..n).map(|_| draw(&mut rng, base, 3 * 24 * 60)).collect();
            let added = s.add_records(news, "S01", "v1", now).unwrap();
            // Sign the middle day, then records, amendments and voids arrive late.
            let signed_day = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
            s.sign_report("S01", signed_day, "日报", "", now).unwrap();
            let at_signing = tally(&s, &policy, signed_day).unwrap();
            s.sign_off("S01", signed_day, now).unwrap();
            let day_start = base + chrono::Duration::days(1) + chrono::Duration::minutes(if eight { 480 } else { 0 });
            let late: Vec<NewRecord> = (0..rng.below(5)).map(|_| draw(&mut rng, day_start, 24 * 60)).collect();
            s.add_records(late, "S01", "v1", now).unwrap();
            for r in &added {
                match rng.below(6) {
                    0 => { let _ = s.void("S01", &r.id, "重复登记", now); }
                    1 => {
                        let change = Change { field: "persons[0].temperature".into(), value: "36.5".into() };
                        let _ = s.amend("S01", &policy, &r.id, vec![change], "体温录错", now);
                    }
                    _ => {}
                }
            }
            let first_day = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
            let some: Vec<(String, u8)> = push_list(&s, &policy, &[first_day], false)
                .unwrap()
                .into_iter()
                .filter(|_| rng.chance(50))
                .map(|e| (e.record, e.person))
                .collect();
            s.mark_pushed("S01", &some, now).unwrap();
            let mut total = 0;
            for d in 0..5 {
                let day = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap() + chrono::Duration::days(d);
                let t = tally(&s, &policy, day).unwrap();
                let c = &t.counts;
                prop_assert_eq!(figures_of(&t), recount(&s, &policy, day), "day {}", day);
                prop_assert_eq!(t.per_hour.iter().map(|(_, n)| n).sum::<u64>(), c.records);
                for (name, f) in [
                    ("vehicles", c.vehicles),
                    ("persons", c.persons),
                    ("abnormal", c.abnormal),
                ] {
                    let sum: u64 = t.per_shift.iter().map(|(_, sc)| match name {
                        "vehicles" => sc.vehicles,
                        "persons" => sc.persons,
                        _ => sc.abnormal,
                    }).sum();
                    prop_assert_eq!(sum, f, "{} of the shifts of {}", name, day);
                }
                prop_assert_eq!(c.by_disposition.values().sum::<u64>(), c.persons);
                prop_assert_eq!(c.persons - c.by_disposition["pass"], c.abnormal);
                prop_assert_eq!(abnormal_persons(&s, day).unwrap().len() as u64, c.abnormal);
                prop_assert_eq!(c.by_officer.values().sum::<u64>(), c.records);
                total += c.records + t.voided;
                if day == signed_day {
                    let signed = t.signed.clone().unwrap();
                    prop_assert_eq!(signed.vehicles, at_signing.counts.vehicles);
                    prop_assert_eq!(signed.persons, at_signing.counts.persons);
                    prop_assert_eq!(signed.abnormal_persons, at_signing.counts.abnormal);
                    let key = |t: &DayTally| { let mut f = figures_of(t); f.to_push = 0; f.pushed = 0; f };
                    prop_assert_eq!(t.changed_since_signed, key(&t) != key(&at_signing));
                } else {
                    prop_assert!(t.signed.is_none());
                }
            }
            prop_assert!(total >= n as u64);
        }
    }
}
