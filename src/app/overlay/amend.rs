//! Amending or voiding the record in the 记录 detail (F5 / F6, leaders): the field (or 作废),
//! the new value, the reason. Fields are chosen by their screen label, choices (health code,
//! vehicle kind, yes/no) by their label; personal details start masked unless the leader
//! revealed the record (Ctrl+R, audited). A change that makes registration required asks
//! for the missing details here, and one that would drop a person's details says so. F2 asks
//! the store, which keeps the history.

use crate::amend::{Change, Consequences};
use crate::app::action::{Action, Effect};
use crate::app::text::{Edit, TextInput};
use crate::domain::{Officer, Record};
use crate::i18n::{I18n, Lang};
use crate::policy::Policy;

/// Focus 0 = field, 1 = value, then each asked detail, then the reason (void: 0 = field,
/// 1 = reason).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AmendForm {
    /// Field paths (`persons[0].temperature`); shown by their labels.
    pub fields: Vec<String>,
    /// Index into `fields`; `fields.len()` means void.
    pub field: usize,
    /// The typed value of a text field.
    pub value: TextInput,
    /// A choice field's codes and the chosen one (shown by its label).
    pub choice: Option<(Vec<&'static str>, usize)>,
    pub reason: TextInput,
    pub focus: usize,
    /// Registration details the change makes required, asked here: (path, typed value).
    pub details: Vec<(String, TextInput)>,
    /// Persons (indexes) whose registered details the change would drop.
    pub drops: Vec<usize>,
    /// The record's personal details were revealed (audited) before the dialog opened.
    pub revealed: bool,
    /// The language a typed value is pre-filled in (`无`/`none` …).
    pub lang: Lang,
}

impl AmendForm {
    /// Amend the first field of `record`, or (`void`) void it; values in `lang`. `revealed`:
    /// the detail view shows the personal details in clear.
    pub fn new(record: &Record, void: bool, lang: Lang, revealed: bool) -> Self {
        let fields = amendable(record);
        let mut f = Self {
            field: if void { fields.len() } else { 0 },
            fields,
            value: TextInput::new(40),
            choice: None,
            reason: TextInput::new(100),
            focus: 0,
            details: Vec::new(),
            drops: Vec::new(),
            revealed,
            lang,
        };
        f.select(record);
        f
    }

    pub fn is_void(&self) -> bool {
        self.field >= self.fields.len()
    }

    pub fn path(&self) -> Option<&str> {
        self.fields.get(self.field).map(String::as_str)
    }

    /// Focus index of the reason.
    pub fn reason_focus(&self) -> usize {
        if self.is_void() {
            1
        } else {
            2 + self.details.len()
        }
    }

    /// The value the amendment sets: a choice's code, or the typed text.
    pub fn value_code(&self) -> String {
        match &self.choice {
            Some((codes, i)) => codes[*i].to_string(),
            None => self.value.text().to_string(),
        }
    }

    /// The field's current value as the starting point: a choice at its current code, a
    /// text field pre-filled — except masked personal details, which start empty.
    fn select(&mut self, record: &Record) {
        self.details.clear();
        self.drops.clear();
        let Some(path) = self.path().map(str::to_string) else {
            self.choice = None;
            return;
        };
        let current = crate::amend::field_text(record, &path).unwrap_or_default();
        self.choice = crate::amend::choices(&path).map(|codes| {
            let i = codes.iter().position(|c| *c == current).unwrap_or(0);
            (codes, i)
        });
        let shown = if crate::amend::is_personal(&path) && !self.revealed {
            String::new()
        } else {
            value_text(record, &path, self.lang)
        };
        self.value
            .set(if self.choice.is_some() { "" } else { &shown });
    }

    /// The changes F2 saves: the field, then every asked detail.
    pub fn changes(&self) -> Vec<Change> {
        let Some(path) = self.path() else {
            return vec![];
        };
        let mut out = vec![Change {
            field: path.to_string(),
            value: self.value_code(),
        }];
        out.extend(self.details.iter().map(|(p, t)| Change {
            field: p.clone(),
            value: t.text().to_string(),
        }));
        out
    }

    /// Recomputes what the change needs or drops, keeping what was typed for a detail still
    /// asked.
    fn refresh(&mut self, record: &Record, policy: &Policy) {
        let changes = self.changes();
        let Consequences { needs, drops } = crate::amend::consequences(record, &changes, policy);
        let old = std::mem::take(&mut self.details);
        self.details = needs
            .into_iter()
            .map(|p| {
                let typed = old.iter().find(|(q, _)| *q == p).map(|(_, t)| t.clone());
                let input = typed.unwrap_or_else(|| TextInput::new(40));
                (p, input)
            })
            .collect();
        self.drops = drops;
        self.focus = self.focus.min(self.reason_focus());
    }

    /// Keys; `officer` amends or voids `record` (the one in the detail view) under `policy`.
    pub fn update(
        &mut self,
        action: Action,
        officer: Option<Officer>,
        record: Option<&Record>,
        policy: &Policy,
    ) -> Vec<Effect> {
        let count = self.reason_focus() + 1;
        let is_step = matches!(action, Action::Edit(Edit::Right | Edit::Left));
        match action {
            Action::NextField => self.focus = (self.focus + 1) % count,
            Action::PrevField => self.focus = (self.focus + count - 1) % count,
            Action::Edit(_) if is_step && self.focus == 0 => {
                let n = self.fields.len() + 1;
                self.field = if action == Action::Edit(Edit::Left) {
                    (self.field + n - 1) % n
                } else {
                    (self.field + 1) % n
                };
                if let Some(r) = record {
                    self.select(r);
                }
                self.focus = 0;
            }
            Action::Edit(e) if self.focus == 1 && !self.is_void() => {
                match self.choice.as_mut() {
                    Some((codes, i)) if is_step => {
                        let n = codes.len();
                        *i = if e == Edit::Left {
                            (*i + n - 1) % n
                        } else {
                            (*i + 1) % n
                        };
                    }
                    Some(_) => {}
                    None => {
                        self.value.apply(&e);
                    }
                }
                if let Some(r) = record {
                    self.refresh(r, policy);
                }
            }
            Action::Edit(e) if self.focus > 0 => {
                if self.focus == self.reason_focus() {
                    self.reason.apply(&e);
                } else if let Some((_, t)) = self.details.get_mut(self.focus - 2) {
                    t.apply(&e);
                    // A detail may change what is required (a measurement typed after 拒检).
                    if let Some(r) = record {
                        self.refresh(r, policy);
                    }
                }
            }
            Action::Save => {
                let (Some(officer), Some(r)) = (officer, record) else {
                    return vec![];
                };
                let id = r.id.clone();
                let reason = self.reason.text().to_string();
                return if self.is_void() {
                    vec![Effect::Void {
                        officer,
                        id,
                        reason,
                    }]
                } else {
                    vec![Effect::Amend {
                        officer,
                        id,
                        changes: self.changes(),
                        reason,
                    }]
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
