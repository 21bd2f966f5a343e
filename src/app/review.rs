//! The 记录 tab: a page of records from a combined filter (F3 opens the filter bar, F4
//! clears it), Enter opens the detail with every field and the amendment history; there a
//! leader may reveal the masked details (Ctrl+R, audited), amend a field (F5) or void the
//! record (F6), each with a reason.

use chrono::{Duration, NaiveDate};

use super::action::{Action, Effect};
use super::overlay::amend::AmendForm;
use super::overlay::filter::FilterForm;
use super::state::{App, Overlay, PAGE};
use crate::store::Filter;

pub fn day_filter(day: NaiveDate) -> Filter {
    Filter {
        from: Some(day),
        to: Some(day),
        ..Default::default()
    }
}

/// A page of records passing `filter`, from `offset`.
pub fn search(filter: Filter, offset: usize) -> Vec<Effect> {
    vec![Effect::Search {
        filter,
        offset,
        limit: PAGE,
    }]
}

/// Keys on the 记录 tab (list or detail).
pub fn records_tab(app: &mut App, action: Action) -> Vec<Effect> {
    if app.records.detail.is_some() {
        return detail(app, action);
    }
    let v = &mut app.records;
    let filter = v.filter.clone();
    match action {
        Action::Down => {
            if v.selected + 1 < v.records.len() {
                v.selected += 1;
            } else if v.offset + PAGE < v.total as usize {
                v.selected = 0;
                return search(filter, v.offset + PAGE);
            }
        }
        Action::Up => {
            if v.selected > 0 {
                v.selected -= 1;
            } else if v.offset > 0 {
                v.selected = PAGE - 1;
                return search(filter, v.offset.saturating_sub(PAGE));
            }
        }
        Action::PageDown if v.offset + PAGE < v.total as usize => {
            return search(filter, v.offset + PAGE);
        }
        Action::PageUp if v.offset > 0 => return search(filter, v.offset.saturating_sub(PAGE)),
        Action::PrevDay | Action::NextDay => {
            let step = if action == Action::PrevDay { -1 } else { 1 };
            let day = filter.from.unwrap_or(app.day) + Duration::days(step);
            if day <= app.day {
                v.selected = 0;
                return search(
                    Filter {
                        from: Some(day),
                        to: Some(day),
                        ..filter
                    },
                    0,
                );
            }
        }
        Action::Choose => {
            if let Some(r) = v.records.get(v.selected) {
                return vec![Effect::LoadDetail { id: r.id.clone() }];
            }
        }
        Action::OpenFilter => app.overlay = Some(Overlay::Filter(FilterForm::from_filter(&filter))),
        Action::ShowAudit => {
            if let Some(officer) = app.officer.clone() {
                let day = filter.from.unwrap_or(app.day);
                return vec![Effect::LoadAudit { officer, day }];
            }
        }
        Action::ClearFilter => {
            v.selected = 0;
            return search(day_filter(app.day), 0);
        }
        _ => {}
    }
    vec![]
}

fn detail(app: &mut App, action: Action) -> Vec<Effect> {
    let Some(d) = app.records.detail.as_ref() else {
        return vec![];
    };
    let id = d.record.id.clone();
    match action {
        Action::Close => app.records.detail = None,
        Action::Reveal => {
            if let Some(officer) = app.officer.clone() {
                return vec![Effect::Reveal { officer, id }];
            }
        }
        Action::AmendRecord | Action::VoidRecord => {
            let void = action == Action::VoidRecord;
            app.overlay = Some(Overlay::Amend(AmendForm::new(
                &d.record,
                void,
                app.i18n.lang,
                d.revealed,
            )));
        }
        _ => {}
    }
    vec![]
}
