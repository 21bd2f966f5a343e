//! Pure domain types, valid by construction ("parse, don't validate"): an `IdNumber`,
//! `Plate`, `Phone` or `Temperature` that exists is valid. No IO here.

pub mod amendment;
pub mod checks;
pub mod day;
pub mod duty;
pub mod entry;
pub mod filter;
pub mod idnumber;
pub mod input;
pub mod plate;
pub mod privacy;
pub mod record;
pub mod report;
pub mod roster;
pub mod shift;

pub use checks::{HealthCode, Phone, Temperature, TestProof};
pub use day::{day_of, tz_of};
pub use filter::{Filter, Page, plate_part};
pub use idnumber::IdNumber;
pub use plate::Plate;
pub use privacy::{AuditEntry, Purge, PurgeReport};
pub use record::{
    Checks, Disposition, FreightLoop, NewRecord, Override, Person, Record, Registration, Service,
    Vehicle, VehicleKind,
};
pub use report::{
    DayCounts, DayTally, PushFigures, PushMark, SignOff, SignedFigures, SignedReport,
};
pub use shift::{Handover, HandoverDraft, PostEvent, ShiftCounts};

use serde::{Deserialize, Serialize};

/// A staff member. The PIN is kept only as an argon2 hash (PHC string).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Officer {
    pub code: String,
    pub name: String,
    pub role: Role,
    /// Mobile number, or empty.
    pub phone: String,
    pub active: bool,
    pub pin_hash: Option<String>,
}

impl Officer {
    /// An active staff member without phone or PIN.
    pub fn new(code: &str, name: &str, role: Role) -> Self {
        Self {
            code: code.to_string(),
            name: name.to_string(),
            role,
            phone: String::new(),
            active: true,
            pin_hash: None,
        }
    }
}

impl std::fmt::Debug for Officer {
    /// Never prints the PIN hash.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Officer")
            .field("code", &self.code)
            .field("name", &self.name)
            .field("role", &self.role)
            .field("active", &self.active)
            .field("has_pin", &self.pin_hash.is_some())
            .finish()
    }
}

/// What a role may do. Enforced by the store and the commands, not only hidden in the UI.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Permission {
    /// Log vehicles and persons; check in and out of a post.
    Log,
    /// Review the ledger, edit the roster, sign handovers and reports.
    Lead,
    /// Manage staff and checkpoint settings (posts, shifts).
    Administer,
}

impl Permission {
    pub fn code(self) -> &'static str {
        match self {
            Self::Log => "log",
            Self::Lead => "lead",
            Self::Administer => "administer",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Officer,
    Leader,
    Admin,
}

impl Role {
    pub fn parse(s: &str) -> Result<Self, crate::error::FieldError> {
        match s.trim() {
            "officer" | "值守人员" => Ok(Self::Officer),
            "leader" | "带班领导" => Ok(Self::Leader),
            "admin" | "管理员" => Ok(Self::Admin),
            _ => Err(crate::error::FieldError::rule("role", "rule.role")),
        }
    }
    pub fn code(self) -> &'static str {
        match self {
            Self::Officer => "officer",
            Self::Leader => "leader",
            Self::Admin => "admin",
        }
    }

    /// Officers log; leaders also lead (review, roster, handover); admins may do everything.
    pub fn may(self, p: Permission) -> bool {
        match p {
            Permission::Log => true,
            Permission::Lead => matches!(self, Self::Leader | Self::Admin),
            Permission::Administer => self == Self::Admin,
        }
    }
}

/// A staff code: 1–16 ASCII letters, digits, `-` or `_`.
pub fn validate_code(field: &str, code: &str) -> Result<String, crate::error::FieldError> {
    let ok = (1..=16).contains(&code.len())
        && code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_');
    if ok {
        Ok(code.to_string())
    } else {
        Err(crate::error::FieldError::rule(field, "rule.code"))
    }
}

/// A non-empty text of at most `max` characters (names, places, reasons).
pub fn validate_text(
    field: &str,
    text: &str,
    max: usize,
) -> Result<String, crate::error::FieldError> {
    let t = text.trim();
    if t.is_empty() {
        return Err(crate::error::FieldError::rule(field, "rule.text.empty"));
    }
    if t.chars().count() > max || t.chars().any(char::is_control) {
        return Err(crate::error::FieldError::rule(field, "rule.text.too_long").with("max", max));
    }
    Ok(t.to_string())
}

