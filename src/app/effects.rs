//! Effects: the only part of the TUI that touches the store and the clock. Each effect
//! runs synchronously and reports back as actions. The CLI calls the same store functions.

use super::action::{Action, Effect};
use crate::clock::Clock;
use crate::policy::Policy;
use crate::store::Store;

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
            }]
        }
        Effect::LoadPage { day, offset, limit } => {
            let total = store.day_counts(day)?.records;
            vec![Action::PageLoaded {
                day,
                offset,
                records: store.day_page(day, offset, limit)?,
                total,
            }]
        }
        Effect::Setup {
            checkpoint,
            officer,
        } => {
            if let Some(cp) = checkpoint {
                let mut cp = *cp;
                cp.laptop = ulid::Ulid::from_datetime(clock.now().into()).to_string();
                store.init(cp)?;
            }
            store.put_officer(officer, false)?;
            match store.checkpoint() {
                Some(cp) => vec![Action::Ready {
                    checkpoint: cp.clone(),
                    officers: store.officers()?,
                }],
                None => vec![Action::Failed("checkpoint missing after set-up".into())],
            }
        }
        Effect::Quit => vec![],
    })
}
