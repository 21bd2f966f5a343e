use super::*;
use crate::domain::input::RecordJson;
use crate::domain::{Role, VehicleKind};
use crate::policy::Policy;
use chrono::TimeZone;

pub(crate) fn checkpoint() -> Checkpoint {
    Checkpoint {
        code: "T01".into(),
        name: "测试卡点".into(),
        province: '湘',
        tz: "Asia/Shanghai".into(),
        day_start_min: 0,
        laptop: "L1".into(),
        default_kind: VehicleKind::Car,
        default_occupants: 1,
    }
}

pub(crate) fn ready_store(dir: &Path) -> Store {
    let s = Store::open(dir).unwrap();
    s.init(checkpoint()).unwrap();
    s.put_officer(Officer::new("S01", "测试员", Role::Leader), false)
        .unwrap();
    s
}

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 1, 0, 0).unwrap()
}

fn new_record(line: &str) -> NewRecord {
    let d = RecordJson::parse_line(line).unwrap();
    Policy::default_policy()
        .assess(&d, now(), now().date_naive())
        .unwrap()
}

const CAR: &str = r#"{"vehicle":{"plate":"湘J12345"},"persons":[{"temperature":36.5,"health_code":"green","test":{"result":"negative","hours_ago":20}}]}"#;
const YELLOW: &str = r#"{"persons":[{"temperature":36.5,"health_code":"yellow","test":{"result":"negative","hours_ago":20},
  "name":"王小明","id_number":"11010519491231002X","phone":"13900001111","destination":"常德"}]}"#;

#[test]
fn records_are_indexed_counted_and_survive_reopen() {
    let dir = tempfile::tempdir().unwrap();
    {
        let s = ready_store(dir.path());
        s.add_record(new_record(CAR), "S01", "v1", now()).unwrap();
        s.add_record(new_record(YELLOW), "S01", "v1", now())
            .unwrap();
    }
    let s = Store::open_existing(dir.path()).unwrap();
    let day = s.day_of(now());
    let page = s.day_page(day, 0, 10).unwrap();
    assert_eq!(page.len(), 2);
    assert!(page[0].vehicle.is_none(), "newest first");
    assert_eq!(s.by_plate("湘J12345").unwrap().len(), 1);
    assert_eq!(s.by_id_number("11010519491231002X").unwrap().len(), 1);
    let c = s.day_counts(day).unwrap();
    assert_eq!((c.records, c.vehicles, c.persons, c.abnormal), (2, 1, 2, 1));
    assert_eq!(c.by_disposition["home_monitoring"], 1);
    assert_eq!(c.by_disposition["pass"], 1);
    assert_eq!(c.by_kind["car"], 1);
}

#[test]
fn init_twice_and_unknown_officer_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let s = ready_store(dir.path());
    assert!(matches!(
        s.init(checkpoint()),
        Err(Error::AlreadyInitialised(..))
    ));
    assert!(matches!(
        s.add_record(new_record(CAR), "NOPE", "v1", now()),
        Err(Error::UnknownOfficer(_))
    ));
    assert_eq!(s.day_counts(s.day_of(now())).unwrap().records, 0);
}

#[test]
fn journal_frames_sled_lost_are_replayed_once() {
    // Simulates sled losing its recent writes (power cut before its background fsync): the
    // journal holds them, so reopening with sled's applied offset rolled back restores them,
    // and replaying an entry sled already holds does not double-count.
    let dir = tempfile::tempdir().unwrap();
    {
        let s = ready_store(dir.path());
        s.add_record(new_record(CAR), "S01", "v1", now()).unwrap();
        s.add_record(new_record(CAR), "S01", "v1", now()).unwrap();
        s.tree
            .insert(keys::meta("journal_applied"), &0u64.to_be_bytes())
            .unwrap();
        s.close().unwrap();
    }
    let s = Store::open_existing(dir.path()).unwrap();
    assert_eq!(s.day_counts(s.day_of(now())).unwrap().records, 2);
    {
        let cp = s.tree.remove(keys::meta("journal_applied")).unwrap();
        assert!(cp.is_some());
        let id = s.day_page(s.day_of(now()), 0, 1).unwrap()[0].id.clone();
        s.tree.remove(keys::record(&id)).unwrap();
        let day = s.day_of(now());
        s.tree
            .insert(keys::counter(day, "records"), &1u64.to_be_bytes())
            .unwrap();
        s.tree
            .insert(keys::counter(day, "vehicles"), &1u64.to_be_bytes())
            .unwrap();
        s.tree
            .insert(keys::counter(day, "persons"), &1u64.to_be_bytes())
            .unwrap();
        s.close().unwrap();
    }
    drop(s);
    let s = Store::open_existing(dir.path()).unwrap();
    let c = s.day_counts(s.day_of(now())).unwrap();
    assert_eq!((c.records, c.vehicles, c.persons), (2, 2, 2));
}

