//! Sync by file (issue 7): bundles merge idempotently and order-independently, conflicts are
//! kept, damaged or untrusted bundles change nothing, and the command post's consolidated
//! tally is the sum of the checkpoints' own.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;

use kadian::amend::Change;
use kadian::domain::input::RecordJson;
use kadian::domain::{Checkpoint, Officer, Role};
use kadian::error::Error;
use kadian::ops::sync::{self as ops, Since};
use kadian::policy::Policy;
use kadian::store::{DayCounts, Store};
use kadian::sync as bundle;

const LINES: [&str; 3] = [
    r#"{"vehicle":{"plate":"湘J12345","kind":"小客车","origin":"长沙","destination":"常德","disinfected":true},"persons":[{"temperature":36.5,"health_code":"green","test":{"result":"negative","hours_ago":20}}]}"#,
    r#"{"vehicle":null,"persons":[{"temperature":36.5,"health_code":"yellow","test":{"result":"negative","hours_ago":20},"name":"王小明","id_number":"11010519491231002X","phone":"13900001111","destination":"常德市鼎城区"}]}"#,
    r#"{"vehicle":{"plate":"鄂A9K123","kind":"货车","origin":"武汉","destination":"常德","disinfected":true,"freight":{"listed":true,"pledge":true,"reported":true}},"persons":[{"temperature":36.6,"health_code":"green","test":{"result":"negative","hours_ago":30}},{"temperature":36.4,"health_code":"green","test":{"result":"negative","hours_ago":10}}]}"#,
];

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 1, 0, 0).unwrap()
}

struct Laptop {
    _dir: tempfile::TempDir,
    store: Store,
    leader: Officer,
}

fn laptop(code: &str, n: usize) -> Laptop {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("data")).unwrap();
    let cp = Checkpoint::new(
        code,
        &format!("卡点{code}"),
        "湘",
        "Asia/Shanghai",
        480,
        format!("{code}-LAPTOP-{n}"),
    )
    .unwrap();
    store.init(cp).unwrap();
    let leader = Officer::new("S01", "王一", Role::Leader);
    store.put_officer(leader.clone(), false).unwrap();
    Laptop {
        _dir: dir,
        store,
        leader,
    }
}

fn command_post() -> (tempfile::TempDir, Store) {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("data")).unwrap();
    let cp = Checkpoint::new("CP", "指挥部", "湘", "Asia/Shanghai", 0, "CP-LAPTOP".into()).unwrap();
    store.init_command_post(cp).unwrap();
    (dir, store)
}

fn trust_all(receivers: &[&Store], senders: &[&Store]) {
    for r in receivers {
        for s in senders {
            let k = ops::key_file(s).unwrap();
            if r.checkpoint().unwrap().laptop != k.laptop {
                // Set-up, not the subject: stored as `kadian trust add` by a leader would.
                r.save_trust(&kadian::domain::entry::TrustedLaptop {
                    laptop: k.laptop,
                    checkpoint: k.checkpoint,
                    name: k.name,
                    public_key: k.public_key,
                    at: t0(),
                    active: true,
                })
                .unwrap();
            }
        }
    }
}

fn add(l: &Laptop, line: usize, now: DateTime<Utc>) -> String {
    let policy = Policy::default_policy();
    let draft = RecordJson::parse_line(LINES[line % LINES.len()]).unwrap();
    let new = policy.assess(&draft, now, l.store.day_of(now)).unwrap();
    l.store
        .add_record(new, "S01", &policy.version, now)
        .unwrap()
        .id
}

fn import(into: &Store, file: &Path, now: DateTime<Utc>) -> kadian::ops::sync::ImportReport {
    let b = bundle::read(file).unwrap();
    ops::import_bundle(into, &b, file, None, false, now).unwrap()
}

#[derive(Clone, Debug)]
enum Op {
    Add(usize),
    Amend(usize, u8),
    Void(usize),
    Push(usize),
    CheckIn,
    /// Write a bundle for the command post (since last).
    Send,
    /// Import a peer's whole ledger (the peer writes a bundle since all).
    Exchange(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        4 => (0usize..3).prop_map(Op::Add),
        2 => (any::<usize>(), 0u8..9).prop_map(|(i, t)| Op::Amend(i, t)),
        1 => any::<usize>().prop_map(Op::Void),
        1 => any::<usize>().prop_map(Op::Push),
        1 => Just(Op::CheckIn),
        1 => Just(Op::Send),
        2 => any::<usize>().prop_map(Op::Exchange),
    ]
}

