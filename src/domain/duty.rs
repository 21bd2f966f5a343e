//! Duty organisation of a checkpoint: posts (岗位) with how many people each needs, the
//! shift pattern (班次, contiguous shifts covering 24 h from the day's first shift), the
//! grace period before a missing person counts as 缺岗, and the idle time before the screen
//! locks. Imported from TOML; the default is PRODUCT.md's.

use chrono::{DateTime, Datelike, Duration, NaiveDate, TimeZone, Utc};
use serde::{Deserialize, Serialize};

use super::validate_text;
use crate::error::FieldError;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Post {
    pub name: String,
    /// People needed on this post per shift.
    pub need: u8,
    /// The 带班 post: only leaders (and admins) may fill it.
    #[serde(default)]
    pub leader: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ShiftDef {
    pub name: String,
    pub hours: u8,
    /// A night shift (counted for the even spread of nights).
    #[serde(default)]
    pub night: bool,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DutyConfig {
    /// Start of the first shift, `HH:MM` local time.
    pub first_shift: String,
    pub shifts: Vec<ShiftDef>,
    pub posts: Vec<Post>,
    /// Minutes after a shift starts before a scheduled person not on post is 缺岗.
    #[serde(default = "default_grace")]
    pub grace_min: u16,
    /// Minutes without a key press before the screen locks (0 = never).
    #[serde(default = "default_idle")]
    pub idle_lock_min: u16,
}

fn default_grace() -> u16 {
    15
}
fn default_idle() -> u16 {
    10
}

pub const DEFAULT_DUTY: &str = include_str!("../../assets/duty.toml");
pub const TWO_SHIFTS: &str = include_str!("../../assets/duty-2x12.toml");

/// One concrete shift: duty date and index, and its UTC bounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ShiftSlot {
    pub date: NaiveDate,
    pub shift: usize,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

fn err(field: &str, key: &'static str) -> FieldError {
    FieldError::rule(field, key)
}

impl DutyConfig {
    pub fn default_config() -> Self {
        Self::parse(DEFAULT_DUTY).expect("the embedded duty config is valid (tested)")
    }

    /// Parses and validates a TOML duty file.
    pub fn parse(text: &str) -> Result<Self, FieldError> {
        let c: DutyConfig =
            toml::from_str(text).map_err(|e| err("duty", "rule.duty.toml").with("detail", e))?;
        c.validate()?;
        Ok(c)
    }

    pub fn validate(&self) -> Result<(), FieldError> {
        if self.first_shift_min()? % 60 != 0 {
            return Err(err("first_shift", "rule.duty.on_the_hour"));
        }
        if self.shifts.is_empty() || self.shifts.len() > 6 {
            return Err(err("shifts", "rule.duty.shift_count"));
        }
        let total: u32 = self.shifts.iter().map(|s| u32::from(s.hours)).sum();
        if total != 24 || self.shifts.iter().any(|s| s.hours == 0) {
            return Err(err("shifts", "rule.duty.hours_24"));
        }
        if self.posts.is_empty() || self.posts.len() > 10 {
            return Err(err("posts", "rule.duty.post_count"));
        }
        for (i, p) in self.posts.iter().enumerate() {
            validate_text(&format!("posts[{i}].name"), &p.name, 10)?;
            if !(1..=9).contains(&p.need) {
                return Err(err(&format!("posts[{i}].need"), "rule.duty.need"));
            }
        }
        for (i, s) in self.shifts.iter().enumerate() {
            validate_text(&format!("shifts[{i}].name"), &s.name, 6)?;
        }
        if self.posts.iter().filter(|p| p.leader).count() > 1 {
            return Err(err("posts", "rule.duty.one_leader_post"));
        }
        Ok(())
    }

    fn first_shift_min(&self) -> Result<u16, FieldError> {
        chrono::NaiveTime::parse_from_str(&self.first_shift, "%H:%M")
            .map(|t| {
                use chrono::Timelike;
                (t.hour() * 60 + t.minute()) as u16
            })
            .map_err(|_| err("first_shift", "rule.duty.first_shift"))
    }

    /// Minutes from the first shift's start to shift `i`'s start.
    fn offset_min(&self, i: usize) -> i64 {
        self.shifts[..i]
            .iter()
            .map(|s| i64::from(s.hours) * 60)
            .sum()
    }

    /// The concrete shift `i` of duty date `date` in zone `tz`.
    pub fn slot(&self, date: NaiveDate, i: usize, tz: chrono_tz::Tz) -> ShiftSlot {
        let first = i64::from(self.first_shift_min().unwrap_or(480));
        let local_midnight = date.and_hms_opt(0, 0, 0).expect("midnight exists");
        let naive_start = local_midnight + Duration::minutes(first + self.offset_min(i));
        // Asia/Shanghai and most checkpoint zones have no DST; `earliest` covers the rest.
        let start = tz.from_local_datetime(&naive_start).earliest().map_or_else(
            || Utc.from_utc_datetime(&naive_start),
            |t| t.with_timezone(&Utc),
        );
        let end = start + Duration::hours(i64::from(self.shifts[i].hours));
        ShiftSlot {
            date,
            shift: i,
            start,
            end,
        }
    }

    /// The shift running at `t`.
    pub fn slot_at(&self, t: DateTime<Utc>, tz: chrono_tz::Tz) -> ShiftSlot {
        let first = i64::from(self.first_shift_min().unwrap_or(480));
        let local = t.with_timezone(&tz).naive_local() - Duration::minutes(first);
        let date = local.date();
        let into = (local - date.and_hms_opt(0, 0, 0).expect("midnight exists")).num_minutes();
        let mut i = 0;
        while i + 1 < self.shifts.len() && into >= self.offset_min(i + 1) {
            i += 1;
        }
        self.slot(date, i, tz)
    }

    /// Every shift of the seven duty dates from `monday`, in time order.
    pub fn week_slots(&self, monday: NaiveDate, tz: chrono_tz::Tz) -> Vec<ShiftSlot> {
        (0..7)
            .flat_map(|d| {
                let date = monday + Duration::days(d);
                (0..self.shifts.len()).map(move |i| (date, i))
            })
            .map(|(date, i)| self.slot(date, i, tz))
            .collect()
    }

    pub fn leader_post(&self) -> Option<usize> {
        self.posts.iter().position(|p| p.leader)
    }
}

/// `2026-W48` → the Monday of that ISO week.
pub fn parse_week(s: &str) -> Result<NaiveDate, FieldError> {
    let bad = || err("week", "rule.duty.week");
    let (y, w) = s.trim().split_once("-W").ok_or_else(bad)?;
    let (y, w): (i32, u32) = (y.parse().map_err(|_| bad())?, w.parse().map_err(|_| bad())?);
    NaiveDate::from_isoywd_opt(y, w, chrono::Weekday::Mon).ok_or_else(bad)
}

/// The ISO week name of a date, e.g. `2026-W48`.
pub fn week_of(d: NaiveDate) -> String {
    let w = d.iso_week();
    format!("{}-W{:02}", w.year(), w.week())
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Asia::Shanghai;

    #[test]
    fn default_and_two_shift_patterns_are_valid() {
        let c = DutyConfig::default_config();
        assert_eq!(c.shifts.len(), 3);
        assert_eq!(
            c.posts.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(),
            ["带班", "测温岗", "查码岗", "登记岗", "消杀岗"]
        );
        assert_eq!(DutyConfig::parse(TWO_SHIFTS).unwrap().shifts.len(), 2);
    }

    #[test]
    fn slots_follow_the_first_shift_and_cross_midnight() {
        let c = DutyConfig::default_config();
        let d = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        let night = c.slot(d, 2, Shanghai);
        assert_eq!(
            night.start.with_timezone(&Shanghai).to_rfc3339(),
            "2026-11-25T00:00:00+08:00"
        );
        // 03:00 on the 25th belongs to the night shift of duty date the 24th.
        let t = Shanghai
            .with_ymd_and_hms(2026, 11, 25, 3, 0, 0)
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(c.slot_at(t, Shanghai), night);
        let t = Shanghai
            .with_ymd_and_hms(2026, 11, 24, 8, 0, 0)
            .unwrap()
            .with_timezone(&Utc);
        assert_eq!(c.slot_at(t, Shanghai).shift, 0);
        assert_eq!(
            c.week_slots(parse_week("2026-W48").unwrap(), Shanghai)
                .len(),
            21
        );
    }

    #[test]
    fn bad_duty_files_name_the_field() {
        let bad_hours = DEFAULT_DUTY.replace("hours = 8\nnight = true", "hours = 7\nnight = true");
        assert_eq!(DutyConfig::parse(&bad_hours).unwrap_err().field, "shifts");
        let bad_need = DEFAULT_DUTY.replace("need = 1\nleader = true", "need = 0\nleader = true");
        assert!(
            DutyConfig::parse(&bad_need)
                .unwrap_err()
                .field
                .ends_with(".need")
        );
        assert_eq!(DutyConfig::parse("nonsense").unwrap_err().field, "duty");
    }

    #[test]
    fn weeks_parse_and_print() {
        let monday = parse_week("2026-W48").unwrap();
        assert_eq!(monday, NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
        assert_eq!(week_of(monday + Duration::days(6)), "2026-W48");
        assert!(parse_week("2026-48").is_err());
        assert!(parse_week("2026-W60").is_err());
    }
}

#[cfg(test)]
mod fuzz {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn duty_files_and_weeks_never_panic(s in "\\PC{0,300}", w in "\\PC{0,12}") {
            let _ = DutyConfig::parse(&s);
            let _ = parse_week(&w);
        }
    }
}
