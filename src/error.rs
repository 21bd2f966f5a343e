//! Errors of the library: field validation errors (naming the field and the rule) and
//! store/IO errors. Each is a message key with its arguments (`msg()`), rendered by `i18n` in
//! one language; the binary maps them to exit codes and one-line messages.

use std::fmt;

use crate::i18n::{I18n, Localized, Msg};

/// A value refused at construction: the field and the broken rule, e.g. shown as
/// `车牌：省份简称无效` / `Plate: unknown province abbreviation "X"`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// Stable field path, e.g. `vehicle.plate` or `persons[0].temperature`.
    pub field: String,
    /// The rule, without the field (`rule.*` keys).
    pub rule: Msg,
}

impl FieldError {
    /// A rule still written as a "中文 / English" pair; shown in one of the two.
    pub fn new(field: impl Into<String>, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self::of(field, Msg::pair(zh, en))
    }

    /// A broken rule given as a message.
    pub fn of(field: impl Into<String>, rule: Msg) -> Self {
        Self {
            field: field.into(),
            rule,
        }
    }

    /// A broken rule by its key (`rule.*`); arguments follow with `with`.
    pub fn rule(field: impl Into<String>, key: &'static str) -> Self {
        Self::of(field, Msg::new(key))
    }

    /// Adds a data argument to the rule's message.
    pub fn with(mut self, name: &'static str, value: impl ToString) -> Self {
        self.rule = self.rule.with(name, value);
        self
    }

    /// A named argument that is itself a message (rendered in the same language).
    pub fn with_msg(mut self, name: &'static str, value: Msg) -> Self {
        self.rule = self.rule.with_msg(name, value);
        self
    }

    /// The same error under a longer field path (`persons[1]` + `.phone`).
    pub fn within(mut self, prefix: &str) -> Self {
        self.field = if self.field.is_empty() {
            prefix.to_string()
        } else {
            format!("{prefix}.{}", self.field)
        };
        self
    }
}

impl Localized for FieldError {
    /// `{field}: {rule}`, the field by its label where it has one.
    fn msg(&self) -> Msg {
        if self.field.is_empty() {
            return self.rule.clone();
        }
        Msg::new("error.field")
            .with_field("field", self.field.clone())
            .with_msg("rule", self.rule.clone())
    }
}

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&I18n::process().error(self))
    }
}

impl std::error::Error for FieldError {}

/// Errors of the store and of commands built on it.
#[derive(Debug)]
pub enum Error {
    Field(FieldError),
    Locked(String),
    NotInitialised(String),
    NotWritable(String, String),
    AlreadyInitialised(String, String),
    UnknownOfficer(String),
    DuplicateStaff(String),
    Inactive(String),
    NoPin(String),
    /// The act needs the person's PIN now (signing, or a command run in someone's name).
    PinNeeded(String),
    /// Disabling or demoting the last admin would leave nobody to manage the staff.
    LastAdmin(String),
    WrongPin {
        left: u8,
    },
    PinLocked {
        until: String,
    },
    /// `who` may not do `what` (an action, `act.*`).
    Forbidden {
        who: String,
        role: String,
        what: Msg,
    },
    Corrupt {
        what: String,
        detail: String,
    },
    Sled(sled::Error),
    Io(std::io::Error),
    /// The disk holding the data dir (or an export) is full.
    DiskFull(String),
    Policy(Msg),
    /// A sync bundle refused whole: nothing of it was imported. `detail` is the reason
    /// (`error.bundle.*`).
    Bundle {
        file: String,
        detail: Msg,
    },
    /// A laptop key refused (a key file that does not read, a key that may not be trusted):
    /// `key` is the file or the laptop, `detail` the reason (`error.key.*`).
    Key {
        key: String,
        detail: Msg,
    },
    /// A bundle signed by a laptop this data dir does not trust yet.
    Untrusted {
        file: String,
        laptop: String,
        checkpoint: String,
        fingerprint: String,
    },
    /// Refused at a command post (it holds the checkpoints' data read-only).
    CommandPost(Msg),
}

