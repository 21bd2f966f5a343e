//! Actions (what happened: a key's meaning, or an effect's result) and effects (what the
//! update asks the outside world to do: store, clock). `update` maps one to the other.

use chrono::{DateTime, NaiveDate, Utc};

use super::data::{Conflicts, Detail, Offer, ReportData, SyncInfo};
use super::text::Edit;
use crate::domain::duty::DutyConfig;
use crate::domain::input::RecordDraft;
use crate::domain::{Checkpoint, Officer, Record};
use crate::onpost::DutyStatus;
use crate::roster::Roster;
use crate::store::{DayCounts, HandoverDraft};

#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    Help,
    Save,
    AddPerson,
    RemovePerson,
    Override,
    ClearForm,
    SwitchOfficer,
    NextTab,
    PrevTab,
    Quit,
    NextField,
    PrevField,
    NextPerson,
    PrevPerson,
    Up,
    Down,
    PageUp,
    PageDown,
    PrevDay,
    NextDay,
    Choose,
    Close,
    CheckIn,
    Assign,
    Unassign,
    Swap,
    Generate,
    OpenHandover,
    OpenSettings,
    PrevWeek,
    NextWeek,
    Left,
    Right,
    Sign,
    Export,
    ResetText,
    OpenFilter,
    ClearFilter,
    SignOff,
    ShowAudit,
    Reveal,
    AmendRecord,
    VoidRecord,
    /// Open the sync overlay (F11).
    OpenSync,
    /// In the sync overlay: import the inbox; trust the refused laptop, then import.
    ImportInbox,
    TrustImport,
    /// In the sync overlay: list the conflicts kept aside (the CLI cannot run while the TUI
    /// holds the data dir).
    ShowConflicts,
    /// 日报: open the retention purge (leaders).
    OpenPurge,
    Edit(Edit),
    /// A key was pressed at this instant (keeps the idle lock away).
    Touch(DateTime<Utc>),
    /// The clock ticked (from the loop): now and the checkpoint day.
    Tick(DateTime<Utc>, NaiveDate),
    // ---- effect results ----
    Saved(Box<Record>),
    Failed(String),
    TodayLoaded {
        records: Vec<Record>,
        counts: DayCounts,
        handovers: Vec<crate::store::Handover>,
    },
    PageLoaded {
        filter: crate::store::Filter,
        offset: usize,
        records: Vec<Record>,
        total: u64,
    },
    DetailLoaded(Box<Detail>),
    AuditLoaded(Vec<crate::store::AuditEntry>),
    /// A reveal was audited: show the record's details in clear.
    Revealed(String),
    Ready {
        checkpoint: Checkpoint,
        officers: Vec<Officer>,
    },
    SignedIn(Officer),
    /// A sign-in was refused (wrong PIN, locked, …).
    SignInRefused(String),
    DutyLoaded {
        cfg: Box<DutyConfig>,
        status: Box<DutyStatus>,
    },
    RosterLoaded {
        week: String,
        monday: NaiveDate,
        roster: Option<Roster>,
        problems: Vec<String>,
    },
    /// Something was done; tell the officer.
    Notice(String),
    ReportLoaded(Box<ReportData>),
    /// An export's progress (records done, total) and its end (rows, files) or error.
    ExportProgress(u64, u64),
    ExportDone(Result<(u64, Vec<std::path::PathBuf>), String>),
    SyncLoaded(Box<SyncInfo>),
    /// A bundle written or an inbox imported: result lines (text, ok), and a bundle refused
    /// for an untrusted laptop (file, laptop, fingerprint).
    SyncDone {
        lines: Vec<(String, bool)>,
        untrusted: Option<(String, String, String)>,
    },
    /// The conflicts kept aside, for the sync overlay.
    ConflictsListed(Conflicts),
    /// The retention purge: what it would remove (dry run), then what it removed.
    PurgePreview(crate::store::PurgeReport),
    Purged(crate::store::PurgeReport),
    /// Offer to write a bundle (after a handover or a day sign-off).
    OfferSync(Offer),
}

