//! The day's tally from counters and indexes (never a scan of all records), signed day
//! reports (versions, frozen once signed), and push marks for the push lists.

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use std::collections::BTreeSet;

use super::{Entry, Store, codec, keys};
use crate::domain::{
    DayTally, Disposition, PushMark, Record, ShiftCounts, SignOff, SignedFigures, SignedReport,
    tz_of,
};
use crate::error::{Error, FieldError, Result};

impl Store {
    /// The tally of a checkpoint day: counters, per-hour counters and the attendance of the
    /// day — reads proportional to the hours and posts of a day, not to its records.
    pub fn day_tally(&self, day: NaiveDate) -> Result<DayTally> {
        let cp = self
            .checkpoint()
            .ok_or_else(|| Error::NotInitialised(self.dir.display().to_string()))?;
        let tz = tz_of(cp);
        let local = day.and_hms_opt(0, 0, 0).expect("midnight")
            + Duration::minutes(i64::from(cp.day_start_min));
        let start = tz
            .from_local_datetime(&local)
            .earliest()
            .map_or_else(|| Utc.from_utc_datetime(&local), |t| t.with_timezone(&Utc));
        // The day's 24 hours, each counted once; the shifts take the hours that fall in
        // them, so hours and shifts both partition the day whatever the duty pattern and
        // wherever the day starts (a shift crossing the day's start is split between days).
        let duty = self.duty_config()?;
        let mut per_hour = Vec::with_capacity(24);
        let mut per_shift: Vec<(String, ShiftCounts)> = duty
            .shifts
            .iter()
            .map(|s| (s.name.clone(), ShiftCounts::default()))
            .collect();
        for h in 0..24 {
            let t = start + Duration::hours(h);
            let c = self.counts_between(t, t + Duration::hours(1))?;
            per_hour.push((t.with_timezone(&tz).format("%H:00").to_string(), c.records));
            let shift = duty.slot_at(t, tz).shift;
            if let Some((_, sc)) = per_shift.get_mut(shift) {
                sc.add(&c);
            }
        }
        let end = start + Duration::days(1);
        let on_duty: BTreeSet<String> = self
            .attendance(start, end)?
            .into_iter()
            .filter(|e| e.on_post)
            .map(|e| e.code)
            .collect();
        let counts = self.day_counts(day)?;
        let signed = match self.reports(day)?.last() {
            Some(r) => self.signed_figures(day, r.version)?,
            None => None,
        };
        let changed_since_signed = signed
            .as_ref()
            .is_some_and(|s| *s != SignedFigures::of(day, s.version, &counts));
        Ok(DayTally {
            checkpoint: cp.code.clone(),
            checkpoint_name: cp.name.clone(),
            day,
            day_start: format!("{:02}:{:02}", cp.day_start_min / 60, cp.day_start_min % 60),
            start,
            amended: counts.amended,
            voided: counts.voided,
            counts,
            per_hour,
            per_shift,
            on_duty: on_duty.into_iter().collect(),
            // Filled by `report::tally`, which knows the policy.
            push: Default::default(),
            changed_since_signed,
            signed,
        })
    }

    /// Every version of a day's signed report, oldest first.
    pub fn reports(&self, day: NaiveDate) -> Result<Vec<SignedReport>> {
        let mut out = Vec::new();
        for kv in self.tree.scan_prefix(keys::report_prefix(day)) {
            let (_, v) = kv?;
            out.push(codec::decode("report", &v)?);
        }
        Ok(out)
    }

