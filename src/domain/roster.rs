//! The duty roster (值排表) of one ISO week as a value: who holds which post in which shift
//! of which day, and the days of leave. The rules a roster must keep, and the generator
//! that fills one, are in `crate::roster`.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::duty::DutyConfig;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Slot {
    pub date: NaiveDate,
    pub shift: u8,
    pub post: u8,
    /// Staff codes on this post in this shift.
    pub staff: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Roster {
    /// ISO week, e.g. `2026-W48`.
    pub week: String,
    pub monday: NaiveDate,
    pub slots: Vec<Slot>,
}

/// A day of leave: the person is not rostered on that duty date.
pub type Leave = HashSet<(String, NaiveDate)>;

/// The week's shifts in time order: (date, shift index).
pub fn shifts(cfg: &DutyConfig, monday: NaiveDate) -> Vec<(NaiveDate, u8)> {
    (0..7)
        .flat_map(|d| {
            (0..cfg.shifts.len() as u8).map(move |s| (monday + chrono::Duration::days(d), s))
        })
        .collect()
}

impl Roster {
    pub fn empty(week: &str, monday: NaiveDate, cfg: &DutyConfig) -> Self {
        let slots = shifts(cfg, monday)
            .into_iter()
            .flat_map(|(date, shift)| {
                (0..cfg.posts.len() as u8).map(move |post| Slot {
                    date,
                    shift,
                    post,
                    staff: Vec::new(),
                })
            })
            .collect();
        Self {
            week: week.to_string(),
            monday,
            slots,
        }
    }

    /// Somebody is on some post of a shift from the `from`-th of the week on (time order).
    pub fn has_assignments_from(&self, cfg: &DutyConfig, from: usize) -> bool {
        let n = cfg.shifts.len();
        self.slots.iter().any(|s| {
            let day = (s.date - self.monday).num_days().max(0) as usize;
            day * n + usize::from(s.shift) >= from && !s.staff.is_empty()
        })
    }

    pub fn slot_mut(&mut self, date: NaiveDate, shift: u8, post: u8) -> Option<&mut Slot> {
        self.slots
            .iter_mut()
            .find(|s| s.date == date && s.shift == shift && s.post == post)
    }

    pub fn slot(&self, date: NaiveDate, shift: u8, post: u8) -> Option<&Slot> {
        self.slots
            .iter()
            .find(|s| s.date == date && s.shift == shift && s.post == post)
    }

    /// Per person: (hours, nights, shifts on ordinary posts, distinct ordinary posts).
    pub fn load(&self, cfg: &DutyConfig) -> BTreeMap<String, (u32, u32, u32, usize)> {
        let mut posts: HashMap<&str, HashSet<u8>> = HashMap::new();
        let mut out: BTreeMap<String, (u32, u32, u32, usize)> = BTreeMap::new();
        for s in &self.slots {
            let def = &cfg.shifts[s.shift as usize];
            let ordinary = !cfg.posts[s.post as usize].leader;
            for c in &s.staff {
                let e = out.entry(c.clone()).or_default();
                e.0 += u32::from(def.hours);
                e.1 += u32::from(def.night);
                if ordinary {
                    e.2 += 1;
                    posts.entry(c).or_default().insert(s.post);
                }
            }
        }
        for (c, e) in out.iter_mut() {
            e.3 = posts.get(c.as_str()).map_or(0, HashSet::len);
        }
        out
    }
}
