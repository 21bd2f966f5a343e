//! Effects: the only part of the TUI that touches the store and the clock. Each effect
//! runs synchronously and reports back as actions. The CLI calls the same store functions.

use super::action::{Action, Effect};
use crate::clock::Clock;
use crate::error::Error;
use crate::policy::Policy;
use crate::store::{Actor, Store};

fn detail(store: &Store, id: &str) -> crate::error::Result<Action> {
    let record = store.record(id)?.ok_or_else(|| {
        crate::error::FieldError::new("id", format!("没有记录{id}"), format!("no record {id}"))
    })?;
    Ok(Action::DetailLoaded(Box::new(super::review::Detail {
        original: store.original(id)?.unwrap_or_else(|| record.clone()),
        amendments: store.amendments(id)?,
        record,
        revealed: false,
    })))
}

fn sync_info(store: &Store) -> crate::error::Result<Action> {
    let key = store.key_file()?;
    let (outbox, inbox) = store.sync_folders()?;
    Ok(Action::SyncLoaded(Box::new(super::sync::SyncInfo {
        checkpoint: key.checkpoint.clone(),
        laptop: key.laptop.clone(),
        fingerprint: crate::sync::fingerprint(&key.public_key),
        waiting: crate::store::bundle_files(&inbox)?.len(),
        conflicts: store.conflicts()?.len(),
        outbox,
        inbox,
        command_post: store.is_command_post(),
    })))
}

fn roster_loaded(
    store: &Store,
    week: String,
    monday: chrono::NaiveDate,
) -> crate::error::Result<Vec<Action>> {
    let roster = store.roster(&week)?;
    let problems = match &roster {
        Some(r) => crate::roster::check(
            r,
            &store.duty_config()?,
            &store.officers()?,
            &store.leave_of_week(monday)?,
        )
        .iter()
        .map(|v| v.zh.clone())
        .collect(),
        None => Vec::new(),
    };
    Ok(vec![Action::RosterLoaded {
        week,
        monday,
        roster,
        problems,
    }])
}

pub fn run(effect: Effect, store: &Store, clock: &dyn Clock, policy: &Policy) -> Vec<Action> {
    match try_run(effect, store, clock, policy) {
        Ok(actions) => actions,
        Err(e) => {
            tracing::error!(error = %e, "effect failed");
            vec![Action::Failed(e.to_string())]
        }
    }
}

