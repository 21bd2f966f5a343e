//! The duty roster (值排表) of one ISO week, its rules, and a generator that fills a week
//! fairly. Pure: no IO, no clock. The rules, checked by `check` (for a generated or a
//! hand-edited roster):
//!
//! 1. every post of every shift has exactly the people it needs;
//! 2. the 带班 post is held by a leader (or admin) on every shift;
//! 3. nobody holds two posts in one shift;
//! 4. at least one full shift of rest between two shifts of the same person — across the
//!    week's edges too: the previous week's last shift and the next week's first (`Around`);
//! 5. nobody works on a day of leave;
//! 6. hours within one shift of each other over the week (among staff without leave);
//! 7. night shifts spread evenly: at most one apart (among staff without leave);
//! 8. rotation (轮岗): whoever works two shifts or more on ordinary posts works on two or more
//!    of them (带班 is a duty of the leaders, not a post in the rotation).
//!
//! Rules 6–7 compare one week; across weeks the generator carries fairness over: whoever
//! had more hours or nights last week gets the fewer of this week's where a choice is left.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use serde::Serialize;

use crate::domain::duty::DutyConfig;
use crate::domain::roster::shifts;
pub use crate::domain::roster::{Leave, Roster, Slot};
use crate::domain::{Officer, Permission};
use crate::i18n::{Localized, Msg};

/// A broken rule: its code (`coverage`, `leader` …) and what is wrong, as a message;
/// `at` is the shift it is about (date, shift index), when it is about one.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    pub rule: &'static str,
    pub msg: Msg,
    pub at: Option<(NaiveDate, u8)>,
}

impl Localized for Violation {
    fn msg(&self) -> Msg {
        self.msg.clone()
    }
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.msg.fmt(f)
    }
}

fn v(rule: &'static str, msg: Msg) -> Violation {
    Violation {
        rule,
        msg,
        at: None,
    }
}

fn v_at(rule: &'static str, at: (NaiveDate, u8), msg: Msg) -> Violation {
    Violation {
        rule,
        msg,
        at: Some(at),
    }
}

/// What lies around the week being checked or filled: the people of the shift just before
/// it and of the shift just after it (the rest rule spans weeks), last week's hours and
/// nights (fairness carries over), and the shifts that have begun, kept as they are.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Around {
    /// Staff of the previous week's last shift.
    pub before: Vec<String>,
    /// Staff of the next week's first shift.
    pub after: Vec<String>,
    /// Last week's (hours, nights) per person.
    pub last_week: BTreeMap<String, (u32, u32)>,
    /// How many of the week's shifts (in time order) have begun; the generator keeps them.
    pub begun: usize,
    /// The week as stored, whose begun shifts are kept.
    pub kept: Option<Roster>,
}

impl Around {
    /// The neighbours of the week from `monday`: the previous and the next week's rosters.
    pub fn new(
        cfg: &DutyConfig,
        monday: NaiveDate,
        prev: Option<&Roster>,
        next: Option<&Roster>,
    ) -> Self {
        let last = cfg.shifts.len().saturating_sub(1) as u8;
        let staff_of = |r: Option<&Roster>, date: NaiveDate, shift: u8| -> Vec<String> {
            r.map(|r| {
                r.slots
                    .iter()
                    .filter(|s| s.date == date && s.shift == shift)
                    .flat_map(|s| s.staff.iter().cloned())
                    .collect()
            })
            .unwrap_or_default()
        };
        let last_week = prev
            .filter(|p| p.monday == monday - chrono::Duration::days(7))
            .map(|p| {
                p.load(cfg)
                    .into_iter()
                    .map(|(c, (h, n, _, _))| (c, (h, n)))
                    .collect()
            })
            .unwrap_or_default();
        Self {
            before: staff_of(prev, monday - chrono::Duration::days(1), last),
            after: staff_of(next, monday + chrono::Duration::days(7), 0),
            last_week,
            begun: 0,
            kept: None,
        }
    }

    /// Keeps the first `begun` shifts of `current` (the week as stored) as they are.
    pub fn keeping(mut self, current: Option<&Roster>, begun: usize) -> Self {
        self.begun = begun;
        self.kept = current.cloned();
        self
    }

    /// The staff of a begun shift's post, as kept; None for a shift not begun.
    fn kept_staff(&self, order: &[(NaiveDate, u8)], i: usize, post: u8) -> Option<Vec<String>> {
        if i >= self.begun {
            return None;
        }
        let (d, s) = order[i];
        Some(
            self.kept
                .as_ref()
                .and_then(|r| r.slot(d, s, post))
                .map(|x| x.staff.clone())
                .unwrap_or_default(),
        )
    }
}

