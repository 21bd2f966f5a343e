//! The duty roster (值排表) of one ISO week, its rules, and a generator that fills a week
//! fairly. Pure: no IO, no clock. The rules, checked by `check` (for a generated or a
//! hand-edited roster):
//!
//! 1. every post of every shift has exactly the people it needs;
//! 2. the 带班 post is held by a leader (or admin) on every shift;
//! 3. nobody holds two posts in one shift;
//! 4. at least one full shift of rest between two shifts of the same person;
//! 5. nobody works on a day of leave;
//! 6. hours within one shift of each other over the week (among staff without leave);
//! 7. night shifts spread evenly: at most one apart (among staff without leave);
//! 8. rotation (轮岗): whoever works two shifts or more on ordinary posts works on two or more
//!    of them (带班 is a duty of the leaders, not a post in the rotation).

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::demo::Rng;
use crate::domain::duty::DutyConfig;
use crate::domain::{Officer, Permission};

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

/// A broken rule, in both languages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Violation {
    pub rule: &'static str,
    pub zh: String,
    pub en: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {} / {}", self.rule, self.zh, self.en)
    }
}

fn v(rule: &'static str, zh: String, en: String) -> Violation {
    Violation { rule, zh, en }
}

/// The week's shifts in time order: (date, shift index).
fn shifts(cfg: &DutyConfig, monday: NaiveDate) -> Vec<(NaiveDate, u8)> {
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

/// Fairness figures of a roster: spread of hours and of nights over the staff compared.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Fairness {
    pub hours_min: u32,
    pub hours_max: u32,
    pub nights_min: u32,
    pub nights_max: u32,
}