/// Runs a scenario: checkpoints × laptops doing ops in turn; returns every bundle written
/// (the pool a command post receives), by checkpoint.
fn run_scenario(
    laptops: &[Vec<Laptop>],
    ops: &[(usize, usize, Op)],
    out: &Path,
) -> Vec<(usize, PathBuf)> {
    let mut pool = Vec::new();
    let mut known: Vec<Vec<Vec<String>>> = laptops
        .iter()
        .map(|ls| ls.iter().map(|_| Vec::new()).collect())
        .collect();
    let mut n = 0;
    let mut file = |pool_cp: usize, pool: &mut Vec<(usize, PathBuf)>| {
        n += 1;
        let p = out.join(format!("b{n:04}.kdb"));
        pool.push((pool_cp, p.clone()));
        p
    };
    for (step, (c, l, op)) in ops.iter().enumerate() {
        let (c, now) = (
            c % laptops.len(),
            t0() + Duration::seconds(1500 * step as i64),
        );
        let l = l % laptops[c].len();
        let lap = &laptops[c][l];
        let actor = lap.leader.code.as_str();
        let ids = &known[c][l];
        match op {
            Op::Add(line) => {
                let id = add(lap, *line, now);
                known[c][l].push(id);
            }
            Op::Amend(i, t) if !ids.is_empty() => {
                let id = &ids[i % ids.len()];
                let change = Change {
                    field: "persons[0].temperature".into(),
                    value: format!("36.{t}"),
                };
                // A voided record refuses amendments: that is fine here.
                let _ = lap.store.amend(
                    actor,
                    &Policy::default_policy(),
                    id,
                    vec![change],
                    "复核体温",
                    now,
                );
            }
            Op::Void(i) if !ids.is_empty() => {
                let _ = lap.store.void(actor, &ids[i % ids.len()], "重复登记", now);
            }
            Op::Push(i) if !ids.is_empty() => {
                let _ = lap
                    .store
                    .mark_pushed(actor, &[(ids[i % ids.len()].clone(), 0)], now);
            }
            Op::CheckIn => {
                lap.store.check_post(actor, "带班", true, now).unwrap();
            }
            Op::Send => {
                let p = file(c, &mut pool);
                ops::write_bundle(&lap.store, &p, "post", &Since::Last, now).unwrap();
            }
            Op::Exchange(j) => {
                let j = j % laptops[c].len();
                if j != l {
                    let p = file(c, &mut pool);
                    ops::write_bundle(&laptops[c][j].store, &p, "peer", &Since::All, now).unwrap();
                    import(&lap.store, &p, now);
                    let theirs = known[c][j].clone();
                    let mine = &mut known[c][l];
                    for id in theirs {
                        if !mine.contains(&id) {
                            mine.push(id);
                        }
                    }
                }
            }
            _ => {}
        }
    }
    // Day end: every laptop sends what it has not sent yet.
    let end = t0() + Duration::seconds(1500 * ops.len() as i64);
    for (c, ls) in laptops.iter().enumerate() {
        for lap in ls {
            let p = file(c, &mut pool);
            ops::write_bundle(&lap.store, &p, "post", &Since::Last, end).unwrap();
        }
    }
    pool
}

fn laptops(shape: &[usize]) -> Vec<Vec<Laptop>> {
    let all: Vec<Vec<Laptop>> = shape
        .iter()
        .enumerate()
        .map(|(c, n)| {
            (0..*n)
                .map(|l| laptop(&format!("T0{}", c + 1), l))
                .collect()
        })
        .collect();
    for ls in &all {
        let stores: Vec<&Store> = ls.iter().map(|l| &l.store).collect();
        trust_all(&stores, &stores);
    }
    all
}

fn all_stores(ls: &[Vec<Laptop>]) -> Vec<&Store> {
    ls.iter().flatten().map(|l| &l.store).collect()
}

fn problems(s: &Store) -> Vec<String> {
    s.verify(&mut |_| ()).unwrap()
}

