//! 五个到位: who is on post in the current shift, computed from the roster and the
//! check-ins. Pure: the store gathers the inputs (`Store::duty_status`).
//!
//! - 带班到位: someone is checked in at the leader post;
//! - every post staffed to its need;
//! - 缺岗: scheduled for this shift but not checked in once the grace period has passed;
//! - 脱岗: checked out before the shift's end and not back;
//! - the shift's counts so far.

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

use crate::domain::duty::{DutyConfig, ShiftSlot};
use crate::domain::roster::Roster;
use crate::domain::{PostEvent, ShiftCounts};

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PostStatus {
    pub post: String,
    pub need: u8,
    pub leader: bool,
    pub scheduled: Vec<String>,
    pub present: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DutyStatus {
    pub date: chrono::NaiveDate,
    pub shift: String,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
    pub grace_over: bool,
    pub posts: Vec<PostStatus>,
    /// 缺岗: (code, post).
    pub missing: Vec<(String, String)>,
    /// 脱岗: (code, post).
    pub left: Vec<(String, String)>,
    pub counts: ShiftCounts,
}

/// One thing a leader must act on, shown on every screen until resolved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub enum Alert {
    NoLeader,
    Understaffed {
        post: String,
        present: usize,
        need: u8,
    },
    Missing {
        code: String,
        post: String,
    },
    Left {
        code: String,
        post: String,
    },
}

impl DutyStatus {
    /// Where `code` is checked in now, if anywhere.
    pub fn post_of(&self, code: &str) -> Option<&str> {
        self.posts
            .iter()
            .find(|p| p.present.iter().any(|c| c == code))
            .map(|p| p.post.as_str())
    }

    /// Where `code` is scheduled in this shift.
    pub fn scheduled_post(&self, code: &str) -> Option<&str> {
        self.posts
            .iter()
            .find(|p| p.scheduled.iter().any(|c| c == code))
            .map(|p| p.post.as_str())
    }

    pub fn leader_on_post(&self) -> Option<&str> {
        self.posts
            .iter()
            .find(|p| p.leader)
            .and_then(|p| p.present.first())
            .map(String::as_str)
    }

    pub fn alerts(&self) -> Vec<Alert> {
        let mut out = Vec::new();
        if !self.grace_over {
            return out;
        }
        if self.posts.iter().any(|p| p.leader) && self.leader_on_post().is_none() {
            out.push(Alert::NoLeader);
        }
        // Named people first (缺岗, 脱岗): they say whom to call; then posts still short.
        out.extend(self.missing.iter().map(|(c, p)| Alert::Missing {
            code: c.clone(),
            post: p.clone(),
        }));
        out.extend(self.left.iter().map(|(c, p)| Alert::Left {
            code: c.clone(),
            post: p.clone(),
        }));
        for p in &self.posts {
            if p.present.len() < usize::from(p.need) && !p.leader {
                out.push(Alert::Understaffed {
                    post: p.post.clone(),
                    present: p.present.len(),
                    need: p.need,
                });
            }
        }
        out
    }
}

/// Check-ins count from this long before a shift starts (people arrive early).
pub const EARLY_MIN: i64 = 60;

