//! A ledger record: one vehicle (or a walk-in) and the persons checked with it, each with
//! the five checks, the service given, the dispositions and — only where the policy requires
//! it — the registration details.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::checks::{HealthCode, Phone, Temperature, TestProof};
use super::idnumber::IdNumber;
use super::plate::Plate;
use crate::error::FieldError;

/// What happens to a person. Declared from most to least severe: lists sort that way.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Disposition {
    CentralQuarantine,
    FeverClinic,
    HomeMonitoring,
    RegisterPush,
    OnSiteTest,
    TurnedBack,
    Pass,
}

impl Disposition {
    pub const ALL: [Disposition; 7] = [
        Self::CentralQuarantine,
        Self::FeverClinic,
        Self::HomeMonitoring,
        Self::RegisterPush,
        Self::OnSiteTest,
        Self::TurnedBack,
        Self::Pass,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::CentralQuarantine => "central_quarantine",
            Self::FeverClinic => "fever_clinic",
            Self::HomeMonitoring => "home_monitoring",
            Self::RegisterPush => "register_push",
            Self::OnSiteTest => "on_site_test",
            Self::TurnedBack => "turned_back",
            Self::Pass => "pass",
        }
    }

    pub fn parse(s: &str) -> Result<Self, FieldError> {
        Self::ALL
            .into_iter()
            .find(|d| d.code() == s.trim())
            .ok_or_else(|| {
                let codes: Vec<&str> = Self::ALL.iter().map(|d| d.code()).collect();
                FieldError::rule("dispositions", "rule.disposition")
                    .with("value", s)
                    .with("codes", codes.join(", "))
            })
    }

    /// A stable one-byte tag for index keys (never reorder: stored on disk).
    pub fn tag(self) -> u8 {
        match self {
            Self::Pass => 0,
            Self::FeverClinic => 1,
            Self::CentralQuarantine => 2,
            Self::HomeMonitoring => 3,
            Self::RegisterPush => 4,
            Self::OnSiteTest => 5,
            Self::TurnedBack => 6,
        }
    }
}

/// 车辆类型.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum VehicleKind {
    Car,
    Bus,
    Truck,
    ColdChain,
    Hazmat,
    Motorcycle,
    Other,
}

impl VehicleKind {
    pub const ALL: [VehicleKind; 7] = [
        Self::Car,
        Self::Bus,
        Self::Truck,
        Self::ColdChain,
        Self::Hazmat,
        Self::Motorcycle,
        Self::Other,
    ];

    pub fn zh(self) -> &'static str {
        match self {
            Self::Car => "小客车",
            Self::Bus => "客车",
            Self::Truck => "货车",
            Self::ColdChain => "冷链车",
            Self::Hazmat => "危化品车",
            Self::Motorcycle => "摩托车",
            Self::Other => "其他",
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Self::Car => "car",
            Self::Bus => "bus",
            Self::Truck => "truck",
            Self::ColdChain => "cold_chain",
            Self::Hazmat => "hazmat",
            Self::Motorcycle => "motorcycle",
            Self::Other => "other",
        }
    }

    /// Stable tag for counters (never reorder).
    pub fn tag(self) -> u8 {
        self as u8
    }

    /// Freight vehicles fall under 货车司机闭环管理.
    pub fn is_freight(self) -> bool {
        matches!(self, Self::Truck | Self::ColdChain | Self::Hazmat)
    }

    /// Accepts the Chinese name or the English code.
    pub fn parse(s: &str) -> Result<Self, FieldError> {
        let s = s.trim();
        Self::ALL
            .into_iter()
            .find(|k| k.zh() == s || k.code() == s)
            .ok_or_else(|| FieldError::rule("vehicle.kind", "rule.vehicle_kind"))
    }
}

/// 货车司机闭环管理: the three items checked for a freight driver.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FreightLoop {
    /// 清单管理: the driver is on the managed list.
    pub listed: bool,
    /// 告知承诺: the driver signed the notice and pledge.
    pub pledge: bool,
    /// 提前报备: the trip was reported in advance.
    pub reported: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vehicle {
    pub plate: Plate,
    pub kind: VehicleKind,
    pub origin: String,
    pub destination: String,
    /// 车辆消杀 done.
    pub disinfected: bool,
    /// Present for freight vehicles.
    pub freight: Option<FreightLoop>,
    /// Carries cold-chain cargo.
    pub cold_chain: bool,
}