/// Checks every rule; an empty list means the roster is valid.
pub fn check(r: &Roster, cfg: &DutyConfig, staff: &[Officer], leave: &Leave) -> Vec<Violation> {
    let mut out = Vec::new();
    let by_code: HashMap<&str, &Officer> = staff.iter().map(|o| (o.code.as_str(), o)).collect();
    let order = shifts(cfg, r.monday);
    let mut in_shift: HashMap<(NaiveDate, u8), Vec<&str>> = HashMap::new();
    for s in &r.slots {
        let post = &cfg.posts[s.post as usize];
        let shift = &cfg.shifts[s.shift as usize].name;
        if s.staff.len() != usize::from(post.need) {
            out.push(v(
                "coverage",
                format!(
                    "{} {shift} {}：需{}人，排了{}人",
                    s.date,
                    post.name,
                    post.need,
                    s.staff.len()
                ),
                format!(
                    "{} {shift} {}: needs {}, has {}",
                    s.date,
                    post.name,
                    post.need,
                    s.staff.len()
                ),
            ));
        }
        for c in &s.staff {
            match by_code.get(c.as_str()) {
                None => out.push(v(
                    "staff",
                    format!("未知或已停用人员{c}"),
                    format!("unknown or disabled staff {c}"),
                )),
                Some(o) if post.leader && !o.role.may(Permission::Lead) => out.push(v(
                    "leader",
                    format!("{} {shift} 带班岗须由带班领导担任，{c}不是", s.date),
                    format!(
                        "{} {shift}: the leader post needs a leader, {c} is not",
                        s.date
                    ),
                )),
                Some(_) => {}
            }
            if leave.contains(&(c.clone(), s.date)) {
                out.push(v(
                    "leave",
                    format!("{c}在{}休假，不能排班", s.date),
                    format!("{c} is on leave on {}", s.date),
                ));
            }
            in_shift.entry((s.date, s.shift)).or_default().push(c);
        }
    }
    for (i, key) in order.iter().enumerate() {
        let here = in_shift.get(key).cloned().unwrap_or_default();
        let mut seen = HashSet::new();
        for c in &here {
            if !seen.insert(*c) {
                out.push(v(
                    "double",
                    format!("{c}在{} 同一班次有两个岗位", key.0),
                    format!("{c} holds two posts in one shift on {}", key.0),
                ));
            }
        }
        if let Some(next) = order.get(i + 1) {
            for c in in_shift.get(next).into_iter().flatten() {
                if here.contains(c) {
                    out.push(v(
                        "rest",
                        format!("{c}连上两个班（{} 起），中间没有休息一个班", key.0),
                        format!(
                            "{c} works two shifts in a row from {} without a shift of rest",
                            key.0
                        ),
                    ));
                }
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
            format!(
                "工时不均：最少{}小时，最多{}小时（相差超过一个班）",
                f.hours_min, f.hours_max
            ),
            format!(
                "hours uneven: {}–{} h, more than one shift apart",
                f.hours_min, f.hours_max
            ),
        ));
    }
    if f.nights_max - f.nights_min > 1 {
        out.push(v(
            "nights",
            format!("夜班不均：最少{}个，最多{}个", f.nights_min, f.nights_max),
            format!("nights uneven: {}–{}", f.nights_min, f.nights_max),
        ));
    }
    for (c, (_, _, n, posts)) in &load {
        if *n >= 2 && *posts < 2 {
            out.push(v(
                "rotation",
                format!("{c}整周只在一个岗位，未轮岗"),
                format!("{c} stays on one post all week (no rotation)"),
            ));
        }
    }
    out
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
            out.push(v(
                "leader",
                "没有带班领导，无法每班带班".into(),
                "no leader on the staff list: no shift can have its 带班".into(),
            ));
        } else if leaders.len() * cap < order.len() {
            out.push(v(
                "leader",
                format!("带班领导太少：{}人在休息规则下最多带{}个班，本周有{}个班", leaders.len(), leaders.len() * cap, order.len()),
                format!("too few leaders: {} can lead at most {} of the week's {} shifts with the rest rule", leaders.len(), leaders.len() * cap, order.len()),
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
                format!("带班领导太少：{}人每人至少带{led}个班，超出人均班次一个班以上，工时无法均衡", leaders.len()),
                format!(
                    "too few leaders for even hours: {} leaders must lead {led} shifts each, more than one shift above the {} the staff average",
                    leaders.len(),
                    fair - 1
                ),
            ));
        }
        for (d, s) in &order {
            if !leaders.iter().any(|o| avail(o, *d)) {
                out.push(v(
                    "leader",
                    format!("{d} {}：所有带班领导都在休假", cfg.shifts[*s as usize].name),
                    format!(
                        "{d} {}: every leader is on leave",
                        cfg.shifts[*s as usize].name
                    ),
                ));
            }
        }
    }
    if staff.len() * cap < order.len() * per_shift {
        out.push(v(
            "staff",
            format!("人员太少：{}人在休息规则下最多上{}个班次岗位，本周需要{}个", staff.len(), staff.len() * cap, order.len() * per_shift),
            format!("too few staff: {} people can fill at most {} post-shifts with the rest rule; the week needs {}", staff.len(), staff.len() * cap, order.len() * per_shift),
        ));
    }
    for day in 0..7 {
        let d = monday + chrono::Duration::days(day);
        let free = staff.iter().filter(|o| avail(o, d)).count();
        if free < per_shift {
            out.push(v(
                "staff",
                format!("{d}：只有{free}人可上班，每班需要{per_shift}人"),
                format!("{d}: only {free} people available, each shift needs {per_shift}"),
            ));
        }
    }
    out
}

/// Fills a week: a greedy pass in time order (the least-loaded eligible person takes each
/// post; nights balanced first on night shifts; posts rotated), then a local search that
/// moves or swaps people while it makes the week fairer without breaking a hard rule;
/// retried with other tie-breaks until every rule holds. Err: the reasons it cannot.
pub fn generate(
    cfg: &DutyConfig,
    staff: &[Officer],
    week: &str,
    monday: NaiveDate,
    leave: &Leave,
    seed: u64,
) -> Result<Roster, Vec<Violation>> {
    let active: Vec<&Officer> = staff.iter().filter(|o| o.active).collect();
    let reasons = infeasible(cfg, &active, monday, leave);
    if !reasons.is_empty() {
        return Err(reasons);
    }
    let mut rng = Rng::new(seed);
    let mut best: Option<(Roster, Vec<Violation>)> = None;
    for _ in 0..30 {
        let mut w = Work::new(cfg, &active, monday, leave);
        w.greedy(&mut rng);
        w.improve(&mut rng);
        let r = w.roster(week, monday);
        let problems = check(&r, cfg, staff, leave);
        if problems.is_empty() {
            return Ok(r);
        }
        if best.as_ref().is_none_or(|(_, p)| problems.len() < p.len()) {
            best = Some((r, problems));
        }
    }
    Err(best.map(|b| b.1).unwrap_or_default())
}

