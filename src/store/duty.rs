//! Duty organisation in the store: posts and shifts, weekly rosters, leave, check-in and
//! check-out at posts (到岗/离岗), shift handovers (交接班), and shift tallies from the
//! per-hour counters. Every change is a journaled ledger entry; permissions are checked here.

use chrono::{DateTime, Duration, NaiveDate, Timelike, Utc};

use super::counters::AMENDMENTS_WRITTEN;
use super::{Entry, Store, codec, keys};
use crate::domain::duty::DutyConfig;
use crate::domain::roster::{Leave, Roster};
use crate::domain::{Disposition, Handover, HandoverDraft, PostEvent, ShiftCounts, tz_of};
use crate::error::{Error, FieldError, Result};

impl Store {
    fn journal(&self, entries: &[Entry]) -> Result<()> {
        let mut w = self.writer();
        self.commit(&mut w, entries)
    }

    pub fn duty_config(&self) -> Result<DutyConfig> {
        match self.tree.get(keys::meta("duty"))? {
            Some(v) => codec::decode("duty config", &v),
            None => Ok(DutyConfig::default_config()),
        }
    }

    pub fn set_duty_config(&self, cfg: DutyConfig) -> Result<()> {
        cfg.validate()?;
        self.journal(&[Entry::Duty(cfg)])
    }

    pub fn roster(&self, week: &str) -> Result<Option<Roster>> {
        match self.tree.get(keys::roster(week))? {
            Some(v) => Ok(Some(codec::decode("roster", &v)?)),
            None => Ok(None),
        }
    }

    /// Stores a week's roster (generated or edited). Every code must be active staff; the
    /// rules are reported by `roster::check`, not enforced here (a leader may override them).
    pub fn save_roster(&self, roster: Roster) -> Result<()> {
        let cfg = self.duty_config()?;
        for s in &roster.slots {
            if usize::from(s.post) >= cfg.posts.len() || usize::from(s.shift) >= cfg.shifts.len() {
                return Err(FieldError::rule("roster", "rule.roster.mismatch").into());
            }
            for c in &s.staff {
                if !self.officer(c)?.is_some_and(|o| o.active) {
                    return Err(Error::UnknownOfficer(c.clone()));
                }
            }
        }
        self.journal(&[Entry::Roster(roster)])
    }

    pub fn set_leave(&self, code: &str, date: NaiveDate, on: bool) -> Result<()> {
        if self.officer(code)?.is_none() {
            return Err(Error::UnknownOfficer(code.to_string()));
        }
        self.journal(&[Entry::Leave {
            code: code.to_string(),
            date,
            on,
        }])
    }

    /// Leave days of the seven days from `monday`.
    pub fn leave_of_week(&self, monday: NaiveDate) -> Result<Leave> {
        let mut out = Leave::new();
        for d in 0..7 {
            let date = monday + Duration::days(d);
            let prefix = keys::leave_prefix(date);
            for kv in self.tree.scan_prefix(&prefix) {
                let (k, _) = kv?;
                out.insert((
                    String::from_utf8_lossy(&k[prefix.len()..]).into_owned(),
                    date,
                ));
            }
        }
        Ok(out)
    }

    /// Checks `code` in at (or out of) a post (who may: `ops::duty`, only oneself).
    pub fn check_post(
        &self,
        code: &str,
        post: &str,
        on_post: bool,
        now: DateTime<Utc>,
    ) -> Result<PostEvent> {
        if !self.duty_config()?.posts.iter().any(|p| p.name == post) {
            return Err(FieldError::rule("post", "rule.post.unknown")
                .with("post", post)
                .into());
        }
        let e = PostEvent {
            code: code.to_string(),
            post: post.to_string(),
            on_post,
            time: now,
        };
        self.journal(&[Entry::Attendance(e.clone())])?;
        Ok(e)
    }

