//! The outgoing leader's handover (交接班, F12): who takes over (a leader, with their PIN),
//! open matters, notes. F2 hands over the shift on duty.

use crate::app::action::{Action, Effect};
use crate::app::text::{Edit, TextInput};
use crate::domain::Officer;
use crate::domain::duty::ShiftSlot;
use crate::store::HandoverDraft;

/// Focus 0 = incoming, 1 = PIN, 2 = matters, 3 = notes.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HandoverForm {
    pub leaders: Vec<(String, String)>,
    pub incoming: usize,
    pub pin: TextInput,
    pub matters: TextInput,
    pub notes: TextInput,
    pub focus: usize,
}

impl HandoverForm {
    /// `leaders`: (code, name) of those who may take over.
    pub fn new(leaders: Vec<(String, String)>) -> Self {
        Self {
            leaders,
            incoming: 0,
            pin: TextInput::new(8),
            matters: TextInput::new(200),
            notes: TextInput::new(200),
            focus: 0,
        }
    }

    /// Keys; `officer` hands over `slot`, the shift on duty (none: nothing to hand over).
    pub fn update(
        &mut self,
        action: Action,
        officer: Option<Officer>,
        slot: Option<ShiftSlot>,
    ) -> Vec<Effect> {
        match action {
            Action::NextField => self.focus = (self.focus + 1) % 4,
            Action::PrevField => self.focus = (self.focus + 3) % 4,
            Action::Edit(Edit::Left | Edit::Right) if self.focus == 0 => {
                let n = self.leaders.len().max(1);
                self.incoming = (self.incoming + 1) % n;
            }
            Action::Edit(Edit::Insert(c)) if self.focus == 1 && !c.is_ascii_digit() => {}
            Action::Edit(e) => {
                match self.focus {
                    1 => self.pin.apply(&e),
                    2 => self.matters.apply(&e),
                    3 => self.notes.apply(&e),
                    _ => false,
                };
            }
            Action::Save => {
                let (Some(officer), Some(slot)) = (officer, slot) else {
                    return vec![];
                };
                let draft = HandoverDraft {
                    slot,
                    incoming: self
                        .leaders
                        .get(self.incoming)
                        .map(|l| l.0.clone())
                        .unwrap_or_default(),
                    incoming_pin: self.pin.text().to_string(),
                    matters: self.matters.text().to_string(),
                    notes: self.notes.text().to_string(),
                };
                self.pin.clear();
                return vec![Effect::Handover { officer, draft }];
            }
            _ => {}
        }
        vec![]
    }
}
