//! Amending or voiding the record in the 记录 detail (F5 / F6, leaders): the field (or 作废),
//! the new value, the reason. F2 asks the store, which keeps the history.

use crate::amend::Change;
use crate::app::action::{Action, Effect};
use crate::app::text::{Edit, TextInput};
use crate::domain::{Officer, Record};
use crate::i18n::{I18n, Lang};

/// Focus 0 = field, 1 = value, 2 = reason (void: 0 = field, 1 = reason).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AmendForm {
    pub fields: Vec<String>,
    /// Index into `fields`; `fields.len()` means void.
    pub field: usize,
    pub value: TextInput,
    pub reason: TextInput,
    pub focus: usize,
    /// The language the value is written in (`是`/`yes`, `绿码`/`green` …).
    pub lang: Lang,
}

impl AmendForm {
    /// Amend the first field of `record`, or (`void`) void it; values in `lang`.
    pub fn new(record: &Record, void: bool, lang: Lang) -> Self {
        let fields = amendable(record);
        let field = if void { fields.len() } else { 0 };
        let value = TextInput::with(
            &value_text(record, fields.first().map_or("", String::as_str), lang),
            40,
        );
        Self {
            fields,
            field,
            value,
            reason: TextInput::new(100),
            focus: 0,
            lang,
        }
    }

    /// Keys; `officer` amends or voids `record` (the one in the detail view).
    pub fn update(
        &mut self,
        action: Action,
        officer: Option<Officer>,
        record: Option<&Record>,
    ) -> Vec<Effect> {
        let void = self.field >= self.fields.len();
        let count = if void { 2 } else { 3 };
        match action {
            Action::NextField => self.focus = (self.focus + 1) % count,
            Action::PrevField => self.focus = (self.focus + count - 1) % count,
            Action::Edit(Edit::Right | Edit::Left) if self.focus == 0 => {
                let n = self.fields.len() + 1;
                self.field = if action == Action::Edit(Edit::Left) {
                    (self.field + n - 1) % n
                } else {
                    (self.field + 1) % n
                };
                if let (Some(r), Some(path)) = (record, self.fields.get(self.field)) {
                    self.value.set(&value_text(r, path, self.lang));
                }
                self.focus = 0;
            }
            Action::Edit(e) if self.focus > 0 => {
                let reason_focus = if void { 1 } else { 2 };
                if self.focus == reason_focus {
                    self.reason.apply(&e);
                } else {
                    self.value.apply(&e);
                }
            }
            Action::Save => {
                let (Some(officer), Some(r)) = (officer, record) else {
                    return vec![];
                };
                let id = r.id.clone();
                let reason = self.reason.text().to_string();
                return match self.fields.get(self.field) {
                    None => vec![Effect::Void {
                        officer,
                        id,
                        reason,
                    }],
                    Some(field) => {
                        let changes = vec![Change {
                            field: field.clone(),
                            value: self.value.text().to_string(),
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
}

/// The current value of a field as the officer edits it: the stored text in `lang` (see
/// `view::amend_value`).
pub fn value_text(record: &Record, path: &str, lang: Lang) -> String {
    crate::view::amend_value(
        path,
        &crate::amend::field_text(record, path).unwrap_or_default(),
        I18n::shared(lang),
    )
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
