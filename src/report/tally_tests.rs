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
