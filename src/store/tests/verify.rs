//! Tests of `verify`: a sound store verifies, and a deleted record, a deleted index entry, a
//! flipped byte or a removed chain link is found.

use super::*;
use crate::domain::amendment::Change;

fn filled(dir: &Path) -> (Store, Vec<Record>) {
    let s = ready_store(dir);
    let mut rs = Vec::new();
    for line in [CAR, YELLOW, CAR] {
        rs.push(s.add_record(new_record(line), "S01", "v1", now()).unwrap());
    }
    let change = Change {
        field: "origin".into(),
        value: "岳阳".into(),
    };
    s.amend(
        "S01",
        &Policy::default_policy(),
        &rs[0].id,
        vec![change],
        "补录",
        now(),
    )
    .unwrap();
    s.void("S01", &rs[2].id, "重复", now()).unwrap();
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