/// The results of the five checks for one person.
///
/// 拒检: when `identity_refused` is set the person refused the check and nothing was
/// measured. The stored layout (bincode, field by field) predates that rule and has no room
/// for "absent", so a refused person's measurement fields hold the fixed placeholder of
/// [`Checks::refused`] and mean nothing: read them through [`Checks::measured`] (or the
/// `*_measured` accessors), which say `None` for a refused person. Old records of a refused
/// person, which stored the form's defaults, read the same way.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checks {
    pub temperature: Temperature,
    pub health_code: HealthCode,
    /// 14-day stay in a medium/high-risk area (行程卡带星).
    pub itinerary_risk: bool,
    pub test: TestProof,
    /// Refused to show identity or scan the venue code.
    pub identity_refused: bool,
}

impl Checks {
    /// The fast-path person: every check normal.
    pub fn all_normal() -> Self {
        Self {
            temperature: Temperature::from_tenths(365).expect("36.5 is in range"),
            health_code: HealthCode::Green,
            itinerary_risk: false,
            test: TestProof::Negative { hours_ago: 24 },
            identity_refused: false,
        }
    }

    /// A person who refused the check (拒检): nothing measured. The measurement fields hold
    /// the all-normal placeholder only because the stored layout needs a value there.
    pub fn refused() -> Self {
        Self {
            identity_refused: true,
            ..Self::all_normal()
        }
    }

    /// Whether the measurements were taken (the person did not refuse the check).
    pub fn measured(&self) -> bool {
        !self.identity_refused
    }

    /// The same checks with a refused person's placeholders reset, so two refused persons
    /// store the same bytes whatever the form held.
    pub fn normalised(self) -> Self {
        if self.identity_refused {
            Self::refused()
        } else {
            self
        }
    }

    pub fn temperature_measured(&self) -> Option<Temperature> {
        self.measured().then_some(self.temperature)
    }
    pub fn health_code_measured(&self) -> Option<HealthCode> {
        self.measured().then_some(self.health_code)
    }
    pub fn itinerary_risk_measured(&self) -> Option<bool> {
        self.measured().then_some(self.itinerary_risk)
    }
    pub fn test_measured(&self) -> Option<TestProof> {
        self.measured().then_some(self.test)
    }
}

/// 一服务: on-site sampling given.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Service {
    pub sampled: bool,
    /// Tube or batch number of the sample.
    pub tube_no: String,
}

/// Personal details, kept only where the policy requires registration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Registration {
    pub name: String,
    pub id_number: IdNumber,
    pub phone: Phone,
    pub destination: String,
}

/// An officer's override of the computed dispositions, with the written reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Override {
    pub dispositions: Vec<Disposition>,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub checks: Checks,
    pub service: Service,
    pub registration: Option<Registration>,
    /// What the policy computed from the checks.
    pub computed: Vec<Disposition>,
    pub overridden: Option<Override>,
}

impl Person {
    /// The dispositions in force: the override if any, else the computed ones.
    pub fn dispositions(&self) -> &[Disposition] {
        self.overridden
            .as_ref()
            .map_or(&self.computed, |o| &o.dispositions)
    }

    /// The one disposition the person counts under in every figure: the most severe in
    /// force (after override and amendment).
    pub fn final_disposition(&self) -> Disposition {
        self.dispositions()
            .iter()
            .copied()
            .min()
            .unwrap_or(Disposition::Pass)
    }

    /// Abnormal in the day's figures: the final disposition is not 通行 (a person whose
    /// computed disposition an officer overrode to 通行 counts as passed, under 通行).
    pub fn is_abnormal(&self) -> bool {
        self.final_disposition() != Disposition::Pass
    }
}

/// A stored ledger record. `id` is `<checkpoint>-<ULID>`: unique across laptops, never reused.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Record {
    pub id: String,
    pub checkpoint: String,
    pub officer: String,
    /// When the vehicle/person was checked.
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub time: DateTime<Utc>,
    /// When the record was committed.
    #[serde(with = "chrono::serde::ts_milliseconds")]
    pub entered_at: DateTime<Utc>,
    pub vehicle: Option<Vehicle>,
    pub persons: Vec<Person>,
    pub policy_version: String,
    /// Amendments applied to this version (0: the original as logged).
    pub amendments: u32,
    /// Voided (作废) by an amendment: shown as voided, counted nowhere.
    pub voided: bool,
}

impl Record {
    pub fn abnormal_persons(&self) -> usize {
        self.persons.iter().filter(|p| p.is_abnormal()).count()
    }

    /// The distinct dispositions of all persons, most severe first.
    pub fn dispositions(&self) -> Vec<Disposition> {
        let mut all: Vec<Disposition> = self
            .persons
            .iter()
            .flat_map(|p| p.dispositions().iter().copied())
            .collect();
        all.sort();
        all.dedup();
        all
    }
}

/// A record validated and assessed, before the store gives it an id.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewRecord {
    pub time: DateTime<Utc>,
    pub vehicle: Option<Vehicle>,
    pub persons: Vec<Person>,
}
