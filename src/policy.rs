//! The policy engine: the five checks → dispositions, and which dispositions require
//! registration and a push to the destination community. Pure; loaded from
//! `assets/policy.toml` (embedded) or a checkpoint's own `policy.toml` in its data dir.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::Path;

use crate::domain::input::{PLACE_MAX, PersonDraft, RecordDraft};
use crate::domain::{
    Checks, Disposition, HealthCode, IdNumber, NewRecord, Override, Person, Phone, Temperature,
    TestProof, validate_text,
};
use crate::error::{Error, FieldError};
use crate::i18n::{Localized, Msg};

pub const DEFAULT_POLICY: &str = include_str!("../assets/policy.toml");

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    pub fever: Vec<Disposition>,
    pub red_code: Vec<Disposition>,
    pub yellow_code: Vec<Disposition>,
    pub itinerary_risk: Vec<Disposition>,
    pub test_missing: Vec<Disposition>,
    pub test_expired: Vec<Disposition>,
    pub test_positive: Vec<Disposition>,
    pub identity_refused: Vec<Disposition>,
}

#[derive(Clone, Copy, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DispositionRule {
    pub register: bool,
    pub push: bool,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyFile {
    version: String,
    fever_threshold: f64,
    test_valid_hours: u16,
    /// Days personal details are kept (PIPL minimum necessary); `kadian purge --policy`.
    #[serde(default = "default_retention")]
    retention_days: u16,
    rules: Rules,
    dispositions: BTreeMap<Disposition, DispositionRule>,
}

fn default_retention() -> u16 {
    28
}

#[derive(Clone, Debug)]
pub struct Policy {
    pub version: String,
    pub fever_threshold: Temperature,
    pub test_valid_hours: u16,
    /// Days a registered person's name, ID number and phone are kept.
    pub retention_days: u16,
    pub rules: Rules,
    pub dispositions: BTreeMap<Disposition, DispositionRule>,
}

/// Shortest override reason accepted: a reason is a sentence, not a keystroke.
pub const MIN_REASON_CHARS: usize = 2;

impl Policy {
    pub fn default_policy() -> Self {
        Self::parse(DEFAULT_POLICY).expect("the embedded policy is valid (tested)")
    }

    pub fn parse(text: &str) -> Result<Self, Error> {
        // A setting and the rule it breaks; the setting's name is a word of the file.
        let bad = |field: String, rule: Msg| {
            Error::Policy(
                Msg::new("policy.field")
                    .with("field", field)
                    .with_msg("rule", rule),
            )
        };
        let f: PolicyFile =
            toml::from_str(text).map_err(|e| Error::Policy(Msg::legacy(e.to_string())))?;
        if f.version.trim().is_empty() || f.version.len() > 64 {
            return Err(bad("version".into(), Msg::new("rule.policy.version")));
        }
        let fever_threshold = Temperature::from_celsius(f.fever_threshold)
            .map_err(|e| bad("fever_threshold".into(), e.rule))?;
        if f.retention_days == 0 || f.retention_days > 3660 {
            return Err(bad(
                "retention_days".into(),
                Msg::new("rule.policy.retention"),
            ));
        }
        if !(1..=168).contains(&f.test_valid_hours) {
            return Err(bad(
                "test_valid_hours".into(),
                Msg::new("rule.policy.test_hours"),
            ));
        }
        if let Some(missing) = Disposition::ALL
            .iter()
            .find(|d| !f.dispositions.contains_key(d))
        {
            return Err(bad(
                format!("dispositions.{}", missing.code()),
                Msg::new("rule.policy.missing_disposition"),
            ));
        }
        let r = &f.rules;
        for (name, list) in [
            ("fever", &r.fever),
            ("red_code", &r.red_code),
            ("yellow_code", &r.yellow_code),
            ("itinerary_risk", &r.itinerary_risk),
            ("test_missing", &r.test_missing),
            ("test_expired", &r.test_expired),
            ("test_positive", &r.test_positive),
            ("identity_refused", &r.identity_refused),
        ] {
            if list.is_empty() || list.contains(&Disposition::Pass) {
                return Err(bad(
                    format!("rules.{name}"),
                    Msg::new("rule.policy.abnormal_pass"),
                ));
            }
        }
        Ok(Self {
            version: f.version,
            fever_threshold,
            test_valid_hours: f.test_valid_hours,
            retention_days: f.retention_days,
            rules: f.rules,
            dispositions: f.dispositions,
        })
    }

