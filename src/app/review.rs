//! The 记录 tab: a page of records from a combined filter (F3 opens the filter bar, F4
//! clears it), Enter opens the detail with every field and the amendment history; there a
//! leader may reveal the masked details (Ctrl+R, audited), amend a field (F5) or void the
//! record (F6), each with a reason.

use chrono::{Duration, NaiveDate};

use super::action::{Action, Effect};
use super::duty::Overlay;
use super::state::{App, PAGE};
use super::text::{Edit, TextInput};
use crate::amend::{Amendment, Change};
use crate::domain::{Disposition, Record, VehicleKind};
use crate::store::Filter;

/// The detail view of one record.
#[derive(Clone, Debug, PartialEq)]
pub struct Detail {
    pub record: Record,
    pub original: Record,
    pub amendments: Vec<Amendment>,
    /// Personal details shown in clear (after an audited reveal).
    pub revealed: bool,
}

/// The filter bar: text fields and two choices. Focus order as in `FILTER_FIELDS`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilterForm {
    pub texts: [TextInput; 7],
    pub disposition: Option<Disposition>,
    pub kind: Option<VehicleKind>,
    pub amended: bool,
    pub focus: usize,
}

/// Labels (i18n keys) of the filter bar's fields: 7 texts, then disposition, kind, amended.
pub const FILTER_FIELDS: [&str; 10] = [
    "filter.from",
    "filter.to",
    "field.plate",
    "field.name",
    "filter.id_suffix",
    "field.phone",
    "col.officer",
    "log.disposition",
    "field.kind",
    "filter.amended",
];

/// Amend or void: the field (or 作废), the new value, the reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AmendForm {
    pub fields: Vec<String>,
    /// Index into `fields`; `fields.len()` means void.
    pub field: usize,
    pub value: TextInput,
    pub reason: TextInput,
    pub focus: usize,
}

impl FilterForm {
    pub fn from_filter(f: &Filter) -> Self {
        let d = |d: Option<NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
        let t = |s: &Option<String>| s.clone().unwrap_or_default();
        Self {
            texts: [
                TextInput::with(&d(f.from), 10),
                TextInput::with(&d(f.to), 10),
                TextInput::with(&t(&f.plate), 8),
                TextInput::with(&t(&f.name), 20),
                TextInput::with(&t(&f.id_suffix), 4),
                TextInput::with(&t(&f.phone), 11),
                TextInput::with(&t(&f.officer), 16),
            ],
            disposition: f.disposition,
            kind: f.kind,
            amended: f.amended_only,
            focus: 2,
        }
    }

    /// The filter, or the first field that does not parse (its label key).
    pub fn to_filter(&self) -> Result<Filter, &'static str> {
        let text =
            |i: usize| Some(self.texts[i].text().trim().to_string()).filter(|s| !s.is_empty());
        let date = |i: usize| -> Result<Option<NaiveDate>, &'static str> {
            text(i)
                .map(|s| NaiveDate::parse_from_str(&s, "%Y-%m-%d").map_err(|_| FILTER_FIELDS[i]))
                .transpose()
        };
        let id_suffix = text(4).map(|s| s.to_uppercase());
        if id_suffix.as_ref().is_some_and(|s| s.len() != 4) {
            return Err(FILTER_FIELDS[4]);
        }
        Ok(Filter {
            from: date(0)?,
            to: date(1)?,
            plate: text(2).map(|p| crate::store::plate_part(&p)),
            name: text(3),
            id_suffix,
            phone: text(5),
            officer: text(6),
            disposition: self.disposition,
            kind: self.kind,
            amended_only: self.amended,
        })
    }
}

pub fn day_filter(day: NaiveDate) -> Filter {
    Filter {
        from: Some(day),
        to: Some(day),
        ..Default::default()
    }
}

fn search(filter: Filter, offset: usize) -> Vec<Effect> {
    vec![Effect::Search {
        filter,
        offset,
        limit: PAGE,
    }]
}

/// Keys on the 记录 tab (list or detail).
pub fn records_tab(app: &mut App, action: Action) -> Vec<Effect> {
    if app.records.detail.is_some() {
        return detail(app, action);
    }
    let v = &mut app.records;
    let filter = v.filter.clone();
    match action {
        Action::Down => {
            if v.selected + 1 < v.records.len() {
                v.selected += 1;
            } else if v.offset + PAGE < v.total as usize {
                v.selected = 0;
                return search(filter, v.offset + PAGE);
            }
        }
        Action::Up => {
            if v.selected > 0 {
                v.selected -= 1;
            } else if v.offset > 0 {
                v.selected = PAGE - 1;
                return search(filter, v.offset.saturating_sub(PAGE));
            }
        }
        Action::PageDown if v.offset + PAGE < v.total as usize => {
            return search(filter, v.offset + PAGE);
        }
        Action::PageUp if v.offset > 0 => return search(filter, v.offset.saturating_sub(PAGE)),
        Action::PrevDay | Action::NextDay => {
            let step = if action == Action::PrevDay { -1 } else { 1 };
            let day = filter.from.unwrap_or(app.day) + Duration::days(step);
            if day <= app.day {
                v.selected = 0;
                return search(
                    Filter {
                        from: Some(day),
                        to: Some(day),
                        ..filter
                    },
                    0,
                );
            }
        }
        Action::Choose => {
            if let Some(r) = v.records.get(v.selected) {
                return vec![Effect::LoadDetail { id: r.id.clone() }];
            }
        }
        Action::OpenFilter => app.overlay = Some(Overlay::Filter(FilterForm::from_filter(&filter))),
        Action::ShowAudit => {
            if let Some(officer) = app.officer.clone() {
                let day = filter.from.unwrap_or(app.day);
                return vec![Effect::LoadAudit { officer, day }];
            }
        }
        Action::ClearFilter => {
            v.selected = 0;
            return search(day_filter(app.day), 0);
        }
        _ => {}
    }
    vec![]
}