impl Action {
    /// Actions a keymap may name.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "help" => Self::Help,
            "save" => Self::Save,
            "add_person" => Self::AddPerson,
            "remove_person" => Self::RemovePerson,
            "override" => Self::Override,
            "clear_form" => Self::ClearForm,
            "switch_officer" => Self::SwitchOfficer,
            "next_tab" => Self::NextTab,
            "prev_tab" => Self::PrevTab,
            "quit" => Self::Quit,
            "next_field" => Self::NextField,
            "prev_field" => Self::PrevField,
            "next_person" => Self::NextPerson,
            "prev_person" => Self::PrevPerson,
            "up" => Self::Up,
            "down" => Self::Down,
            "page_up" => Self::PageUp,
            "page_down" => Self::PageDown,
            "prev_day" => Self::PrevDay,
            "next_day" => Self::NextDay,
            "choose" => Self::Choose,
            "close" => Self::Close,
            "check_in" => Self::CheckIn,
            "assign" => Self::Assign,
            "unassign" => Self::Unassign,
            "swap" => Self::Swap,
            "generate" => Self::Generate,
            "handover" => Self::OpenHandover,
            "settings" => Self::OpenSettings,
            "prev_week" => Self::PrevWeek,
            "next_week" => Self::NextWeek,
            "left" => Self::Left,
            "sign" => Self::Sign,
            "export" => Self::Export,
            "reset_text" => Self::ResetText,
            "filter" => Self::OpenFilter,
            "sign_off" => Self::SignOff,
            "audit" => Self::ShowAudit,
            "clear_filter" => Self::ClearFilter,
            "reveal" => Self::Reveal,
            "amend" => Self::AmendRecord,
            "void" => Self::VoidRecord,
            "right" => Self::Right,
            "sync" => Self::OpenSync,
            "write_bundle" => Self::Save,
            "import" => Self::ImportInbox,
            "trust_import" => Self::TrustImport,
            "conflicts" => Self::ShowConflicts,
            "purge" => Self::OpenPurge,
            "purge_now" => Self::Save,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum Effect {
    /// Assess against the policy at the current instant, commit durably, report Saved/Failed.
    SaveRecord {
        draft: RecordDraft,
        officer: String,
    },
    /// Today's newest records for the log desk and the day's counters.
    LoadToday {
        day: NaiveDate,
        limit: usize,
    },
    /// A page of records passing a filter, for 记录.
    Search {
        filter: crate::store::Filter,
        offset: usize,
        limit: usize,
    },
    LoadDetail {
        id: String,
    },
    Reveal {
        officer: Officer,
        id: String,
    },
    Amend {
        officer: Officer,
        id: String,
        changes: Vec<crate::amend::Change>,
        reason: String,
    },
    Void {
        officer: Officer,
        id: String,
        reason: String,
    },
    SignOff {
        officer: Officer,
        pin: String,
        day: NaiveDate,
    },
    /// The audit log of a day (admins).
    LoadAudit {
        officer: Officer,
        day: NaiveDate,
    },
    /// First-run set-up: create the checkpoint (unless it exists) and its first officer,
    /// with their PIN, and sign them in.
    Setup {
        checkpoint: Option<Box<Checkpoint>>,
        officer: Officer,
        pin: String,
    },
    SignIn {
        code: String,
        pin: String,
    },
    /// The 五个到位 status at the current instant.
    LoadDuty,
    CheckPost {
        officer: Officer,
        post: String,
        on_post: bool,
    },
    LoadRoster {
        week: String,
        monday: NaiveDate,
    },
    SaveRoster {
        officer: Officer,
        roster: Roster,
    },
    GenerateRoster {
        officer: Officer,
        week: String,
        monday: NaiveDate,
        /// Replace the assignments of shifts not begun (the leader said yes).
        replace: bool,
    },
    Handover {
        officer: Officer,
        draft: HandoverDraft,
    },
    SaveDuty {
        officer: Officer,
        cfg: Box<DutyConfig>,
    },
    /// The 日报 tab's data for a day.
    LoadReport {
        day: NaiveDate,
    },
    SignReport {
        officer: Officer,
        pin: String,
        day: NaiveDate,
        text: String,
        reason: String,
    },
    /// Runs on a background thread (see `Runtime`).
    Export {
        request: crate::report::export::Request,
        mark_pushed_by: Option<String>,
    },
    /// This laptop's sync details and folders.
    LoadSync,
    LoadConflicts,
    /// Purge the days before `before`, or (`dry_run`) count what it would remove.
    Purge {
        officer: Officer,
        before: NaiveDate,
        dry_run: bool,
    },
    /// Save the folders, write a bundle (since the last one for the outbox) into the outbox.
    WriteBundle {
        outbox: std::path::PathBuf,
        inbox: std::path::PathBuf,
        /// Everything (`--since all`), else what is new since the last bundle.
        all: bool,
    },
    /// Save the folders, import every bundle in the inbox (leaders); `trust`: a fingerprint
    /// confirmed for a laptop not trusted yet.
    ImportInbox {
        officer: Officer,
        outbox: std::path::PathBuf,
        inbox: std::path::PathBuf,
        trust: Option<String>,
    },
    Quit,
}
