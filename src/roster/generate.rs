//! The roster generator: a greedy fill in time order, then simulated annealing over moves
//! and swaps, retried with other tie-breaks until every rule of `check` holds. Shifts that
//! have begun are kept as they are; the shifts next to the week count for the rest rule.

use chrono::NaiveDate;

use super::{Around, Leave, Roster, Violation, check, infeasible, shifts};
use crate::domain::duty::DutyConfig;
use crate::domain::{Officer, Permission};
use crate::rng::Rng;

/// Fills a week: a greedy pass in time order (the least-loaded eligible person takes each
/// post; nights balanced first on night shifts; posts rotated), then a local search that
/// moves or swaps people while it makes the week fairer without breaking a hard rule;
/// retried with other tie-breaks until every rule holds. The first `around.begun` shifts
/// are copied from `around.kept` untouched, and a broken rule about one of them does not
/// count against the result (it was so before). Err: the reasons it cannot.
pub fn generate(
    cfg: &DutyConfig,
    staff: &[Officer],
    week: &str,
    monday: NaiveDate,
    leave: &Leave,
    around: &Around,
    seed: u64,
) -> Result<Roster, Vec<Violation>> {
    let active: Vec<&Officer> = staff.iter().filter(|o| o.active).collect();
    let reasons = infeasible(cfg, &active, monday, leave, around.begun);
    if !reasons.is_empty() {
        return Err(reasons);
    }
    let order = shifts(cfg, monday);
    let first_open = order.get(around.begun).copied();
    let about_kept = |v: &Violation| {
        around.begun > 0 && v.at.is_some_and(|at| first_open.is_none_or(|f| at < f))
    };
    let mut rng = Rng::new(seed);
    let mut best: Option<(Roster, Vec<Violation>)> = None;
    for _ in 0..30 {
        let mut w = Work::new(cfg, &active, monday, leave, around);
        w.greedy(&mut rng);
        w.improve(&mut rng);
        let r = w.roster(week, monday);
        let mut problems = check(&r, cfg, staff, leave, around);
        problems.retain(|v| !about_kept(v));
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
    /// Per cell: the codes of a begun shift's post, kept as they are (never searched).
    kept: Vec<Option<Vec<String>>>,
    /// Per person: on the shift just before the week / just after it.
    on_before: Vec<bool>,
    on_after: Vec<bool>,
    /// Per person: last week's hours (in shifts) and nights above last week's mean.
    carry_h: Vec<f64>,
    carry_n: Vec<f64>,
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
        around: &Around,
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
        let cells: Vec<(usize, u8, Vec<usize>)> = (0..order.len())
            .flat_map(|i| post_order.iter().map(move |p| (i, *p, Vec::new())))
            .collect();
        let kept: Vec<Option<Vec<String>>> = cells
            .iter()
            .map(|(i, post, _)| around.kept_staff(&order, *i, *post))
            .collect();
        // The hours and nights to share: every post of every shift still open, and what the
        // kept shifts hold.
        let mut total_h = 0.0;
        let mut total_n = 0.0;
        for ((i, post, _), k) in cells.iter().zip(&kept) {
            let def = &cfg.shifts[order[*i].1 as usize];
            let n = k
                .as_ref()
                .map_or(f64::from(cfg.posts[*post as usize].need), |k| {
                    k.len() as f64
                });
            total_h += f64::from(def.hours) * n;
            total_n += if def.night { n } else { 0.0 };
        }
        let index = |codes: &[String]| -> Vec<bool> {
            people.iter().map(|o| codes.contains(&o.code)).collect()
        };
        let last = |f: fn(&(u32, u32)) -> u32, unit: f64| -> Vec<f64> {
            let got: Vec<f64> = people
                .iter()
                .map(|o| {
                    around
                        .last_week
                        .get(&o.code)
                        .map_or(0.0, |x| f64::from(f(x)) / unit)
                })
                .collect();
            let mean = got.iter().sum::<f64>() / got.len().max(1) as f64;
            if around.last_week.is_empty() {
                vec![0.0; got.len()]
            } else {
                got.iter().map(|g| g - mean).collect()
            }
        };
        // Means over everyone: those on leave work less, so the others' mean is a little higher;
        // the check compares only people without leave, and the search balances them.
        let n = people.len().max(1) as f64;
        let mut w = Self {
            cfg,
            people,
            kept,
            on_before: index(&around.before),
            on_after: index(&around.after),
            carry_h: last(|x| x.0, 8.0),
            carry_n: last(|x| x.1, 1.0),
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
        };
        w.place_kept();
        w
    }

    /// Puts the kept shifts' people (those still on the staff) into their cells.
    fn place_kept(&mut self) {
        for ci in 0..self.cells.len() {
            let Some(codes) = self.kept[ci].clone() else {
                continue;
            };
            let (i, post, _) = self.cells[ci];
            for c in codes {
                if let Some(p) = self.people.iter().position(|o| o.code == c) {
                    if !self.works[p][i] {
                        self.assign(p, i, post, true);
                        self.cells[ci].2.push(p);
                    }
                }
            }
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
        let before = if i == 0 {
            self.on_before[p]
        } else {
            self.works[p][i - 1]
        };
        let after = self.works[p]
            .get(i + 1)
            .copied()
            .unwrap_or(self.on_after[p]);
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
            if self.kept[ci].is_some() {
                continue;
            }
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
            // Each person's aim is the mean less what they had above it last week — at most
            // half a shift and half a night either way, so that the aims stay within the
            // spread the week's own rules allow.
            let aim_h = self.mean_h / 8.0 - self.carry_h[p].clamp(-0.5, 0.5);
            let aim_n = self.mean_n - self.carry_n[p].clamp(-0.5, 0.5);
            c += (self.hours[p] as f64 / 8.0 - aim_h).powi(2)
                + 4.0 * (self.nights[p] as f64 - aim_n).powi(2);
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
            if self.cells[ci].2.is_empty() || self.kept[ci].is_some() {
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
        if i.abs_diff(j) <= 1
            || self.cells[ci].2.is_empty()
            || self.cells[cj].2.is_empty()
            || self.kept[ci].is_some()
            || self.kept[cj].is_some()
        {
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
        for ((i, post, ps), kept) in self.cells.iter().zip(&self.kept) {
            let (d, s) = self.order[*i];
            if let Some(slot) = r.slot_mut(d, s, *post) {
                slot.staff = match kept {
                    Some(codes) => codes.clone(),
                    None => ps.iter().map(|k| self.people[*k].code.clone()).collect(),
                };
            }
        }
        r
    }
}
