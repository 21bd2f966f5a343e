//! Tests of the day's counters and tallies: counters kept with each commit equal a recount
//! of the records, and a signed day report is frozen (a new version needs a reason).

use super::*;
use crate::demo::random_draft;
use crate::domain::{DayCounts, ShiftCounts};
use crate::rng::Rng;
use crate::store::counters_of;
use proptest::prelude::*;

/// Recounts a day by scanning every record (what the counters must equal).
fn recount(s: &Store, day: NaiveDate) -> DayCounts {
    let mut c = DayCounts::zero();
    s.for_each_record(None, |r| {
        if s.day_of(r.time) == day && r.voided {
            c.add("voided", 1);
        } else if s.day_of(r.time) == day {
            for (name, n) in counters_of(&r) {
                c.add(&name, n);
            }
        }
        Ok(())
    })
    .unwrap();
    c
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]
    /// The running counters of every day equal a brute-force recount, with the day
    /// starting at midnight or at 08:00, and the hours add up to the day.
    #[test]
    fn day_counters_equal_a_recount(seed in any::<u64>(), n in 1usize..80, eight in any::<bool>()) {
        let dir = tempfile::tempdir().unwrap();
        let s = Store::open(dir.path()).unwrap();
        let mut cp = checkpoint();
        cp.day_start_min = if eight { 480 } else { 0 };
        s.init(cp).unwrap();
        s.put_officer(Officer::new("S01", "x", Role::Leader), false).unwrap();
        let policy = Policy::default_policy();
        let mut rng = Rng::new(seed);
        let base = Utc.with_ymd_and_hms(2026, 11, 22, 16, 0, 0).unwrap();
        let now = base + chrono::Duration::days(4);
        let news: Vec<NewRecord> = (0..n)
            .map(|_| {
                let t = base + chrono::Duration::minutes(rng.below(3 * 24 * 60) as i64);
                policy.assess(&random_draft(&mut rng, t, '湘', 20), now, now.date_naive()).unwrap()
            })
            .collect();
        s.add_records(news, "S01", "v1", now).unwrap();
        let mut total = 0;
        for d in 0..4 {
            let day = NaiveDate::from_ymd_opt(2026, 11, 22).unwrap() + chrono::Duration::days(d);
            let counted = s.day_counts(day).unwrap();
            prop_assert_eq!(&counted, &recount(&s, day));
            let t = s.day_tally(day).unwrap();
            prop_assert_eq!(t.per_hour.iter().map(|(_, n)| n).sum::<u64>(), counted.records);
            total += counted.records;
        }
        prop_assert_eq!(total, n as u64);
    }
}

#[test]
fn a_signed_report_is_frozen_and_a_new_version_needs_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let s = ready_store(dir.path());
    let mut leader = s.officer("S01").unwrap().unwrap();
    s.set_pin("S01", "2468").unwrap();
    leader.pin_hash = s.officer("S01").unwrap().unwrap().pin_hash;
    let officer = Officer::new("O1", "值守", Role::Officer);
    s.put_officer(officer.clone(), false).unwrap();
    let day = s.day_of(now());
    let v1 = s
        .sign_report("S01", day, "今日卡点运行正常，无异常情况。", "", now())
        .unwrap();
    assert_eq!((v1.version, v1.zero), (1, true));
    let e = s.sign_report("S01", day, "改", "", now()).unwrap_err();
    let en = crate::i18n::I18n::new(crate::i18n::Lang::En).error(&e);
    assert!(en.contains("reason"), "{en}");
    let v2 = s
        .sign_report("S01", day, "更正后的报告", "补充交接班情况", now())
        .unwrap();
    assert_eq!(v2.version, 2);
    let all = s.reports(day).unwrap();
    assert_eq!(all.len(), 2);
    assert_eq!(
        all[0].text, "今日卡点运行正常，无异常情况。",
        "version 1 stays as signed"
    );
}