/// The checkpoint a data dir belongs to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checkpoint {
    pub code: String,
    pub name: String,
    /// Plate province abbreviation pre-filled on the log desk.
    pub province: char,
    /// IANA time zone name, e.g. `Asia/Shanghai`.
    pub tz: String,
    /// Minutes after local midnight at which the checkpoint day starts (0 = calendar day).
    pub day_start_min: u16,
    /// Random id of this laptop, made at init.
    pub laptop: String,
    pub default_kind: VehicleKind,
    pub default_occupants: u8,
}

/// The code of the demo checkpoint `kadian demo` creates; reserved, so a real checkpoint
/// can never be taken for a demo (or a demo for a real one).
pub const DEMO_CODE: &str = "DEMO";

impl Checkpoint {
    /// Whether this is the demo checkpoint (its records are made up).
    pub fn is_demo(&self) -> bool {
        self.code == DEMO_CODE
    }

    /// A new checkpoint, every field validated. `day_start_min`: minutes after midnight.
    pub fn new(
        code: &str,
        name: &str,
        province: &str,
        tz: &str,
        day_start_min: u16,
        laptop: String,
    ) -> Result<Self, crate::error::FieldError> {
        use crate::error::FieldError;
        let code = validate_code("checkpoint", code)?;
        let name = validate_text("name", name, 40)?;
        let mut chars = province.trim().chars();
        let province = match (chars.next(), chars.next()) {
            (Some(c), None) if plate::PROVINCES.contains(c) => c,
            _ => {
                return Err(FieldError::rule("province", "rule.province").with("example", "湘"));
            }
        };
        if tz.parse::<chrono_tz::Tz>().is_err() {
            return Err(FieldError::rule("tz", "rule.tz").with("tz", format!("{tz:?}")));
        }
        // Whole hours only: the per-hour counters are by local hour, and the day's hours
        // and shifts must partition it.
        if day_start_min >= 24 * 60 || day_start_min % 60 != 0 {
            return Err(FieldError::rule("day_start", "rule.day_start"));
        }
        Ok(Self {
            code,
            name,
            province,
            tz: tz.to_string(),
            day_start_min,
            laptop,
            default_kind: VehicleKind::Car,
            default_occupants: 1,
        })
    }
}

/// `王小明` → `王**`: the surname only, for screens and masked lists.
pub fn mask_name(name: &str) -> String {
    let mut cs = name.chars();
    match cs.next() {
        Some(first) => format!("{first}{}", "*".repeat(cs.count().max(1))),
        None => String::new(),
    }
}

/// An ID number or phone as text, masked: the first three or four and the last four
/// characters kept (`4307**********1234`, `139****1111`), shorter texts all hidden.
pub fn mask_digits(s: &str) -> String {
    let cs: Vec<char> = s.chars().collect();
    let keep = if cs.len() >= 15 { 4 } else { 3 };
    if cs.len() <= keep + 4 {
        return "*".repeat(cs.len());
    }
    let mut out: String = cs[..keep].iter().collect();
    out.push_str(&"*".repeat(cs.len() - keep - 4));
    out.extend(&cs[cs.len() - 4..]);
    out
}

/// Coded values named on screen through the strings files (`disp.pass`, `kind.car` …).
mod names {
    use super::{Disposition, HealthCode, Role, VehicleKind};
    use crate::i18n::Named;

    impl Named for Disposition {
        const PREFIX: &'static str = "disp";
        fn name_code(self) -> &'static str {
            self.code()
        }
    }

    impl Named for VehicleKind {
        const PREFIX: &'static str = "kind";
        fn name_code(self) -> &'static str {
            self.code()
        }
    }

    impl Named for HealthCode {
        const PREFIX: &'static str = "health";
        fn name_code(self) -> &'static str {
            self.code()
        }
    }

    impl Named for Role {
        const PREFIX: &'static str = "role";
        fn name_code(self) -> &'static str {
            self.code()
        }
    }
}
