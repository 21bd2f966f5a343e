//! `kadian staff …`: add, list, edit, disable, enable, set-pin. PINs are read from stdin or a
//! file (never from the command line, where they would land in shell history and `ps`).
//! Changes are made by an admin (`--by CODE` with their PIN); on a data dir with no admin
//! yet (first set-up) they need none.

use std::io::Write;
use std::path::Path;

use anyhow::Result;
use clap::Subcommand;

use super::person::{ByArgs, Stdin};
use super::{Format, print_line};
use crate::clock::Clock;
use crate::domain::{Officer, Phone, Role, validate_code, validate_text};
use crate::i18n::{I18n, Msg};
use crate::ops::{self, staff::Admin};
use crate::store::Store;

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
        /// Read the new member's PIN (4–8 digits) from stdin, after the admin's PIN when
        /// that is read from stdin too.
        #[arg(long)]
        new_pin_stdin: bool,
        #[command(flatten)]
        by: ByArgs,
    },
    /// List staff (never the PIN or its hash).
    List,
    /// Change a member's name, role or phone.
    Edit {
        code: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long, value_parser = ["officer", "leader", "admin"])]
        role: Option<String>,
        #[arg(long)]
        phone: Option<String>,
        #[command(flatten)]
        by: ByArgs,
    },
    /// Disable a staff member: they can no longer sign in or be rostered.
    Disable {
        code: String,
        #[command(flatten)]
        by: ByArgs,
    },
    /// Enable a disabled staff member again.
    Enable {
        code: String,
        #[command(flatten)]
        by: ByArgs,
    },
    /// Set a new PIN (read from stdin, after the acting person's PIN when that is read
    /// from stdin too): an admin for anyone, or a member for themself.
    SetPin {
        code: String,
        #[arg(long)]
        new_pin_stdin: bool,
        #[command(flatten)]
        by: ByArgs,
    },
}

/// Who asks: the admin named by `--by` (signed in with their PIN), or the set-up on a data
/// dir without an admin. In set-up, `--pin-stdin` is taken as the new PIN (there is no
/// acting person whose PIN it could be).
fn admin_of(
    store: &Store,
    clock: &dyn Clock,
    by: &ByArgs,
    stdin: &mut Stdin,
) -> Result<Option<ops::Actor>> {
    match &by.by {
        Some(_) => Ok(Some(by.actor(store, clock, stdin)?)),
        None if ops::auth::needs_first_admin(store)? => Ok(None),
        None => Err(crate::error::FieldError::rule("by", "rule.staff.admin").into()),
    }
}

fn as_admin(actor: &Option<ops::Actor>) -> Admin<'_> {
    match actor {
        Some(a) => Admin::Actor(a),
        None => Admin::SetUp,
    }
}

/// The new PIN from stdin, when asked for.
fn new_pin(
    actor: &Option<ops::Actor>,
    by: &ByArgs,
    new_pin_stdin: bool,
    stdin: &mut Stdin,
) -> Result<Option<String>> {
    let set_up_pin = actor.is_none() && by.pin.pin_stdin;
    if new_pin_stdin || set_up_pin {
        Ok(Some(stdin.line("pin")?))
    } else {
        Ok(None)
    }
}

pub fn view(o: &Officer) -> serde_json::Value {
    serde_json::json!({
        "code": o.code, "name": o.name, "role": o.role.code(), "phone": o.phone,
        "active": o.active, "has_pin": o.pin_hash.is_some(),
    })
}

pub fn run(dir: &Path, cmd: &StaffCommand, format: Format, clock: &dyn Clock) -> Result<()> {
    let store = Store::open_existing(dir)?;
    let mut stdin = Stdin::new();
    let result = match cmd {
        StaffCommand::Add {
            code,
            name,
            role,
            phone,
            new_pin_stdin,
            by,
        } => {
            let mut o = Officer::new(
                &validate_code("code", code)?,
                &validate_text("name", name, 20)?,
                Role::parse(role)?,
            );
            if let Some(p) = phone {
                o.phone = Phone::parse(p)?.as_str().to_string();
            }
            let actor = admin_of(&store, clock, by, &mut stdin)?;
            let pin = new_pin(&actor, by, *new_pin_stdin, &mut stdin)?;
            let o = ops::staff::add(&store, as_admin(&actor), o, pin.as_deref())?;
            print_line(format, &o.code, || view(&o))
        }
        StaffCommand::List => {
            let mut out = std::io::stdout().lock();
            for o in store.officers()? {
                match format {
                    Format::Json => writeln!(out, "{}", view(&o))?,
                    Format::Text | Format::Xlsx | Format::Csv => {
                        let i18n = I18n::process();
                        let state = if o.active {
                            String::new()
                        } else {
                            format!("\t{}", i18n.t("cli.staff.inactive"))
                        };
                        let role = i18n.name(o.role);
                        writeln!(out, "{}\t{}\t{role}{state}", o.code, o.name)?
                    }
                }
            }
            Ok(())
        }
        StaffCommand::Edit {
            code,
            name,
            role,
            phone,
            by,
        } => {
            let actor = admin_of(&store, clock, by, &mut stdin)?;
            let mut o = store
                .officer(code)?
                .ok_or_else(|| crate::error::Error::UnknownOfficer(code.clone()))?;
            if let Some(n) = name {
                o.name = validate_text("name", n, 20)?;
            }
            if let Some(r) = role {
                o.role = Role::parse(r)?;
            }
            if let Some(p) = phone {
                o.phone = if p.is_empty() {
                    String::new()
                } else {
                    Phone::parse(p)?.as_str().to_string()
                };
            }
            let o = ops::staff::edit(&store, as_admin(&actor), o)?;
            print_line(format, &o.code, || view(&o))
        }
        StaffCommand::Disable { code, by } | StaffCommand::Enable { code, by } => {
            let active = matches!(cmd, StaffCommand::Enable { .. });
            let actor = admin_of(&store, clock, by, &mut stdin)?;
            let o = ops::staff::set_active(&store, as_admin(&actor), code, active)?;
            print_line(
                format,
                &I18n::process().render(
                    &Msg::new(if active {
                        "cli.staff.enabled"
                    } else {
                        "cli.staff.disabled"
                    })
                    .with("code", &o.code),
                ),
                || view(&o),
            )
        }
        StaffCommand::SetPin {
            code,
            new_pin_stdin,
            by,
        } => {
            let actor = admin_of(&store, clock, by, &mut stdin)?;
            let Some(pin) = new_pin(&actor, by, *new_pin_stdin, &mut stdin)? else {
                return Err(
                    crate::error::FieldError::rule("pin", "rule.pin.new_from_stdin").into(),
                );
            };
            match &actor {
                // A member may change their own PIN, having just typed the current one.
                Some(a) if a.code() == code => ops::staff::set_own_pin(&store, a, &pin)?,
                _ => ops::staff::set_pin(&store, as_admin(&actor), code, &pin)?,
            }
            print_line(
                format,
                &I18n::process().render(&Msg::new("cli.staff.pin_set").with("code", code)),
                || serde_json::json!({"code": code, "has_pin": true}),
            )
        }
    };
    store.close()?;
    result
}
