//! Drafts: what an officer typed (TUI form) or a JSON line said (`kadian add`), with every
//! check validated, before the policy assesses it. Both front ends build a `RecordDraft`;
//! `Policy::assess` turns it into a `NewRecord`.

use chrono::{DateTime, FixedOffset, Utc};
use serde::Deserialize;

use super::checks::{HealthCode, Temperature, TestProof};
use super::plate::Plate;
use super::record::{Checks, Disposition, FreightLoop, Service, Vehicle, VehicleKind};
use super::validate_text;
use crate::error::FieldError;
use crate::i18n::Msg;

/// One person as typed: checks validated, personal fields still raw (they are validated only
/// if the policy requires registration, and dropped otherwise).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PersonDraft {
    pub checks: Checks,
    pub service: Service,
    pub name: String,
    pub id_number: String,
    pub phone: String,
    pub destination: String,
    /// Officer's override: dispositions and the written reason.
    pub overridden: Option<(Vec<Disposition>, String)>,
}

impl PersonDraft {
    pub fn all_normal() -> Self {
        Self {
            checks: Checks::all_normal(),
            service: Service::default(),
            name: String::new(),
            id_number: String::new(),
            phone: String::new(),
            destination: String::new(),
            overridden: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RecordDraft {
    /// `None`: now.
    pub time: Option<DateTime<Utc>>,
    pub vehicle: Option<Vehicle>,
    pub persons: Vec<PersonDraft>,
}

// ---- the JSON line format of `kadian add` (documented in the README) ----

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RecordJson {
    #[serde(default)]
    pub time: Option<DateTime<FixedOffset>>,
    #[serde(default)]
    pub vehicle: Option<VehicleJson>,
    pub persons: Vec<PersonJson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VehicleJson {
    pub plate: String,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub origin: Option<String>,
    #[serde(default)]
    pub destination: Option<String>,
    #[serde(default)]
    pub disinfected: bool,
    #[serde(default)]
    pub freight: Option<FreightLoopJson>,
    #[serde(default)]
    pub cold_chain: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FreightLoopJson {
    #[serde(default)]
    pub listed: bool,
    #[serde(default)]
    pub pledge: bool,
    #[serde(default)]
    pub reported: bool,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonJson {
    /// Required unless `identity_refused` (拒检: nothing measured, and none may be given).
    #[serde(default)]
    pub temperature: Option<f64>,
    #[serde(default)]
    pub health_code: Option<String>,
    #[serde(default)]
    pub itinerary_risk: Option<bool>,
    #[serde(default)]
    pub test: Option<TestJson>,
    #[serde(default)]
    pub identity_refused: bool,
    #[serde(default)]
    pub sampled: bool,
    #[serde(default)]
    pub tube_no: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub id_number: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub destination: Option<String>,
    #[serde(default, rename = "override")]
    pub overridden: Option<OverrideJson>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TestJson {
    pub result: String,
    #[serde(default)]
    pub hours_ago: Option<i64>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OverrideJson {
    pub dispositions: Vec<String>,
    pub reason: String,
}

/// Place names and free text on a record: at most 40 characters.
pub const PLACE_MAX: usize = 40;

/// Optional free text (notes, matters): may be empty or span lines; at most `max` characters
/// and no control characters other than line breaks.
pub fn free_text(field: &str, text: &str, max: usize) -> Result<String, FieldError> {
    let t = text.trim();
    if t.chars().count() > max || t.chars().any(|c| c.is_control() && c != '\n') {
        return Err(FieldError::rule(field, "rule.text.too_long").with("max", max));
    }
    Ok(t.to_string())
}

fn optional_text(field: &str, v: &Option<String>, max: usize) -> Result<String, FieldError> {
    match v.as_deref().map(str::trim) {
        None | Some("") => Ok(String::new()),
        Some(t) => validate_text(field, t, max),
    }
}

impl VehicleJson {
    fn draft(&self) -> Result<Vehicle, Vec<FieldError>> {
        let mut errors = Vec::new();
        let plate = Plate::parse(&self.plate).map_err(|e| errors.push(e)).ok();
        let kind = match &self.kind {
            None => Some(VehicleKind::Car),
            Some(k) => VehicleKind::parse(k).map_err(|e| errors.push(e)).ok(),
        };
        let origin = optional_text("vehicle.origin", &self.origin, PLACE_MAX)
            .map_err(|e| errors.push(e))
            .ok();
        let destination = optional_text("vehicle.destination", &self.destination, PLACE_MAX)
            .map_err(|e| errors.push(e))
            .ok();
        match (plate, kind, origin, destination) {
            (Some(plate), Some(kind), Some(origin), Some(destination)) if errors.is_empty() => {
                Ok(Vehicle {
                    plate,
                    kind,
                    origin,
                    destination,
                    disinfected: self.disinfected,
                    freight: match &self.freight {
                        Some(f) => Some(FreightLoop {
                            listed: f.listed,
                            pledge: f.pledge,
                            reported: f.reported,
                        }),
                        None if kind.is_freight() => Some(FreightLoop::default()),
                        None => None,
                    },
                    cold_chain: self.cold_chain || kind == VehicleKind::ColdChain,
                })
            }
            _ => Err(errors),
        }
    }
}

impl TestJson {
    fn draft(&self) -> Result<TestProof, FieldError> {
        match (self.result.trim(), self.hours_ago) {
            ("negative", Some(h)) => TestProof::negative(h),
            ("negative", None) => Err(FieldError::rule("test.hours_ago", "rule.test.hours_needed")),
            ("none", None) => Ok(TestProof::None),
            ("positive", None) => Ok(TestProof::Positive),
            ("none" | "positive", Some(_)) => Err(FieldError::rule(
                "test.hours_ago",
                "rule.test.hours_unexpected",
            )),
            _ => Err(FieldError::rule("test.result", "rule.test.result")
                .with("codes", "negative, none, positive")),
        }
    }
}

impl PersonJson {
    fn draft(&self) -> Result<PersonDraft, Vec<FieldError>> {
        let mut errors = Vec::new();
        let (temperature, health_code, test) = if self.identity_refused {
            // 拒检: a measurement given for a person who refused the check is a contradiction,
            // refused rather than silently dropped.
            for (field, given) in [
                ("temperature", self.temperature.is_some()),
                ("health_code", self.health_code.is_some()),
                ("itinerary_risk", self.itinerary_risk == Some(true)),
                ("test", self.test.is_some()),
            ] {
                if given {
                    errors.push(FieldError::rule(field, "rule.refused.measured"));
                }
            }
            let c = Checks::refused();
            (Some(c.temperature), Some(c.health_code), Some(c.test))
        } else {
            let missing = |field: &str| FieldError::rule(field, "rule.measure_required");
            let temperature = match self.temperature {
                Some(t) => Temperature::from_celsius(t)
                    .map_err(|e| errors.push(e))
                    .ok(),
                None => {
                    errors.push(missing("temperature"));
                    None
                }
            };
            let health_code = match &self.health_code {
                Some(h) => HealthCode::parse(h).map_err(|e| errors.push(e)).ok(),
                None => {
                    errors.push(missing("health_code"));
                    None
                }
            };
            let test = match &self.test {
                Some(t) => t.draft().map_err(|e| errors.push(e)).ok(),
                None => {
                    errors.push(missing("test"));
                    None
                }
            };
            (temperature, health_code, test)
        };
        let tube_no = optional_text("tube_no", &self.tube_no, PLACE_MAX)
            .map_err(|e| errors.push(e))
            .ok();
        let overridden = match &self.overridden {
            None => None,
            Some(o) => {
                let mut ds = Vec::new();
                for d in &o.dispositions {
                    match Disposition::parse(d) {
                        Ok(d) => ds.push(d),
                        Err(e) => errors.push(e.within("override")),
                    }
                }
                Some((ds, o.reason.clone()))
            }
        };
        let text = |v: &Option<String>| v.clone().unwrap_or_default();
        match (temperature, health_code, test, tube_no) {
            (Some(temperature), Some(health_code), Some(test), Some(tube_no))
                if errors.is_empty() =>
            {
                Ok(PersonDraft {
                    checks: Checks {
                        temperature,
                        health_code,
                        itinerary_risk: self.itinerary_risk.unwrap_or(false),
                        test,
                        identity_refused: self.identity_refused,
                    }
                    .normalised(),
                    service: Service {
                        sampled: self.sampled,
                        tube_no,
                    },
                    name: text(&self.name),
                    id_number: text(&self.id_number),
                    phone: text(&self.phone),
                    destination: text(&self.destination),
                    overridden,
                })
            }
            _ => Err(errors),
        }
    }
}

impl RecordJson {
    /// Parses one JSON line. Errors name the field path (`persons[1].temperature`).
    pub fn parse_line(line: &str) -> Result<RecordDraft, Vec<FieldError>> {
        let json: RecordJson = serde_json::from_str(line)
            .map_err(|e| vec![FieldError::rule("record", "rule.record.json").with("detail", e)])?;
        json.draft()
    }

    pub fn draft(&self) -> Result<RecordDraft, Vec<FieldError>> {
        // The person count (1–99) is checked by `Policy::assess`, for every front end.
        let mut errors = Vec::new();
        let vehicle = match &self.vehicle {
            None => None,
            Some(v) => v.draft().map_err(|e| errors.extend(e)).ok(),
        };
        let mut persons = Vec::new();
        for (i, p) in self.persons.iter().enumerate() {
            match p.draft() {
                Ok(p) => persons.push(p),
                Err(es) => {
                    errors.extend(es.into_iter().map(|e| e.within(&format!("persons[{i}]"))))
                }
            }
        }
        if errors.is_empty() {
            Ok(RecordDraft {
                time: self.time.map(|t| t.with_timezone(&Utc)),
                vehicle,
                persons,
            })
        } else {
            Err(errors)
        }
    }
}

/// Why text is refused as not UTF-8, with a hint when it reads as GB18030/GBK (what Chinese
/// Windows saves by default). `valid_up_to`: where the first invalid byte is.
pub fn not_utf8(bytes: &[u8], valid_up_to: usize, whole_file: bool) -> Msg {
    let line = bytes[..valid_up_to].iter().filter(|b| **b == b'\n').count() + 1;
    let hint = Msg::new(if looks_like_gb18030(&bytes[valid_up_to..]) {
        "input.gb18030_hint"
    } else {
        "input.utf8_hint"
    });
    let m = if whole_file {
        Msg::new("input.not_utf8_file").with("line", line)
    } else {
        Msg::new("input.not_utf8_line")
    };
    m.with("byte", valid_up_to).with_msg("hint", hint)
}

/// Whether bytes read as GB18030 double-byte (or four-byte) characters, at least for a start.
fn looks_like_gb18030(b: &[u8]) -> bool {
    let mut i = 0;
    let mut chars = 0;
    while i < b.len() && chars < 16 {
        match b[i] {
            0x00..=0x7F => i += 1,
            0x81..=0xFE => match (b.get(i + 1), b.get(i + 2), b.get(i + 3)) {
                (Some(0x40..=0x7E | 0x80..=0xFE), _, _) => {
                    i += 2;
                    chars += 1;
                }
                (Some(0x30..=0x39), Some(0x81..=0xFE), Some(0x30..=0x39)) => {
                    i += 4;
                    chars += 1;
                }
                _ => return false,
            },
            _ => return false,
        }
    }
    chars > 0
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Any text as a record line: refused with field errors or accepted, never a panic.
        #[test]
        fn any_line_parses_or_is_refused(s in "\\PC{0,200}") {
            let _ = RecordJson::parse_line(&s);
        }

        /// JSON-shaped lines with wild values: same.
        #[test]
        fn wild_values_are_refused_not_panicking(
            t in proptest::num::f64::ANY,
            h in "\\PC{0,6}",
            hours in proptest::num::i64::ANY,
            plate in "\\PC{0,10}",
        ) {
            let line = serde_json::json!({
                "vehicle": {"plate": plate},
                "persons": [{"temperature": t, "health_code": h, "test": {"result": "negative", "hours_ago": hours}}]
            });
            let _ = RecordJson::parse_line(&line.to_string());
        }
    }
}
