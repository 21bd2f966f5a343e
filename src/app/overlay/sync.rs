//! The sync overlay (F11, 同步): write a bundle to the outbox, import the inbox. At 80×24
//! (the overlay is 60 wide):
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

use crate::app::action::{Action, Effect};
use crate::app::data::{Conflicts, Offer, SyncInfo};
use crate::app::text::{Edit, TextInput};
use crate::domain::Officer;

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

const PATH_MAX: usize = 300;

impl SyncForm {
    /// Empty until the laptop's sync details are loaded (`Effect::LoadSync`).
    pub fn new(offer: Option<Offer>) -> Self {
        Self {
            info: None,
            outbox: TextInput::new(PATH_MAX),
            inbox: TextInput::new(PATH_MAX),
            focus: 0,
            all: false,
            offer,
            lines: Vec::new(),
            untrusted: None,
            conflicts: None,
        }
    }

    /// The laptop's sync details; the folders are filled in the first time.
    pub fn loaded(&mut self, info: SyncInfo) {
        if self.info.is_none() {
            self.outbox.set(&info.outbox.display().to_string());
            self.inbox.set(&info.inbox.display().to_string());
        }
        self.info = Some(info);
    }

    /// A bundle written or an inbox imported: its result lines replace the offer and the
    /// conflicts.
    pub fn done(
        &mut self,
        lines: Vec<(String, bool)>,
        untrusted: Option<(String, String, String)>,
    ) {
        self.lines = lines;
        self.untrusted = untrusted;
        self.offer = None;
        self.conflicts = None;
    }

    fn folders(&self) -> (PathBuf, PathBuf) {
        (
            PathBuf::from(self.outbox.text().trim()),
            PathBuf::from(self.inbox.text().trim()),
        )
    }

    /// Keys; `officer` (a leader) imports.
    pub fn update(&mut self, action: Action, officer: Option<Officer>) -> Vec<Effect> {
        match action {
            Action::NextField => self.focus = (self.focus + 1) % 3,
            Action::PrevField => self.focus = (self.focus + 2) % 3,
            Action::Edit(Edit::Left | Edit::Right | Edit::Insert(' ')) if self.focus == 2 => {
                self.all = !self.all;
            }
            Action::Edit(e) => match self.focus {
                0 => {
                    self.outbox.apply(&e);
                }
                1 => {
                    self.inbox.apply(&e);
                }
                _ => {}
            },
            Action::Save => {
                let (outbox, inbox) = self.folders();
                return vec![Effect::WriteBundle {
                    outbox,
                    inbox,
                    all: self.all,
                }];
            }
            Action::ShowConflicts => return vec![Effect::LoadConflicts],
            Action::ImportInbox | Action::TrustImport => {
                let Some(officer) = officer else {
                    return vec![];
                };
                let trust = match (&action, &self.untrusted) {
                    (Action::TrustImport, Some((_, _, fp))) => Some(fp.clone()),
                    (Action::TrustImport, None) => return vec![],
                    _ => None,
                };
                let (outbox, inbox) = self.folders();
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
}
