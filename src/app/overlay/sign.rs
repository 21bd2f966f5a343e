//! Signing on the 日报 tab with the leader's PIN: the report text (F5; a new version needs a
//! reason) or the day itself (签字确认, F8).

use chrono::NaiveDate;

use crate::app::action::{Action, Effect};
use crate::app::text::{Edit, TextInput};
use crate::domain::Officer;

/// PIN (focus 0), and a reason (focus 1) when a version is already signed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SignForm {
    /// Sign off the day (签字确认) rather than sign the report text.
    pub day_off: bool,
    pub pin: TextInput,
    pub reason: TextInput,
    pub needs_reason: bool,
    pub focus: usize,
}

impl SignForm {
    pub fn new(day_off: bool, needs_reason: bool) -> Self {
        Self {
            day_off,
            pin: TextInput::new(8),
            reason: TextInput::new(200),
            needs_reason,
            focus: 0,
        }
    }

    /// Keys; `officer` signs `text` (the report as edited) for `day`.
    pub fn update(
        &mut self,
        action: Action,
        officer: Option<Officer>,
        day: Option<NaiveDate>,
        text: &str,
    ) -> Vec<Effect> {
        match action {
            Action::NextField | Action::PrevField if self.needs_reason => {
                self.focus = 1 - self.focus;
            }
            Action::Edit(Edit::Insert(c)) if self.focus == 0 && !c.is_ascii_digit() => {}
            Action::Edit(e) => {
                if self.focus == 0 {
                    self.pin.apply(&e);
                } else {
                    self.reason.apply(&e);
                }
            }
            Action::Save => {
                let (Some(officer), Some(day)) = (officer, day) else {
                    return vec![];
                };
                let pin = self.pin.text().to_string();
                self.pin.clear();
                if self.day_off {
                    return vec![Effect::SignOff { officer, pin, day }];
                }
                return vec![Effect::SignReport {
                    officer,
                    pin,
                    day,
                    text: text.to_string(),
                    reason: self.reason.text().to_string(),
                }];
            }
            _ => {}
        }
        vec![]
    }
}
