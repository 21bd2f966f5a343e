//! Errors of the library: field validation errors (bilingual, naming the field and the rule)
//! and store/IO errors. The binary maps them to exit codes and one-line messages.

use std::fmt;

/// A value refused at construction. The message names the field and the rule in Chinese
/// and English, e.g. `车牌 plate: 省份简称无效 unknown province abbreviation "X"`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub struct FieldError {
    /// Stable field path, e.g. `vehicle.plate` or `persons[0].temperature`.
    pub field: String,
    pub zh: String,
    pub en: String,
}

impl FieldError {
    pub fn new(field: impl Into<String>, zh: impl Into<String>, en: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            zh: zh.into(),
            en: en.into(),
        }
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

impl fmt::Display for FieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {} / {}", self.field, self.zh, self.en)
    }
}

/// Errors of the store and of commands built on it.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("{0}")]
    Field(#[from] FieldError),
    #[error(
        "数据目录正被另一个 kadian 进程使用 / the data dir {0} is in use by another kadian process: use that kadian window (F4 export, F11 sync and import) or close it, then retry"
    )]
    Locked(String),
    #[error(
        "数据目录尚未初始化 / the data dir {0} is not initialised: run `kadian init` or start `kadian` for the set-up"
    )]
    NotInitialised(String),
    #[error(
        "数据目录不可写 / the data dir {0} is read-only or not writable ({1}): kadian needs to write there; choose another with --data-dir or fix its permissions"
    )]
    NotWritable(String, String),
    #[error("数据目录已初始化 / the data dir {0} is already initialised (checkpoint {1})")]
    AlreadyInitialised(String, String),
    #[error("未知的值班人员 / unknown officer {0}: add them with `kadian staff add`")]
    UnknownOfficer(String),
    #[error("值班人员已存在 / staff code {0} already exists")]
    DuplicateStaff(String),
    #[error("人员{0}已停用 / staff member {0} is disabled")]
    Inactive(String),
    #[error(
        "人员{0}尚未设置PIN / {0} has no PIN yet: set one with `kadian staff set-pin {0} --pin-stdin`"
    )]
    NoPin(String),
    /// The act needs the person's PIN now (signing, or a command run in someone's name).
    #[error(
        "须输入{0}的PIN / {0} must confirm with their PIN (--by CODE --pin-stdin or --pin-file FILE)"
    )]
    PinNeeded(String),
    /// Disabling or demoting the last admin would leave nobody to manage the staff.
    #[error("{0}是最后一位管理员，不能停用或降级 / {0} is the last admin: add another admin first")]
    LastAdmin(String),
    #[error("PIN错误，还可再试{left}次 / wrong PIN, {left} tries left before a lock")]
    WrongPin { left: u8 },
    #[error("PIN连续错误，已锁定至{until} / too many wrong PINs: locked until {until}")]
    PinLocked { until: String },
    #[error("{who}（{role}）无权{what} / {who} ({role}) may not {what}")]
    Forbidden {
        who: String,
        role: String,
        what: String,
    },
    #[error("数据损坏 / corrupt data in {what}: {detail}")]
    Corrupt { what: String, detail: String },
    #[error("数据库错误 / database error: {0}")]
    Sled(sled::Error),
    #[error("读写错误 / I/O error: {0}")]
    Io(std::io::Error),
    /// The disk holding the data dir (or an export) is full.
    #[error(
        "磁盘已满 / the disk is full ({0}): free space (old exports, other files), then retry; every record shown as saved is kept in the journal"
    )]
    DiskFull(String),
    #[error("策略文件错误 / policy file error: {0}")]
    Policy(String),
    /// A sync bundle refused whole: nothing of it was imported.
    #[error("同步包被拒绝，未导入任何内容 / bundle {file} refused, nothing imported: {detail}")]
    Bundle { file: String, detail: String },
    /// A bundle signed by a laptop this data dir does not trust yet.
    #[error(
        "来自未信任的电脑 / bundle {file} is from an untrusted laptop {laptop} (checkpoint {checkpoint}), key fingerprint {fingerprint}: confirm the fingerprint with the sender, then run `kadian import {file} --trust {fingerprint}` or `kadian trust add KEYFILE`"
    )]
    Untrusted {
        file: String,
        laptop: String,
        checkpoint: String,
        fingerprint: String,
    },
    #[error("指挥部模式 / {0}")]
    CommandPost(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        if e.kind() == std::io::ErrorKind::StorageFull {
            Error::DiskFull("no space left on device".into())
        } else {
            Error::Io(e)
        }
    }
}

impl From<sled::Error> for Error {
    fn from(e: sled::Error) -> Self {
        match e {
            sled::Error::Io(io) if io.kind() == std::io::ErrorKind::StorageFull => {
                Error::DiskFull("no space left on device".into())
            }
            e => Error::Sled(e),
        }
    }
}
