//! `kadian staff …`: add, list, disable, enable, set-pin. PINs are read from stdin (never
//! from the command line, where they would land in shell history and `ps`).

use std::io::{BufRead, Write};
use std::path::Path;

use anyhow::{Context, Result};
use clap::Subcommand;

use super::{Format, print_line};
use crate::domain::{Officer, Phone, Role, validate_code, validate_text};
use crate::store::{Actor, Store};

#[derive(Debug, Subcommand)]
pub enum StaffCommand {
    /// Add a staff member.
    Add {
        #[arg(long)]
        code: String,
        #[arg(long)]
        name: String,
        #[arg(long, default_value = "officer", value_parser = ["officer", "leader", "admin"])]
        role: String,
        /// Mobile number.
        #[arg(long)]
        phone: Option<String>,
        /// Read the PIN (4–8 digits) from the first line of stdin.
        #[arg(long)]
        pin_stdin: bool,
    },
    /// List staff (never the PIN or its hash).
    List,
    /// Disable a staff member: they can no longer sign in or be rostered.
    Disable { code: String },
    /// Enable a disabled staff member again.
    Enable { code: String },
    /// Set a new PIN, read from the first line of stdin.
    SetPin {
        code: String,
        #[arg(long, required = true)]
        pin_stdin: bool,
    },
}

fn read_pin() -> Result<String> {
    let mut line = String::new();
    std::io::stdin()
        .lock()
        .read_line(&mut line)
        .context("reading the PIN from stdin")?;
    Ok(line.trim_end_matches(['\r', '\n']).to_string())
}

pub fn view(o: &Officer) -> serde_json::Value {
    serde_json::json!({
        "code": o.code, "name": o.name, "role": o.role.code(), "phone": o.phone,
        "active": o.active, "has_pin": o.pin_hash.is_some(),
    })
}

pub fn run(dir: &Path, cmd: &StaffCommand, format: Format) -> Result<()> {
    let store = Store::open_existing(dir)?;
    let result = match cmd {
        StaffCommand::Add {
            code,
            name,
            role,
            phone,
            pin_stdin,
        } => {
            let mut o = Officer::new(
                &validate_code("code", code)?,
                &validate_text("name", name, 20)?,
                Role::parse(role)?,
            );
            if let Some(p) = phone {
                o.phone = Phone::parse(p)?.as_str().to_string();
            }
            if *pin_stdin {
                o.pin_hash = Some(crate::auth::hash_pin(&read_pin()?)?);
            }
            store.save_officer(Actor::System, o.clone(), false)?;
            print_line(format, &o.code, || view(&o))
        }
        StaffCommand::List => {
            let mut out = std::io::stdout().lock();
            for o in store.officers()? {
                match format {
                    Format::Json => writeln!(out, "{}", view(&o))?,
                    Format::Text | Format::Xlsx | Format::Csv => {
                        let state = if o.active { "" } else { "\t(disabled)" };
                        writeln!(out, "{}\t{}\t{}{state}", o.code, o.name, o.role.code())?
                    }
                }
            }
            Ok(())
        }
        StaffCommand::Disable { code } | StaffCommand::Enable { code } => {
            let active = matches!(cmd, StaffCommand::Enable { .. });
            let o = store.set_active(Actor::System, code, active)?;
            print_line(
                format,
                &format!("{} {}", o.code, if active { "enabled" } else { "disabled" }),
                || view(&o),
            )
        }
        StaffCommand::SetPin { code, .. } => {
            store.set_pin(Actor::System, code, &read_pin()?)?;
            print_line(
                format,
                &format!("{code}: PIN set"),
                || serde_json::json!({"code": code, "has_pin": true}),
            )
        }
    };
    store.close()?;
    result
}
