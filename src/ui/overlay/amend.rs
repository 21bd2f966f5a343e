//! Amend or void the record in the 记录 detail (F5 / F6): the field by its screen label, the
//! new value (a choice by its label), personal details masked unless revealed, the details a
//! change makes required, a warning when it would drop a person's details, the reason.

use ratatui::text::{Line, Span};

use crate::app::App;
use crate::app::overlay::amend::AmendForm;
use crate::domain::{HealthCode, Record, VehicleKind};
use crate::i18n::{I18n, Msg};
use crate::ui::theme;
use crate::view::Privacy;
use crate::width::pad;

/// A choice's code by its label: 黄码, 是, 货车.
fn choice_label(i18n: &I18n, path: &str, code: &str) -> String {
    let leaf = path.rsplit('.').next().unwrap_or(path);
    match leaf {
        "health_code" => {
            HealthCode::parse(code).map_or(code.to_string(), |h| i18n.health(h).to_string())
        }
        "kind" => VehicleKind::parse(code).map_or(code.to_string(), |k| i18n.kind(k).to_string()),
        _ => i18n.yes_no(code == "true").to_string(),
    }
}

/// The stored personal detail at `path`, masked.
fn masked_current(r: &Record, path: &str) -> Option<String> {
    let rest = path.strip_prefix("persons[")?;
    let (i, leaf) = rest.split_once("].")?;
    let reg = r
        .persons
        .get(i.parse::<usize>().ok()?)?
        .registration
        .as_ref()?;
    let m = Privacy::Masked;
    Some(match leaf {
        "name" => m.name(&reg.name),
        "id_number" => m.id_number(&reg.id_number),
        "phone" => m.phone(&reg.phone),
        _ => return None,
    })
}

pub fn lines(app: &App, f: &AmendForm) -> (String, Vec<Line<'static>>) {
    let i18n = &app.i18n;
    let record = app.records.detail.as_ref().map(|d| &d.record);
    let field = f.path().map_or_else(
        || i18n.t("record.voided").to_string(),
        |p| crate::view::amend_field(i18n, p),
    );
    let row = |name: &str, value: String, focused: bool| {
        Line::from(vec![
            Span::raw(pad(name, 12)),
            Span::styled(value, theme::field(focused)),
        ])
    };
    let mut lines = vec![row(
        i18n.t("amend.field"),
        format!("‹{field}›"),
        f.focus == 0,
    )];
    if let Some(path) = f.path() {
        let value = match &f.choice {
            Some((codes, i)) => format!("‹{}›", choice_label(i18n, path, codes[*i])),
            None => pad(f.value.text(), 30),
        };
        lines.push(row(i18n.t("amend.value"), value, f.focus == 1));
        if crate::amend::is_personal(path) && !f.revealed {
            if let Some(current) = record.and_then(|r| masked_current(r, path)) {
                lines.push(Line::styled(
                    format!(
                        "{}{}",
                        pad(i18n.t("amend.current"), 12),
                        i18n.render(&Msg::new("amend.masked").with("value", current))
                    ),
                    theme::hint(),
                ));
            }
        }
    }
    if !f.details.is_empty() {
        lines.push(Line::styled(
            i18n.t("amend.needs").to_string(),
            theme::error(),
        ));
        for (k, (path, input)) in f.details.iter().enumerate() {
            lines.push(row(
                &crate::view::amend_field(i18n, path),
                pad(input.text(), 30),
                f.focus == 2 + k,
            ));
        }
    }
    if !f.drops.is_empty() {
        let persons: Vec<String> = f
            .drops
            .iter()
            .map(|i| i18n.render(&Msg::new("field.person").with("n", i + 1)))
            .collect();
        lines.push(Line::styled(
            i18n.render(&Msg::new("amend.drops").with("persons", persons.join("、"))),
            theme::error(),
        ));
    }
    lines.push(row(
        i18n.t("field.reason"),
        pad(f.reason.text(), 30),
        f.focus == f.reason_focus(),
    ));
    lines.push(Line::styled(
        i18n.t("amend.hint").to_string(),
        theme::hint(),
    ));
    (i18n.t("amend.title").to_string(), lines)
}
