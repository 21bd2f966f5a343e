//! Tests of searching the ledger: every filter gives what a brute-force scan gives, page by
//! page; and the index keys an earlier layout kept (pass, full ID numbers) are not needed
//! to find those records, and are dropped when an older data dir is opened.

use super::*;
use crate::demo::random_draft;
use crate::domain::Disposition;
use crate::domain::Filter;
use crate::rng::Rng;
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

// The index keys an earlier layout kept.

const SAME_SUFFIX: &str = r#"{"persons":[{"temperature":36.5,"health_code":"yellow","test":{"result":"negative","hours_ago":20},
  "name":"李四","id_number":"43010219800101002X","phone":"13900002222","destination":"常德"}]}"#;

/// Pass is found without an index of its own, voided records count for no disposition,
/// and a full ID number is told apart from another with the same last four digits.
#[test]
fn pass_and_full_id_numbers_are_found_without_their_own_index() {
    let dir = tempfile::tempdir().unwrap();
    let s = ready_store(dir.path());
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
    s.void("S01", &cars[0].id, "重复登记", now()).unwrap();
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
