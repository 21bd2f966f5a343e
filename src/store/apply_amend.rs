//! Applying an amendment to sled: the original is kept once, the record becomes the result
//! of the latest amendment (in time and id order, whichever laptop wrote it), and search
//! indexes and counters move from the old version to the new one.

use super::counters::AMENDMENTS_WRITTEN;
use super::keys::search_keys;
use super::staged::Staged;
use super::{Store, codec, counters_of, keys, scrub};
use crate::domain::amendment::Amendment;
use crate::domain::{Checkpoint, day_of, tz_of};
use crate::error::Result;

impl Store {
    /// Applies an amendment: the original is kept (once), the record becomes the result,
    /// search indexes and counters move from the old version to the new one; a voided record
    /// leaves every count and every search index but its day.
    pub(super) fn apply_amendment(&self, st: &mut Staged, a: &Amendment) -> Result<()> {
        let purged;
        let a = if self.is_purged(a.result.time)? {
            let mut c = a.clone();
            scrub::scrub_amendment(&mut c);
            purged = c;
            &purged
        } else {
            a
        };
        if self
            .tree
            .contains_key(keys::amendment(&a.record, a.at, &a.id))?
        {
            return Ok(());
        }
        let cp = self.require_checkpoint()?;
        let Some(old) = self.record(&a.record)? else {
            // From another laptop's bundle, ahead of its record: it waits for it.
            st.batch
                .insert(keys::pending(&a.record, a.at, &a.id), codec::encode(a));
            return Ok(());
        };
        let day = day_of(cp, old.time);
        self.mark_after_signoff(st, day, &a.record)?;
        // Amendments written on several laptops apply in (time, id) order: the record is the
        // result of the latest; an earlier one arriving later joins the history only.
        let key = keys::amendment(&a.record, a.at, &a.id);
        let superseded = match self
            .tree
            .scan_prefix(keys::amendment_prefix(&a.record))
            .keys()
            .next_back()
        {
            Some(last) => last?.as_ref() > key.as_slice(),
            None => false,
        };
        if superseded {
            self.count_amendment_written(st, cp, a)?;
            let bytes = codec::encode(a);
            let (link_key, link) = self.chain_link(st, day, &key[1..], &bytes)?;
            st.batch.insert(link_key, link);
            st.batch.insert(key, bytes);
            return Ok(());
        }
        if !self.tree.contains_key(keys::original(&a.record))? {
            st.batch
                .insert(keys::original(&a.record), codec::encode(&old));
        }
        let mut old_counts = if old.voided {
            Default::default()
        } else {
            counters_of(&old)
        };
        let new_counts = if a.result.voided {
            Default::default()
        } else {
            counters_of(&a.result)
        };
        if a.result.voided && !old.voided {
            self.count(st, cp, &old, 1, &[("voided".to_string(), 1)].into())?;
        }
        if old.voided && !a.result.voided {
            // Only when amendments from two laptops cross (a void superseded by a later
            // correction made without it): the record counts again.
            self.count(st, cp, &old, -1, &[("voided".to_string(), 1)].into())?;
        }
        // Net change per counter, so a counter both taken out and put back is written once.
        let mut net: std::collections::BTreeMap<String, i64> = std::collections::BTreeMap::new();
        for (k, n) in std::mem::take(&mut old_counts) {
            *net.entry(k).or_default() -= n as i64;
        }
        for (k, n) in new_counts {
            *net.entry(k).or_default() += n as i64;
        }
        let (plus, minus): (Vec<_>, Vec<_>) = net
            .into_iter()
            .filter(|(_, n)| *n != 0)
            .partition(|(_, n)| *n > 0);
        self.count(
            st,
            cp,
            &old,
            1,
            &plus.into_iter().map(|(k, n)| (k, n as u64)).collect(),
        )?;
        self.count(
            st,
            cp,
            &old,
            -1,
            &minus.into_iter().map(|(k, n)| (k, (-n) as u64)).collect(),
        )?;
        if !old.voided {
            for key in search_keys(day, &old) {
                st.batch.remove(key);
            }
        }
        if !a.result.voided {
            for key in search_keys(day, &a.result) {
                st.batch.insert(key, &[]);
            }
        }
        self.count_amendment_written(st, cp, a)?;
        st.batch
            .insert(keys::record(&a.record), codec::encode(&a.result));
        let bytes = codec::encode(a);
        let (link_key, link) = self.chain_link(st, day, &key[1..], &bytes)?;
        st.batch.insert(link_key, link);
        st.batch.insert(key, bytes);
        Ok(())
    }

    /// Counts an amendment in the hour it was written, for the shift's handover.
    fn count_amendment_written(
        &self,
        st: &mut Staged,
        cp: &Checkpoint,
        a: &Amendment,
    ) -> Result<()> {
        let written_at = a.at.with_timezone(&tz_of(cp));
        let key = keys::hour_counter(
            written_at.date_naive(),
            chrono::Timelike::hour(&written_at) as u8,
            AMENDMENTS_WRITTEN,
        );
        let old_n = match st.counters.get(&key) {
            Some(n) => *n,
            None => match self.tree.get(&key)? {
                Some(v) => u64::from_be_bytes(v.as_ref().try_into().unwrap_or([0; 8])),
                None => 0,
            },
        };
        st.counters.insert(key, old_n + 1);
        Ok(())
    }
}
