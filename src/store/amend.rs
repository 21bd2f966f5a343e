//! Amendments in the store: a leader's correction or void of a record, journaled like every
//! entry; the original stays readable, every amendment too.

use chrono::{DateTime, Utc};

use super::{Entry, Store, codec, keys};
use crate::amend::amended;
use crate::domain::amendment::{Amendment, Change};
use crate::domain::{AuditEntry, Record};
use crate::error::{Error, FieldError, Result};
use crate::policy::Policy;

fn reason_of(reason: &str) -> Result<String> {
    let r = crate::domain::input::free_text("reason", reason, 200)?;
    if r.chars().count() < 2 {
        return Err(FieldError::rule("reason", "rule.amend.reason")
            .with("min", 2)
            .into());
    }
    Ok(r)
}

impl Store {
    /// The record as first logged (the current version if never amended).
    pub fn original(&self, id: &str) -> Result<Option<Record>> {
        match self.tree.get(keys::original(id))? {
            Some(v) => Ok(Some(codec::decode("original", &v)?)),
            None => self.record(id),
        }
    }

    /// Every amendment of a record, oldest first.
    pub fn amendments(&self, id: &str) -> Result<Vec<Amendment>> {
        let mut out = Vec::new();
        for kv in self.tree.scan_prefix(keys::amendment_prefix(id)) {
            let (_, v) = kv?;
            out.push(codec::decode("amendment", &v)?);
        }
        Ok(out)
    }

    fn write_amendment(
        &self,
        by: &str,
        changes: Vec<Change>,
        reason: &str,
        result: Record,
        now: DateTime<Utc>,
    ) -> Result<Amendment> {
        let id = result.id.clone();
        let void = result.voided;
        let day = self.day_of(result.time);
        // Amendments apply in (time, id) order across laptops, and this one builds on the
        // latest this laptop has: it must sort after it, even with a clock behind.
        let now = match self.amendments(&id)?.last() {
            Some(last) if last.at >= now => last.at + chrono::Duration::milliseconds(1),
            _ => now,
        };
        let a = Amendment {
            id: format!("{id}-A{}", ulid::Ulid::from_datetime(now.into())),
            record: id,
            changes,
            void,
            reason: reason_of(reason)?,
            by: by.to_string(),
            at: now,
            after_signoff: self.signed_off(day)?.is_some(),
            result,
        };
        let mut w = self.writer();
        self.commit(&mut w, &[Entry::Amendment(Box::new(a.clone()))])?;
        Ok(a)
    }

    fn current(&self, id: &str) -> Result<Record> {
        let r = self
            .record(id)?
            .ok_or_else(|| FieldError::rule("id", "rule.record.none").with("id", id))?;
        if r.voided {
            return Err(FieldError::rule("id", "rule.record.voided").into());
        }
        Ok(r)
    }

    /// Corrects fields of a record in `by`'s name (who may: `ops::records`). The result is
    /// validated and assessed by the policy like a new record; nothing is stored if any
    /// change is refused.
    pub fn amend(
        &self,
        by: &str,
        policy: &Policy,
        id: &str,
        changes: Vec<Change>,
        reason: &str,
        now: DateTime<Utc>,
    ) -> Result<Amendment> {
        let current = self.current(id)?;
        reason_of(reason)?;
        let result = amended(&current, &changes, policy, now)
            .map_err(|mut es| Error::Field(es.remove(0)))?;
        self.write_amendment(by, changes, reason, result, now)
    }

    /// Voids a record (作废, e.g. a duplicate): it stays listed as voided and counts nowhere.
    pub fn void(&self, by: &str, id: &str, reason: &str, now: DateTime<Utc>) -> Result<Amendment> {
        let current = self.current(id)?;
        let result = Record {
            voided: true,
            amendments: current.amendments + 1,
            ..current
        };
        self.write_amendment(by, Vec::new(), reason, result, now)
    }
}

impl Store {
    /// A record's personal details shown to `by`: the audit entry is written first.
    pub fn reveal(&self, by: &str, id: &str, now: DateTime<Utc>) -> Result<Record> {
        let r = self
            .record(id)?
            .ok_or_else(|| FieldError::rule("id", "rule.record.none").with("id", id))?;
        let e = AuditEntry {
            by: by.to_string(),
            at: now,
            record: id.to_string(),
            what: "reveal".into(),
        };
        let mut w = self.writer();
        self.commit(&mut w, &[Entry::Audit(e)])?;
        Ok(r)
    }

    /// Notes that `actor` was shown personal details in bulk (a revealed list or export):
    /// `what` names the listing.
    pub fn audit_reveal(&self, by: &str, what: &str, now: DateTime<Utc>) -> Result<()> {
        let e = AuditEntry {
            by: by.to_string(),
            at: now,
            record: what.to_string(),
            what: "reveal".into(),
        };
        let mut w = self.writer();
        self.commit(&mut w, &[Entry::Audit(e)])
    }

    /// The audit log, oldest first: one day, or all.
    pub fn audit(&self, day: Option<chrono::NaiveDate>) -> Result<Vec<AuditEntry>> {
        let prefix = match day {
            Some(d) => keys::with_kind(keys::AUDIT, &keys::day_bytes(d)),
            None => keys::prefix(keys::AUDIT),
        };
        let mut out = Vec::new();
        for kv in self.tree.scan_prefix(prefix) {
            let (_, v) = kv?;
            out.push(codec::decode("audit", &v)?);
        }
        Ok(out)
    }
}
