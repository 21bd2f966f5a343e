use super::*;
use crate::domain::Role;
use crate::domain::duty::{TWO_SHIFTS, parse_week};
use proptest::prelude::*;

/// A broken rule in English, as `--lang en` shows it.
trait En {
    fn en(&self) -> String;
}

impl En for Violation {
    fn en(&self) -> String {
        crate::i18n::I18n::new(crate::i18n::Lang::En).render(&self.msg)
    }
}

fn staff(n: usize, leaders: usize) -> Vec<Officer> {
    (0..n)
        .map(|i| {
            let role = if i < leaders {
                Role::Leader
            } else {
                Role::Officer
            };
            Officer::new(&format!("C{:02}", i + 1), &format!("人员{i}"), role)
        })
        .collect()
}

fn monday() -> NaiveDate {
    parse_week("2026-W48").unwrap()
}

#[test]
fn twelve_staff_five_posts_three_shifts_is_fair() {
    let cfg = DutyConfig::default_config();
    let s = staff(12, 3);
    let r = generate(&cfg, &s, "2026-W48", monday(), &Leave::new(), 1).unwrap();
    assert!(check(&r, &cfg, &s, &Leave::new()).is_empty());
    let f = fairness(&r, &cfg, &s, &Leave::new());
    assert!(f.hours_max - f.hours_min <= 8, "{f:?}");
    assert!(f.nights_max - f.nights_min <= 1, "{f:?}");
}

#[test]
fn too_few_leaders_is_explained() {
    let cfg = DutyConfig::default_config();
    let errs = generate(&cfg, &staff(12, 0), "2026-W48", monday(), &Leave::new(), 1).unwrap_err();
    assert_eq!(errs[0].rule, "leader");
    assert!(errs[0].en().contains("no leader"));
    let errs = generate(&cfg, &staff(12, 1), "2026-W48", monday(), &Leave::new(), 1).unwrap_err();
    assert!(errs[0].en().contains("too few leaders"), "{errs:?}");
    let errs = generate(&cfg, &staff(18, 3), "2026-W48", monday(), &Leave::new(), 1).unwrap_err();
    assert!(
        errs[0].en().contains("too few leaders for even hours"),
        "{errs:?}"
    );
    let errs = generate(&cfg, &staff(5, 2), "2026-W48", monday(), &Leave::new(), 1).unwrap_err();
    assert!(
        errs.iter().any(|e| e.en().contains("too few staff")),
        "{errs:?}"
    );
}

#[test]
fn leave_is_respected_and_all_leaders_away_is_explained() {
    let cfg = DutyConfig::default_config();
    let s = staff(12, 3);
    let mut leave = Leave::new();
    leave.insert(("C05".into(), monday()));
    leave.insert(("C05".into(), monday() + chrono::Duration::days(1)));
    let r = generate(&cfg, &s, "2026-W48", monday(), &leave, 3).unwrap();
    assert!(
        r.slots
            .iter()
            .filter(|x| x.date <= monday() + chrono::Duration::days(1))
            .all(|x| !x.staff.contains(&"C05".to_string()))
    );
    for c in ["C01", "C02", "C03"] {
        leave.insert((c.into(), monday()));
    }
    let errs = generate(&cfg, &s, "2026-W48", monday(), &leave, 3).unwrap_err();
    assert!(
        errs.iter()
            .any(|e| e.en().contains("every leader is on leave")),
        "{errs:?}"
    );
}

#[test]
fn check_catches_hand_edits_that_break_rules() {
    let cfg = DutyConfig::default_config();
    let s = staff(12, 3);
    let mut r = generate(&cfg, &s, "2026-W48", monday(), &Leave::new(), 1).unwrap();
    // Put an officer on the leader post and empty another post.
    r.slot_mut(monday(), 0, 0).unwrap().staff = vec!["C12".into()];
    r.slot_mut(monday(), 0, 1).unwrap().staff.clear();
    let rules: Vec<&str> = check(&r, &cfg, &s, &Leave::new())
        .iter()
        .map(|v| v.rule)
        .collect();
    assert!(
        rules.contains(&"leader") && rules.contains(&"coverage"),
        "{rules:?}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]
    /// Any staff size, leader count, pattern and leave: either every rule holds, or the
    /// generator says why not.
    #[test]
    fn generated_rosters_hold_every_rule_or_say_why(
        n in 4usize..22,
        leaders in 0usize..5,
        two_shifts in any::<bool>(),
        leave_days in proptest::collection::vec((0usize..22, 0i64..7), 0..6),
        seed in any::<u64>(),
    ) {
        let cfg = if two_shifts { DutyConfig::parse(TWO_SHIFTS).unwrap() } else { DutyConfig::default_config() };
        let s = staff(n, leaders.min(n));
        let leave: Leave = leave_days.into_iter().filter(|(i, _)| *i < n)
            .map(|(i, d)| (s[i].code.clone(), monday() + chrono::Duration::days(d))).collect();
        match generate(&cfg, &s, "2026-W48", monday(), &leave, seed) {
            Ok(r) => prop_assert!(check(&r, &cfg, &s, &leave).is_empty()),
            Err(reasons) => prop_assert!(!reasons.is_empty()),
        }
    }
}

#[test]
/// At least a fifth more people than the rest rule strictly needs.
fn ample_staff_always_gets_a_valid_week() {
    for two in [false, true] {
        let cfg = if two {
            DutyConfig::parse(TWO_SHIFTS).unwrap()
        } else {
            DutyConfig::default_config()
        };
        for n in 12usize..=20 {
            for leaders in [n.div_ceil(4).max(3), n.div_ceil(3)] {
                let s = staff(n, leaders);
                let r = generate(&cfg, &s, "2026-W48", monday(), &Leave::new(), n as u64);
                assert!(
                    r.is_ok(),
                    "{n} staff, {leaders} leaders, two shifts {two}: {:?}",
                    r.err()
                );
            }
        }
    }
}

/// Prints the fairness figures of 100 generated weeks (12 staff, 5 posts, 3 shifts) for
/// BENCHMARKS.md: `cargo test --release --lib fairness_figures -- --ignored --nocapture`.
#[test]
#[ignore]
fn fairness_figures() {
    let cfg = DutyConfig::default_config();
    let s = staff(12, 3);
    let mut spreads = std::collections::BTreeMap::new();
    for seed in 0..100 {
        let r = generate(&cfg, &s, "2026-W48", monday(), &Leave::new(), seed).unwrap();
        let f = fairness(&r, &cfg, &s, &Leave::new());
        *spreads
            .entry((f.hours_min, f.hours_max, f.nights_min, f.nights_max))
            .or_insert(0) += 1;
    }
    for ((hmin, hmax, nmin, nmax), n) in spreads {
        eprintln!("hours {hmin}–{hmax} h, nights {nmin}–{nmax}: {n} of 100 weeks");
    }
}
