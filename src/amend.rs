//! Amendments (更正): a leader changes fields of a record, with a reason. Pure: builds the
//! amended record from the current one — the changes applied to an editable draft, then the
//! same validation and policy as a new record (a changed temperature recomputes the
//! dispositions). The store keeps the original and every amendment.

use chrono::{DateTime, Utc};

pub use crate::domain::amendment::{Amendment, Change};
use crate::domain::input::{PLACE_MAX, PersonDraft, RecordDraft};
use crate::domain::{
    HealthCode, Plate, Record, Temperature, TestProof, VehicleKind, validate_text,
};
use crate::error::FieldError;
use crate::policy::Policy;

/// The fields an amendment may change.
pub const FIELDS: &str = "plate, kind, origin, destination, disinfected, cold_chain, persons[N].temperature, \
persons[N].health_code, persons[N].itinerary_risk, persons[N].test, persons[N].identity_refused, \
persons[N].sampled, persons[N].tube_no, persons[N].name, persons[N].id_number, persons[N].phone, \
persons[N].destination";

/// The coded choices of a field that is a choice (health code, vehicle kind, yes/no), in the
/// order a dialog cycles them; `None` for a typed field. The codes are what an amendment
/// reads; screens show each by its label.
pub fn choices(field: &str) -> Option<Vec<&'static str>> {
    let leaf = field.rsplit('.').next().unwrap_or(field);
    match leaf {
        "health_code" => Some(vec!["green", "yellow", "red"]),
        "kind" => Some(VehicleKind::ALL.iter().map(|k| k.code()).collect()),
        "disinfected" | "cold_chain" | "itinerary_risk" | "identity_refused" | "sampled" => {
            Some(vec!["false", "true"])
        }
        _ => None,
    }
}

/// Whether a field holds personal details that are masked unless a leader reveals them.
pub fn is_personal(field: &str) -> bool {
    matches!(
        field.rsplit('.').next(),
        Some("name" | "id_number" | "phone")
    )
}

/// The registration fields of a person, in the order the form asks them.
const REGISTRATION: [&str; 4] = ["name", "id_number", "phone", "destination"];

/// What an amendment would do beyond its own fields, for the dialog to ask or say before it
/// is saved.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Consequences {
    /// Registration fields (`persons[N].name` …) the change makes required and the record
    /// lacks: asked in the same dialog.
    pub needs: Vec<String>,
    /// Persons (indexes) whose registered details the change would drop (data
    /// minimisation: no longer required).
    pub drops: Vec<usize>,
}

/// The consequences of `changes` on `current` under `policy`: the first change is the one
/// chosen, the others are details being typed. None while the first does not parse (its own
/// error is shown when saving); a detail that does not parse yet is left out.
pub fn consequences(current: &Record, changes: &[Change], policy: &Policy) -> Consequences {
    let mut d = draft_of(current);
    let mut out = Consequences::default();
    let Some((first, details)) = changes.split_first() else {
        return out;
    };
    if apply_change(&mut d, first).is_err() {
        return out;
    }
    for c in details {
        let mut tried = d.clone();
        if apply_change(&mut tried, c).is_ok() {
            d = tried;
        }
    }
    let asked = |path: &String| *path != first.field;
    for (i, (before, after)) in current.persons.iter().zip(&d.persons).enumerate() {
        if before.checks.identity_refused && !after.checks.identity_refused {
            // No longer 拒检: the measurements were never taken, so they are asked.
            out.needs.extend(
                ["temperature", "health_code", "test"]
                    .iter()
                    .map(|f| format!("persons[{i}].{f}"))
                    .filter(asked),
            );
        }
        let computed = policy.evaluate(&after.checks);
        let required = policy.requires_registration(&computed)
            || after
                .overridden
                .as_ref()
                .is_some_and(|(ds, _)| policy.requires_registration(ds));
        if required && before.registration.is_none() {
            out.needs.extend(
                REGISTRATION
                    .iter()
                    .map(|f| format!("persons[{i}].{f}"))
                    .filter(asked),
            );
        } else if !required && before.registration.is_some() {
            out.drops.push(i);
        }
    }
    out
}

