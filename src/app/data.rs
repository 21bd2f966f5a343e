//! Values the effects hand to the screens and overlays inside actions (a day's report, a
//! record's detail, this laptop's sync details, the conflicts kept aside): plain data, no
//! behaviour. A leaf: `action`, the screens and the overlays all use it, it uses none of them.

use crate::amend::Amendment;
use crate::domain::Record;
use crate::report::AbnormalLine;
use crate::store::{DayTally, SignedReport};

/// What the 日报 tab shows for a day (loaded by an effect).
#[derive(Clone, Debug, PartialEq)]
pub struct ReportData {
    pub tally: DayTally,
    pub versions: Vec<SignedReport>,
    pub abnormal: Vec<AbnormalLine>,
    /// The default wording for the day (零报告 or incident report).
    pub default_text: String,
    pub handovers: Vec<crate::store::Handover>,
    pub signed_off: Option<crate::store::SignOff>,
    /// At a command post: the day consolidated over its checkpoints.
    pub consolidated: Option<Box<crate::report::Consolidated>>,
    /// Days past the policy's retention still hold personal details (Ctrl+P purges them).
    pub purge_due: bool,
}

/// The detail view of one record.
#[derive(Clone, Debug, PartialEq)]
pub struct Detail {
    pub record: Record,
    pub original: Record,
    pub amendments: Vec<Amendment>,
    /// Personal details shown in clear (after an audited reveal).
    pub revealed: bool,
}

/// What the sync overlay shows about this laptop (loaded by an effect): the use case's own
/// status, as it reports it.
pub type SyncInfo = crate::ops::sync::Status;

/// Why the sync overlay opened by itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Offer {
    Handover,
    SignOff,
}

/// The first conflicts kept aside, and how many there are.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Conflicts {
    /// (checkpoint, entry id, SHA-256 of the version in effect, of the one kept aside).
    pub shown: Vec<(String, String, String, String)>,
    pub total: usize,
}

/// Conflict rows the sync overlay has room for (the effect loads no more).
pub const CONFLICT_ROWS: usize = 6;