#[test]
fn day_boundary_follows_zone_and_day_start() {
    let mut cp = checkpoint();
    let t = Utc.with_ymd_and_hms(2026, 11, 23, 23, 30, 0).unwrap(); // 07:30 on the 24th in Shanghai
    assert_eq!(
        day_of(&cp, t),
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    );
    cp.day_start_min = 8 * 60;
    assert_eq!(
        day_of(&cp, t),
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    );
}

#[test]
fn a_second_open_of_the_same_dir_says_locked() {
    let dir = tempfile::tempdir().unwrap();
    let _s = ready_store(dir.path());
    assert!(matches!(Store::open(dir.path()), Err(Error::Locked(_))));
}

mod tally {
    use super::*;
    use crate::demo::random_draft;
    use crate::rng::Rng;
    use crate::store::{DayCounts, counters_of};
    use proptest::prelude::*;

    /// Recounts a day by scanning every record (what the counters must equal).
    fn recount(s: &Store, day: NaiveDate) -> DayCounts {
        let mut c = DayCounts::zero();
        s.for_each_record(None, |r| {
            if s.day_of(r.time) == day {
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
        s.set_pin(Actor::System, "S01", "2468").unwrap();
        leader.pin_hash = s.officer("S01").unwrap().unwrap().pin_hash;
        let officer = Officer::new("O1", "值守", Role::Officer);
        s.put_officer(officer.clone(), false).unwrap();
        let day = s.day_of(now());
        assert!(matches!(
            s.sign_report(Actor::Staff(&officer), "2468", day, "无异常", "", now()),
            Err(Error::Forbidden { .. })
        ));
        assert!(matches!(
            s.sign_report(Actor::Staff(&leader), "0000", day, "无异常", "", now()),
            Err(Error::WrongPin { .. })
        ));
        let v1 = s
            .sign_report(
                Actor::Staff(&leader),
                "2468",
                day,
                "今日卡点运行正常，无异常情况。",
                "",
                now(),
            )
            .unwrap();
        assert_eq!((v1.version, v1.zero), (1, true));
        let e = s
            .sign_report(Actor::Staff(&leader), "2468", day, "改", "", now())
            .unwrap_err();
        assert!(e.to_string().contains("reason"));
        let v2 = s
            .sign_report(
                Actor::Staff(&leader),
                "2468",
                day,
                "更正后的报告",
                "补充交接班情况",
                now(),
            )
            .unwrap();
        assert_eq!(v2.version, 2);
        let all = s.reports(day).unwrap();
        assert_eq!(all.len(), 2);
        assert_eq!(
            all[0].text, "今日卡点运行正常，无异常情况。",
            "version 1 stays as signed"
        );
    }
}

mod amendments {
    use super::*;
    use crate::amend::Change;
    use proptest::prelude::*;

    fn leader(s: &Store) -> Officer {
        s.officer("S01").unwrap().unwrap()
    }

    fn ch(f: &str, v: &str) -> Change {
        Change {
            field: f.into(),
            value: v.into(),
        }
    }

    #[test]
    fn an_amendment_moves_indexes_and_counters_and_keeps_the_original() {
        let dir = tempfile::tempdir().unwrap();
        let s = ready_store(dir.path());
        let r = s.add_record(new_record(CAR), "S01", "v1", now()).unwrap();
        let p = Policy::default_policy();
        let day = s.day_of(now());
        let officer = Officer::new("O1", "值守", Role::Officer);
        assert!(matches!(
            s.amend(
                Actor::Staff(&officer),
                &p,
                &r.id,
                vec![ch("plate", "湘J54321")],
                "车牌录错",
                now()
            ),
            Err(Error::Forbidden { .. })
        ));
        assert!(
            s.amend(
                Actor::Staff(&leader(&s)),
                &p,
                &r.id,
                vec![ch("plate", "湘J54321")],
                "",
                now()
            )
            .is_err(),
            "a reason is required"
        );
        let a = s
            .amend(
                Actor::Staff(&leader(&s)),
                &p,
                &r.id,
                vec![
                    ch("plate", "湘J54321"),
                    ch("persons[0].test", "无"),
                    ch("persons[0].name", "王小明"),
                    ch("persons[0].id_number", "11010519491231002X"),
                    ch("persons[0].phone", "13900001111"),
                    ch("persons[0].destination", "常德"),
                ],
                "车牌录错",
                now(),
            )
            .unwrap();
        assert!(!a.after_signoff);
        // Counted for the handover in the hour it was written.
        let hour = s
            .counts_between(now(), now() + chrono::Duration::hours(1))
            .unwrap();
        assert_eq!(hour.amendments_written, 1);
        let cur = s.record(&r.id).unwrap().unwrap();
        assert_eq!(cur.vehicle.as_ref().unwrap().plate.as_str(), "湘J54321");
        assert_eq!(cur.amendments, 1);
        assert_eq!(
            s.original(&r.id).unwrap().unwrap(),
            r,
            "the original is kept as logged"
        );
        assert!(s.by_plate("湘J12345").unwrap().is_empty());
        assert_eq!(s.by_plate("湘J54321").unwrap().len(), 1);
        let c = s.day_counts(day).unwrap();
        // no test → on-site test: still 1 record, now abnormal; the on_site_test count moved.
        assert_eq!(
            (
                c.records,
                c.amended,
                c.by_disposition["pass"],
                c.by_disposition["on_site_test"]
            ),
            (1, 1, 0, 1)
        );
        // Void: listed on its day as voided, counted nowhere, in no search index.
        s.void(Actor::Staff(&leader(&s)), &r.id, "重复登记", now())
            .unwrap();
        let c = s.day_counts(day).unwrap();
        assert_eq!(
            (c.records, c.persons, c.vehicles, c.voided, c.amended),
            (0, 0, 0, 1, 1)
        );
        assert!(s.by_plate("湘J54321").unwrap().is_empty());
        assert!(s.day_page(day, 0, 10).unwrap()[0].voided);
        assert!(
            s.amend(
                Actor::Staff(&leader(&s)),
                &p,
                &r.id,
                vec![ch("plate", "湘J1A234")],
                "再改",
                now()
            )
            .is_err()
        );
        assert_eq!(s.amendments(&r.id).unwrap().len(), 2);
        // A replay of the journal gives the same state.
        let before = (s.day_counts(day).unwrap(), s.record(&r.id).unwrap());
        s.tree.remove(keys::meta("journal_applied")).unwrap();
        s.close().unwrap();
        drop(s);
        let s = Store::open_existing(dir.path()).unwrap();
        assert_eq!(
            (s.day_counts(day).unwrap(), s.record(&r.id).unwrap()),
            before
        );
    }

    #[test]
    fn amendments_after_sign_off_are_marked() {
        let dir = tempfile::tempdir().unwrap();
        let s = ready_store(dir.path());
        s.set_pin(Actor::System, "S01", "2468").unwrap();
        let r = s.add_record(new_record(CAR), "S01", "v1", now()).unwrap();
        let day = s.day_of(now());
        assert!(
            s.sign_off(Actor::Staff(&leader(&s)), "0000", day, now())
                .is_err()
        );
        s.sign_off(Actor::Staff(&leader(&s)), "2468", day, now())
            .unwrap();
        assert!(
            s.sign_off(Actor::Staff(&leader(&s)), "2468", day, now())
                .is_err(),
            "once"
        );
        let a = s
            .amend(
                Actor::Staff(&leader(&s)),
                &Policy::default_policy(),
                &r.id,
                vec![ch("origin", "岳阳")],
                "补录来源地",
                now(),
            )
            .unwrap();
        assert!(a.after_signoff);
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 16, ..ProptestConfig::default() })]
        /// Whatever is amended, the stored original stays byte for byte as logged, and every
        /// amendment stays readable.
        #[test]
        fn amendments_never_change_the_stored_original(
            temps in proptest::collection::vec(350u16..=372, 1..5),
            origins in proptest::collection::vec("[a-z]{1,8}", 1..5),
        ) {
            let dir = tempfile::tempdir().unwrap();
            let s = ready_store(dir.path());
            let r = s.add_record(new_record(CAR), "S01", "v1", now()).unwrap();
            let bytes = s.tree.get(keys::record(&r.id)).unwrap().unwrap();
            let p = Policy::default_policy();
            for (t, o) in temps.iter().zip(&origins) {
                let t = format!("{}.{}", t / 10, t % 10);
                s.amend(Actor::Staff(&leader(&s)), &p, &r.id, vec![ch("persons[0].temperature", &t), ch("origin", o)], "测温复核", now()).unwrap();
                prop_assert_eq!(s.tree.get(keys::original(&r.id)).unwrap().unwrap(), bytes.clone());
            }
            prop_assert_eq!(s.amendments(&r.id).unwrap().len(), temps.len().min(origins.len()));
            prop_assert_eq!(s.day_counts(s.day_of(now())).unwrap().records, 1);
        }
    }
}

