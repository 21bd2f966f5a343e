//! Choosing a person for the roster cell under the cursor (排班, F3): ↑↓ move, Enter
//! assigns (the 排班 tab puts the chosen code into its roster and saves it).

use crate::app::action::Action;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssignForm {
    /// (code, name) of the people free for that shift.
    pub options: Vec<(String, String)>,
    pub sel: usize,
}

impl AssignForm {
    pub fn update(&mut self, action: &Action) {
        let n = self.options.len().max(1);
        match action {
            Action::Down => self.sel = (self.sel + 1) % n,
            Action::Up => self.sel = (self.sel + n - 1) % n,
            _ => {}
        }
    }

    /// The code of the person under the cursor.
    pub fn chosen(&self) -> Option<String> {
        self.options.get(self.sel).map(|o| o.0.clone())
    }
}
