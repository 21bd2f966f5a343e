//! Views of stored records for people and programs: the `kadian list` JSON object (also the
//! future export format) and the one-line text summary. Personal fields appear only where
//! they were stored.

use chrono::{DateTime, Utc};
use serde_json::{Value, json};

use crate::domain::amendment::Amendment;
use crate::domain::{Disposition, HealthCode, Person, Record, TestProof, VehicleKind};
use crate::i18n::{I18n, Lang, Msg};

pub fn test_json(t: TestProof) -> Value {
    match t {
        TestProof::Negative { hours_ago } => json!({"result": "negative", "hours_ago": hours_ago}),
        TestProof::None => json!({"result": "none"}),
        TestProof::Positive => json!({"result": "positive"}),
    }
}

fn codes(ds: &[Disposition]) -> Vec<&'static str> {
    ds.iter().map(|d| d.code()).collect()
}

/// Whether personal details (name, ID number, phone) are shown in full — to a leader who
/// revealed them, audited — or masked as on screen (`王**`, `110105********002X`,
/// `139****1111`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Privacy {
    Masked,
    Revealed,
}

impl Privacy {
    pub fn of(revealed: bool) -> Self {
        if revealed {
            Self::Revealed
        } else {
            Self::Masked
        }
    }

    pub fn name(self, name: &str) -> String {
        match self {
            Self::Revealed => name.to_string(),
            Self::Masked => crate::domain::mask_name(name),
        }
    }

    pub fn id_number(self, id: &crate::domain::IdNumber) -> String {
        match self {
            Self::Revealed => id.to_string(),
            Self::Masked => id.masked(),
        }
    }

    pub fn phone(self, phone: &crate::domain::Phone) -> String {
        match self {
            Self::Revealed => phone.as_str().to_string(),
            Self::Masked => phone.masked(),
        }
    }

    /// An ID number or phone already as text: all but the first three and last four
    /// characters hidden.
    pub fn masked_text(self, s: &str) -> String {
        match self {
            Self::Revealed => s.to_string(),
            Self::Masked => crate::domain::mask_digits(s),
        }
    }
}

pub fn person_json(p: &Person, privacy: Privacy) -> Value {
    let c = &p.checks;
    let mut v = json!({
        // 拒检: nothing measured, so null (the stored placeholders mean nothing).
        "temperature": c.temperature_measured().map(|t| t.celsius()),
        "health_code": c.health_code_measured().map(|h| h.code()),
        "itinerary_risk": c.itinerary_risk_measured(),
        "test": c.test_measured().map(test_json),
        "identity_refused": c.identity_refused,
        "sampled": p.service.sampled,
        "tube_no": p.service.tube_no,
        "dispositions": codes(p.dispositions()),
        "computed": codes(&p.computed),
        "override": p.overridden.as_ref().map(|o| json!({"dispositions": codes(&o.dispositions), "reason": o.reason})),
    });
    if let (Some(r), Some(obj)) = (&p.registration, v.as_object_mut()) {
        obj.insert("name".into(), json!(privacy.name(&r.name)));
        obj.insert("id_number".into(), json!(privacy.id_number(&r.id_number)));
        obj.insert("phone".into(), json!(privacy.phone(&r.phone)));
        obj.insert("masked".into(), json!(privacy == Privacy::Masked));
        obj.insert("destination".into(), json!(r.destination));
    }
    v
}

fn rfc3339(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true)
}

/// `after_signoff`: the record arrived, or was amended or voided, after its day's sign-off.
pub fn record_json(
    r: &Record,
    day: chrono::NaiveDate,
    after_signoff: bool,
    privacy: Privacy,
) -> Value {
    json!({
        "id": r.id,
        "checkpoint": r.checkpoint,
        "officer": r.officer,
        "time": rfc3339(r.time),
        "entered_at": rfc3339(r.entered_at),
        "day": day.to_string(),
        "policy_version": r.policy_version,
        "amendments": r.amendments,
        "voided": r.voided,
        "after_signoff": after_signoff,
        "vehicle": r.vehicle.as_ref().map(|v| json!({
            "plate": v.plate.as_str(),
            "kind": v.kind.code(),
            "origin": v.origin,
            "destination": v.destination,
            "disinfected": v.disinfected,
            "freight": v.freight.map(|f| json!({"listed": f.listed, "pledge": f.pledge, "reported": f.reported})),
            "cold_chain": v.cold_chain,
        })),
        "dispositions": codes(&r.dispositions()),
        "persons": r.persons.iter().map(|p| person_json(p, privacy)).collect::<Vec<_>>(),
    })
}

/// `09:15 湘J12345 小客车 2人` — local time given by the caller.
pub fn record_line_head(r: &Record, local_time: &str, i18n: &I18n) -> String {
    let vehicle = match &r.vehicle {
        Some(v) => format!("{} {}", v.plate, i18n.kind(v.kind)),
        None => i18n.t("walk_in").to_string(),
    };
    format!(
        "{local_time} {vehicle} {}{}",
        r.persons.len(),
        i18n.t("persons_unit")
    )
}