/// `field=value` as typed on the command line.
pub fn parse_set(s: &str) -> Result<Change, FieldError> {
    match s.split_once('=') {
        Some((f, v)) if !f.trim().is_empty() => Ok(Change {
            field: f.trim().to_string(),
            value: v.to_string(),
        }),
        _ => Err(FieldError::rule("set", "rule.amend.set")),
    }
}

fn yes_no(field: &str, v: &str) -> Result<bool, FieldError> {
    match v.trim() {
        "true" | "yes" | "是" | "1" => Ok(true),
        "false" | "no" | "否" | "0" => Ok(false),
        _ => Err(FieldError::rule(field, "rule.yes_no")),
    }
}

fn test_text(t: TestProof) -> String {
    match t {
        TestProof::Negative { hours_ago } => hours_ago.to_string(),
        TestProof::None => "none".into(),
        TestProof::Positive => "positive".into(),
    }
}

/// The record as an editable draft (personal details as stored).
pub fn draft_of(r: &Record) -> RecordDraft {
    let persons = r
        .persons
        .iter()
        .map(|p| {
            let reg = p.registration.as_ref();
            PersonDraft {
                checks: p.checks,
                service: p.service.clone(),
                name: reg.map_or_else(String::new, |g| g.name.clone()),
                id_number: reg.map_or_else(String::new, |g| g.id_number.to_string()),
                phone: reg.map_or_else(String::new, |g| g.phone.as_str().to_string()),
                destination: reg.map_or_else(String::new, |g| g.destination.clone()),
                overridden: p
                    .overridden
                    .as_ref()
                    .map(|o| (o.dispositions.clone(), o.reason.clone())),
            }
        })
        .collect();
    RecordDraft {
        time: Some(r.time),
        vehicle: r.vehicle.clone(),
        persons,
    }
}

fn apply_change(d: &mut RecordDraft, c: &Change) -> Result<(), FieldError> {
    let v = c.value.as_str();
    if let Some(rest) = c.field.strip_prefix("persons[") {
        let (idx, field) = rest.split_once("].").ok_or_else(|| unknown(&c.field))?;
        let i: usize = idx.parse().map_err(|_| unknown(&c.field))?;
        let n = d.persons.len();
        let p = d
            .persons
            .get_mut(i)
            .ok_or_else(|| FieldError::rule(&c.field, "rule.amend.no_such_person").with("n", n))?;
        let at = |e: FieldError| e.within(&format!("persons[{i}]"));
        match field {
            "temperature" => p.checks.temperature = Temperature::parse(v).map_err(at)?,
            "health_code" => p.checks.health_code = HealthCode::parse(v).map_err(at)?,
            "itinerary_risk" => p.checks.itinerary_risk = yes_no(&c.field, v)?,
            "test" => p.checks.test = TestProof::parse(v).map_err(at)?,
            "identity_refused" => p.checks.identity_refused = yes_no(&c.field, v)?,
            "sampled" => p.service.sampled = yes_no(&c.field, v)?,
            "tube_no" => p.service.tube_no = v.trim().to_string(),
            "name" => p.name = v.to_string(),
            "id_number" => p.id_number = v.to_string(),
            "phone" => p.phone = v.to_string(),
            "destination" => p.destination = v.to_string(),
            _ => return Err(unknown(&c.field)),
        }
        return Ok(());
    }
    let veh = d
        .vehicle
        .as_mut()
        .ok_or_else(|| FieldError::rule(&c.field, "rule.amend.walk_in"))?;
    match c.field.as_str() {
        "plate" => veh.plate = Plate::parse(v)?,
        "kind" => {
            veh.kind = VehicleKind::parse(v)?;
            if !veh.kind.is_freight() {
                veh.freight = None;
            } else if veh.freight.is_none() {
                veh.freight = Some(Default::default());
            }
        }
        "origin" => veh.origin = place("vehicle.origin", v)?,
        "destination" => veh.destination = place("vehicle.destination", v)?,
        "disinfected" => veh.disinfected = yes_no(&c.field, v)?,
        "cold_chain" => veh.cold_chain = yes_no(&c.field, v)?,
        _ => return Err(unknown(&c.field)),
    }
    Ok(())
}