mod verify {
    use super::*;
    use crate::amend::Change;

    fn filled(dir: &Path) -> (Store, Vec<Record>) {
        let s = ready_store(dir);
        let mut rs = Vec::new();
        for line in [CAR, YELLOW, CAR] {
            rs.push(s.add_record(new_record(line), "S01", "v1", now()).unwrap());
        }
        let leader = s.officer("S01").unwrap().unwrap();
        let change = Change {
            field: "origin".into(),
            value: "岳阳".into(),
        };
        s.amend(
            Actor::Staff(&leader),
            &Policy::default_policy(),
            &rs[0].id,
            vec![change],
            "补录",
            now(),
        )
        .unwrap();
        s.void(Actor::Staff(&leader), &rs[2].id, "重复", now())
            .unwrap();
        (s, rs)
    }

    fn problems(s: &Store) -> Vec<String> {
        s.verify(&mut |_| {}).unwrap()
    }

    #[test]
    fn a_sound_store_verifies() {
        let dir = tempfile::tempdir().unwrap();
        let (s, _) = filled(dir.path());
        assert_eq!(problems(&s), Vec::<String>::new());
    }

    #[test]
    fn a_deleted_record_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let (s, rs) = filled(dir.path());
        s.tree.remove(keys::record(&rs[1].id)).unwrap();
        let p = problems(&s);
        assert!(p.iter().any(|x| x.contains("points to no record")), "{p:?}");
        assert!(p.iter().any(|x| x.contains("was removed")), "{p:?}");
        assert!(
            p.iter().any(|x| x.contains("differ from a recount")),
            "{p:?}"
        );
    }

    #[test]
    fn a_deleted_index_entry_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let (s, rs) = filled(dir.path());
        s.tree
            .remove(keys::by_plate("湘J12345", rs[0].time, &rs[0].id))
            .unwrap();
        let p = problems(&s);
        assert_eq!(p.len(), 1, "{p:?}");
        assert!(p[0].contains("record not indexed"));
    }

    #[test]
    fn a_flipped_byte_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let (s, rs) = filled(dir.path());
        // An altered record as first logged: still decodes, but its hash no longer matches.
        let key = keys::record(&rs[1].id);
        let mut v = s.tree.get(&key).unwrap().unwrap().to_vec();
        let at = v.iter().rposition(|b| *b == b'1').unwrap();
        v[at] = b'2';
        s.tree.insert(&key, v).unwrap();
        let p = problems(&s);
        assert!(p.iter().any(|x| x.contains("was altered")), "{p:?}");
        // A flipped byte in an amendment.
        let (k, v) = s
            .tree
            .scan_prefix(keys::prefix(keys::AMENDMENT))
            .next()
            .unwrap()
            .unwrap();
        let mut v = v.to_vec();
        let last = v.len() - 1;
        v[last] ^= 0x01;
        s.tree.insert(k, v).unwrap();
        assert!(
            problems(&s)
                .iter()
                .filter(|x| x.contains("was altered"))
                .count()
                >= 2
        );
    }

    #[test]
    fn a_removed_chain_link_is_found() {
        let dir = tempfile::tempdir().unwrap();
        let (s, rs) = filled(dir.path());
        s.tree.remove(keys::chain(s.day_of(rs[0].time), 1)).unwrap();
        let p = problems(&s);
        assert!(
            p.iter()
                .any(|x| x.contains("link 1 missing") || x.contains("does not follow")),
            "{p:?}"
        );
    }
}

