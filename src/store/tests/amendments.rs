//! Tests of amendments and voids: indexes and counters move from the old version to the new
//! one, the original is kept, amendments after a day's sign-off are marked, and amendments
//! applied in any order give the same record.

use super::*;
use crate::domain::amendment::Change;
use proptest::prelude::*;

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
    assert!(
        s.amend("S01", &p, &r.id, vec![ch("plate", "湘J54321")], "", now())
            .is_err(),
        "a reason is required"
    );
    let a = s
        .amend(
            "S01",
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
    // Void: listed on its day as voided, counted nowhere (not as amended either), in no
    // search index.
    s.void("S01", &r.id, "重复登记", now()).unwrap();
    let c = s.day_counts(day).unwrap();
    assert_eq!(
        (c.records, c.persons, c.vehicles, c.voided, c.amended),
        (0, 0, 0, 1, 0)
    );
    assert!(s.by_plate("湘J54321").unwrap().is_empty());
    assert!(s.day_page(day, 0, 10).unwrap()[0].voided);
    assert!(
        s.amend(
            "S01",
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
    s.set_pin("S01", "2468").unwrap();
    let r = s.add_record(new_record(CAR), "S01", "v1", now()).unwrap();
    let day = s.day_of(now());
    s.sign_off("S01", day, now()).unwrap();
    assert!(s.sign_off("S01", day, now()).is_err(), "once");
    let a = s
        .amend(
            "S01",
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
            s.amend("S01", &p, &r.id, vec![ch("persons[0].temperature", &t), ch("origin", o)], "测温复核", now()).unwrap();
            prop_assert_eq!(s.tree.get(keys::original(&r.id)).unwrap().unwrap(), bytes.clone());
        }
        prop_assert_eq!(s.amendments(&r.id).unwrap().len(), temps.len().min(origins.len()));
        prop_assert_eq!(s.day_counts(s.day_of(now())).unwrap().records, 1);
    }
}
