//! The inbox import through `ops::sync`, as both front ends run it: who may import, and
//! whose bundles a confirmed fingerprint lets in. The texts in one language each.

use chrono::{DateTime, TimeZone, Utc};

use super::*;
use crate::domain::{Checkpoint, Officer, Role};
use crate::i18n::{I18n, Lang};

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 24, 1, 0, 0).unwrap()
}

fn laptop(dir: &Path, laptop: &str) -> Store {
    let store = Store::open(dir).unwrap();
    let cp = Checkpoint::new("T01", "北站", "湘", "Asia/Shanghai", 0, laptop.into()).unwrap();
    store.init(cp).unwrap();
    store
}

/// `code` with `role` on `store`, signed in with their PIN.
fn person(store: &Store, code: &str, role: Role) -> Actor {
    let mut o = Officer::new(code, "王一", role);
    o.pin_hash = Some(crate::auth::hash_pin("2468").unwrap());
    store.put_officer(o, false).unwrap();
    crate::ops::sign_in(store, &crate::clock::FixedClock(t0()), code, "2468").unwrap()
}

fn add_record(store: &Store) {
    let policy = crate::policy::Policy::default_policy();
    let draft = crate::domain::input::RecordJson::parse_line(
        r#"{"vehicle":{"plate":"湘J12345","kind":"小客车","origin":"长沙","destination":"常德","disinfected":true},"persons":[{"temperature":36.5,"health_code":"green","test":{"result":"negative","hours_ago":20}}]}"#,
    )
    .unwrap();
    let new = policy.assess(&draft, t0(), store.day_of(t0())).unwrap();
    store.add_record(new, "S01", &policy.version, t0()).unwrap();
}

/// A receiving laptop and two sibling laptops, each with one record in the inbox.
fn inbox_of_two() -> (tempfile::TempDir, Store, [String; 2]) {
    let tmp = tempfile::tempdir().unwrap();
    let lead = laptop(&tmp.path().join("lead"), "LEAD");
    let inbox = lead.sync_folders().unwrap().1;
    let mut fps = Vec::new();
    for name in ["A", "B"] {
        let lane = laptop(&tmp.path().join(name), name);
        lane.put_officer(Officer::new("S01", "王一", Role::Officer), false)
            .unwrap();
        add_record(&lane);
        write_bundle(
            &lane,
            &inbox.join(format!("{name}.kdb")),
            "lead",
            &Since::All,
            t0(),
        )
        .unwrap();
        fps.push(bundle::fingerprint(&key_file(&lane).unwrap().public_key));
        lane.close().unwrap();
    }
    (tmp, lead, [fps[0].clone(), fps[1].clone()])
}

#[test]
fn an_officer_may_not_import_the_inbox() {
    let (_tmp, lead, _) = inbox_of_two();
    let officer = person(&lead, "S02", Role::Officer);
    let err = import_inbox(&lead, &officer, None, false, t0()).unwrap_err();
    assert!(matches!(err, Error::Forbidden { .. }), "{err}");
    assert!(trusted_laptops(&lead).unwrap().is_empty());
}

#[test]
fn only_a_leader_trusts_or_untrusts_a_laptop() {
    let tmp = tempfile::tempdir().unwrap();
    let lead = laptop(&tmp.path().join("lead"), "LEAD");
    let lane = laptop(&tmp.path().join("lane"), "LANE");
    let key = key_file(&lane).unwrap();
    let officer = person(&lead, "S02", Role::Officer);
    let err = trust(&lead, &officer, &key, t0()).unwrap_err();
    assert!(matches!(err, Error::Forbidden { .. }), "{err}");
    let leader = person(&lead, "L01", Role::Leader);
    trust(&lead, &leader, &key, t0()).unwrap();
    assert!(untrust(&lead, &officer, "LANE", t0()).is_err());
    assert!(untrust(&lead, &leader, "LANE", t0()).unwrap());
    assert!(trusted_laptops(&lead).unwrap().is_empty());
}

#[test]
fn a_confirmed_fingerprint_lets_in_that_laptop_only() {
    let (_tmp, lead, [a, _b]) = inbox_of_two();
    let leader = person(&lead, "L01", Role::Leader);
    let r = import_inbox(&lead, &leader, Some(&a), false, t0()).unwrap();
    assert_eq!(r.files.len(), 2);
    let a_report = r.files[0].result.as_ref().unwrap();
    assert!(a_report.trusted_now);
    assert_eq!(a_report.added.get("record"), Some(&1));
    let (file, laptop, _) = r.untrusted().expect("B is reported untrusted");
    assert_eq!((file.as_str(), laptop.as_str()), ("B.kdb", "B"));
    assert_eq!(r.refused().len(), 1);
    let trusted: Vec<String> = trusted_laptops(&lead)
        .unwrap()
        .into_iter()
        .map(|t| t.laptop)
        .collect();
    assert_eq!(trusted, ["A"]);
}

#[test]
fn results_are_described_in_one_language() {
    let (_tmp, lead, [a, _]) = inbox_of_two();
    let leader = person(&lead, "L01", Role::Leader);
    let r = import_inbox(&lead, &leader, Some(&a), false, t0()).unwrap();
    let en: Vec<String> = text::import_lines(&I18n::new(Lang::En), &r)
        .into_iter()
        .map(|(l, _)| l)
        .collect();
    let zh: Vec<String> = text::import_lines(&I18n::new(Lang::Zh), &r)
        .into_iter()
        .map(|(l, _)| l)
        .collect();
    let han = |s: &str| s.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    assert!(en.iter().all(|l| !han(l)), "{en:?}");
    assert!(
        en[0].contains("added 2 (record 1, reference 1), skipped 1"),
        "{en:?}"
    );
    assert_eq!(en[1], "! B.kdb: untrusted");
    assert!(
        zh[0].contains("新增 2（记录 1、参考资料 1），已有 1"),
        "{zh:?}"
    );
    for word in ["added", "skipped", "record", "untrusted", "trusted"] {
        assert!(zh.iter().all(|l| !l.contains(word)), "{word}: {zh:?}");
    }
}