/// Records at `hours` (local, on 2026-11-24, Shanghai) in a store whose day starts at
/// `day_start` hours, with the duty pattern `duty`.
fn store_with_hours(dir: &Path, day_start: u16, duty: &str, hours: &[i64]) -> Store {
    use crate::domain::duty::DutyConfig;
    let s = Store::open(dir).unwrap();
    let mut cp = checkpoint();
    cp.day_start_min = day_start * 60;
    s.init(cp).unwrap();
    s.put_officer(Officer::new("S01", "x", Role::Leader), false)
        .unwrap();
    s.set_duty_config(DutyConfig::parse(duty).unwrap()).unwrap();
    let midnight = Utc.with_ymd_and_hms(2026, 11, 23, 16, 0, 0).unwrap();
    let policy = Policy::default_policy();
    let news: Vec<NewRecord> = hours
        .iter()
        .map(|h| {
            let t = midnight + chrono::Duration::minutes(h * 60 + 10);
            let d = RecordJson::parse_line(CAR).unwrap();
            policy.assess(&d, t, t.date_naive()).unwrap()
        })
        .collect();
    s.add_records(news, "S01", "v1", midnight + chrono::Duration::days(3))
        .unwrap();
    s
}

/// Regression: the shifts of a day followed the duty date (3×8 from 08:00) while the day ran
/// from midnight, so a day's night shift was the next morning's and the shifts summed to
/// more than the day. Now the shifts take the day's own hours, for 3×8 and 2×12.
#[test]
fn shifts_partition_the_day_from_midnight_or_from_the_first_shift() {
    use crate::domain::duty::{DEFAULT_DUTY, TWO_SHIFTS};
    let day = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    // Hours from 2026-11-24 00:00 local: 03, 10, 18, 22 that day, 03, 04 and 10 the next.
    let hours = [3, 10, 18, 22, 27, 28, 34];
    for duty in [DEFAULT_DUTY, TWO_SHIFTS] {
        for day_start in [0, 8] {
            let dir = tempfile::tempdir().unwrap();
            let s = store_with_hours(dir.path(), day_start, duty, &hours);
            let t = s.day_tally(day).unwrap();
            let shifts =
                |f: fn(&ShiftCounts) -> u64| t.per_shift.iter().map(|(_, c)| f(c)).sum::<u64>();
            assert_eq!(
                shifts(|c| c.vehicles),
                t.counts.vehicles,
                "{duty} {day_start}"
            );
            assert_eq!(shifts(|c| c.persons), t.counts.persons);
            assert_eq!(shifts(|c| c.abnormal), t.counts.abnormal);
            assert_eq!(
                t.per_hour.iter().map(|(_, n)| n).sum::<u64>(),
                t.counts.records
            );
            let expected = if day_start == 0 { 4 } else { 5 };
            assert_eq!(t.counts.vehicles, expected);
        }
    }
    // From midnight with 3×8, the 夜班 of the day is its own 00:00–08:00.
    let dir = tempfile::tempdir().unwrap();
    let s = store_with_hours(dir.path(), 0, DEFAULT_DUTY, &hours);
    let t = s.day_tally(day).unwrap();
    let night = t.per_shift.iter().find(|(n, _)| n == "夜班").unwrap();
    assert_eq!(
        night.1.vehicles, 1,
        "the 03:10 car of the day, not the next morning's"
    );
}

/// A ledger written before each person counted once (its counters counted every disposition
/// in force, and a void as amended) is recounted once when opened; the amendments written per
/// hour (for handovers) are kept.
#[test]
fn counters_of_an_older_ledger_are_recounted_once_on_open() {
    let dir = tempfile::tempdir().unwrap();
    let day = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let before;
    {
        let s = ready_store(dir.path());
        s.add_record(new_record(YELLOW), "S01", "v1", now())
            .unwrap();
        let car = s.add_record(new_record(CAR), "S01", "v1", now()).unwrap();
        s.void("S01", &car.id, "重复登记", now()).unwrap();
        before = (
            s.day_counts(day).unwrap(),
            s.counts_between(now(), now() + chrono::Duration::hours(1))
                .unwrap(),
        );
        // As an older release left it.
        s.tree.remove(keys::meta("counters_v2")).unwrap();
        for (name, n) in [("d:pass", 7u64), ("amended", 1), ("abnormal", 3)] {
            s.tree
                .insert(keys::counter(day, name), &n.to_be_bytes())
                .unwrap();
        }
        s.close().unwrap();
    }
    let s = Store::open_existing(dir.path()).unwrap();
    assert_eq!(s.day_counts(day).unwrap(), before.0);
    assert_eq!(s.day_counts(day).unwrap(), recount(&s, day));
    let hour = s
        .counts_between(now(), now() + chrono::Duration::hours(1))
        .unwrap();
    assert_eq!(hour, before.1, "hour counters, amendments written kept");
    assert_eq!(hour.amendments_written, 1);
}