fn place(field: &str, v: &str) -> Result<String, FieldError> {
    if v.trim().is_empty() {
        Ok(String::new())
    } else {
        validate_text(field, v, PLACE_MAX)
    }
}

fn unknown(field: &str) -> FieldError {
    FieldError::rule(field, "rule.amend.unknown_field").with("fields", FIELDS)
}

/// 拒检 and measurements: a person who refused the check has none, so a measurement may not
/// be set while they stay refused; one who no longer refuses needs every measurement in the
/// same amendment (the stored placeholders are not measurements).
fn measurement_errors(
    i: usize,
    before: &crate::domain::Person,
    after: &PersonDraft,
    changes: &[Change],
) -> Vec<FieldError> {
    const MEASURED: [&str; 4] = ["temperature", "health_code", "itinerary_risk", "test"];
    let changed = |f: &str| {
        changes
            .iter()
            .any(|c| c.field == format!("persons[{i}].{f}"))
    };
    let at =
        |f: &str, rule: &'static str| FieldError::rule(f, rule).within(&format!("persons[{i}]"));
    if after.checks.identity_refused {
        MEASURED
            .iter()
            .filter(|f| changed(f))
            .map(|f| at(f, "rule.refused.measured"))
            .collect()
    } else if before.checks.identity_refused {
        ["temperature", "health_code", "test"]
            .iter()
            .filter(|f| !changed(f))
            .map(|f| at(f, "rule.measure_required"))
            .collect()
    } else {
        Vec::new()
    }
}