/// The keys of a message and the data in it (shown as it is), walked whole.
fn keys_and_data(m: &crate::i18n::Msg, keys: &mut Vec<String>, data: &mut Vec<String>) {
    use crate::i18n::Arg;
    keys.push(m.key.to_string());
    for (_, a) in &m.args {
        match a {
            Arg::Text(t) => data.push(t.clone()),
            Arg::Msg(m) => keys_and_data(m, keys, data),
            Arg::List(l) => l.iter().for_each(|m| keys_and_data(m, keys, data)),
            Arg::Field(_) => {}
        }
    }
}

/// Every reason a bundle or a key is refused for — damage, version, signature, trust, the
/// wrong checkpoint or key — as the library makes it, said in one language each (data such
/// as file names, ids and fingerprints aside); and no reason the strings files hold is left
/// out.
#[test]
fn every_bundle_refusal_reason_is_said_in_one_language() {
    use crate::i18n::{Localized, foreign_words};
    let (tmp, lead, [a_fp, _]) = inbox_of_two();
    let leader = person(&lead, "L01", Role::Leader);
    let inbox = lead.sync_folders().unwrap().1;
    let (a, b) = (inbox.join("A.kdb"), inbox.join("B.kdb"));
    let b_key = bundle::read(&b).unwrap().public_key;
    let key = |laptop: &str, checkpoint: &str, public_key| KeyFile {
        laptop: laptop.into(),
        checkpoint: checkpoint.into(),
        name: String::new(),
        public_key,
    };
    let mut errors = crate::sync::tests::every_refusal();
    let mut refused = |r: Result<ImportReport>| errors.push(r.unwrap_err());
    // A fingerprint that is not the bundle's.
    refused(import_file(&lead, &a, Some("0000-1111"), false, t0()));
    // A laptop trusted with another key; trusted for another checkpoint.
    trust(&lead, &leader, &key("A", "T01", b_key), t0()).unwrap();
    refused(import_file(&lead, &a, None, false, t0()));
    trust(&lead, &leader, &key("B", "T09", b_key), t0()).unwrap();
    refused(import_file(&lead, &b, None, false, t0()));
    // Claims to be this laptop.
    let twin = laptop(&tmp.path().join("twin"), "LEAD");
    let from_twin = tmp.path().join("twin.kdb");
    write_bundle(&twin, &from_twin, "lead", &Since::All, t0()).unwrap();
    refused(import_file(&lead, &from_twin, None, false, t0()));
    // Another checkpoint's bundle at a checkpoint; a command post of the same name.
    let other = Store::open(&tmp.path().join("T02")).unwrap();
    other
        .init(Checkpoint::new("T02", "南站", "湘", "Asia/Shanghai", 0, "X".into()).unwrap())
        .unwrap();
    refused(import_file(&other, &a, Some(&a_fp), false, t0()));
    let post = Store::open(&tmp.path().join("post")).unwrap();
    post.init_command_post(
        Checkpoint::new("T01", "指挥部", "湘", "Asia/Shanghai", 0, "P".into()).unwrap(),
    )
    .unwrap();
    refused(import_file(&post, &a, Some(&a_fp), false, t0()));
    // Keys: this laptop's own; a laptop trusted with another key already.
    let a_key = bundle::read(&a).unwrap().public_key;
    for k in [key_file(&lead).unwrap(), key("A", "T01", a_key)] {
        errors.push(trust(&lead, &leader, &k, t0()).unwrap_err());
    }
    let mut seen = Vec::new();
    for e in &errors {
        assert!(
            matches!(e, Error::Bundle { .. } | Error::Key { .. }),
            "{e:?}"
        );
        let (mut keys, mut data) = (Vec::new(), Vec::new());
        keys_and_data(&e.msg(), &mut keys, &mut data);
        // Longest first, so a value inside another is not cut out of it.
        data.sort_by_key(|d| std::cmp::Reverse(d.len()));
        for lang in [Lang::Zh, Lang::En] {
            let i18n = I18n::new(lang);
            let mut text = i18n.error(e);
            for k in &keys {
                assert!(i18n.has(k), "{k} is not in the strings ({lang:?})");
            }
            assert!(!text.contains('{'), "an argument is missing: {text}");
            for d in &data {
                text = text.replace(d.as_str(), " ");
            }
            let bad = foreign_words(&text, lang);
            assert!(bad.is_empty(), "{keys:?} ({lang:?}): {bad:?} in {text:?}");
        }
        seen.extend(keys);
    }
    // Every reason in the strings files was met (the writer's size limit aside).
    let missing: Vec<&str> = I18n::new(Lang::Zh)
        .keys()
        .filter(|k| k.starts_with("error.bundle.") || k.starts_with("error.key."))
        .filter(|k| *k != "error.bundle.entry_too_large" && *k != "error.key.unreadable")
        .filter(|k| !seen.iter().any(|s| s == k))
        .map(|k| k.to_string().leak() as &str)
        .collect();
    assert!(missing.is_empty(), "reasons never met: {missing:?}");
}
