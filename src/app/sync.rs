//! The sync overlay (F11, 同步) at 80×24 (the overlay is 60 wide):
//!
//! ```text
//! ┌同步──────────────────────────────────────────────────────┐
//! │交接班已签：写出同步包交给带班/指挥部？ F2 写出 · Esc 不用   │  (only when offered)
//! │本机 T01 电脑 …0RP93A 指纹 4425-9f96-fd93-e1fb-…            │
//! │发件箱  /media/usb/kadian                                    │
//! │收件箱  /media/usb/kadian/in              2 个同步包          │
//! │                                                            │
//! │T01-0RP93A-20261124T091500.kdb: 12 entries …                │  (results)
//! │! b1.kdb 未信任的电脑 01M… 指纹 4425-…  核对后按 F6          │
//! │F2 写出同步包 · F5 导入收件箱 · F6 信任并导入 · Tab 换栏     │
//! └────────────────────────────────────────────────────────────┘
//! ```
//!
//! The most common use — a lane officer at shift end — is F11 then F2: two keys. A shift
//! handover and a day sign-off open it by themselves with the offer line.

use std::path::PathBuf;

use super::action::{Action, Effect};
use super::duty::Overlay;
use super::state::{App, Status};
use super::text::{Edit, TextInput};

/// What the overlay shows about this laptop (loaded by an effect).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyncInfo {
    pub checkpoint: String,
    pub laptop: String,
    pub fingerprint: String,
    pub outbox: PathBuf,
    pub inbox: PathBuf,
    /// Bundle files waiting in the inbox.
    pub waiting: usize,
    /// Conflicts kept aside by earlier imports (`kadian import --conflicts` lists them).
    pub conflicts: usize,
    pub command_post: bool,
}

/// Why the overlay opened by itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Offer {
    Handover,
    SignOff,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SyncForm {
    pub info: Option<SyncInfo>,
    pub outbox: TextInput,
    pub inbox: TextInput,
    /// 0 = outbox, 1 = inbox, 2 = what to write (since the last bundle, or everything).
    pub focus: usize,
    /// Write everything (`--since all`), not only what is new since the last bundle.
    pub all: bool,
    pub offer: Option<Offer>,
    /// Results of the last write or import: (text, ok).
    pub lines: Vec<(String, bool)>,
    /// A bundle refused because its laptop is not trusted yet: (file, laptop, fingerprint).
    pub untrusted: Option<(String, String, String)>,
    /// The conflicts kept aside, when listed (F7): shown in place of the result lines.
    pub conflicts: Option<Conflicts>,
}

/// The first conflicts kept aside, and how many there are.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Conflicts {
    /// (checkpoint, entry id, SHA-256 of the version in effect, of the one kept aside).
    pub shown: Vec<(String, String, String, String)>,
    pub total: usize,
}

/// Conflict rows the overlay has room for.
pub const CONFLICT_ROWS: usize = 6;

const PATH_MAX: usize = 300;

pub fn open(app: &mut App, offer: Option<Offer>) -> Vec<Effect> {
    app.overlay = Some(Overlay::Sync(SyncForm {
        info: None,
        outbox: TextInput::new(PATH_MAX),
        inbox: TextInput::new(PATH_MAX),
        focus: 0,
        all: false,
        offer,
        lines: Vec::new(),
        untrusted: None,
        conflicts: None,
    }));
    vec![Effect::LoadSync]
}

pub fn loaded(app: &mut App, info: SyncInfo) {
    if let Some(Overlay::Sync(f)) = app.overlay.as_mut() {
        if f.info.is_none() {
            f.outbox.set(&info.outbox.display().to_string());
            f.inbox.set(&info.inbox.display().to_string());
        }
        f.info = Some(info);
    }
}

pub fn done(
    app: &mut App,
    lines: Vec<(String, bool)>,
    untrusted: Option<(String, String, String)>,
) -> Vec<Effect> {
    if let Some((text, ok)) = lines.last() {
        app.status = Some(Status {
            text: text.clone(),
            ok: *ok,
        });
    }
    if let Some(Overlay::Sync(f)) = app.overlay.as_mut() {
        f.lines = lines;
        f.untrusted = untrusted;
        f.offer = None;
        f.conflicts = None;
    }
    let mut effects = vec![
        Effect::LoadSync,
        Effect::LoadToday {
            day: app.day,
            limit: super::state::TODAY_ROWS,
        },
    ];
    if app.tab == super::state::Tab::Report {
        effects.push(Effect::LoadReport {
            day: app.report.day.unwrap_or(app.day),
        });
    }
    effects
}

fn folders(f: &SyncForm) -> (PathBuf, PathBuf) {
    (
        PathBuf::from(f.outbox.text().trim()),
        PathBuf::from(f.inbox.text().trim()),
    )
}

pub fn sync_overlay(app: &mut App, f: &mut SyncForm, action: Action) -> Vec<Effect> {
    match action {
        Action::NextField => f.focus = (f.focus + 1) % 3,
        Action::PrevField => f.focus = (f.focus + 2) % 3,
        Action::Edit(Edit::Left | Edit::Right | Edit::Insert(' ')) if f.focus == 2 => {
            f.all = !f.all;
        }
        Action::Edit(e) => match f.focus {
            0 => {
                f.outbox.apply(&e);
            }
            1 => {
                f.inbox.apply(&e);
            }
            _ => {}
        },
        Action::Save => {
            let (outbox, inbox) = folders(f);
            return vec![Effect::WriteBundle {
                outbox,
                inbox,
                all: f.all,
            }];
        }
        Action::ShowConflicts => return vec![Effect::LoadConflicts],
        Action::ImportInbox | Action::TrustImport => {
            let Some(officer) = app.officer.clone() else {
                return vec![];
            };
            let trust = match (&action, &f.untrusted) {
                (Action::TrustImport, Some((_, _, fp))) => Some(fp.clone()),
                (Action::TrustImport, None) => return vec![],
                _ => None,
            };
            let (outbox, inbox) = folders(f);
            return vec![Effect::ImportInbox {
                officer,
                outbox,
                inbox,
                trust,
            }];
        }
        _ => {}
    }
    vec![]
}
