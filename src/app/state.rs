//! The TUI's state: the `App`, its screens' views and the overlay open over them. Drawn
//! from `&App`; changed only by `update`.

use chrono::{DateTime, NaiveDate, Utc};

use super::data::{Detail, ReportData};
use super::form::{FormEval, LogForm};
use super::keymap::{Context, Keymap};
use super::overlay::amend::AmendForm;
use super::overlay::assign::AssignForm;
use super::overlay::export::ExportForm;
use super::overlay::filter::FilterForm;
use super::overlay::handover::HandoverForm;
use super::overlay::purge::PurgeForm;
use super::overlay::settings::SettingsForm;
use super::overlay::sign::SignForm;
use super::overlay::sync::SyncForm;
use super::text::TextInput;
use crate::domain::{Checkpoint, Officer, Record};
use crate::i18n::I18n;
use crate::policy::Policy;
use crate::roster::Roster;
use crate::store::DayCounts;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tab {
    Log,
    Records,
    Roster,
    Report,
}

impl Tab {
    pub const ALL: [Tab; 4] = [Tab::Log, Tab::Records, Tab::Roster, Tab::Report];

    pub fn key(self) -> &'static str {
        match self {
            Tab::Log => "tab.log",
            Tab::Records => "tab.records",
            Tab::Roster => "tab.roster",
            Tab::Report => "tab.report",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Screen {
    /// First run: create the checkpoint and its first officer.
    Setup,
    /// Sign in: choose your name, type your PIN (also the lock screen).
    SignIn,
    Main,
}

/// The first-run set-up form: checkpoint code, name, province, officer code, officer name.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SetupForm {
    pub fields: [TextInput; 6],
    pub focus: usize,
}

pub const SETUP_LABELS: [&str; 6] = [
    "setup.code",
    "setup.name",
    "setup.province",
    "setup.officer_code",
    "setup.officer_name",
    "setup.pin",
];

impl Default for SetupForm {
    fn default() -> Self {
        Self {
            fields: [
                TextInput::new(16),
                TextInput::new(40),
                TextInput::with("湘", 1),
                TextInput::new(16),
                TextInput::new(20),
                TextInput::new(8),
            ],
            focus: 0,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Status {
    pub text: String,
    pub ok: bool,
}

/// The 记录 tab: one day's records, newest first, a page at a time.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RecordsView {
    /// The filter shown (a single day by default).
    pub filter: crate::store::Filter,
    pub offset: usize,
    pub selected: usize,
    pub records: Vec<Record>,
    pub total: u64,
    pub detail: Option<Box<Detail>>,
}

/// The 排班 tab: one week, a cursor on (shift row, post column), an optional marked cell
/// for a swap.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RosterView {
    pub week: String,
    pub monday: Option<NaiveDate>,
    pub roster: Option<Roster>,
    pub problems: Vec<String>,
    pub row: usize,
    pub col: usize,
    pub marked: Option<(usize, usize)>,
    /// Asking whether to replace the week's assignments (F6 on a filled week).
    pub confirm_replace: bool,
}

/// The 日报 tab: the day shown, its data, the report text being edited.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ReportView {
    pub day: Option<NaiveDate>,
    pub data: Option<Box<ReportData>>,
    pub text: TextInput,
    /// The text differs from the last signed version (or the default).
    pub edited: bool,
    /// An export under way: (done, total).
    pub export: Option<(u64, u64)>,
}

/// The overlay (dialog) open over a screen; each one's state and keys are in `overlay/`.
/// The enum lives here, beside the `App` that holds it, so that the overlays' own files
/// need not know the `App` (which would tie them in a circle with this file).
#[derive(Clone, Debug, PartialEq)]
pub enum Overlay {
    /// Choose a person for the roster cell under the cursor.
    Assign(AssignForm),
    Handover(HandoverForm),
    Settings(SettingsForm),
    /// Sign the day report (日报).
    Sign(SignForm),
    /// Export records, the report or the push list.
    Export(ExportForm),
    /// The 记录 filter bar.
    Filter(FilterForm),
    /// Amend or void the record in the detail view.
    Amend(AmendForm),
    /// The day's audit log (admins).
    Audit(Vec<crate::store::AuditEntry>),
    /// Sync by file: write a bundle to the outbox, import the inbox.
    Sync(SyncForm),
    /// The retention purge (日报, leaders).
    Purge(PurgeForm),
}

impl Overlay {
    pub fn context(&self) -> Context {
        match self {
            Overlay::Assign(_) => Context::Picker,
            Overlay::Handover(_) => Context::Handover,
            Overlay::Settings(_) => Context::Settings,
            Overlay::Sign(_) => Context::Sign,
            Overlay::Export(_) => Context::Export,
            Overlay::Filter(_) => Context::Filter,
            Overlay::Amend(_) => Context::Amend,
            Overlay::Audit(_) => Context::Picker,
            Overlay::Sync(_) => Context::Sync,
            Overlay::Purge(_) => Context::Purge,
        }
    }
}

/// Rows of the 记录 page.
pub const PAGE: usize = 18;
/// Rows of today's list under the form.
pub const TODAY_ROWS: usize = 7;

pub struct App {
    pub i18n: I18n,
    pub keymap: Keymap,
    pub policy: Policy,
    pub screen: Screen,
    pub tab: Tab,
    pub help: bool,
    pub setup: SetupForm,
    pub checkpoint: Option<Checkpoint>,
    pub officers: Vec<Officer>,
    pub pick: usize,
    /// The PIN being typed on the sign-in screen (drawn masked).
    pub pin: TextInput,
    pub officer: Option<Officer>,
    pub duty_cfg: crate::domain::duty::DutyConfig,
    /// 五个到位 of the current shift, refreshed on each tick and after duty actions.
    pub duty: Option<crate::onpost::DutyStatus>,
    pub last_activity: DateTime<Utc>,
    pub roster: RosterView,
    pub overlay: Option<Overlay>,
    pub report: ReportView,
    /// Where exports go by default (`exports/` in the data dir).
    pub export_dir: std::path::PathBuf,
    pub form: Option<LogForm>,
    pub eval: FormEval,
    pub today: Vec<Record>,
    /// The day's handovers (交接班), shown on 日报.
    pub handovers: Vec<crate::store::Handover>,
    pub counts: DayCounts,
    pub records: RecordsView,
    pub status: Option<Status>,
    pub now: DateTime<Utc>,
    pub day: NaiveDate,
    pub quit: bool,
    /// The data dir is a command post (指挥部): no log desk, a consolidated 日报.
    pub command_post: bool,
}

impl App {
    pub fn new(
        i18n: I18n,
        keymap: Keymap,
        policy: Policy,
        now: DateTime<Utc>,
        day: NaiveDate,
    ) -> Self {
        Self {
            i18n,
            keymap,
            policy,
            screen: Screen::Setup,
            tab: Tab::Log,
            help: false,
            setup: SetupForm::default(),
            checkpoint: None,
            officers: Vec::new(),
            pick: 0,
            pin: TextInput::new(8),
            officer: None,
            duty_cfg: crate::domain::duty::DutyConfig::default_config(),
            duty: None,
            last_activity: now,
            roster: RosterView::default(),
            overlay: None,
            report: ReportView::default(),
            export_dir: std::path::PathBuf::from("exports"),
            form: None,
            eval: FormEval::default(),
            today: Vec::new(),
            handovers: Vec::new(),
            counts: DayCounts::default(),
            records: RecordsView::default(),
            status: None,
            now,
            day,
            quit: false,
            command_post: false,
        }
    }