    /// Signs a day's report in `by`'s name (a leader who confirmed with their PIN:
    /// `ops::report`). Once a version exists, a new one needs a written reason.
    pub fn sign_report(
        &self,
        by: &str,
        day: NaiveDate,
        text: &str,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<SignedReport> {
        self.refuse_at_command_post("sign_report")?;
        let text = crate::domain::input::free_text("text", text, 2000)?;
        if text.is_empty() {
            return Err(FieldError::rule("text", "rule.report.empty").into());
        }
        let previous = self.reports(day)?;
        let reason = crate::domain::input::free_text("reason", reason, 200)?;
        if !previous.is_empty() && reason.chars().count() < 2 {
            return Err(FieldError::rule("reason", "rule.report.reason").into());
        }
        let counts = self.day_counts(day)?;
        let r = SignedReport {
            day,
            version: previous.last().map_or(1, |p| p.version + 1),
            zero: counts.abnormal == 0,
            text,
            signed_by: by.to_string(),
            signed_at: now,
            reason,
        };
        let mut w = self.writer();
        let figures = SignedFigures::of(day, r.version, &counts);
        self.commit(
            &mut w,
            &[Entry::Report(r.clone()), Entry::ReportFigures(figures)],
        )?;
        Ok(r)
    }

    /// The figures a version of the day report was signed over (none for a version signed
    /// before they were kept, or received from another laptop).
    pub fn signed_figures(&self, day: NaiveDate, version: u32) -> Result<Option<SignedFigures>> {
        match self.tree.get(keys::report_figures(day, version))? {
            Some(v) => Ok(Some(codec::decode("report figures", &v)?)),
            None => Ok(None),
        }
    }

    /// Records of a day holding a person with one of `dispositions`, oldest first, each once.
    pub fn records_with(
        &self,
        day: NaiveDate,
        dispositions: &[Disposition],
    ) -> Result<Vec<Record>> {
        if dispositions.contains(&Disposition::Pass) {
            // Pass has no index (most records hold it): read the day, as the index would
            // have listed it (voided records are in no disposition index).
            let mut out = Vec::new();
            self.for_each_record(Some(day), |r| {
                if !r.voided
                    && r.persons
                        .iter()
                        .any(|p| p.dispositions().iter().any(|d| dispositions.contains(d)))
                {
                    out.push(r);
                }
                Ok(())
            })?;
            return Ok(out);
        }
        let mut ids = BTreeSet::new();
        let mut keyed = Vec::new();
        for d in dispositions {
            for kv in self
                .tree
                .scan_prefix(keys::disposition_day_prefix(d.tag(), day))
            {
                let (k, _) = kv?;
                let id = keys::id_after(&k, keys::DISPOSITION_KEY_FIXED)
                    .unwrap_or_default()
                    .to_string();
                if ids.insert(id.clone()) {
                    keyed.push((k[2 + 1 + 8..2 + 1 + 8 + 8].to_vec(), id));
                }
            }
        }
        keyed.sort();
        let mut out = Vec::with_capacity(keyed.len());
        for (_, id) in keyed {
            if let Some(r) = self.record(&id)? {
                out.push(r);
            }
        }
        Ok(out)
    }

    pub fn is_pushed(&self, record: &str, person: u8) -> Result<bool> {
        Ok(self.tree.contains_key(keys::pushed(record, person))?)
    }

    /// Marks persons as pushed to their communities (they leave the next push list).
    pub fn mark_pushed(&self, who: &str, items: &[(String, u8)], now: DateTime<Utc>) -> Result<()> {
        self.refuse_at_command_post("push")?;
        let entries: Vec<Entry> = items
            .iter()
            .map(|(record, person)| {
                Entry::Pushed(PushMark {
                    record: record.clone(),
                    person: *person,
                    by: who.to_string(),
                    at: now,
                })
            })
            .collect();
        let mut w = self.writer();
        self.commit(&mut w, &entries)
    }
}

impl Store {
    /// Marks a record that arrives, or is amended or voided, on a signed-off day (typed,
    /// imported or added): kept like any other, and shown as after sign-off. Applied in
    /// journal order, so a replay marks the same records.
    pub(super) fn mark_after_signoff(
        &self,
        st: &mut super::staged::Staged,
        day: NaiveDate,
        record: &str,
    ) -> Result<()> {
        if self.tree.contains_key(keys::signoff(day))? {
            st.batch.insert(keys::after_signoff(record), &[]);
        }
        Ok(())
    }

    /// Whether the record (or an amendment or void of it) arrived after its day's sign-off.
    pub fn after_signoff(&self, record: &str) -> Result<bool> {
        Ok(self.tree.contains_key(keys::after_signoff(record))?)
    }

    pub fn signed_off(&self, day: NaiveDate) -> Result<Option<SignOff>> {
        match self.tree.get(keys::signoff(day))? {
            Some(v) => Ok(Some(codec::decode("sign-off", &v)?)),
            None => Ok(None),
        }
    }

    /// Seals a day with a leader's PIN. Amendments to it remain possible, marked as after
    /// sign-off.
    pub fn sign_off(&self, by: &str, day: NaiveDate, now: DateTime<Utc>) -> Result<SignOff> {
        self.refuse_at_command_post("sign_off")?;
        if let Some(s) = self.signed_off(day)? {
            return Err(FieldError::rule("day", "rule.sign_off.done")
                .with("day", day)
                .with("by", &s.by)
                .into());
        }
        let s = SignOff {
            day,
            by: by.to_string(),
            at: now,
        };
        let mut w = self.writer();
        self.commit(&mut w, &[Entry::SignOff(s.clone())])?;
        Ok(s)
    }
}