/// `09:15 湘J12345 小客车 2人 放行`
pub fn record_line(r: &Record, local_time: &str, i18n: &I18n) -> String {
    let ds: Vec<&str> = r
        .dispositions()
        .iter()
        .map(|d| i18n.disposition(*d))
        .collect();
    let state = if r.voided {
        format!(" [{}]", i18n.t("record.voided"))
    } else if r.amendments > 0 {
        format!(" [{}]", i18n.t("record.amended"))
    } else {
        String::new()
    };
    format!(
        "{} {}{state}",
        record_line_head(r, local_time, i18n),
        ds.join("+")
    )
}

/// A field's value as typed for an amendment (and stored in one) (`true`, `green`, `car`, `none`), with yes/no,
/// the health code, the vehicle kind and the test proof written in `lang`; the amendment
/// parses both languages.
pub fn amend_value(path: &str, text: &str, i18n: &I18n) -> String {
    let lang = i18n.lang;
    let leaf = path.rsplit('.').next().unwrap_or(path);
    match (leaf, text) {
        (_, "true") => i18n.yes_no(true).to_string(),
        (_, "false") => i18n.yes_no(false).to_string(),
        ("health_code", code) => {
            HealthCode::parse(code).map_or(text.to_string(), |h| i18n.health(h).to_string())
        }
        ("kind", code) if lang == Lang::Zh => {
            VehicleKind::parse(code).map_or(text.to_string(), |k| k.zh().to_string())
        }
        ("test", "none") => i18n.t("detail.none").to_string(),
        ("test", "positive") => i18n.t("detail.positive").to_string(),
        _ => text.to_string(),
    }
}

/// A field path by its label (`plate` → 车牌, `persons[0].phone` → 第1人手机): vehicle
/// fields are written bare, as `kadian amend --set` takes them.
pub fn amend_field(i18n: &I18n, path: &str) -> String {
    if path.starts_with("persons[") {
        i18n.field_label(path)
    } else {
        i18n.field_label(&format!("vehicle.{path}"))
    }
}

/// `体温 36.5  健康码 绿码  行程风险 否  核酸 20h  拒检 否  落地采样 否`: a person's checks
/// in words, 未测 for what a refused person was not measured on.
pub fn checks_text(p: &Person, i18n: &I18n) -> String {
    let c = &p.checks;
    let unmeasured = || i18n.t("log.not_measured").to_string();
    let test = match c.test_measured() {
        Some(TestProof::Negative { hours_ago }) => format!("{hours_ago}h"),
        Some(TestProof::None) => i18n.t("detail.none").to_string(),
        Some(TestProof::Positive) => i18n.t("detail.positive").to_string(),
        None => unmeasured(),
    };
    format!(
        "{} {}  {} {}  {} {}  {} {}  {} {}  {} {}",
        i18n.t("field.temperature"),
        c.temperature_measured()
            .map_or_else(unmeasured, |t| t.to_string()),
        i18n.t("field.health"),
        c.health_code_measured()
            .map_or_else(unmeasured, |h| i18n.health(h).to_string()),
        i18n.t("field.itinerary"),
        c.itinerary_risk_measured()
            .map_or_else(unmeasured, |r| i18n.yes_no(r).to_string()),
        i18n.t("field.test"),
        test,
        i18n.t("field.refused"),
        i18n.yes_no(c.identity_refused),
        i18n.t("field.sampled"),
        i18n.yes_no(p.service.sampled),
    )
}

/// `第1人 体温 36.5  健康码 绿码 … ▶ 居家监测  王** 1101**********002X 139****1111 → 常德`
pub fn person_line(n: usize, p: &Person, privacy: Privacy, i18n: &I18n) -> String {
    let ds: Vec<&str> = p
        .dispositions()
        .iter()
        .map(|d| i18n.disposition(*d))
        .collect();
    let mut line = format!(
        "{}  {}  ▶ {}",
        i18n.render(&Msg::new("field.person").with("n", n)),
        checks_text(p, i18n),
        ds.join("+"),
    );
    if let Some(g) = &p.registration {
        line.push_str(&format!(
            "  {} {} {} → {}",
            privacy.name(&g.name),
            privacy.id_number(&g.id_number),
            privacy.phone(&g.phone),
            g.destination
        ));
    }
    line
}

/// `11-24 09:15 L01 车牌 湘J54321 — 车牌录错`: an amendment (or a void) in words; ID numbers
/// and phones masked unless revealed.
pub fn amendment_line(a: &Amendment, local_time: &str, privacy: Privacy, i18n: &I18n) -> String {
    let what = if a.void {
        i18n.t("record.voided").to_string()
    } else {
        a.changes
            .iter()
            .map(|c| change_text(c, privacy, i18n))
            .collect::<Vec<_>>()
            .join(i18n.t("list.sep"))
    };
    format!("{local_time} {} {what} — {}", a.by, a.reason)
}

/// `车牌 湘J54321`: one changed field in words; a name, ID number or phone masked unless
/// revealed, as the record itself is.
pub fn change_text(c: &crate::domain::amendment::Change, privacy: Privacy, i18n: &I18n) -> String {
    let value = if c.field.ends_with("id_number") || c.field.ends_with("phone") {
        privacy.masked_text(&c.value)
    } else if c.field.ends_with(".name") {
        privacy.name(&c.value)
    } else {
        amend_value(&c.field, &c.value, i18n)
    };
    format!("{} {value}", amend_field(i18n, &c.field))
}