    /// Check-ins and check-outs between two instants, oldest first.
    pub fn attendance(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<Vec<PostEvent>> {
        let (d0, d1) = (self.day_of(from), self.day_of(to));
        let mut out = Vec::new();
        let mut day = d0;
        loop {
            for kv in self.tree.scan_prefix(keys::attendance_prefix(day)) {
                let (_, v) = kv?;
                let e: PostEvent = codec::decode("attendance", &v)?;
                if e.time >= from && e.time < to {
                    out.push(e);
                }
            }
            match day.succ_opt() {
                Some(next) if day < d1 => day = next,
                _ => break,
            }
        }
        Ok(out)
    }

    /// Tallies of the whole local hours in `[from, to)`.
    pub fn counts_between(&self, from: DateTime<Utc>, to: DateTime<Utc>) -> Result<ShiftCounts> {
        let tz = self.checkpoint().map_or(chrono_tz::Asia::Shanghai, tz_of);
        let mut c = ShiftCounts::default();
        let mut t = from;
        while t < to {
            let local = t.with_timezone(&tz);
            let prefix = keys::hour_prefix(local.date_naive(), local.hour() as u8);
            for kv in self.tree.scan_prefix(&prefix) {
                let (k, v) = kv?;
                let n = u64::from_be_bytes(v.as_ref().try_into().unwrap_or([0; 8]));
                match std::str::from_utf8(&k[prefix.len()..]).unwrap_or("") {
                    "records" => c.records += n,
                    "vehicles" => c.vehicles += n,
                    "persons" => c.persons += n,
                    "abnormal" => c.abnormal += n,
                    AMENDMENTS_WRITTEN => c.amendments_written += n,
                    name => {
                        if let Some(d) = name.strip_prefix("d:") {
                            *c.by_disposition.entry(d.to_string()).or_default() += n;
                        }
                    }
                }
            }
            t += Duration::hours(1);
        }
        for d in Disposition::ALL {
            c.by_disposition.entry(d.code().to_string()).or_default();
        }
        Ok(c)
    }

    /// Records a handover from `from` to `to`, both leaders who have confirmed with their
    /// PINs (checked in `ops::duty::handover`).
    pub fn add_handover(
        &self,
        from: &str,
        to: &str,
        d: &HandoverDraft,
        now: DateTime<Utc>,
    ) -> Result<Handover> {
        let cfg = self.duty_config()?;
        let cp = self
            .checkpoint()
            .ok_or_else(|| Error::NotInitialised(self.dir.display().to_string()))?;
        let counts = self.counts_between(d.slot.start, d.slot.end.min(now + Duration::hours(1)))?;
        let h = Handover {
            id: format!("{}-H{}", cp.code, ulid::Ulid::from_datetime(now.into())),
            date: d.slot.date,
            shift: cfg
                .shifts
                .get(d.slot.shift)
                .map_or_else(String::new, |s| s.name.clone()),
            from: from.to_string(),
            to: to.to_string(),
            time: now,
            counts: counts.clone(),
            amended: counts.amendments_written,
            matters: crate::domain::input::free_text("matters", &d.matters, 500)?,
            notes: crate::domain::input::free_text("notes", &d.notes, 500)?,
        };
        self.journal(&[Entry::Handover(h.clone())])?;
        Ok(h)
    }

    pub fn handovers(&self, day: NaiveDate) -> Result<Vec<Handover>> {
        let mut out = Vec::new();
        for kv in self.tree.scan_prefix(keys::handover_prefix(day)) {
            let (_, v) = kv?;
            out.push(codec::decode("handover", &v)?);
        }
        Ok(out)
    }
}

impl Store {
    /// The 五个到位 status of the shift running at `now`.
    pub fn duty_status(&self, now: DateTime<Utc>) -> Result<crate::onpost::DutyStatus> {
        let cfg = self.duty_config()?;
        let tz = self.checkpoint().map_or(chrono_tz::Asia::Shanghai, tz_of);
        let slot = cfg.slot_at(now, tz);
        let roster = self.roster(&crate::domain::duty::week_of(slot.date))?;
        let events = self.attendance(
            slot.start - Duration::minutes(crate::onpost::EARLY_MIN),
            now + Duration::seconds(1),
        )?;
        let counts = self.counts_between(
            slot.start,
            (now.max(slot.start) + Duration::hours(1)).min(slot.end),
        )?;
        Ok(crate::onpost::status(
            &cfg,
            slot,
            roster.as_ref(),
            &events,
            counts,
            now,
        ))
    }
}
