//! The 记录 filter bar (F3): dates, plate, name, ID suffix, phone, officer as text; the
//! disposition, the vehicle kind and "amended only" as choices. F2 or Enter applies it.

use chrono::NaiveDate;

use crate::app::action::Action;
use crate::app::text::{Edit, TextInput};
use crate::domain::{Disposition, VehicleKind};
use crate::error::FieldError;
use crate::ops::filter::{self, FilterText};
use crate::store::Filter;

/// Text fields and three choices. Focus order as in `FILTER_FIELDS`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FilterForm {
    pub texts: [TextInput; 7],
    pub disposition: Option<Disposition>,
    pub kind: Option<VehicleKind>,
    pub amended: bool,
    pub focus: usize,
}

/// Labels (i18n keys) of the filter bar's fields: 7 texts, then disposition, kind, amended.
/// Their order is that of the focus and of `FILTER_ERROR_FIELDS`.
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

/// The field names `ops::filter` gives its errors, in the order of `FILTER_FIELDS`.
const FILTER_ERROR_FIELDS: [&str; 7] = [
    "from",
    "to",
    "plate",
    "name",
    "id_suffix",
    "phone",
    "officer",
];

/// The label (i18n key) of the field an error names.
pub fn label_of(e: &FieldError) -> &'static str {
    FILTER_ERROR_FIELDS
        .iter()
        .position(|f| *f == e.field)
        .map_or("filter.title", |i| FILTER_FIELDS[i])
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

    /// The filter, by the rules `kadian list` uses (`ops::filter`), or the first field
    /// that does not parse.
    pub fn to_filter(&self) -> Result<Filter, FieldError> {
        let t = |i: usize| self.texts[i].text();
        filter::parse(&FilterText {
            from: t(0),
            to: t(1),
            plate: t(2),
            name: t(3),
            id_suffix: t(4),
            phone: t(5),
            officer: t(6),
            disposition: self.disposition,
            kind: self.kind,
            amended_only: self.amended,
        })
    }

    /// Keys; F2 or Enter gives the filter to apply, or the error of a field that does not
    /// parse.
    pub fn update(&mut self, action: Action) -> Result<Option<Filter>, FieldError> {
        let n = FILTER_FIELDS.len();
        match action {
            Action::NextField => self.focus = (self.focus + 1) % n,
            Action::PrevField => self.focus = (self.focus + n - 1) % n,
            Action::Edit(e) if self.focus < 7 => {
                self.texts[self.focus].apply(&e);
            }
            Action::Edit(Edit::Right | Edit::Left | Edit::Insert(' ')) => {
                let step: i32 = if action == Action::Edit(Edit::Left) {
                    -1
                } else {
                    1
                };
                match self.focus {
                    7 => {
                        let mut all: Vec<Option<Disposition>> = vec![None];
                        all.extend(Disposition::ALL.iter().rev().map(|d| Some(*d)));
                        let i = all.iter().position(|d| *d == self.disposition).unwrap_or(0);
                        self.disposition =
                            all[(i as i32 + step).rem_euclid(all.len() as i32) as usize];
                    }
                    8 => {
                        let mut all: Vec<Option<VehicleKind>> = vec![None];
                        all.extend(VehicleKind::ALL.iter().map(|k| Some(*k)));
                        let i = all.iter().position(|k| *k == self.kind).unwrap_or(0);
                        self.kind = all[(i as i32 + step).rem_euclid(all.len() as i32) as usize];
                    }
                    _ => self.amended = !self.amended,
                }
            }
            Action::Save | Action::Choose => return self.to_filter().map(Some),
            _ => {}
        }
        Ok(None)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(f: &mut FilterForm, s: &str) {
        for c in s.chars() {
            f.update(Action::Edit(Edit::Insert(c))).unwrap();
        }
    }

    #[test]
    fn a_field_that_does_not_parse_is_named_by_its_label() {
        let mut f = FilterForm::from_filter(&Filter::default());
        f.focus = 0;
        typed(&mut f, "11-24");
        let e = f.update(Action::Save).unwrap_err();
        assert_eq!(label_of(&e), "filter.from");
        let mut f = FilterForm::from_filter(&Filter::default());
        f.focus = 4;
        typed(&mut f, "12");
        let e = f.update(Action::Choose).unwrap_err();
        assert_eq!(label_of(&e), "filter.id_suffix");
        // The rules of `kadian list`: a plate has no punctuation, a phone only digits.
        let mut f = FilterForm::from_filter(&Filter::default());
        f.focus = 5;
        typed(&mut f, "139-");
        assert_eq!(
            label_of(&f.update(Action::Save).unwrap_err()),
            "field.phone"
        );
    }

    #[test]
    fn choices_cycle_and_the_filter_comes_back_on_save() {
        let mut f = FilterForm::from_filter(&Filter::default());
        f.focus = 4;
        typed(&mut f, "123x");
        f.focus = 2;
        typed(&mut f, "j12");
        f.focus = 9;
        f.update(Action::Edit(Edit::Insert(' '))).unwrap();
        let filter = f.update(Action::Save).unwrap().unwrap();
        assert_eq!(filter.id_suffix.as_deref(), Some("123X"));
        assert_eq!(filter.plate.as_deref(), Some("J12"));
        assert!(filter.amended_only);
        assert_eq!(
            f.update(Action::Down),
            Ok(None),
            "other keys give no filter"
        );
    }
}
