//! Tests of the retention purge: the versions sync conflicts kept aside are scrubbed too, and
//! the journal spans of personal details are noted, merged and kept few, so a purge reads
//! only the spans of its days (an older data dir is indexed when opened).

use super::*;
use crate::demo::random_draft;
use crate::rng::Rng;
use proptest::prelude::*;

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
    s.purge(
        "S01",
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
    crate::store::spans::merge_span(&mut l, 100, 200);
    crate::store::spans::merge_span(&mut l, 250, 300);
    assert_eq!(l, [(100, 300)], "closer than the gap: one span");
    crate::store::spans::merge_span(&mut l, 10 << 20, (10 << 20) + 50);
    assert_eq!(l.len(), 2, "far apart: two");
    for i in 0..40u64 {
        let s = (20 + 2 * i) << 20;
        crate::store::spans::merge_span(&mut l, s, s + 10);
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
                let change = vec![crate::domain::amendment::Change { field: "persons[0].phone".into(), value: "13700009999".into() }];
                s.amend("S01", &policy, &r.id, change, "电话录错", now).unwrap();
            }
            left -= k;
        }
        let first = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
        for days in [3, 11, 12, 25, 31] {
            let before = first + chrono::Duration::days(days);
            s.purge("S01", before, false, now).unwrap();
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
    let before = day.succ_opt().unwrap();
    s.purge("S01", before, false, now() + chrono::Duration::days(30))
        .unwrap();
    assert_eq!(personal_frames_before(&s, dir.path(), before), 0);
    assert_eq!(
        s.tree.scan_prefix(keys::meta("scrub/")).count(),
        0,
        "the purged day's spans are forgotten"
    );
}