mod search {
    use super::*;
    use crate::demo::random_draft;
    use crate::rng::Rng;
    use crate::store::Filter;
    use proptest::prelude::*;

    fn store_with(seed: u64, n: usize) -> (tempfile::TempDir, Store, Vec<Record>) {
        let dir = tempfile::tempdir().unwrap();
        let s = ready_store(dir.path());
        s.put_officer(Officer::new("S02", "y", Role::Officer), false)
            .unwrap();
        let policy = Policy::default_policy();
        let mut rng = Rng::new(seed);
        let base = Utc.with_ymd_and_hms(2026, 11, 21, 16, 0, 0).unwrap();
        let later = base + chrono::Duration::days(4);
        let mut all = Vec::new();
        for i in 0..n {
            let t = base + chrono::Duration::minutes(rng.below(3 * 24 * 60) as i64);
            let d = policy
                .assess(
                    &random_draft(&mut rng, t, '湘', 40),
                    later,
                    later.date_naive(),
                )
                .unwrap();
            let officer = if i % 3 == 0 { "S02" } else { "S01" };
            all.push(s.add_record(d, officer, "v1", later).unwrap());
        }
        (dir, s, all)
    }

    /// The brute-force answer: every record, filtered, newest first.
    fn brute(s: &Store, f: &Filter) -> Vec<String> {
        let mut v = Vec::new();
        s.for_each_record(None, |r| {
            if f.matches(&r, s.day_of(r.time)) {
                v.push((r.time, r.id));
            }
            Ok(())
        })
        .unwrap();
        v.sort_by(|a, b| b.cmp(a));
        v.into_iter().map(|x| x.1).collect()
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]
        /// Filters built from the data (a plate part, a name, an ID suffix, a phone prefix, a
        /// disposition, an officer, a kind, a day range, combined) return exactly what a
        /// brute-force scan returns, in the same order, with the same total, page by page.
        #[test]
        fn filters_equal_a_brute_force_scan(seed in any::<u64>(), pick in 0usize..40, which in 0u8..10, day_span in 0i64..3) {
            let (_dir, s, all) = store_with(seed, 40);
            let r = &all[pick % all.len()];
            let reg = r.persons.iter().find_map(|p| p.registration.as_ref());
            let day = s.day_of(r.time);
            let mut f = Filter::default();
            match which {
                0 => f.plate = r.vehicle.as_ref().map(|v| v.plate.as_str().chars().skip(1).take(3).collect()),
                1 => f.plate = r.vehicle.as_ref().map(|v| v.plate.to_string()),
                2 => f.name = reg.map(|g| g.name.chars().take(1).collect()),
                3 => f.id_suffix = reg.map(|g| g.id_number.as_str()[14..].to_string()),
                4 => f.phone = reg.map(|g| g.phone.as_str()[..5].to_string()),
                5 => f.disposition = r.dispositions().first().copied(),
                6 => f.officer = Some(r.officer.clone()),
                7 => f.kind = r.vehicle.as_ref().map(|v| v.kind),
                8 => { f.from = Some(day); f.to = Some(day + chrono::Duration::days(day_span)); }
                _ => { f.disposition = r.dispositions().first().copied(); f.from = Some(day); f.to = Some(day + chrono::Duration::days(day_span)); f.officer = Some("S01".into()); }
            }
            let expect = brute(&s, &f);
            let page = s.search(&f, 0, usize::MAX).unwrap();
            let got: Vec<String> = page.records.iter().map(|r| r.id.clone()).collect();
            prop_assert_eq!(&got, &expect);
            prop_assert_eq!(page.total as usize, expect.len());
            let second = s.search(&f, 3, 5).unwrap();
            let ids: Vec<String> = second.records.iter().map(|r| r.id.clone()).collect();
            prop_assert_eq!(ids, expect.iter().skip(3).take(5).cloned().collect::<Vec<_>>());
            prop_assert_eq!(second.total as usize, expect.len());
        }
    }
}