    /// Which keymap context is active.
    pub fn context(&self) -> Context {
        match self.screen {
            Screen::Setup => Context::Setup,
            Screen::SignIn => Context::Pick,
            Screen::Main if self.overlay.is_some() => {
                self.overlay.as_ref().map_or(Context::Log, |o| o.context())
            }
            Screen::Main => match self.tab {
                Tab::Log => Context::Log,
                Tab::Records => Context::Records,
                Tab::Roster => Context::Roster,
                Tab::Report if self.command_post => Context::Post,
                Tab::Report => Context::Report,
            },
        }
    }

    pub fn tz(&self) -> chrono_tz::Tz {
        self.checkpoint
            .as_ref()
            .and_then(|c| c.tz.parse().ok())
            .unwrap_or(chrono_tz::Asia::Shanghai)
    }

    pub fn local(&self, t: DateTime<Utc>) -> DateTime<chrono_tz::Tz> {
        t.with_timezone(&self.tz())
    }

    pub fn active_officers(&self) -> Vec<&Officer> {
        self.officers.iter().filter(|o| o.active).collect()
    }

    /// Recomputes the form's live evaluation (after any change to the form or the clock).
    pub fn reevaluate(&mut self) {
        if let Some(f) = &self.form {
            self.eval = f.evaluate(&self.policy, self.now, self.day);
        }
    }
}