    /// The checkpoint's own `policy.toml` if present, else the embedded default.
    pub fn load(data_dir: &Path) -> Result<Self, Error> {
        let path = data_dir.join("policy.toml");
        match std::fs::read_to_string(&path) {
            Ok(text) => Self::parse(&text).map_err(|e| {
                let detail = match e {
                    Error::Policy(m) => m,
                    e => e.msg(),
                };
                Error::Policy(
                    Msg::new("policy.in_file")
                        .with("path", path.display())
                        .with_msg("detail", detail),
                )
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Self::default_policy()),
            Err(e) => Err(e.into()),
        }
    }

    /// The five checks → dispositions, most severe first; `[Pass]` when all are normal.
    pub fn evaluate(&self, c: &Checks) -> Vec<Disposition> {
        let r = &self.rules;
        let mut out: Vec<Disposition> = Vec::new();
        if c.identity_refused {
            // 拒检: nothing was measured, so only the refusal rule applies.
            out.extend(&r.identity_refused);
            out.sort();
            out.dedup();
            return out;
        }
        if c.temperature >= self.fever_threshold {
            out.extend(&r.fever);
        }
        match c.health_code {
            HealthCode::Green => {}
            HealthCode::Yellow => out.extend(&r.yellow_code),
            HealthCode::Red => out.extend(&r.red_code),
        }
        if c.itinerary_risk {
            out.extend(&r.itinerary_risk);
        }
        match c.test {
            TestProof::Negative { hours_ago } if hours_ago <= self.test_valid_hours => {}
            TestProof::Negative { .. } => out.extend(&r.test_expired),
            TestProof::None => out.extend(&r.test_missing),
            TestProof::Positive => out.extend(&r.test_positive),
        }
        if out.is_empty() {
            out.push(Disposition::Pass);
        }
        out.sort();
        out.dedup();
        out
    }

    pub fn requires_registration(&self, ds: &[Disposition]) -> bool {
        ds.iter()
            .any(|d| self.dispositions.get(d).is_some_and(|r| r.register))
    }

    pub fn requires_push(&self, ds: &[Disposition]) -> bool {
        ds.iter()
            .any(|d| self.dispositions.get(d).is_some_and(|r| r.push))
    }

    /// A draft person → an assessed person. Personal details are validated and kept only if
    /// the computed or the overriding dispositions require registration (data minimisation).
    pub fn assess_person(
        &self,
        d: &PersonDraft,
        today: NaiveDate,
    ) -> Result<Person, Vec<FieldError>> {
        let mut errors = Vec::new();
        let computed = self.evaluate(&d.checks);
        let overridden = match &d.overridden {
            None => None,
            Some((ds, reason)) => {
                let mut ds = ds.clone();
                ds.sort();
                ds.dedup();
                if ds.is_empty() {
                    errors.push(FieldError::rule(
                        "override.dispositions",
                        "rule.override.empty",
                    ));
                }
                if ds.len() > 1 && ds.contains(&Disposition::Pass) {
                    errors.push(FieldError::of(
                        "override.dispositions",
                        Msg::new("rule.override.pass_alone")
                            .with_msg("pass", Msg::named(Disposition::Pass)),
                    ));
                }
                if reason.trim().chars().count() < MIN_REASON_CHARS {
                    errors.push(
                        FieldError::rule("override.reason", "rule.override.reason")
                            .with("min", MIN_REASON_CHARS),
                    );
                }
                match validate_text("override.reason", reason, 200) {
                    Ok(reason) => Some(Override {
                        dispositions: ds,
                        reason,
                    }),
                    Err(e) => {
                        if !reason.trim().is_empty() {
                            errors.push(e);
                        }
                        None
                    }
                }
            }
        };
        let register = self.requires_registration(&computed)
            || overridden
                .as_ref()
                .is_some_and(|o| self.requires_registration(&o.dispositions));
        let registration = if register {
            let name = validate_text("name", &d.name, 20)
                .map_err(|e| errors.push(e))
                .ok();
            let id = IdNumber::parse(&d.id_number, today)
                .map_err(|e| errors.push(e))
                .ok();
            let phone = Phone::parse(&d.phone).map_err(|e| errors.push(e)).ok();
            let dest = validate_text("destination", &d.destination, PLACE_MAX)
                .map_err(|e| errors.push(e))
                .ok();
            match (name, id, phone, dest) {
                (Some(name), Some(id_number), Some(phone), Some(destination)) => {
                    Some(crate::domain::Registration {
                        name,
                        id_number,
                        phone,
                        destination,
                    })
                }
                _ => None,
            }
        } else {
            None
        };
        if errors.is_empty() {
            Ok(Person {
                checks: d.checks.normalised(),
                service: d.service.clone(),
                registration,
                computed,
                overridden,
            })
        } else {
            Err(errors)
        }
    }

    /// A whole draft → a new record. `now` defaults the time and bounds it (not in the future).
    pub fn assess(
        &self,
        draft: &RecordDraft,
        now: DateTime<Utc>,
        today: NaiveDate,
    ) -> Result<NewRecord, Vec<FieldError>> {
        let mut errors = Vec::new();
        if draft.persons.is_empty() {
            errors.push(FieldError::rule("persons", "rule.persons.none"));
        }
        if draft.persons.len() > 99 {
            errors.push(FieldError::rule("persons", "rule.persons.too_many").with("max", 99));
        }
        let time = draft.time.unwrap_or(now);
        if time > now + chrono::Duration::minutes(5) {
            errors.push(FieldError::rule("time", "rule.time.future"));
        }
        let mut persons = Vec::new();
        for (i, p) in draft.persons.iter().enumerate() {
            match self.assess_person(p, today) {
                Ok(p) => persons.push(p),
                Err(es) => {
                    errors.extend(es.into_iter().map(|e| e.within(&format!("persons[{i}]"))))
                }
            }
        }
        if errors.is_empty() {
            Ok(NewRecord {
                time,
                vehicle: draft.vehicle.clone(),
                persons,
            })
        } else {
            Err(errors)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Checks;

    fn p() -> Policy {
        Policy::default_policy()
    }

    fn with(f: impl FnOnce(&mut Checks)) -> Vec<Disposition> {
        let mut c = Checks::all_normal();
        f(&mut c);
        p().evaluate(&c)
    }

    #[test]
    fn the_default_table() {
        use Disposition::*;
        assert_eq!(with(|_| {}), vec![Pass]);
        assert_eq!(
            with(|c| c.temperature = Temperature::from_tenths(373).unwrap()),
            vec![FeverClinic]
        );
        assert_eq!(
            with(|c| c.temperature = Temperature::from_tenths(372).unwrap()),
            vec![Pass]
        );
        assert_eq!(
            with(|c| c.health_code = HealthCode::Red),
            vec![CentralQuarantine]
        );
        assert_eq!(
            with(|c| c.health_code = HealthCode::Yellow),
            vec![HomeMonitoring]
        );
        assert_eq!(with(|c| c.itinerary_risk = true), vec![RegisterPush]);
        assert_eq!(with(|c| c.test = TestProof::None), vec![OnSiteTest]);
        assert_eq!(
            with(|c| c.test = TestProof::Negative { hours_ago: 48 }),
            vec![Pass]
        );
        assert_eq!(
            with(|c| c.test = TestProof::Negative { hours_ago: 49 }),
            vec![OnSiteTest]
        );
        assert_eq!(
            with(|c| c.test = TestProof::Positive),
            vec![CentralQuarantine]
        );
        assert_eq!(with(|c| c.identity_refused = true), vec![TurnedBack]);
        let several = with(|c| {
            c.health_code = HealthCode::Yellow;
            c.temperature = Temperature::from_tenths(380).unwrap();
            c.test = TestProof::None;
        });
        assert_eq!(several, vec![FeverClinic, HomeMonitoring, OnSiteTest]);
    }

    #[test]
    fn a_refused_person_is_not_measured_and_gets_the_refusal_rule_only() {
        // 拒检 with whatever the form held in the measurement fields: only 劝返, and the
        // stored person carries no measurement.
        let mut d = PersonDraft::all_normal();
        d.checks.identity_refused = true;
        d.checks.health_code = HealthCode::Yellow;
        d.checks.temperature = Temperature::from_tenths(385).unwrap();
        d.checks.test = TestProof::None;
        assert_eq!(p().evaluate(&d.checks), [Disposition::TurnedBack]);
        let person = p().assess_person(&d, today()).unwrap();
        assert_eq!(person.dispositions(), [Disposition::TurnedBack]);
        assert!(person.registration.is_none());
        let c = person.checks;
        assert!(!c.measured());
        assert_eq!(c, Checks::refused());
        assert_eq!(
            (
                c.temperature_measured(),
                c.health_code_measured(),
                c.itinerary_risk_measured(),
                c.test_measured()
            ),
            (None, None, None, None)
        );
        // A checkpoint's own refusal rule is followed.
        let strict = Policy::parse(&DEFAULT_POLICY.replace(
            "identity_refused = [\"turned_back\"]",
            "identity_refused = [\"register_push\"]",
        ))
        .unwrap();
        assert_eq!(strict.evaluate(&d.checks), [Disposition::RegisterPush]);
    }

    #[test]
    fn registration_is_required_except_for_pass_and_turned_back() {
        for d in Disposition::ALL {
            let expect = !matches!(d, Disposition::Pass | Disposition::TurnedBack);
            assert_eq!(p().requires_registration(&[d]), expect, "{d:?}");
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 24).unwrap()
    }

    #[test]
    fn an_all_normal_person_keeps_no_personal_details() {
        let mut d = PersonDraft::all_normal();
        d.name = "张三".into();
        d.id_number = "11010519491231002X".into();
        let person = p().assess_person(&d, today()).unwrap();
        assert!(person.registration.is_none());
        assert_eq!(person.dispositions(), [Disposition::Pass]);
    }

    #[test]
    fn an_abnormal_person_must_be_registered_field_by_field() {
        let mut d = PersonDraft::all_normal();
        d.checks.health_code = HealthCode::Yellow;
        let errs = p().assess_person(&d, today()).unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["name", "id_number", "phone", "destination"]);
        d.name = "王小明".into();
        d.id_number = "11010519491231002X".into();
        d.phone = "13900001111".into();
        d.destination = "常德市鼎城区".into();
        let person = p().assess_person(&d, today()).unwrap();
        assert_eq!(
            person.registration.unwrap().id_number.as_str(),
            "11010519491231002X"
        );
    }

    #[test]
    fn an_override_needs_a_reason_and_is_kept() {
        let mut d = PersonDraft::all_normal();
        d.checks.test = TestProof::None;
        d.overridden = Some((vec![Disposition::Pass], String::new()));
        let errs = p().assess_person(&d, today()).unwrap_err();
        assert!(errs.iter().any(|e| e.field == "override.reason"));
        d.overridden = Some((vec![Disposition::Pass], "持72小时内阴性纸质报告".into()));
        // on_site_test was computed, so registration is still required.
        assert!(p().assess_person(&d, today()).is_err());
        d.name = "李四".into();
        d.id_number = "11010519491231002X".into();
        d.phone = "13900001111".into();
        d.destination = "长沙".into();
        let person = p().assess_person(&d, today()).unwrap();
        assert_eq!(person.dispositions(), [Disposition::Pass]);
        assert_eq!(person.computed, [Disposition::OnSiteTest]);
        assert_eq!(person.overridden.unwrap().reason, "持72小时内阴性纸质报告");
    }

    #[test]
    fn bad_policy_files_are_refused_with_the_field() {
        let no_pass = DEFAULT_POLICY.replace("pass = { register = false, push = false }\n", "");
        assert!(
            Policy::parse(&no_pass)
                .unwrap_err()
                .to_string()
                .contains("dispositions.pass")
        );
        let bad_hours = DEFAULT_POLICY.replace("test_valid_hours = 48", "test_valid_hours = 0");
        assert!(
            Policy::parse(&bad_hours)
                .unwrap_err()
                .to_string()
                .contains("test_valid_hours")
        );
        let unknown =
            DEFAULT_POLICY.replace("fever = [\"fever_clinic\"]", "fever = [\"hospital\"]");
        assert!(Policy::parse(&unknown).is_err());
        let empty_rule = DEFAULT_POLICY.replace("fever = [\"fever_clinic\"]", "fever = []");
        assert!(
            Policy::parse(&empty_rule)
                .unwrap_err()
                .to_string()
                .contains("rules.fever")
        );
    }
}

#[cfg(test)]
mod fuzz {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any text as a policy file, and any single-line edit of the default: refused with
        /// a message or accepted, never a panic.
        #[test]
        fn policy_files_never_panic(s in "\\PC{0,300}", cut in 0usize..1200, insert in "\\PC{0,12}") {
            let _ = Policy::parse(&s);
            let mut t = DEFAULT_POLICY.to_string();
            let at = t.char_indices().map(|(i, _)| i).nth(cut).unwrap_or(t.len());
            t.insert_str(at, &insert);
            let _ = Policy::parse(&t);
        }
    }
}