/// A version kept aside by a sync conflict is a copy of a record: a purge of its day removes
/// its personal details too, in the store and in the journal.
#[test]
fn a_purge_scrubs_the_versions_conflicts_kept_aside() {
    let dir = tempfile::tempdir().unwrap();
    let s = ready_store(dir.path());
    let r = s
        .add_record(new_record(YELLOW), "S01", "v1", now())
        .unwrap();
    let mut other = r.clone();
    other.persons[0].registration.as_mut().unwrap().phone =
        crate::domain::Phone::parse("13700002222").unwrap();
    let conflict = super::sync::Conflict {
        id: format!("record/{}", r.id),
        checkpoint: "T01".into(),
        kept: "a".repeat(64),
        other: "b".repeat(64),
        entry: codec::encode(&other),
    };
    {
        let mut w = s.writer();
        s.commit(&mut w, &[Entry::Conflict(Box::new(conflict))])
            .unwrap();
    }
    let journal = || std::fs::read(dir.path().join("journal.log")).unwrap();
    let has = |hay: &[u8], needle: &str| hay.windows(needle.len()).any(|w| w == needle.as_bytes());
    assert!(has(&journal(), "13700002222"));
    let day = s.day_of(now());
    let leader = s.officer("S01").unwrap().unwrap();
    s.purge(
        Actor::Staff(&leader),
        day.succ_opt().unwrap(),
        false,
        now() + chrono::Duration::days(30),
    )
    .unwrap();
    let kept = s.conflicts().unwrap();
    assert_eq!(kept.len(), 1);
    let r2: Record = codec::decode("conflict record", &kept[0].entry).unwrap();
    assert!(r2.persons[0].registration.is_none(), "{r2:?}");
    assert_eq!(kept[0].other, "b".repeat(64), "the version is still named");
    for phone in ["13700002222", "13900001111", "王小明"] {
        assert!(!has(&journal(), phone), "{phone} left in the journal");
    }
    assert!(s.verify(&mut |_| {}).unwrap().is_empty());
    drop(s);
    // Reopened (and so rebuilt from what sled holds and the journal replays): still scrubbed.
    let s = Store::open_existing(dir.path()).unwrap();
    let r3: Record = codec::decode("conflict record", &s.conflicts().unwrap()[0].entry).unwrap();
    assert!(r3.persons[0].registration.is_none());
}