/// Fairness figures of a roster: spread of hours and of nights over the staff compared.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fairness {
    pub hours_min: u32,
    pub hours_max: u32,
    pub nights_min: u32,
    pub nights_max: u32,
}

/// Checks every rule; an empty list means the roster is valid. `around` gives the shifts
/// next to the week, for the rest rule across its edges.
pub fn check(
    r: &Roster,
    cfg: &DutyConfig,
    staff: &[Officer],
    leave: &Leave,
    around: &Around,
) -> Vec<Violation> {
    let mut out = Vec::new();
    let by_code: HashMap<&str, &Officer> = staff.iter().map(|o| (o.code.as_str(), o)).collect();
    let order = shifts(cfg, r.monday);
    let mut in_shift: HashMap<(NaiveDate, u8), Vec<&str>> = HashMap::new();
    for s in &r.slots {
        let post = &cfg.posts[s.post as usize];
        let shift = &cfg.shifts[s.shift as usize].name;
        let at = (s.date, s.shift);
        if s.staff.len() != usize::from(post.need) {
            out.push(v_at(
                "coverage",
                at,
                Msg::new("roster.v.coverage")
                    .with("date", s.date)
                    .with("shift", shift)
                    .with("post", &post.name)
                    .with("need", post.need)
                    .with("has", s.staff.len()),
            ));
        }
        for c in &s.staff {
            match by_code.get(c.as_str()) {
                None => out.push(v_at(
                    "staff",
                    at,
                    Msg::new("roster.v.unknown_staff").with("code", c),
                )),
                Some(o) if post.leader && !o.role.may(Permission::Lead) => out.push(v_at(
                    "leader",
                    at,
                    Msg::new("roster.v.leader_post")
                        .with("date", s.date)
                        .with("shift", shift)
                        .with("code", c),
                )),
                Some(_) => {}
            }
            if leave.contains(&(c.clone(), s.date)) {
                out.push(v_at(
                    "leave",
                    at,
                    Msg::new("roster.v.leave")
                        .with("code", c)
                        .with("date", s.date),
                ));
            }
            in_shift.entry((s.date, s.shift)).or_default().push(c);
        }
    }
    // The rest rule across the week's edges: the previous week's last shift against this
    // week's first, this week's last against the next week's first.
    let last = cfg.shifts.len().saturating_sub(1) as u8;
    let before = (r.monday - chrono::Duration::days(1), last);
    let first_here = in_shift.get(&order[0]).cloned().unwrap_or_default();
    for c in unique(&first_here) {
        if around.before.iter().any(|b| b == c) {
            out.push(rest(c, before, cfg));
        }
    }
    for (i, key) in order.iter().enumerate() {
        let here = in_shift.get(key).cloned().unwrap_or_default();
        let mut seen = HashSet::new();
        for c in &here {
            if !seen.insert(*c) {
                out.push(v_at(
                    "double",
                    *key,
                    Msg::new("roster.v.double")
                        .with("code", c)
                        .with("date", key.0),
                ));
            }
        }
        let next: Vec<&str> = match order.get(i + 1) {
            Some(next) => in_shift.get(next).cloned().unwrap_or_default(),
            None => around.after.iter().map(String::as_str).collect(),
        };
        for c in unique(&next) {
            if here.contains(&c) {
                out.push(rest(c, *key, cfg));
            }
        }
    }
    let load = r.load(cfg);
    let on_leave: HashSet<&str> = leave.iter().map(|(c, _)| c.as_str()).collect();
    let compared: Vec<&Officer> = staff
        .iter()
        .filter(|o| o.active && !on_leave.contains(o.code.as_str()))
        .collect();
    let max_hours = cfg
        .shifts
        .iter()
        .map(|s| u32::from(s.hours))
        .max()
        .unwrap_or(8);
    let f = fairness_of(&load, &compared);
    if f.hours_max - f.hours_min > max_hours {
        out.push(v(
            "hours",
            Msg::new("roster.v.hours")
                .with("min", f.hours_min)
                .with("max", f.hours_max),
        ));
    }
    if f.nights_max - f.nights_min > 1 {
        out.push(v(
            "nights",
            Msg::new("roster.v.nights")
                .with("min", f.nights_min)
                .with("max", f.nights_max),
        ));
    }
    for (c, (_, _, n, posts)) in &load {
        if *n >= 2 && *posts < 2 {
            out.push(v("rotation", Msg::new("roster.v.rotation").with("code", c)));
        }
    }
    out
}

/// Each code once, in order.
fn unique<'a>(codes: &[&'a str]) -> Vec<&'a str> {
    let mut seen = HashSet::new();
    codes.iter().copied().filter(|c| seen.insert(*c)).collect()
}