fn sum(a: &mut DayCounts, b: &DayCounts) {
    a.records += b.records;
    a.vehicles += b.vehicles;
    a.persons += b.persons;
    a.abnormal += b.abnormal;
    a.sampled += b.sampled;
    a.amended += b.amended;
    a.voided += b.voided;
}

proptest! {
    // 12 cases in `cargo test`; PROPTEST_CASES=300 for a long run.
    #![proptest_config(ProptestConfig {
        cases: std::env::var("PROPTEST_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(12),
        ..ProptestConfig::default()
    })]

    /// Two checkpoints with two laptops each: the command post merges every bundle in two
    /// random orders, with repeats, into identical stores; a lead laptop per checkpoint
    /// merging the same bundles has the same tallies; the consolidated tally is their sum.
    #[test]
    fn bundles_merge_the_same_in_any_order_with_repeats(
        ops in proptest::collection::vec((0usize..2, 0usize..2, op()), 5..40),
        order1 in Just(()).prop_perturb(|_, mut rng| rng.random::<u64>()),
        order2 in Just(()).prop_perturb(|_, mut rng| rng.random::<u64>()),
    ) {
        let ls = laptops(&[2, 2]);
        let out = tempfile::tempdir().unwrap();
        let pool = run_scenario(&ls, &ops, out.path());
        let senders = all_stores(&ls);
        let shuffled = |seed: u64| {
            let mut v: Vec<(usize, PathBuf)> = pool.clone();
            // Repeats: a third of the files arrive twice.
            v.extend(pool.iter().step_by(3).cloned());
            let mut s = seed | 1;
            for i in (1..v.len()).rev() {
                s ^= s << 13; s ^= s >> 7; s ^= s << 17;
                v.swap(i, (s % (i as u64 + 1)) as usize);
            }
            v
        };
        let (_d1, post1) = command_post();
        let (_d2, post2) = command_post();
        trust_all(&[&post1, &post2], &senders);
        for (_, f) in shuffled(order1) {
            import(&post1, &f, t0());
        }
        for (_, f) in shuffled(order2) {
            import(&post2, &f, t0());
        }
        let (d1, d2) = (post1.canonical_dump().unwrap(), post2.canonical_dump().unwrap());
        if d1 != d2 {
            let show = |d: &[kadian::store::DumpEntry], other: &[kadian::store::DumpEntry]| {
                d.iter()
                    .filter(|e| !other.contains(e))
                    .map(|(t, k, v)| format!("{t} {} = {:?}", String::from_utf8_lossy(k), v))
                    .collect::<Vec<_>>()
            };
            prop_assert!(false, "dumps differ:\nonly in 1: {:#?}\nonly in 2: {:#?}", show(&d1, &d2), show(&d2, &d1));
        }
        prop_assert!(problems(&post1).is_empty(), "{:?}", problems(&post1));
        // The only double writes in these scenarios: a person marked pushed on two laptops.
        // They are reported as conflicts, the same one in effect whatever the order (the
        // dumps above are equal).
        for c in post1.conflicts().unwrap() {
            prop_assert!(c.id.starts_with("pushed/"), "unexpected conflict {}", c.id);
        }

        // A fresh lead laptop of each checkpoint merges its checkpoint's bundles.
        let days: Vec<NaiveDate> = (0..3).map(|d| NaiveDate::from_ymd_opt(2026, 11, 23).unwrap() + Duration::days(d)).collect();
        for day in &days {
            let mut total = DayCounts::default();
            for (c, code) in ["T01", "T02"].iter().enumerate() {
                let lead = laptop(code, 9);
                trust_all(&[&lead.store], &senders);
                for (pc, f) in shuffled(order2) {
                    if pc == c {
                        import(&lead.store, &f, t0());
                    }
                }
                prop_assert!(problems(&lead.store).is_empty(), "{:?}", problems(&lead.store));
                let own = lead.store.day_tally(*day).unwrap();
                let view = post1.view(code).unwrap().day_tally(*day).unwrap();
                prop_assert_eq!(&own.counts, &view.counts, "checkpoint {} day {}", code, day);
                sum(&mut total, &own.counts);
            }
            let consolidated = kadian::report::consolidated(&post1, *day).unwrap();
            prop_assert_eq!(consolidated.total.records, total.records);
            prop_assert_eq!(consolidated.total.persons, total.persons);
            prop_assert_eq!(consolidated.total.abnormal, total.abnormal);
            prop_assert_eq!(consolidated.total.voided, total.voided);
        }
    }
}

