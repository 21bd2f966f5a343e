//! Posts and shifts (F9 on 排班, admins): the shift pattern, the grace minutes, the idle
//! lock, and how many people each post needs. F2 saves.

use crate::app::action::{Action, Effect};
use crate::app::text::Edit;
use crate::domain::Officer;
use crate::domain::duty::{DutyConfig, TWO_SHIFTS};

/// Rows 0 = pattern (3×8 / 2×12), 1 = grace, 2 = idle lock, then one row per post's need.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SettingsForm {
    pub cfg: DutyConfig,
    pub row: usize,
}

impl SettingsForm {
    pub fn new(cfg: DutyConfig) -> Self {
        Self { cfg, row: 0 }
    }

    pub fn rows(&self) -> usize {
        3 + self.cfg.posts.len()
    }

    /// Keys; `officer` saves the settings.
    pub fn update(&mut self, action: Action, officer: Option<Officer>) -> Vec<Effect> {
        match action {
            Action::Down | Action::NextField => self.row = (self.row + 1) % self.rows(),
            Action::Up | Action::PrevField => {
                self.row = (self.row + self.rows() - 1) % self.rows();
            }
            Action::Edit(Edit::Right | Edit::Insert(' ')) => self.change(1),
            Action::Edit(Edit::Left) => self.change(-1),
            Action::Save => {
                let cfg = Box::new(self.cfg.clone());
                let Some(officer) = officer else {
                    return vec![];
                };
                return vec![Effect::SaveDuty { officer, cfg }];
            }
            _ => {}
        }
        vec![]
    }

    fn change(&mut self, step: i32) {
        let c = &mut self.cfg;
        match self.row {
            0 => {
                let other = if c.shifts.len() == 3 {
                    DutyConfig::parse(TWO_SHIFTS)
                } else {
                    Ok(DutyConfig::default_config())
                };
                if let Ok(o) = other {
                    c.shifts = o.shifts;
                    c.first_shift = o.first_shift;
                }
            }
            1 => c.grace_min = (i32::from(c.grace_min) + step * 5).clamp(0, 120) as u16,
            2 => c.idle_lock_min = (i32::from(c.idle_lock_min) + step).clamp(0, 120) as u16,
            r => {
                if let Some(p) = c.posts.get_mut(r - 3) {
                    p.need = (i32::from(p.need) + step).clamp(1, 9) as u8;
                }
            }
        }
    }
}
