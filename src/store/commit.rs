//! The durable commit — entries framed into the journal, one `fdatasync`, then applied to
//! sled, and only then acknowledged — and the writes that start a ledger: the checkpoint
//! and its signing identity, staff set up without an actor, and new records with their ids.

use chrono::{DateTime, Utc};

use super::disk::release_reserve;
use super::{Entry, Identity, Store, Writer, codec, journal};
use crate::domain::{Checkpoint, NewRecord, Officer, Record};
use crate::error::{Error, Result};
use crate::i18n::Msg;

impl Store {
    /// Journals the entries with one fdatasync, then applies them. Returns only after the
    /// entries are durable: this is the commit every acknowledgement waits for.
    pub(super) fn commit(&self, w: &mut Writer, entries: &[Entry]) -> Result<()> {
        if let Some(code) = &self.view_of {
            return Err(Error::CommandPost(
                Msg::new("error.post.read_only").with("code", code),
            ));
        }
        if let Some(why) = &w.failed {
            return Err(Error::Corrupt {
                what: "store".into(),
                detail: format!(
                    "an earlier write could not be applied ({why}); restart kadian to recover it from the journal"
                ),
            });
        }
        let payloads: Vec<Vec<u8>> = entries.iter().map(codec::encode).collect();
        let ends = match w.journal.append(&payloads) {
            Ok(ends) => ends,
            Err(e @ Error::DiskFull(_)) => {
                // Not journaled, so not stored: free the reserve for what comes next.
                release_reserve(&self.dir);
                return Err(e);
            }
            Err(e) => return Err(e),
        };
        let start = ends
            .first()
            .map_or(0, |e| e - (payloads[0].len() + journal::HEADER) as u64);
        if let Err(e) = self.apply_many(start, entries.iter().zip(ends)) {
            if matches!(e, Error::DiskFull(_)) {
                // Journaled (kept) but not applied: the next open replays it into the space
                // the reserve gives back.
                release_reserve(&self.dir);
            }
            // Durable in the journal, so not lost; but not acknowledged here.
            tracing::error!(error = %e, "journaled entry not applied to sled");
            w.failed = Some(e.to_string());
            return Err(e);
        }
        Ok(())
    }

    /// Creates the checkpoint of a new data dir; refuses an initialised one.
    pub fn init(&self, checkpoint: Checkpoint) -> Result<()> {
        self.init_as(checkpoint, false)
    }

    /// Creates the checkpoint (or, `command_post`, the command post) with this laptop's
    /// signing key, in one commit.
    pub(crate) fn init_as(&self, checkpoint: Checkpoint, command_post: bool) -> Result<()> {
        let mut w = self.writer();
        if let Some(cp) = self.checkpoint() {
            return Err(Error::AlreadyInitialised(
                self.dir.display().to_string(),
                cp.code.clone(),
            ));
        }
        let identity = Identity {
            secret: crate::sync::new_secret()?,
            command_post,
        };
        self.commit(
            &mut w,
            &[Entry::Checkpoint(checkpoint), Entry::Identity(identity)],
        )
    }

    /// Stores a staff member without a permission check (set-up and tests; commands and
    /// screens use `save_officer`, which checks the actor).
    pub fn put_officer(&self, officer: Officer, replace: bool) -> Result<()> {
        if !replace && self.officer(&officer.code)?.is_some() {
            return Err(Error::DuplicateStaff(officer.code));
        }
        self.journal_officer(officer)
    }

    /// Gives each new record its id and commits them together (one fdatasync), attributed
    /// to `officer`. Returns the stored records once durable.
    pub fn add_records(
        &self,
        news: Vec<NewRecord>,
        officer: &str,
        policy_version: &str,
        now: DateTime<Utc>,
    ) -> Result<Vec<Record>> {
        let cp = self.require_checkpoint()?;
        if self.is_command_post() {
            return Err(Error::CommandPost(Msg::new("error.post.no_records")));
        }
        match self.officer(officer)? {
            Some(o) if o.active => {}
            _ => return Err(Error::UnknownOfficer(officer.to_string())),
        }
        let mut w = self.writer();
        let mut records = Vec::with_capacity(news.len());
        for n in news {
            let id = w
                .ids
                .generate_from_datetime(now.into())
                .map_err(|e| Error::Corrupt {
                    what: "record id".into(),
                    detail: e.to_string(),
                })?;
            records.push(Record {
                id: format!("{}-{id}", cp.code),
                checkpoint: cp.code.clone(),
                officer: officer.to_string(),
                time: n.time,
                entered_at: now,
                vehicle: n.vehicle,
                persons: n.persons,
                policy_version: policy_version.to_string(),
                amendments: 0,
                voided: false,
            });
        }
        let entries: Vec<Entry> = records.iter().cloned().map(Entry::Record).collect();
        self.commit(&mut w, &entries)?;
        Ok(records)
    }

    pub fn add_record(
        &self,
        new: NewRecord,
        officer: &str,
        policy_version: &str,
        now: DateTime<Utc>,
    ) -> Result<Record> {
        let mut v = self.add_records(vec![new], officer, policy_version, now)?;
        Ok(v.remove(0))
    }
}