fn detail(app: &mut App, action: Action) -> Vec<Effect> {
    let Some(d) = app.records.detail.as_ref() else {
        return vec![];
    };
    let id = d.record.id.clone();
    match action {
        Action::Close => app.records.detail = None,
        Action::Reveal => {
            if let Some(officer) = app.officer.clone() {
                return vec![Effect::Reveal { officer, id }];
            }
        }
        Action::AmendRecord | Action::VoidRecord => {
            let fields = amendable(&d.record);
            let field = if action == Action::VoidRecord {
                fields.len()
            } else {
                0
            };
            let value = TextInput::with(
                &crate::amend::field_text(&d.record, fields.first().map_or("", String::as_str))
                    .unwrap_or_default(),
                40,
            );
            app.overlay = Some(Overlay::Amend(AmendForm {
                fields,
                field,
                value,
                reason: TextInput::new(100),
                focus: 0,
            }));
        }
        _ => {}
    }
    vec![]
}

/// The field paths an amendment can change on this record.
pub fn amendable(r: &Record) -> Vec<String> {
    let mut out = Vec::new();
    if r.vehicle.is_some() {
        out.extend(
            [
                "plate",
                "kind",
                "origin",
                "destination",
                "disinfected",
                "cold_chain",
            ]
            .map(String::from),
        );
    }
    for i in 0..r.persons.len() {
        for f in [
            "temperature",
            "health_code",
            "itinerary_risk",
            "test",
            "identity_refused",
            "sampled",
            "tube_no",
            "name",
            "id_number",
            "phone",
            "destination",
        ] {
            out.push(format!("persons[{i}].{f}"));
        }
    }
    out
}

pub fn filter_overlay(app: &mut App, f: &mut FilterForm, action: Action) -> Vec<Effect> {
    let n = FILTER_FIELDS.len();
    match action {
        Action::NextField => f.focus = (f.focus + 1) % n,
        Action::PrevField => f.focus = (f.focus + n - 1) % n,
        Action::Edit(e) if f.focus < 7 => {
            f.texts[f.focus].apply(&e);
        }
        Action::Edit(Edit::Right | Edit::Left | Edit::Insert(' ')) => {
            let step: i32 = if action == Action::Edit(Edit::Left) {
                -1
            } else {
                1
            };
            match f.focus {
                7 => {
                    let mut all: Vec<Option<Disposition>> = vec![None];
                    all.extend(Disposition::ALL.iter().rev().map(|d| Some(*d)));
                    let i = all.iter().position(|d| *d == f.disposition).unwrap_or(0) as i32;
                    f.disposition = all[(i + step).rem_euclid(all.len() as i32) as usize];
                }
                8 => {
                    let mut all: Vec<Option<VehicleKind>> = vec![None];
                    all.extend(VehicleKind::ALL.iter().map(|k| Some(*k)));
                    let i = all.iter().position(|k| *k == f.kind).unwrap_or(0) as i32;
                    f.kind = all[(i + step).rem_euclid(all.len() as i32) as usize];
                }
                _ => f.amended = !f.amended,
            }
        }
        Action::Save | Action::Choose => match f.to_filter() {
            Ok(filter) => {
                app.overlay = None;
                app.records.selected = 0;
                return search(filter, 0);
            }
            Err(field) => {
                let text = format!("{}: {}", app.i18n.t(field), app.i18n.t("filter.invalid"));
                app.status = Some(super::state::Status { text, ok: false });
            }
        },
        _ => {}
    }
    vec![]
}

pub fn amend_overlay(app: &mut App, f: &mut AmendForm, action: Action) -> Vec<Effect> {
    let void = f.field >= f.fields.len();
    let count = if void { 2 } else { 3 };
    match action {
        Action::NextField => f.focus = (f.focus + 1) % count,
        Action::PrevField => f.focus = (f.focus + count - 1) % count,
        Action::Edit(Edit::Right | Edit::Left) if f.focus == 0 => {
            let n = f.fields.len() + 1;
            f.field = if action == Action::Edit(Edit::Left) {
                (f.field + n - 1) % n
            } else {
                (f.field + 1) % n
            };
            if let (Some(d), Some(path)) = (app.records.detail.as_ref(), f.fields.get(f.field)) {
                f.value
                    .set(&crate::amend::field_text(&d.record, path).unwrap_or_default());
            }
            f.focus = 0;
        }
        Action::Edit(e) if f.focus > 0 => {
            let reason_focus = if void { 1 } else { 2 };
            if f.focus == reason_focus {
                f.reason.apply(&e);
            } else {
                f.value.apply(&e);
            }
        }
        Action::Save => {
            let (Some(officer), Some(d)) = (app.officer.clone(), app.records.detail.as_ref())
            else {
                return vec![];
            };
            let id = d.record.id.clone();
            let reason = f.reason.text().to_string();
            return match f.fields.get(f.field) {
                None => vec![Effect::Void {
                    officer,
                    id,
                    reason,
                }],
                Some(field) => {
                    let changes = vec![Change {
                        field: field.clone(),
                        value: f.value.text().to_string(),
                    }];
                    vec![Effect::Amend {
                        officer,
                        id,
                        changes,
                        reason,
                    }]
                }
            };
        }
        _ => {}
    }
    vec![]
}