pub fn status(
    cfg: &DutyConfig,
    slot: ShiftSlot,
    roster: Option<&Roster>,
    events: &[PostEvent],
    counts: ShiftCounts,
    now: DateTime<Utc>,
) -> DutyStatus {
    // Last event per person within the window.
    let window = slot.start - Duration::minutes(EARLY_MIN);
    let mut last: BTreeMap<&str, &PostEvent> = BTreeMap::new();
    let mut checked_in: Vec<&str> = Vec::new();
    for e in events.iter().filter(|e| e.time >= window && e.time <= now) {
        last.insert(&e.code, e);
        if e.on_post {
            checked_in.push(&e.code);
        }
    }
    let grace_over = now >= slot.start + Duration::minutes(i64::from(cfg.grace_min));
    let mut posts = Vec::new();
    let mut missing = Vec::new();
    for (i, p) in cfg.posts.iter().enumerate() {
        let scheduled: Vec<String> = roster
            .and_then(|r| r.slot(slot.date, slot.shift as u8, i as u8))
            .map(|s| s.staff.clone())
            .unwrap_or_default();
        let present: Vec<String> = last
            .values()
            .filter(|e| e.on_post && e.post == p.name)
            .map(|e| e.code.clone())
            .collect();
        if grace_over {
            for c in &scheduled {
                if !checked_in.contains(&c.as_str()) {
                    missing.push((c.clone(), p.name.clone()));
                }
            }
        }
        posts.push(PostStatus {
            post: p.name.clone(),
            need: p.need,
            leader: p.leader,
            scheduled,
            present,
        });
    }
    let left = last
        .values()
        .filter(|e| !e.on_post && e.time < slot.end && now < slot.end)
        .map(|e| (e.code.clone(), e.post.clone()))
        .collect();
    DutyStatus {
        date: slot.date,
        shift: cfg
            .shifts
            .get(slot.shift)
            .map_or_else(String::new, |s| s.name.clone()),
        start: slot.start,
        end: slot.end,
        grace_over,
        posts,
        missing,
        left,
        counts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::duty::parse_week;
    use chrono::TimeZone;
    use chrono_tz::Asia::Shanghai;

    fn ev(code: &str, post: &str, on: bool, h: u32, m: u32) -> PostEvent {
        let time = Shanghai
            .with_ymd_and_hms(2026, 11, 23, h, m, 0)
            .unwrap()
            .with_timezone(&Utc);
        PostEvent {
            code: code.into(),
            post: post.into(),
            on_post: on,
            time,
        }
    }

    #[test]
    fn the_five_checks_of_being_on_post() {
        let cfg = DutyConfig::default_config();
        let monday = parse_week("2026-W48").unwrap();
        let mut roster = Roster::empty("2026-W48", monday, &cfg);
        for (post, code) in [(0u8, "L1"), (1, "C1"), (2, "C2"), (3, "C3"), (4, "C4")] {
            roster.slot_mut(monday, 0, post).unwrap().staff = vec![code.into()];
        }
        let slot = cfg.slot(monday, 0, Shanghai);
        let events = vec![
            ev("C1", "测温岗", true, 7, 50),
            ev("C2", "查码岗", true, 8, 5),
            ev("C3", "登记岗", true, 8, 0),
            ev("C3", "登记岗", false, 9, 30),
        ];
        let at = |h, m| {
            Shanghai
                .with_ymd_and_hms(2026, 11, 23, h, m, 0)
                .unwrap()
                .with_timezone(&Utc)
        };
        // Within the grace period nothing is raised yet.
        let s = status(
            &cfg,
            slot,
            Some(&roster),
            &events[..2],
            ShiftCounts::default(),
            at(8, 10),
        );
        assert!(s.alerts().is_empty());
        let s = status(
            &cfg,
            slot,
            Some(&roster),
            &events,
            ShiftCounts::default(),
            at(10, 0),
        );
        assert_eq!(s.leader_on_post(), None);
        let alerts = s.alerts();
        assert!(alerts.contains(&Alert::NoLeader));
        assert!(alerts.contains(&Alert::Missing {
            code: "L1".into(),
            post: "带班".into()
        }));
        assert!(alerts.contains(&Alert::Missing {
            code: "C4".into(),
            post: "消杀岗".into()
        }));
        assert!(alerts.contains(&Alert::Left {
            code: "C3".into(),
            post: "登记岗".into()
        }));
        assert!(
            !alerts
                .iter()
                .any(|a| matches!(a, Alert::Missing { code, .. } if code == "C3"))
        );
        assert_eq!(s.post_of("C1"), Some("测温岗"));
        assert_eq!(s.scheduled_post("C4"), Some("消杀岗"));
        // C3 back on post resolves 脱岗.
        let mut back = events.clone();
        back.push(ev("C3", "登记岗", true, 9, 45));
        let s = status(
            &cfg,
            slot,
            Some(&roster),
            &back,
            ShiftCounts::default(),
            at(10, 0),
        );
        assert!(!s.alerts().iter().any(|a| matches!(a, Alert::Left { .. })));
    }
}