/// The generator's working state, all in indices: people × shifts.
struct Work<'a> {
    cfg: &'a DutyConfig,
    people: &'a [&'a Officer],
    order: Vec<(NaiveDate, u8)>,
    /// (shift index in `order`, post, people)
    cells: Vec<(usize, u8, Vec<usize>)>,
    works: Vec<Vec<bool>>,
    away: Vec<Vec<bool>>,
    hours: Vec<i64>,
    nights: Vec<i64>,
    on_post: Vec<Vec<u32>>,
    lead: Vec<bool>,
    compared: Vec<bool>,
    mean_h: f64,
    mean_n: f64,
    /// Annealing temperature and the running total cost.
    temp: f64,
    total: f64,
}

impl<'a> Work<'a> {
    fn new(
        cfg: &'a DutyConfig,
        people: &'a [&'a Officer],
        monday: NaiveDate,
        leave: &Leave,
    ) -> Self {
        let order = shifts(cfg, monday);
        let away: Vec<Vec<bool>> = people
            .iter()
            .map(|o| {
                order
                    .iter()
                    .map(|(d, _)| leave.contains(&(o.code.clone(), *d)))
                    .collect()
            })
            .collect();
        let compared: Vec<bool> = away.iter().map(|a| !a.iter().any(|x| *x)).collect();
        let mut post_order: Vec<u8> = (0..cfg.posts.len() as u8).collect();
        post_order.sort_by_key(|p| !cfg.posts[*p as usize].leader);
        let cells = (0..order.len())
            .flat_map(|i| post_order.iter().map(move |p| (i, *p, Vec::new())))
            .collect();
        let per_shift: f64 = cfg.posts.iter().map(|p| f64::from(p.need)).sum();
        let total_h: f64 = order
            .iter()
            .map(|(_, s)| f64::from(cfg.shifts[*s as usize].hours) * per_shift)
            .sum();
        let total_n: f64 = order
            .iter()
            .filter(|(_, s)| cfg.shifts[*s as usize].night)
            .map(|_| per_shift)
            .sum();
        // Means over everyone: those on leave work less, so the others' mean is a little higher;
        // the check compares only people without leave, and the search balances them.
        let n = people.len().max(1) as f64;
        Self {
            cfg,
            people,
            works: vec![vec![false; order.len()]; people.len()],
            away,
            hours: vec![0; people.len()],
            nights: vec![0; people.len()],
            on_post: vec![vec![0; cfg.posts.len()]; people.len()],
            lead: people
                .iter()
                .map(|o| o.role.may(Permission::Lead))
                .collect(),
            compared,
            mean_h: total_h / n,
            mean_n: total_n / n,
            temp: 0.0,
            total: 0.0,
            order,
            cells,
        }
    }

    fn shift_hours(&self, i: usize) -> i64 {
        i64::from(self.cfg.shifts[self.order[i].1 as usize].hours)
    }

    fn is_night(&self, i: usize) -> bool {
        self.cfg.shifts[self.order[i].1 as usize].night
    }

    /// May person `p` take a post in shift `i` (rest and leave; not whether they work it)?
    fn free(&self, p: usize, i: usize) -> bool {
        let before = i > 0 && self.works[p][i - 1];
        let after = self.works[p].get(i + 1).copied().unwrap_or(false);
        !(self.away[p][i] || before || after)
    }

    fn assign(&mut self, p: usize, i: usize, post: u8, on: bool) {
        let d = if on { 1 } else { -1 };
        self.works[p][i] = on;
        self.hours[p] += d * self.shift_hours(i);
        self.nights[p] += d * i64::from(self.is_night(i));
        let c = &mut self.on_post[p][post as usize];
        *c = if on { *c + 1 } else { c.saturating_sub(1) };
    }

    fn greedy(&mut self, rng: &mut Rng) {
        let jitter: Vec<u64> = (0..self.people.len()).map(|_| rng.next_u64()).collect();
        for ci in 0..self.cells.len() {
            let (i, post, _) = self.cells[ci];
            let p = &self.cfg.posts[post as usize];
            for _ in 0..p.need {
                let pick = (0..self.people.len())
                    .filter(|&k| {
                        !self.works[k][i] && self.free(k, i) && (!p.leader || self.lead[k])
                    })
                    .min_by_key(|&k| {
                        let primary = if self.is_night(i) {
                            (self.nights[k], self.hours[k])
                        } else {
                            (self.hours[k], self.nights[k])
                        };
                        // Leaders are kept for the leader post when others are as free.
                        let spare_leader = !p.leader && self.lead[k];
                        (
                            primary,
                            self.on_post[k][post as usize],
                            spare_leader,
                            jitter[k],
                        )
                    });
                if let Some(k) = pick {
                    self.assign(k, i, post, true);
                    self.cells[ci].2.push(k);
                }
            }
        }
    }

    /// One person's distance from fair: squared distance from the mean hours (in shifts)
    /// and nights, and a penalty for staying on one post.
    fn cost(&self, p: usize) -> f64 {
        let mut c = 0.0;
        if self.compared[p] {
            c += ((self.hours[p] as f64 - self.mean_h) / 8.0).powi(2)
                + 4.0 * (self.nights[p] as f64 - self.mean_n).powi(2);
        }
        let leader = self.cfg.leader_post();
        let ordinary = || {
            self.on_post[p]
                .iter()
                .enumerate()
                .filter(|(i, _)| Some(*i) != leader)
        };
        let shifts: u32 = ordinary().map(|(_, n)| n).sum();
        if shifts >= 2 && ordinary().filter(|(_, n)| **n > 0).count() < 2 {
            c += 50.0;
        }
        c
    }

    /// Simulated annealing: always take a better move, a worse one with a probability that
    /// shrinks as the search cools — so the search leaves the local minima the rest rule makes.
    fn accept(&mut self, before: f64, after: f64, rng: &mut Rng) -> bool {
        let delta = after - before;
        let take = delta < 0.0
            || (rng.below(1_000_000) as f64 / 1e6) < (-delta / self.temp.max(1e-6)).exp();
        if take {
            self.total += delta;
        }
        take
    }

    fn total_cost(&self) -> f64 {
        (0..self.people.len()).map(|p| self.cost(p)).sum()
    }

    fn move_post(&mut self, p: usize, from: u8, to: u8) {
        self.on_post[p][from as usize] = self.on_post[p][from as usize].saturating_sub(1);
        self.on_post[p][to as usize] += 1;
    }

    /// Local search: hand a post-shift to someone else, or swap two people's posts within a
    /// shift, when it lowers the cost (sideways moves sometimes, to leave plateaus).
    fn improve(&mut self, rng: &mut Rng) {
        let n = self.people.len() as u64;
        const ROUNDS: u32 = 60_000;
        self.total = self.total_cost();
        let mut best = (self.total, self.cells.clone());
        for round in 0..ROUNDS {
            self.temp = 3.0 * (1.0 - f64::from(round) / f64::from(ROUNDS)).powi(2);
            if self.total < best.0 - 1e-9 {
                best = (self.total, self.cells.clone());
            }
            if best.0 < 1e-9 {
                break;
            }
            if round % 2 == 1 {
                self.cross_swap(rng);
                continue;
            }
            let ci = rng.below(self.cells.len() as u64) as usize;
            let (i, post) = (self.cells[ci].0, self.cells[ci].1);
            if self.cells[ci].2.is_empty() {
                continue;
            }
            let pos = rng.below(self.cells[ci].2.len() as u64) as usize;
            let old = self.cells[ci].2[pos];
            let cand = rng.below(n) as usize;
            if cand == old || (self.cfg.posts[post as usize].leader && !self.lead[cand]) {
                continue;
            }
            let before = self.cost(old) + self.cost(cand);
            if self.works[cand][i] {
                let Some(oj) = self
                    .cells
                    .iter()
                    .position(|(j, _, ps)| *j == i && ps.contains(&cand))
                else {
                    continue;
                };
                let other = self.cells[oj].1;
                if other == post || (self.cfg.posts[other as usize].leader && !self.lead[old]) {
                    continue;
                }
                self.move_post(old, post, other);
                self.move_post(cand, other, post);
                let after = self.cost(old) + self.cost(cand);
                if self.accept(before, after, rng) {
                    self.cells[ci].2[pos] = cand;
                    if let Some(q) = self.cells[oj].2.iter().position(|x| *x == cand) {
                        self.cells[oj].2[q] = old;
                    }
                } else {
                    self.move_post(old, other, post);
                    self.move_post(cand, post, other);
                }
            } else if self.free(cand, i) {
                self.assign(old, i, post, false);
                self.assign(cand, i, post, true);
                let after = self.cost(old) + self.cost(cand);
                if self.accept(before, after, rng) {
                    self.cells[ci].2[pos] = cand;
                } else {
                    self.assign(cand, i, post, false);
                    self.assign(old, i, post, true);
                }
            }
        }
        if best.0 < self.total {
            self.cells = best.1;
            self.rebuild();
        }
    }

    /// Recomputes the per-person tallies from the cells.
    fn rebuild(&mut self) {
        for p in 0..self.people.len() {
            self.works[p].iter_mut().for_each(|w| *w = false);
            self.on_post[p].iter_mut().for_each(|n| *n = 0);
            self.hours[p] = 0;
            self.nights[p] = 0;
        }
        let cells = std::mem::take(&mut self.cells);
        for (i, post, ps) in &cells {
            for &p in ps {
                self.assign(p, *i, *post, true);
            }
        }
        self.cells = cells;
        self.total = self.total_cost();
    }

    /// Two people in different shifts trade places (a night for a day, say): hours stay,
    /// nights and posts move. Needed where the rest rule locks people into one shift type.
    fn cross_swap(&mut self, rng: &mut Rng) {
        let len = self.cells.len() as u64;
        let (ci, cj) = (rng.below(len) as usize, rng.below(len) as usize);
        let (i, pi) = (self.cells[ci].0, self.cells[ci].1);
        let (j, pj) = (self.cells[cj].0, self.cells[cj].1);
        if i.abs_diff(j) <= 1 || self.cells[ci].2.is_empty() || self.cells[cj].2.is_empty() {
            return;
        }
        let qa = rng.below(self.cells[ci].2.len() as u64) as usize;
        let qb = rng.below(self.cells[cj].2.len() as u64) as usize;
        let (a, b) = (self.cells[ci].2[qa], self.cells[cj].2[qb]);
        let leader_ok = |post: u8, p: usize| !self.cfg.posts[post as usize].leader || self.lead[p];
        if a == b || self.works[a][j] || self.works[b][i] || !leader_ok(pj, a) || !leader_ok(pi, b)
        {
            return;
        }
        let before = self.cost(a) + self.cost(b);
        self.assign(a, i, pi, false);
        self.assign(b, j, pj, false);
        if self.free(a, j) && self.free(b, i) {
            self.assign(a, j, pj, true);
            self.assign(b, i, pi, true);
            let after = self.cost(a) + self.cost(b);
            if self.accept(before, after, rng) {
                self.cells[ci].2[qa] = b;
                self.cells[cj].2[qb] = a;
                return;
            }
            self.assign(a, j, pj, false);
            self.assign(b, i, pi, false);
        }
        self.assign(a, i, pi, true);
        self.assign(b, j, pj, true);
    }

    fn roster(&self, week: &str, monday: NaiveDate) -> Roster {
        let mut r = Roster::empty(week, monday, self.cfg);
        for (i, post, ps) in &self.cells {
            let (d, s) = self.order[*i];
            if let Some(slot) = r.slot_mut(d, s, *post) {
                slot.staff = ps.iter().map(|k| self.people[*k].code.clone()).collect();
            }
        }
        r
    }
}

#[cfg(test)]
mod tests;
