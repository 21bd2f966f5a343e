//! The command line acts as a person, like the TUI: whatever a command does in someone's
//! name needs that person's PIN — from stdin's first line (`--pin-stdin`) or from a file
//! (`--pin-file FILE`, or `KADIAN_PIN_FILE`) — checked by `ops::sign_in` with the same
//! pause and lock as the sign-in screen. A command that also reads data from stdin (`add -`,
//! a new PIN) reads it after the PIN line.

use std::io::BufRead;
use std::path::{Path, PathBuf};

use anyhow::Result;
use clap::Args;

use crate::clock::Clock;
use crate::error::{Error, FieldError};
use crate::ops::{self, Actor};
use crate::store::Store;

/// Where the acting person's PIN comes from.
#[derive(Debug, Args, Clone, Default)]
pub struct PinArgs {
    /// Read the acting person's PIN from the first line of stdin (data, if any, follows).
    #[arg(long)]
    pub pin_stdin: bool,
    /// Read the acting person's PIN from the first line of FILE (on Unix readable by its
    /// owner only, like an ssh key).
    #[arg(long, env = "KADIAN_PIN_FILE", value_name = "FILE")]
    pub pin_file: Option<PathBuf>,
}

/// `--by CODE` with the PIN options: the person a command acts as.
#[derive(Debug, Args, Clone, Default)]
pub struct ByArgs {
    /// Staff code of the person acting (their PIN: --pin-stdin or --pin-file).
    #[arg(long, value_name = "CODE")]
    pub by: Option<String>,
    #[command(flatten)]
    pub pin: PinArgs,
}

/// Stdin, read line by line once per command: the PIN first, then whatever the command
/// reads.
pub struct Stdin {
    lines: Box<dyn BufRead>,
}

impl Stdin {
    pub fn new() -> Self {
        Self {
            lines: Box::new(std::io::BufReader::new(std::io::stdin())),
        }
    }

    /// One line without its line end; an empty stdin gives `what` in the error.
    pub fn line(&mut self, what: &str) -> Result<String> {
        let mut line = String::new();
        let n = self.lines.read_line(&mut line).map_err(|e| {
            FieldError::rule(what, "rule.stdin.read")
                .with_msg("detail", crate::error::io_reason(&e))
        })?;
        if n == 0 {
            return Err(FieldError::rule(what, "rule.stdin.empty").into());
        }
        Ok(line
            .trim_start_matches('\u{feff}')
            .trim_end_matches(['\r', '\n'])
            .to_string())
    }

    /// The rest of stdin, for a command that streams data after the PIN.
    pub fn rest(self) -> Box<dyn BufRead> {
        self.lines
    }
}

impl Default for Stdin {
    fn default() -> Self {
        Self::new()
    }
}

impl PinArgs {
    /// Whether a PIN source was given at all.
    pub fn given(&self) -> bool {
        self.pin_stdin || self.pin_file.is_some()
    }

    /// The PIN of `code`, from stdin (first) or the file; refused with `PinNeeded` when
    /// neither was given.
    pub fn read(&self, code: &str, stdin: &mut Stdin) -> Result<String> {
        if self.pin_stdin {
            return stdin.line("PIN");
        }
        match &self.pin_file {
            Some(path) => read_pin_file(path),
            None => Err(Error::PinNeeded(code.to_string()).into()),
        }
    }

    /// Signs `code` in with the PIN from these options.
    pub fn sign_in(
        &self,
        store: &Store,
        clock: &dyn Clock,
        code: &str,
        stdin: &mut Stdin,
    ) -> Result<Actor> {
        let pin = self.read(code, stdin)?;
        Ok(ops::sign_in(store, clock, code, &pin)?)
    }
}

impl ByArgs {
    /// The `--by` code, required.
    pub fn code(&self) -> Result<&str> {
        self.by
            .as_deref()
            .ok_or_else(|| FieldError::rule("by", "rule.by.missing").into())
    }

    /// The acting person, signed in; `--by` is required.
    pub fn actor(&self, store: &Store, clock: &dyn Clock, stdin: &mut Stdin) -> Result<Actor> {
        self.pin.sign_in(store, clock, self.code()?, stdin)
    }

    /// The acting person when `--by` was given.
    pub fn optional_actor(
        &self,
        store: &Store,
        clock: &dyn Clock,
        stdin: &mut Stdin,
    ) -> Result<Option<Actor>> {
        match &self.by {
            Some(_) => self.actor(store, clock, stdin).map(Some),
            None => Ok(None),
        }
    }
}

fn read_pin_file(path: &Path) -> Result<String> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)
            .map_err(|e| unreadable(path, &e))?
            .permissions()
            .mode();
        if mode & 0o077 != 0 {
            // Said, not refused: scripts write it with the default umask. The PIN is still
            // checked; the file should not be readable by others.
            let msg = FieldError::rule("pin_file", "rule.pin_file.readable")
                .with("path", path.display())
                .with("mode", format!("{:o}", mode & 0o777));
            tracing::warn!(%msg, "PIN file readable by others");
            eprintln!("kadian: {msg}");
        }
    }
    let text = std::fs::read_to_string(path).map_err(|e| unreadable(path, &e))?;
    Ok(text
        .lines()
        .next()
        .unwrap_or_default()
        .trim_start_matches('\u{feff}')
        .trim()
        .to_string())
}

fn unreadable(path: &Path, e: &std::io::Error) -> FieldError {
    FieldError::rule("pin_file", "rule.pin_file.read")
        .with("path", path.display())
        .with_msg("detail", crate::error::io_reason(e))
}