#[test]
fn the_same_bundle_twice_changes_nothing_and_says_skipped() {
    let a = laptop("T01", 0);
    for i in 0..5 {
        add(&a, i, t0() + Duration::minutes(i as i64));
    }
    let out = tempfile::tempdir().unwrap();
    let f = out.path().join("a.kdb");
    ops::write_bundle(&a.store, &f, "post", &Since::Last, t0()).unwrap();
    let (_d, post) = command_post();
    trust_all(&[&post], &[&a.store]);
    let first = import(&post, &f, t0());
    assert_eq!(first.added.get("record"), Some(&5));
    let dump = post.canonical_dump().unwrap();
    let again = import(&post, &f, t0());
    assert_eq!(again.added_total(), 0);
    assert_eq!(again.skipped, 7, "checkpoint, reference and 5 records");
    assert_eq!(post.canonical_dump().unwrap(), dump);
}

#[test]
fn since_last_is_kept_per_destination() {
    let a = laptop("T01", 0);
    let out = tempfile::tempdir().unwrap();
    add(&a, 0, t0());
    let r1 =
        ops::write_bundle(&a.store, &out.path().join("1"), "lead", &Since::Last, t0()).unwrap();
    assert_eq!(r1.header.counts.get("record"), Some(&1));
    add(&a, 1, t0());
    let r2 =
        ops::write_bundle(&a.store, &out.path().join("2"), "lead", &Since::Last, t0()).unwrap();
    assert_eq!(r2.header.counts.get("record"), Some(&1), "only the new one");
    let r3 = ops::write_bundle(
        &a.store,
        &out.path().join("3"),
        "county",
        &Since::Last,
        t0(),
    )
    .unwrap();
    assert_eq!(
        r3.header.counts.get("record"),
        Some(&2),
        "county has had nothing yet"
    );
    let r4 =
        ops::write_bundle(&a.store, &out.path().join("4"), "lead", &Since::Last, t0()).unwrap();
    assert_eq!(r4.header.counts.get("record"), None);
    let day = ops::write_bundle(
        &a.store,
        &out.path().join("5"),
        "lead",
        &Since::Day(NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()),
        t0(),
    )
    .unwrap();
    assert_eq!(
        day.header.counts.get("record"),
        None,
        "both records are of 11-24"
    );
    let all =
        ops::write_bundle(&a.store, &out.path().join("6"), "lead", &Since::All, t0()).unwrap();
    assert_eq!(all.header.counts.get("record"), Some(&2));
    assert_eq!(all.header.since, "all");
}

#[test]
fn a_damaged_bundle_changes_nothing() {
    let a = laptop("T01", 0);
    for i in 0..3 {
        add(&a, i, t0());
    }
    let out = tempfile::tempdir().unwrap();
    let f = out.path().join("a.kdb");
    ops::write_bundle(&a.store, &f, "post", &Since::Last, t0()).unwrap();
    let (_d, post) = command_post();
    trust_all(&[&post], &[&a.store]);
    let before = post.canonical_dump().unwrap();
    let bytes = std::fs::read(&f).unwrap();
    for at in (0..bytes.len()).step_by(7) {
        let mut bad = bytes.clone();
        bad[at] = bad[at].wrapping_add(1);
        let g = out.path().join("bad.kdb");
        std::fs::write(&g, &bad).unwrap();
        let r = bundle::read(&g).and_then(|b| ops::import_bundle(&post, &b, &g, None, false, t0()));
        assert!(matches!(r, Err(Error::Bundle { .. })), "byte {at}");
    }
    assert_eq!(post.canonical_dump().unwrap(), before);
}