/// `code` works shift `at` and the one right after it.
fn rest(code: &str, at: (NaiveDate, u8), cfg: &DutyConfig) -> Violation {
    v_at(
        "rest",
        at,
        Msg::new("roster.v.rest")
            .with("code", code)
            .with("date", at.0)
            .with(
                "shift",
                cfg.shifts.get(at.1 as usize).map_or("", |s| &s.name),
            ),
    )
}

fn fairness_of(load: &BTreeMap<String, (u32, u32, u32, usize)>, people: &[&Officer]) -> Fairness {
    let get = |o: &&Officer| load.get(&o.code).copied().unwrap_or_default();
    let hours: Vec<u32> = people.iter().map(|o| get(o).0).collect();
    let nights: Vec<u32> = people.iter().map(|o| get(o).1).collect();
    Fairness {
        hours_min: hours.iter().copied().min().unwrap_or(0),
        hours_max: hours.iter().copied().max().unwrap_or(0),
        nights_min: nights.iter().copied().min().unwrap_or(0),
        nights_max: nights.iter().copied().max().unwrap_or(0),
    }
}

pub fn fairness(r: &Roster, cfg: &DutyConfig, staff: &[Officer], leave: &Leave) -> Fairness {
    let on_leave: HashSet<&str> = leave.iter().map(|(c, _)| c.as_str()).collect();
    let people: Vec<&Officer> = staff
        .iter()
        .filter(|o| o.active && !on_leave.contains(o.code.as_str()))
        .collect();
    fairness_of(&r.load(cfg), &people)
}

/// Reasons a week cannot be filled, found before trying.
fn infeasible(
    cfg: &DutyConfig,
    staff: &[&Officer],
    monday: NaiveDate,
    leave: &Leave,
    begun: usize,
) -> Vec<Violation> {
    let mut out = Vec::new();
    let order = shifts(cfg, monday);
    let per_shift: usize = cfg.posts.iter().map(|p| usize::from(p.need)).sum();
    let cap = order.len().div_ceil(2); // with a shift of rest between shifts
    let avail = |o: &Officer, d: NaiveDate| !leave.contains(&(o.code.clone(), d));
    let leaders: Vec<&&Officer> = staff
        .iter()
        .filter(|o| o.role.may(Permission::Lead))
        .collect();
    if cfg.leader_post().is_some() {
        if leaders.is_empty() {
            out.push(v("leader", Msg::new("roster.v.no_leader")));
        } else if leaders.len() * cap < order.len() {
            out.push(v(
                "leader",
                Msg::new("roster.v.few_leaders")
                    .with("leaders", leaders.len())
                    .with("can", leaders.len() * cap)
                    .with("shifts", order.len()),
            ));
        }
        // Leaders lead every shift; if that alone puts them more than one shift above what
        // everyone else averages, even hours are impossible.
        let equal_shifts = cfg.shifts.iter().all(|s| s.hours == cfg.shifts[0].hours);
        let led = order.len().div_ceil(leaders.len().max(1));
        let fair = (order.len() * per_shift) / staff.len().max(1) + 1;
        if equal_shifts && !leaders.is_empty() && led > fair {
            out.push(v(
                "hours",
                Msg::new("roster.v.few_leaders_hours")
                    .with("leaders", leaders.len())
                    .with("led", led)
                    .with("fair", fair - 1),
            ));
        }
        for (d, s) in order.iter().skip(begun) {
            if !leaders.iter().any(|o| avail(o, *d)) {
                out.push(v(
                    "leader",
                    Msg::new("roster.v.leaders_on_leave")
                        .with("date", d)
                        .with("shift", &cfg.shifts[*s as usize].name),
                ));
            }
        }
    }
    if staff.len() * cap < order.len() * per_shift {
        out.push(v(
            "staff",
            Msg::new("roster.v.few_staff")
                .with("staff", staff.len())
                .with("can", staff.len() * cap)
                .with("need", order.len() * per_shift),
        ));
    }
    // A day whose shifts have all begun is kept as it is: nothing to fill.
    let first_open_day = begun / cfg.shifts.len().max(1);
    for day in first_open_day as i64..7 {
        let d = monday + chrono::Duration::days(day);
        let free = staff.iter().filter(|o| avail(o, d)).count();
        if free < per_shift {
            out.push(v(
                "staff",
                Msg::new("roster.v.few_free")
                    .with("date", d)
                    .with("free", free)
                    .with("need", per_shift),
            ));
        }
    }
    out
}

mod generate;
pub use generate::generate;

#[cfg(test)]
mod tests;
