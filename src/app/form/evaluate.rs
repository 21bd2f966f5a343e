//! What the 登记 form means, recomputed after every change: the record draft when every
//! field parses, each field's error (mapped back from a validation error's path), and each
//! person's dispositions in force under the policy, which decide whether the registration
//! fields open.

use chrono::{DateTime, NaiveDate, Utc};

use super::{FieldId, FormEval, KindChoice, LogForm, PersonForm};
use crate::app::text::TextInput;
use crate::domain::input::{PLACE_MAX, PersonDraft, RecordDraft};
use crate::domain::{
    Checks, Plate, Service, Temperature, TestProof, Vehicle, VehicleKind, validate_text,
};
use crate::error::FieldError;
use crate::policy::Policy;

impl LogForm {
    fn vehicle(&self, errors: &mut Vec<(Option<usize>, FieldId, FieldError)>) -> Option<Vehicle> {
        let KindChoice::Vehicle(kind) = self.kind else {
            return None;
        };
        let mut push = |f: FieldId, e: FieldError| errors.push((None, f, e));
        let plate = Plate::parse(self.plate.text())
            .map_err(|e| push(FieldId::Plate, e))
            .ok();
        let place = |field: &str, t: &TextInput| {
            if t.text().trim().is_empty() {
                Ok(String::new())
            } else {
                validate_text(field, t.text(), PLACE_MAX)
            }
        };
        let origin = place("vehicle.origin", &self.origin)
            .map_err(|e| push(FieldId::Origin, e))
            .ok();
        let destination = place("vehicle.destination", &self.destination)
            .map_err(|e| push(FieldId::Destination, e))
            .ok();
        Some(Vehicle {
            plate: plate?,
            kind,
            origin: origin?,
            destination: destination?,
            disinfected: self.disinfected,
            freight: kind.is_freight().then_some(self.freight),
            cold_chain: kind.is_freight() && (self.cold_chain || kind == VehicleKind::ColdChain),
        })
    }

    /// Evaluates the whole form against the policy: the draft if everything is valid,
    /// every field's error, and each person's live dispositions.
    pub fn evaluate(&self, policy: &Policy, now: DateTime<Utc>, today: NaiveDate) -> FormEval {
        let mut errors = Vec::new();
        let vehicle = self.vehicle(&mut errors);
        if self
            .occupants
            .text()
            .parse::<usize>()
            .map_or(true, |n| !(1..=99).contains(&n))
        {
            errors.push((
                None,
                FieldId::Occupants,
                FieldError::rule("occupants", "rule.occupants"),
            ));
        }
        let mut persons = Vec::new();
        let mut dispositions = Vec::new();
        let mut registration_required = Vec::new();
        for (i, p) in self.persons.iter().enumerate() {
            let Some(d) = person_draft(p, i, &mut errors) else {
                dispositions.push(None);
                registration_required.push(false);
                continue;
            };
            let computed = policy.evaluate(&d.checks);
            let in_force = d
                .overridden
                .as_ref()
                .map_or(computed.clone(), |o| o.0.clone());
            registration_required.push(
                policy.requires_registration(&computed) || policy.requires_registration(&in_force),
            );
            dispositions.push(Some(in_force));
            if let Err(es) = policy.assess_person(&d, today) {
                for e in es {
                    let field = field_of_error(&e.field).unwrap_or(FieldId::Temperature);
                    errors.push((Some(i), field, e));
                }
            }
            persons.push(d);
        }
        let draft = errors.is_empty().then_some(RecordDraft {
            time: None,
            vehicle,
            persons,
        });
        let _ = now;
        FormEval {
            draft,
            errors,
            dispositions,
            registration_required,
        }
    }
}

fn person_draft(
    p: &PersonForm,
    i: usize,
    errors: &mut Vec<(Option<usize>, FieldId, FieldError)>,
) -> Option<PersonDraft> {
    let mut push = |f: FieldId, e: FieldError| errors.push((Some(i), f, e));
    // 拒检: nothing measured, so the measurement fields are not read (nor refused).
    let measured = !p.refused;
    let temperature = if measured {
        Temperature::parse(p.temperature.text())
            .map_err(|e| push(FieldId::Temperature, e))
            .ok()
    } else {
        Some(Checks::refused().temperature)
    };
    let test = if measured {
        TestProof::parse(p.test.text())
            .map_err(|e| push(FieldId::Test, e))
            .ok()
    } else {
        Some(Checks::refused().test)
    };
    let tube = if p.sampled && !p.tube.text().trim().is_empty() {
        validate_text("tube_no", p.tube.text(), PLACE_MAX)
            .map_err(|e| push(FieldId::Tube, e))
            .ok()
    } else {
        Some(String::new())
    };
    let mut d = PersonDraft::all_normal();
    d.checks.temperature = temperature?;
    d.checks.test = test?;
    d.checks.health_code = p.health;
    d.checks.itinerary_risk = p.itinerary;
    d.checks.identity_refused = p.refused;
    d.checks = d.checks.normalised();
    d.service = Service {
        sampled: p.sampled,
        tube_no: tube?,
    };
    d.name = p.name.text().to_string();
    d.id_number = p.id_number.text().to_string();
    d.phone = p.phone.text().to_string();
    d.destination = p.destination.text().to_string();
    d.overridden = p.overridden.map(|o| (vec![o], p.reason.text().to_string()));
    Some(d)
}

/// The field a validation error's path points at.
fn field_of_error(path: &str) -> Option<FieldId> {
    let leaf = path
        .rsplit_once(']')
        .map_or(path, |(_, rest)| rest.trim_start_matches('.'));
    Some(match leaf {
        "vehicle.plate" => FieldId::Plate,
        "vehicle.kind" => FieldId::Kind,
        "vehicle.origin" => FieldId::Origin,
        "vehicle.destination" => FieldId::Destination,
        "temperature" => FieldId::Temperature,
        "health_code" => FieldId::Health,
        "test" | "test.hours_ago" | "test.result" => FieldId::Test,
        "tube_no" => FieldId::Tube,
        "name" => FieldId::Name,
        "id_number" => FieldId::IdNumber,
        "phone" => FieldId::Phone,
        "destination" => FieldId::PersonDestination,
        "override.dispositions" => FieldId::Override,
        "override.reason" => FieldId::Reason,
        "persons" | "occupants" => FieldId::Occupants,
        _ => return None,
    })
}