#[test]
fn untrusted_wrong_key_and_foreign_checkpoint_are_refused() {
    let a = laptop("T01", 0);
    let b = laptop("T01", 1);
    let other = laptop("T02", 0);
    add(&a, 0, t0());
    let out = tempfile::tempdir().unwrap();
    let f = out.path().join("a.kdb");
    ops::write_bundle(&a.store, &f, "post", &Since::All, t0()).unwrap();
    let parsed = bundle::read(&f).unwrap();
    // Unknown laptop: refused with its fingerprint, nothing stored.
    let err = ops::import_bundle(&b.store, &parsed, &f, None, false, t0()).unwrap_err();
    assert!(
        matches!(&err, Error::Untrusted { fingerprint, .. } if *fingerprint == parsed.fingerprint),
        "{err}"
    );
    assert!(en(&err).contains("--trust"));
    // A wrong fingerprint confirmed: refused.
    let err =
        ops::import_bundle(&b.store, &parsed, &f, Some("0000-1111"), false, t0()).unwrap_err();
    assert!(en(&err).contains("does not match"), "{err}");
    // The right one: trusted and imported in one go.
    let r = ops::import_bundle(
        &b.store,
        &parsed,
        &f,
        Some(&parsed.fingerprint),
        false,
        t0(),
    )
    .unwrap();
    assert!(r.trusted_now);
    assert_eq!(r.added.get("record"), Some(&1));
    // Another checkpoint's laptop does not take T01's bundle, even trusted.
    trust_all(&[&other.store], &[&a.store]);
    let err = ops::import_bundle(&other.store, &parsed, &f, None, false, t0()).unwrap_err();
    assert!(en(&err).contains("command post"), "{err}");
    // A bundle claiming a's laptop id but signed by another key.
    let mut h = parsed.header.clone();
    h.laptop = a.store.checkpoint().unwrap().laptop.clone();
    let forged = out.path().join("forged.kdb");
    let entries = parsed.entries().unwrap();
    bundle::write(&forged, h, &entries, &[5u8; 32]).unwrap();
    let fb = bundle::read(&forged).unwrap();
    let err = ops::import_bundle(&b.store, &fb, &forged, None, false, t0()).unwrap_err();
    assert!(en(&err).contains("different key"), "{err}");
}

#[test]
fn a_known_id_with_different_content_is_a_conflict_kept_aside_in_either_order() {
    let a = laptop("T01", 0);
    let b = laptop("T01", 1);
    let stores = [&a.store, &b.store];
    trust_all(&stores, &stores);
    a.store.set_pin("S01", "2468").unwrap();
    b.store.set_pin("S01", "2468").unwrap();
    let day = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    add(&a, 0, t0());
    // Both laptops sign version 1 of the day's report, differently.
    a.store
        .sign_report(&a.leader.code, day, "无异常", "", t0())
        .unwrap();
    b.store
        .sign_report(&b.leader.code, day, "一切正常", "", t0())
        .unwrap();
    let out = tempfile::tempdir().unwrap();
    let (fa, fb) = (out.path().join("a"), out.path().join("b"));
    ops::write_bundle(&a.store, &fa, "post", &Since::All, t0()).unwrap();
    ops::write_bundle(&b.store, &fb, "post", &Since::All, t0()).unwrap();
    let mut texts = Vec::new();
    let mut dumps = Vec::new();
    for order in [[&fa, &fb], [&fb, &fa]] {
        let (_d, post) = command_post();
        trust_all(&[&post], &stores);
        let reports: Vec<_> = order.iter().map(|f| import(&post, f, t0())).collect();
        assert_eq!(reports[0].conflicts.len(), 0);
        assert_eq!(reports[1].conflicts.len(), 1, "{:?}", reports[1]);
        assert_eq!(reports[1].conflicts[0].id, "report/2026-11-24/v1");
        let kept = post.conflicts().unwrap();
        assert_eq!(kept.len(), 1);
        texts.push(
            post.view("T01").unwrap().reports(day).unwrap()[0]
                .text
                .clone(),
        );
        dumps.push(post.canonical_dump().unwrap());
    }
    assert_eq!(
        texts[0], texts[1],
        "the same version is in effect whatever the order"
    );
    assert_eq!(dumps[0], dumps[1]);
    // At a's own laptop: its version stays or yields by the same rule, the other is kept.
    let r = import(&a.store, &fb, t0());
    assert_eq!(r.conflicts.len(), 1);
    assert_eq!(a.store.reports(day).unwrap()[0].text, texts[0]);
}