impl Localized for Error {
    fn msg(&self) -> Msg {
        let m = Msg::new;
        match self {
            Error::Field(e) => e.msg(),
            Error::Locked(dir) => m("error.locked").with("dir", dir),
            Error::NotInitialised(dir) => m("error.not_initialised").with("dir", dir),
            Error::NotWritable(dir, why) => m("error.not_writable")
                .with("dir", dir)
                .with_msg("detail", Msg::legacy(why.clone())),
            Error::AlreadyInitialised(dir, cp) => m("error.already_initialised")
                .with("dir", dir)
                .with("checkpoint", cp),
            Error::UnknownOfficer(code) => m("error.unknown_officer").with("code", code),
            Error::DuplicateStaff(code) => m("error.duplicate_staff").with("code", code),
            Error::Inactive(code) => m("error.inactive").with("code", code),
            Error::NoPin(code) => m("error.no_pin").with("code", code),
            Error::PinNeeded(code) => m("error.pin_needed").with("code", code),
            Error::LastAdmin(code) => m("error.last_admin").with("code", code),
            Error::WrongPin { left } => m("error.wrong_pin").with("left", left),
            Error::PinLocked { until } => m("error.pin_locked").with("until", until),
            Error::Forbidden { who, role, what } => m("error.forbidden")
                .with("who", who)
                .with_msg("role", Msg::new(format!("role.{role}")))
                .with_msg("what", what.clone()),
            Error::Corrupt { what, detail } => m("error.corrupt")
                .with_msg("what", Msg::legacy(what.clone()))
                .with_msg("detail", Msg::legacy(detail.clone())),
            Error::Sled(e) => m("error.database").with("detail", e),
            Error::Io(e) => m("error.io").with_msg("detail", io_reason(e)),
            Error::DiskFull(what) if what == NO_SPACE => {
                m("error.disk_full").with_msg("detail", Msg::new("error.no_space"))
            }
            Error::DiskFull(what) => {
                m("error.disk_full").with_msg("detail", Msg::legacy(what.clone()))
            }
            Error::Policy(detail) => m("error.policy").with_msg("detail", detail.clone()),
            Error::Bundle { file, detail } => m("error.bundle")
                .with("file", file)
                .with_msg("detail", detail.clone()),
            Error::Key { key, detail } => m("error.key")
                .with("key", key)
                .with_msg("detail", detail.clone()),
            Error::Untrusted {
                file,
                laptop,
                checkpoint,
                fingerprint,
            } => m("error.untrusted")
                .with("file", file)
                .with("laptop", laptop)
                .with("checkpoint", checkpoint)
                .with("fingerprint", fingerprint),
            Error::CommandPost(what) => m("error.command_post").with_msg("detail", what.clone()),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&I18n::process().error(self))
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Field(e) => Some(e),
            // So a caller can tell a closed pipe (`kadian list | head`) from a failure.
            Error::Io(e) => Some(e),
            _ => None,
        }
    }
}

/// An action by its code (`amend`, `sign_off` …, the `act.*` keys), as `Forbidden` names it;
/// a text that is not such a code is shown as it is.
pub fn action(code: &str) -> Msg {
    let key = format!("act.{code}");
    if I18n::shared(crate::i18n::Lang::Zh).has(&key) {
        Msg::new(key)
    } else {
        Msg::legacy(code)
    }
}

/// What a full disk says, in `DiskFull`.
const NO_SPACE: &str = "no space left on device";

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<FieldError> for Error {
    fn from(e: FieldError) -> Self {
        Error::Field(e)
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::StorageFull {
            Error::DiskFull(NO_SPACE.into())
        } else {
            Error::Io(e)
        }
    }
}

impl From<sled::Error> for Error {
    fn from(e: sled::Error) -> Self {
        match e {
            sled::Error::Io(io) if io.kind() == std::io::ErrorKind::StorageFull => {
                Error::DiskFull(NO_SPACE.into())
            }
            e => Error::Sled(e),
        }
    }
}

/// Why a file could not be read or written, in the user's language: the common kinds by
/// key; any other as the system says it.
pub fn io_reason(e: &std::io::Error) -> Msg {
    use std::io::ErrorKind as K;
    match e.kind() {
        K::NotFound => Msg::new("io.not_found"),
        K::PermissionDenied => Msg::new("io.permission_denied"),
        K::AlreadyExists => Msg::new("io.already_exists"),
        K::IsADirectory => Msg::new("io.is_a_directory"),
        K::InvalidData => Msg::new("io.invalid_data"),
        _ => Msg::legacy(e.to_string()),
    }
}