/// The record after `changes`: validated and assessed like a new one. Errors name the field.
pub fn amended(
    current: &Record,
    changes: &[Change],
    policy: &Policy,
    now: DateTime<Utc>,
) -> Result<Record, Vec<FieldError>> {
    if changes.is_empty() {
        return Err(vec![FieldError::rule("set", "rule.amend.nothing")]);
    }
    let mut d = draft_of(current);
    let mut errors = Vec::new();
    for c in changes {
        if let Err(e) = apply_change(&mut d, c) {
            errors.push(e);
        }
    }
    for (i, (before, after)) in current.persons.iter().zip(&d.persons).enumerate() {
        errors.extend(measurement_errors(i, before, after, changes));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    // `today` bounds birth dates: the record's own day is the honest bound.
    let new = policy.assess(&d, now.max(current.time), current.time.date_naive())?;
    Ok(Record {
        vehicle: new.vehicle,
        persons: new.persons,
        policy_version: policy.version.clone(),
        amendments: current.amendments + 1,
        ..current.clone()
    })
}

/// The current text of a field, for the detail view and `show --history`.
pub fn field_text(r: &Record, field: &str) -> Option<String> {
    let d = draft_of(r);
    if let Some(rest) = field.strip_prefix("persons[") {
        let (idx, f) = rest.split_once("].")?;
        let p = d.persons.get(idx.parse::<usize>().ok()?)?;
        let measured = p.checks.measured();
        if !measured && matches!(f, "temperature" | "health_code" | "itinerary_risk" | "test") {
            // 拒检: nothing measured.
            return Some(String::new());
        }
        return Some(match f {
            "temperature" => p.checks.temperature.to_string(),
            "health_code" => p.checks.health_code.code().to_string(),
            "itinerary_risk" => p.checks.itinerary_risk.to_string(),
            "test" => test_text(p.checks.test),
            "identity_refused" => p.checks.identity_refused.to_string(),
            "sampled" => p.service.sampled.to_string(),
            "tube_no" => p.service.tube_no.clone(),
            "name" => p.name.clone(),
            "id_number" => p.id_number.clone(),
            "phone" => p.phone.clone(),
            "destination" => p.destination.clone(),
            _ => return None,
        });
    }
    let v = d.vehicle.as_ref()?;
    Some(match field {
        "plate" => v.plate.to_string(),
        "kind" => v.kind.code().to_string(),
        "origin" => v.origin.clone(),
        "destination" => v.destination.clone(),
        "disinfected" => v.disinfected.to_string(),
        "cold_chain" => v.cold_chain.to_string(),
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Disposition;
    use chrono::TimeZone;

    fn record() -> Record {
        let line = r#"{"vehicle":{"plate":"湘J12345"},"persons":[{"temperature":36.5,"health_code":"green","test":{"result":"negative","hours_ago":20}}]}"#;
        let now = Utc.with_ymd_and_hms(2026, 11, 24, 1, 0, 0).unwrap();
        let d = crate::domain::input::RecordJson::parse_line(line).unwrap();
        let n = Policy::default_policy()
            .assess(&d, now, now.date_naive())
            .unwrap();
        Record {
            id: "T01-X".into(),
            checkpoint: "T01".into(),
            officer: "S01".into(),
            time: n.time,
            entered_at: now,
            vehicle: n.vehicle,
            persons: n.persons,
            policy_version: "v1".into(),
            amendments: 0,
            voided: false,
        }
    }

    fn ch(f: &str, v: &str) -> Change {
        Change {
            field: f.into(),
            value: v.into(),
        }
    }

    #[test]
    fn a_changed_temperature_recomputes_and_needs_registration() {
        let r = record();
        let now = r.entered_at;
        let p = Policy::default_policy();
        let errs = amended(&r, &[ch("persons[0].temperature", "38.2")], &p, now).unwrap_err();
        assert!(
            errs.iter().any(|e| e.field == "persons[0].name"),
            "{errs:?}"
        );
        let a = amended(
            &r,
            &[
                ch("persons[0].temperature", "38.2"),
                ch("persons[0].name", "王小明"),
                ch("persons[0].id_number", "11010519491231002X"),
                ch("persons[0].phone", "13900001111"),
                ch("persons[0].destination", "常德"),
                ch("plate", "湘j12346"),
            ],
            &p,
            now,
        )
        .unwrap();
        assert_eq!(a.persons[0].dispositions(), [Disposition::FeverClinic]);
        assert_eq!(a.vehicle.as_ref().unwrap().plate.as_str(), "湘J12346");
        assert_eq!((a.amendments, a.id.as_str(), a.time), (1, "T01-X", r.time));
        assert_eq!(
            field_text(&a, "persons[0].temperature").as_deref(),
            Some("38.2")
        );
    }

    #[test]
    fn a_change_that_requires_registration_names_the_missing_details() {
        let r = record();
        let p = Policy::default_policy();
        let c = consequences(&r, &[ch("persons[0].health_code", "yellow")], &p);
        assert_eq!(
            c.needs,
            [
                "persons[0].name",
                "persons[0].id_number",
                "persons[0].phone",
                "persons[0].destination"
            ]
        );
        assert!(c.drops.is_empty());
        // With the details, the same amendment is accepted; back to green, they would go.
        let a = amended(
            &r,
            &[
                ch("persons[0].health_code", "yellow"),
                ch("persons[0].name", "王小明"),
                ch("persons[0].id_number", "11010519491231002X"),
                ch("persons[0].phone", "13900001111"),
                ch("persons[0].destination", "常德"),
            ],
            &p,
            r.entered_at,
        )
        .unwrap();
        let back = consequences(&a, &[ch("persons[0].health_code", "green")], &p);
        assert_eq!((back.needs.len(), back.drops.as_slice()), (0, &[0][..]));
        // Nothing to ask while the value does not parse.
        assert_eq!(
            consequences(&r, &[ch("persons[0].temperature", "38.")], &p),
            Consequences::default()
        );
    }

    #[test]
    fn choices_are_codes_the_amendment_reads() {
        let r = record();
        let p = Policy::default_policy();
        for (field, codes) in [
            (
                "persons[0].health_code",
                choices("persons[0].health_code").unwrap(),
            ),
            ("persons[0].sampled", choices("persons[0].sampled").unwrap()),
            ("kind", choices("kind").unwrap()),
        ] {
            for code in codes {
                let mut changes = vec![ch(field, code)];
                if code == "yellow" || code == "red" {
                    changes.extend([
                        ch("persons[0].name", "王小明"),
                        ch("persons[0].id_number", "11010519491231002X"),
                        ch("persons[0].phone", "13900001111"),
                        ch("persons[0].destination", "常德"),
                    ]);
                }
                let a = amended(&r, &changes, &p, r.entered_at);
                assert!(a.is_ok(), "{field}={code}: {a:?}");
            }
        }
        assert!(choices("persons[0].temperature").is_none());
        assert!(is_personal("persons[1].phone") && !is_personal("persons[1].destination"));
    }

    #[test]
    fn a_refused_person_gets_measurements_only_when_no_longer_refused() {
        let r = record();
        let p = Policy::default_policy();
        let refused = amended(
            &r,
            &[ch("persons[0].identity_refused", "是")],
            &p,
            r.entered_at,
        )
        .unwrap();
        assert_eq!(refused.persons[0].dispositions(), [Disposition::TurnedBack]);
        assert_eq!(
            field_text(&refused, "persons[0].temperature").as_deref(),
            Some("")
        );
        let errs = amended(
            &refused,
            &[ch("persons[0].temperature", "36.6")],
            &p,
            r.entered_at,
        )
        .unwrap_err();
        assert_eq!(errs[0].field, "persons[0].temperature");
        let errs = amended(
            &refused,
            &[ch("persons[0].identity_refused", "否")],
            &p,
            r.entered_at,
        )
        .unwrap_err();
        assert_eq!(errs.len(), 3, "{errs:?}");
        let back = amended(
            &refused,
            &[
                ch("persons[0].identity_refused", "否"),
                ch("persons[0].temperature", "36.6"),
                ch("persons[0].health_code", "绿"),
                ch("persons[0].test", "12"),
            ],
            &p,
            r.entered_at,
        )
        .unwrap();
        assert_eq!(back.persons[0].dispositions(), [Disposition::Pass]);
        // The dialog asks for them; a yellow code typed there then asks for the details too.
        let c = consequences(&refused, &[ch("persons[0].identity_refused", "false")], &p);
        assert_eq!(
            c.needs,
            [
                "persons[0].temperature",
                "persons[0].health_code",
                "persons[0].test"
            ]
        );
        let c = consequences(
            &refused,
            &[
                ch("persons[0].identity_refused", "false"),
                ch("persons[0].temperature", ""),
                ch("persons[0].health_code", "黄"),
            ],
            &p,
        );
        assert_eq!(c.needs.len(), 7, "{c:?}");
    }

    #[test]
    fn bad_changes_name_the_field() {
        let r = record();
        let p = Policy::default_policy();
        for (f, v, expect) in [
            ("persons[0].temperature", "99", "temperature"),
            ("persons[3].name", "x", "persons[3].name"),
            ("plate", "nope", "vehicle.plate"),
            ("time", "x", "time"),
            ("persons[0].sampled", "maybe", "persons[0].sampled"),
        ] {
            let errs = amended(&r, &[ch(f, v)], &p, r.entered_at).unwrap_err();
            assert!(errs[0].field.contains(expect), "{f}: {errs:?}");
        }
        assert!(amended(&r, &[], &p, r.entered_at).is_err());
        assert!(parse_set("novalue").is_err());
        assert_eq!(parse_set("plate=湘J1").unwrap().field, "plate");
    }
}