#[test]
fn amendments_from_two_laptops_apply_latest_last_whatever_arrives_first() {
    let a = laptop("T01", 0);
    let b = laptop("T01", 1);
    let stores = [&a.store, &b.store];
    trust_all(&stores, &stores);
    let out = tempfile::tempdir().unwrap();
    let id = add(&a, 0, t0());
    let f0 = out.path().join("0");
    ops::write_bundle(&a.store, &f0, "peer", &Since::All, t0()).unwrap();
    import(&b.store, &f0, t0());
    let policy = Policy::default_policy();
    let set = |v: &str| {
        vec![Change {
            field: "plate".into(),
            value: v.into(),
        }]
    };
    // b corrects later than a, without having seen a's correction.
    a.store
        .amend(
            &a.leader.code,
            &policy,
            &id,
            set("湘A11111"),
            "车牌看错",
            t0() + Duration::minutes(5),
        )
        .unwrap();
    b.store
        .amend(
            &b.leader.code,
            &policy,
            &id,
            set("湘B22222"),
            "车牌看错",
            t0() + Duration::minutes(9),
        )
        .unwrap();
    let (fa, fb) = (out.path().join("a"), out.path().join("b"));
    ops::write_bundle(&a.store, &fa, "post", &Since::All, t0()).unwrap();
    ops::write_bundle(&b.store, &fb, "post", &Since::All, t0()).unwrap();
    let mut dumps = Vec::new();
    for order in [[&fa, &fb], [&fb, &fa]] {
        let (_d, post) = command_post();
        trust_all(&[&post], &stores);
        for f in order {
            import(&post, f, t0());
        }
        let v = post.view("T01").unwrap();
        let r = v.record(&id).unwrap().unwrap();
        assert_eq!(r.vehicle.unwrap().plate.as_str(), "湘B22222");
        assert_eq!(
            v.amendments(&id).unwrap().len(),
            2,
            "both kept in the history"
        );
        assert!(problems(&post).is_empty(), "{:?}", problems(&post));
        dumps.push(post.canonical_dump().unwrap());
    }
    assert_eq!(dumps[0], dumps[1]);
    // An amendment whose record has not arrived waits for it.
    let (_d, post) = command_post();
    trust_all(&[&post], &stores);
    let late = out.path().join("late");
    ops::write_bundle(
        &b.store,
        &late,
        "x",
        &Since::Day(NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()),
        t0(),
    )
    .unwrap();
    let only_b = bundle::read(&fb).unwrap();
    let mut h = only_b.header.clone();
    h.since = "test".into();
    let amend_only: Vec<_> = only_b
        .entries()
        .unwrap()
        .into_iter()
        .filter(|e| !e.id.starts_with("record/"))
        .collect();
    let secret = b.store.identity().unwrap().unwrap().secret;
    let fam = out.path().join("amend-only");
    bundle::write(&fam, h, &amend_only, &secret).unwrap();
    let r = import(&post, &fam, t0());
    assert!(r.waiting >= 1, "{r:?}");
    assert!(post.view("T01").unwrap().record(&id).unwrap().is_none());
    import(&post, &fa, t0());
    let v = post.view("T01").unwrap();
    assert_eq!(
        v.record(&id)
            .unwrap()
            .unwrap()
            .vehicle
            .unwrap()
            .plate
            .as_str(),
        "湘B22222"
    );
    assert!(problems(&post).is_empty(), "{:?}", problems(&post));
}

#[test]
fn dry_run_writes_nothing() {
    let a = laptop("T01", 0);
    add(&a, 0, t0());
    let out = tempfile::tempdir().unwrap();
    let f = out.path().join("a");
    ops::write_bundle(&a.store, &f, "post", &Since::All, t0()).unwrap();
    let (_d, post) = command_post();
    let b = bundle::read(&f).unwrap();
    let before = post.canonical_dump().unwrap();
    let r = ops::import_bundle(&post, &b, &f, Some(&b.fingerprint), true, t0()).unwrap();
    assert!(r.dry_run);
    assert_eq!(r.added.get("record"), Some(&1));
    assert_eq!(post.canonical_dump().unwrap(), before);
    assert!(
        post.trusted_laptops().unwrap().is_empty(),
        "a dry run trusts nobody"
    );
}