mod scrub_spans {
    use super::*;
    use crate::demo::random_draft;
    use crate::rng::Rng;
    use proptest::prelude::*;

    /// Every frame of the journal whose record or amendment falls on a day before `before`
    /// and still names a person (read in full, not through the spans).
    fn personal_frames_before(s: &Store, dir: &Path, before: NaiveDate) -> usize {
        let path = dir.join("journal.log");
        let len = std::fs::metadata(&path).unwrap().len();
        let mut n = 0;
        journal::read_frames(&path, 0, len, &mut |payload| {
            let e: Entry = codec::decode("journal entry", payload)?;
            let named = |r: &Record| r.persons.iter().any(|p| p.registration.is_some());
            let hit = match &e {
                Entry::Record(r) => s.day_of(r.time) < before && named(r),
                Entry::Amendment(a) => s.day_of(a.result.time) < before && named(&a.result),
                _ => false,
            };
            n += usize::from(hit);
            Ok(())
        })
        .unwrap();
        n
    }

    #[test]
    fn spans_merge_when_close_and_stay_few() {
        let mut l = Vec::new();
        super::purge::merge_span_for_tests(&mut l, 100, 200);
        super::purge::merge_span_for_tests(&mut l, 250, 300);
        assert_eq!(l, [(100, 300)], "closer than the gap: one span");
        super::purge::merge_span_for_tests(&mut l, 10 << 20, (10 << 20) + 50);
        assert_eq!(l.len(), 2, "far apart: two");
        for i in 0..40u64 {
            let s = (20 + 2 * i) << 20;
            super::purge::merge_span_for_tests(&mut l, s, s + 10);
        }
        assert!(l.len() <= 16, "{l:?}");
        assert_eq!(l.first().unwrap().0, 100);
        assert_eq!(l.last().unwrap().1, ((20 + 2 * 39) << 20) + 10);
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 8, ..ProptestConfig::default() })]
        /// Records of many days, logged out of day order in several commits, some amended;
        /// purges at rising lines: after each, no frame of a purged day in the whole journal
        /// names a person, though only the noted spans were read.
        #[test]
        fn a_purge_through_the_spans_leaves_no_name_behind(seed in any::<u64>(), n in 20usize..120) {
            let dir = tempfile::tempdir().unwrap();
            let s = ready_store(dir.path());
            let leader = s.officer("S01").unwrap().unwrap();
            let policy = Policy::default_policy();
            let mut rng = Rng::new(seed);
            let base = Utc.with_ymd_and_hms(2026, 10, 1, 4, 0, 0).unwrap();
            let now = base + chrono::Duration::days(60);
            let mut left = n;
            while left > 0 {
                let k = left.min(1 + rng.below(15) as usize);
                let news: Vec<NewRecord> = (0..k)
                    .map(|_| {
                        let t = base + chrono::Duration::hours(rng.below(30 * 24) as i64);
                        policy.assess(&random_draft(&mut rng, t, '湘', 3), t, t.date_naive()).unwrap()
                    })
                    .collect();
                let stored = s.add_records(news, "S01", "v1", now).unwrap();
                if let Some(r) = stored.iter().find(|r| r.persons.iter().any(|p| p.registration.is_some())) {
                    let change = vec![crate::amend::Change { field: "persons[0].phone".into(), value: "13700009999".into() }];
                    s.amend(Actor::Staff(&leader), &policy, &r.id, change, "电话录错", now).unwrap();
                }
                left -= k;
            }
            let first = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
            for days in [3, 11, 12, 25, 31] {
                let before = first + chrono::Duration::days(days);
                s.purge(Actor::Staff(&leader), before, false, now).unwrap();
                prop_assert_eq!(personal_frames_before(&s, dir.path(), before), 0);
            }
            let problems = s.verify(&mut |_| {}).unwrap();
            prop_assert!(problems.is_empty(), "{:?}", problems);
        }
    }

    /// A data dir from before spans were noted: opened, its journal is indexed once, and a
    /// purge still reaches every frame.
    #[test]
    fn an_older_data_dir_is_indexed_when_opened() {
        let dir = tempfile::tempdir().unwrap();
        let day;
        {
            let s = ready_store(dir.path());
            let r = s
                .add_record(new_record(YELLOW), "S01", "v1", now())
                .unwrap();
            day = s.day_of(r.time);
            let spans: Vec<_> = s
                .tree
                .scan_prefix(keys::meta("scrub"))
                .keys()
                .map(|k| k.unwrap())
                .collect();
            assert_eq!(spans.len(), 2, "the day's spans and the marker");
            for k in spans {
                s.tree.remove(k).unwrap();
            }
            s.close().unwrap();
        }
        let s = Store::open_existing(dir.path()).unwrap();
        assert!(s.tree.contains_key(keys::meta("scrub_spans")).unwrap());
        let leader = s.officer("S01").unwrap().unwrap();
        let before = day.succ_opt().unwrap();
        s.purge(
            Actor::Staff(&leader),
            before,
            false,
            now() + chrono::Duration::days(30),
        )
        .unwrap();
        assert_eq!(personal_frames_before(&s, dir.path(), before), 0);
        assert_eq!(
            s.tree.scan_prefix(keys::meta("scrub/")).count(),
            0,
            "the purged day's spans are forgotten"
        );
    }
}

