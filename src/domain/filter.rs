//! What a search of the ledger asks for and gets back: a `Filter` whose parts combine (and
//! the rule for whether one record passes it), a `Page` of records with the total count, and
//! the normalising of a partial plate as typed. The store serves a filter from its indexes.

use chrono::NaiveDate;

use super::{Disposition, Record, VehicleKind};

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Filter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    /// Part of a plate (`J123`), normalised as on entry.
    pub plate: Option<String>,
    /// A name, or its beginning.
    pub name: Option<String>,
    /// The last four characters of an ID number.
    pub id_suffix: Option<String>,
    /// A phone number, or its beginning.
    pub phone: Option<String>,
    pub disposition: Option<Disposition>,
    pub officer: Option<String>,
    pub kind: Option<VehicleKind>,
    pub amended_only: bool,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Page {
    pub records: Vec<Record>,
    pub total: u64,
}

impl Filter {
    /// Whether a record (of checkpoint day `day`) passes every filter.
    pub fn matches(&self, r: &Record, day: NaiveDate) -> bool {
        let regs = || r.persons.iter().filter_map(|p| p.registration.as_ref());
        self.from.is_none_or(|f| day >= f)
            && self.to.is_none_or(|t| day <= t)
            && self.plate.as_ref().is_none_or(|p| {
                r.vehicle
                    .as_ref()
                    .is_some_and(|v| v.plate.as_str().contains(p.as_str()))
            })
            && self
                .name
                .as_ref()
                .is_none_or(|n| regs().any(|g| g.name.starts_with(n.as_str())))
            && self
                .id_suffix
                .as_ref()
                .is_none_or(|s| regs().any(|g| g.id_number.as_str().ends_with(s.as_str())))
            && self
                .phone
                .as_ref()
                .is_none_or(|p| regs().any(|g| g.phone.as_str().starts_with(p.as_str())))
            // A voided record counts for no disposition (as in the disposition index).
            && self.disposition.is_none_or(|d| {
                !r.voided && r.persons.iter().any(|p| p.dispositions().contains(&d))
            })
            && self.officer.as_ref().is_none_or(|o| &r.officer == o)
            && self
                .kind
                .is_none_or(|k| r.vehicle.as_ref().is_some_and(|v| v.kind == k))
            && (!self.amended_only || r.amendments > 0)
    }

    /// Whether the filter asks for nothing but a range of days.
    pub fn only_days(&self) -> bool {
        *self
            == Filter {
                from: self.from,
                to: self.to,
                ..Default::default()
            }
    }
}

/// Normalises a partial plate as typed (full-width, lower case, separators).
pub fn plate_part(s: &str) -> String {
    s.trim()
        .chars()
        .filter(|c| !matches!(c, '·' | ' '))
        .map(crate::domain::plate::normalise_char)
        .collect()
}