#[test]
fn a_command_post_logs_nothing_and_writes_no_bundles() {
    let (_d, post) = command_post();
    let officer = Officer::new("S01", "王一", Role::Leader);
    post.put_officer(officer, false).unwrap();
    let policy = Policy::default_policy();
    let draft = RecordJson::parse_line(LINES[0]).unwrap();
    let new = policy.assess(&draft, t0(), post.day_of(t0())).unwrap();
    let err = post
        .add_record(new, "S01", &policy.version, t0())
        .unwrap_err();
    assert!(matches!(err, Error::CommandPost(_)), "{err}");
    let out = tempfile::tempdir().unwrap();
    let err =
        ops::write_bundle(&post, &out.path().join("x"), "up", &Since::Last, t0()).unwrap_err();
    assert!(matches!(err, Error::CommandPost(_)), "{err}");
}

#[test]
fn reopening_a_command_post_replays_nothing_and_keeps_the_views() {
    let a = laptop("T01", 0);
    for i in 0..4 {
        add(&a, i, t0());
    }
    let out = tempfile::tempdir().unwrap();
    let f = out.path().join("a");
    ops::write_bundle(&a.store, &f, "post", &Since::All, t0()).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let dump = {
        let post = Store::open(&data).unwrap();
        post.init_command_post(
            Checkpoint::new("CP", "指挥部", "湘", "Asia/Shanghai", 0, "X".into()).unwrap(),
        )
        .unwrap();
        trust_all(&[&post], &[&a.store]);
        import(&post, &f, t0());
        post.close().unwrap();
        post.canonical_dump().unwrap()
    };
    let post = Store::open(&data).unwrap();
    assert_eq!(post.canonical_dump().unwrap(), dump);
    assert_eq!(post.checkpoints().unwrap(), ["T01"]);
    assert_eq!(
        post.view("T01")
            .unwrap()
            .day_tally(NaiveDate::from_ymd_opt(2026, 11, 24).unwrap())
            .unwrap()
            .counts
            .records,
        4
    );
    let _: HashSet<()> = HashSet::new();
    let _: BTreeMap<(), ()> = BTreeMap::new();
}

#[test]
fn a_voided_amended_record_verifies() {
    // Found by the merge property test: an officer whose only record was voided kept a
    // zero counter that a recount does not list, and `verify` reported it.
    let a = laptop("T01", 0);
    let id = add(&a, 0, t0());
    let actor = a.leader.code.as_str();
    let change = Change {
        field: "persons[0].temperature".into(),
        value: "36.3".into(),
    };
    a.store
        .amend(
            actor,
            &Policy::default_policy(),
            &id,
            vec![change],
            "复核体温",
            t0() + Duration::minutes(25),
        )
        .unwrap();
    a.store
        .void(actor, &id, "重复登记", t0() + Duration::minutes(75))
        .unwrap();
    assert!(problems(&a.store).is_empty(), "{:?}", problems(&a.store));
}

#[test]
fn a_bundle_of_many_import_chunks_imports_whole_and_once() {
    let a = laptop("T01", 0);
    let policy = Policy::default_policy();
    let news: Vec<_> = (0..100)
        .map(|i| {
            let draft = RecordJson::parse_line(LINES[i % LINES.len()]).unwrap();
            policy.assess(&draft, t0(), a.store.day_of(t0())).unwrap()
        })
        .collect();
    a.store
        .add_records(news, "S01", &policy.version, t0())
        .unwrap();
    let out = tempfile::tempdir().unwrap();
    let f = out.path().join("big.kdb");
    let w = ops::write_bundle(&a.store, &f, "post", &Since::All, t0()).unwrap();
    assert_eq!(w.header.counts.get("record"), Some(&100));
    let (_d, post) = command_post();
    trust_all(&[&post], &[&a.store]);
    let b = bundle::read(&f).unwrap();
    // Committed 16 entries at a time (the real chunk is 8192).
    let r = ops::merge::import_in_chunks(&post, &b, &f, None, false, t0(), 16).unwrap();
    assert_eq!(r.added.get("record"), Some(&100));
    let again = ops::merge::import_in_chunks(&post, &b, &f, None, false, t0(), 16).unwrap();
    assert_eq!(again.added_total(), 0);
    assert_eq!(again.skipped, 102);
    let day = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
    let own = a.store.day_counts(day).unwrap();
    assert_eq!(post.view("T01").unwrap().day_counts(day).unwrap(), own);
    assert!(problems(&post).is_empty());
}

/// An error in English, as `--lang en` shows it.
fn en(e: &Error) -> String {
    kadian::i18n::I18n::new(kadian::i18n::Lang::En).error(e)
}