mod retired_indexes {
    use super::*;
    use crate::domain::Disposition;
    use crate::store::Filter;

    const SAME_SUFFIX: &str = r#"{"persons":[{"temperature":36.5,"health_code":"yellow","test":{"result":"negative","hours_ago":20},
  "name":"李四","id_number":"43010219800101002X","phone":"13900002222","destination":"常德"}]}"#;

    /// Pass is found without an index of its own, voided records count for no disposition,
    /// and a full ID number is told apart from another with the same last four digits.
    #[test]
    fn pass_and_full_id_numbers_are_found_without_their_own_index() {
        let dir = tempfile::tempdir().unwrap();
        let s = ready_store(dir.path());
        let leader = s.officer("S01").unwrap().unwrap();
        let cars = s
            .add_records(
                vec![new_record(CAR), new_record(CAR), new_record(CAR)],
                "S01",
                "v1",
                now(),
            )
            .unwrap();
        s.add_record(new_record(YELLOW), "S01", "v1", now())
            .unwrap();
        s.add_record(new_record(SAME_SUFFIX), "S01", "v1", now())
            .unwrap();
        s.void(Actor::Staff(&leader), &cars[0].id, "重复登记", now())
            .unwrap();
        let day = s.day_of(now());
        let pass = Filter {
            disposition: Some(Disposition::Pass),
            ..Default::default()
        };
        let page = s.search(&pass, 0, 10).unwrap();
        assert_eq!(page.total, 2, "the two cars not voided");
        assert!(page.records.iter().all(|r| !r.voided));
        assert_eq!(s.records_with(day, &[Disposition::Pass]).unwrap().len(), 2);
        let home = s.records_with(day, &[Disposition::HomeMonitoring]).unwrap();
        assert_eq!(home.len(), 2);
        let found = s.by_id_number("11010519491231002X").unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(
            found[0].persons[0].registration.as_ref().unwrap().name,
            "王小明"
        );
        assert_eq!(s.by_id_number("43010219800101002X").unwrap().len(), 1);
        assert!(s.by_id_number("002X").unwrap().is_empty());
        assert!(
            s.tree
                .scan_prefix(keys::prefix(keys::BY_ID_NUMBER))
                .next()
                .is_none()
        );
        assert!(s.verify(&mut |_| {}).unwrap().is_empty());
    }

    /// A data dir written with the full-ID and pass index keys loses them when opened, and
    /// verifies.
    #[test]
    fn an_older_data_dir_drops_the_retired_keys_when_opened() {
        let dir = tempfile::tempdir().unwrap();
        {
            let s = ready_store(dir.path());
            let r = s
                .add_record(new_record(YELLOW), "S01", "v1", now())
                .unwrap();
            let c = s.add_record(new_record(CAR), "S01", "v1", now()).unwrap();
            let day = s.day_of(now());
            s.tree
                .insert(keys::by_id_number("11010519491231002X", r.time, &r.id), &[])
                .unwrap();
            s.tree
                .insert(
                    keys::by_disposition(Disposition::Pass.tag(), day, c.time, &c.id),
                    &[],
                )
                .unwrap();
            s.tree.remove(keys::meta("index_v2")).unwrap();
            assert!(
                !s.verify(&mut |_| {}).unwrap().is_empty(),
                "verify sees them"
            );
            s.close().unwrap();
        }
        let s = Store::open_existing(dir.path()).unwrap();
        assert!(
            s.tree
                .scan_prefix(keys::prefix(keys::BY_ID_NUMBER))
                .next()
                .is_none()
        );
        assert!(s.verify(&mut |_| {}).unwrap().is_empty());
        assert!(s.tree.contains_key(keys::meta("index_v2")).unwrap());
    }
}