fn try_run(
    effect: Effect,
    store: &Store,
    clock: &dyn Clock,
    policy: &Policy,
) -> crate::error::Result<Vec<Action>> {
    Ok(match effect {
        Effect::SaveRecord { draft, officer } => {
            let now = clock.now();
            let today = store.day_of(now);
            match policy.assess(&draft, now, today) {
                Err(errors) => {
                    let msg: Vec<String> = errors.iter().map(ToString::to_string).collect();
                    vec![Action::Failed(msg.join("; "))]
                }
                Ok(new) => {
                    // Returns only after the journal fdatasync: "已保存" means durable.
                    let record = store.add_record(new, &officer, &policy.version, now)?;
                    tracing::info!(id = %record.id, officer = %officer, "record saved");
                    vec![Action::Saved(Box::new(record))]
                }
            }
        }
        Effect::LoadToday { day, limit } => {
            vec![Action::TodayLoaded {
                records: store.day_page(day, 0, limit)?,
                counts: store.day_counts(day)?,
                handovers: store.handovers(day)?,
            }]
        }
        Effect::Search {
            filter,
            offset,
            limit,
        } => {
            let page = store.search(&filter, offset, limit)?;
            vec![Action::PageLoaded {
                filter,
                offset,
                records: page.records,
                total: page.total,
            }]
        }
        Effect::LoadDetail { id } => vec![detail(store, &id)?],
        Effect::Reveal { officer, id } => {
            store.reveal(Actor::Staff(&officer), &id, clock.now())?;
            vec![Action::Revealed(id)]
        }
        Effect::Amend {
            officer,
            id,
            changes,
            reason,
        } => {
            let a = store.amend(
                Actor::Staff(&officer),
                policy,
                &id,
                changes,
                &reason,
                clock.now(),
            )?;
            vec![
                Action::Notice(format!("已更正 / amended {}", a.record)),
                detail(store, &id)?,
            ]
        }
        Effect::SignOff { officer, pin, day } => {
            match store.sign_off(Actor::Staff(&officer), &pin, day, clock.now()) {
                Ok(s) => vec![
                    Action::Notice(format!("{} 已签字确认 / signed off by {}", s.day, s.by)),
                    Action::OfferSync(super::sync::Offer::SignOff),
                ],
                Err(e @ (Error::WrongPin { .. } | Error::PinLocked { .. })) => {
                    clock.pause(crate::auth::WRONG_PIN_DELAY);
                    vec![Action::Failed(e.to_string())]
                }
                Err(e) => vec![Action::Failed(e.to_string())],
            }
        }
        Effect::LoadAudit { officer, day } => {
            vec![Action::AuditLoaded(
                store.audit_for(Actor::Staff(&officer), Some(day))?,
            )]
        }
        Effect::Void {
            officer,
            id,
            reason,
        } => {
            store.void(Actor::Staff(&officer), &id, &reason, clock.now())?;
            vec![
                Action::Notice(format!("已作废 / voided {id}")),
                detail(store, &id)?,
            ]
        }
        Effect::Setup {
            checkpoint,
            officer,
            pin,
        } => {
            if let Some(cp) = checkpoint {
                let mut cp = *cp;
                cp.laptop = ulid::Ulid::from_datetime(clock.now().into()).to_string();
                store.init(cp)?;
            }
            let mut officer = officer;
            officer.pin_hash = Some(crate::auth::hash_pin(&pin)?);
            store.put_officer(officer.clone(), false)?;
            match store.checkpoint() {
                Some(cp) => vec![
                    Action::Ready {
                        checkpoint: cp.clone(),
                        officers: store.officers()?,
                    },
                    Action::SignedIn(officer),
                ],
                None => vec![Action::Failed("checkpoint missing after set-up".into())],
            }
        }
        Effect::SignIn { code, pin } => match store.sign_in(&code, &pin, clock.now()) {
            Ok(o) => vec![Action::SignedIn(o)],
            Err(e @ (Error::WrongPin { .. } | Error::PinLocked { .. })) => {
                // Guessing must be slow: every refusal costs a pause.
                clock.pause(crate::auth::WRONG_PIN_DELAY);
                vec![Action::SignInRefused(e.to_string())]
            }
            Err(e) => vec![Action::SignInRefused(e.to_string())],
        },
        Effect::LoadDuty => vec![Action::DutyLoaded {
            cfg: Box::new(store.duty_config()?),
            status: Box::new(store.duty_status(clock.now())?),
        }],
        Effect::CheckPost {
            officer,
            post,
            on_post,
        } => {
            let e = store.check_post(
                Actor::Staff(&officer),
                &officer.code,
                &post,
                on_post,
                clock.now(),
            )?;
            let verb = if e.on_post {
                "到岗 / on post"
            } else {
                "离岗 / off post"
            };
            vec![Action::Notice(format!(
                "{} {} {verb}",
                officer.code, e.post
            ))]
        }
        Effect::LoadRoster { week, monday } => roster_loaded(store, week, monday)?,
        Effect::SaveRoster { officer, roster } => {
            let (week, monday) = (roster.week.clone(), roster.monday);
            store.save_roster(Actor::Staff(&officer), roster)?;
            roster_loaded(store, week, monday)?
        }
        Effect::GenerateRoster {
            officer,
            week,
            monday,
        } => {
            Actor::Staff(&officer).require(
                crate::domain::Permission::Lead,
                "编排值排表 / edit the roster",
            )?;
            let staff = store.officers()?;
            let leave = store.leave_of_week(monday)?;
            match crate::roster::generate(
                &store.duty_config()?,
                &staff,
                &week,
                monday,
                &leave,
                clock.now().timestamp() as u64,
            ) {
                Ok(r) => {
                    store.save_roster(Actor::Staff(&officer), r)?;
                    roster_loaded(store, week, monday)?
                }
                Err(reasons) => {
                    let mut out = roster_loaded(store, week, monday)?;
                    let msg: Vec<String> = reasons.iter().map(|r| r.zh.clone()).collect();
                    out.push(Action::Failed(msg.join("；")));
                    out
                }
            }
        }
        Effect::Handover { officer, draft } => {
            let h = store.add_handover(Actor::Staff(&officer), &draft, clock.now())?;
            vec![
                Action::Notice(format!(
                    "交接班 / handover {} → {} {}",
                    h.from, h.to, h.shift
                )),
                Action::OfferSync(super::sync::Offer::Handover),
            ]
        }
        Effect::LoadReport { day } => {
            let tally = store.day_tally(day)?;
            let i18n = crate::i18n::I18n::new(crate::i18n::Lang::Zh);
            let data = super::report::ReportData {
                default_text: crate::report::default_text(&tally, &i18n),
                versions: store.reports(day)?,
                abnormal: crate::report::abnormal_persons(store, day)?,
                handovers: store.handovers(day)?,
                signed_off: store.signed_off(day)?,
                consolidated: if store.is_command_post() {
                    Some(Box::new(crate::report::consolidated(store, day)?))
                } else {
                    None
                },
                purge_due: !store.is_command_post()
                    && store.purge_due(super::purge::cutoff(
                        store.day_of(clock.now()),
                        policy.retention_days,
                    ))?,
                tally,
            };
            vec![Action::ReportLoaded(Box::new(data))]
        }
        Effect::SignReport {
            officer,
            pin,
            day,
            text,
            reason,
        } => {
            match store.sign_report(
                Actor::Staff(&officer),
                &pin,
                day,
                &text,
                &reason,
                clock.now(),
            ) {
                Ok(r) => vec![Action::Notice(format!(
                    "日报已签发 / report signed: {} v{} {}",
                    r.day, r.version, r.signed_by
                ))],
                Err(e @ (Error::WrongPin { .. } | Error::PinLocked { .. })) => {
                    clock.pause(crate::auth::WRONG_PIN_DELAY);
                    vec![Action::Failed(e.to_string())]
                }
                Err(e) => vec![Action::Failed(e.to_string())],
            }
        }
        Effect::Export { .. } => vec![Action::Failed("export runs on the runtime".into())],
        Effect::LoadSync => vec![sync_info(store)?],
        Effect::Purge {
            officer,
            before,
            dry_run,
        } => {
            let r = store.purge(Actor::Staff(&officer), before, dry_run, clock.now())?;
            vec![if dry_run {
                Action::PurgePreview(r)
            } else {
                Action::Purged(r)
            }]
        }
        Effect::LoadConflicts => {
            let list = store.conflicts()?;
            let shown = list
                .iter()
                .take(super::sync::CONFLICT_ROWS)
                .map(|c| {
                    (
                        c.checkpoint.clone(),
                        c.id.clone(),
                        c.kept.clone(),
                        c.other.clone(),
                    )
                })
                .collect();
            vec![Action::ConflictsListed(super::sync::Conflicts {
                shown,
                total: list.len(),
            })]
        }
        Effect::WriteBundle { outbox, inbox, all } => {
            store.set_sync_folders(&outbox, &inbox)?;
            crate::private::create_dir(&outbox)?;
            let now = clock.now();
            let path = crate::cli::bundle_path(&outbox, store, now);
            let since = if all {
                crate::store::Since::All
            } else {
                crate::store::Since::Last
            };
            let mut r = store.write_bundle(&path, "outbox", &since, now)?;
            r.file = path
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            vec![Action::SyncDone {
                lines: vec![(crate::cli::sync_text(&r), true)],
                untrusted: None,
            }]
        }
        Effect::ImportInbox {
            officer,
            outbox,
            inbox,
            trust,
        } => {
            Actor::Staff(&officer).require(
                crate::domain::Permission::Lead,
                "导入同步包 / import bundles",
            )?;
            store.set_sync_folders(&outbox, &inbox)?;
            let files = crate::store::bundle_files(&inbox)?;
            let mut lines = Vec::new();
            let mut untrusted = None;
            if files.is_empty() {
                lines.push((
                    format!("收件箱中没有同步包 / no bundles in {}", inbox.display()),
                    false,
                ));
            }
            for f in files {
                let name = f.file_name().map_or_else(
                    || f.display().to_string(),
                    |n| n.to_string_lossy().to_string(),
                );
                let result = crate::sync::read(&f).and_then(|b| {
                    // A confirmed fingerprint applies to that laptop's bundles only.
                    let confirm = trust
                        .as_deref()
                        .filter(|fp| crate::sync::same_fingerprint(fp, &b.fingerprint));
                    store.import_bundle(&b, &f, confirm, false, clock.now())
                });
                match result {
                    Ok(mut r) => {
                        r.file = name;
                        lines.push((crate::cli::import_text(&r), r.conflicts.is_empty()));
                    }
                    Err(Error::Untrusted {
                        laptop,
                        fingerprint,
                        ..
                    }) => {
                        lines.push((format!("! {name}: 未信任 / untrusted"), false));
                        untrusted.get_or_insert((name, laptop, fingerprint));
                    }
                    Err(Error::Bundle { detail, .. }) => {
                        lines.push((format!("! {name}: {detail}"), false));
                    }
                    Err(e) => lines.push((format!("! {name}: {e}"), false)),
                }
            }
            vec![Action::SyncDone { lines, untrusted }]
        }
        Effect::SaveDuty { officer, cfg } => {
            store.set_duty_config(Actor::Staff(&officer), *cfg)?;
            vec![Action::Notice(
                "岗位和班次已保存 / posts and shifts saved".into(),
            )]
        }
        Effect::Quit => vec![],
    })
}
