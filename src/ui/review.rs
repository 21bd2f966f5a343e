//! The 记录 tab's detail view (every field, the policy version, the override reason, the
//! amendment history; personal details masked unless a leader revealed them) and the filter
//! and amend forms.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::theme;
use crate::app::App;
use crate::app::data::Detail;
use crate::domain::{Person, Record};
use crate::store::Filter;
use crate::view;
use crate::width::truncate;

/// `2026-11-24` for one day, `11-20–11-24 · 湘J · 王` for a combined filter.
pub fn filter_summary(app: &App, f: &Filter) -> String {
    let i18n = &app.i18n;
    let mut parts = Vec::new();
    match (f.from, f.to) {
        (Some(a), Some(b)) if a == b => parts.push(a.to_string()),
        (a, b) => parts.push(format!(
            "{}–{}",
            a.map_or("…".into(), |d| d.to_string()),
            b.map_or("…".into(), |d| d.to_string())
        )),
    }
    for v in [&f.plate, &f.name, &f.id_suffix, &f.phone, &f.officer]
        .into_iter()
        .flatten()
    {
        parts.push(v.clone());
    }
    if let Some(d) = f.disposition {
        parts.push(i18n.disposition(d).to_string());
    }
    if let Some(k) = f.kind {
        parts.push(i18n.kind(k).to_string());
    }
    if f.amended_only {
        parts.push(i18n.t("record.amended").to_string());
    }
    parts.join(" · ")
}

fn person_lines(app: &App, i: usize, p: &Person, revealed: bool) -> Vec<Line<'static>> {
    let i18n = &app.i18n;
    let ds: Vec<&str> = p
        .dispositions()
        .iter()
        .map(|d| i18n.disposition(*d))
        .collect();
    let mut out = vec![Line::from(vec![
        Span::styled(
            format!("{} {} ", i18n.t("log.person"), i + 1),
            theme::title(),
        ),
        Span::raw(crate::view::checks_text(p, i18n)),
    ])];
    let mut second = vec![Span::styled(
        format!("  ▶ {} ", ds.join("+")),
        theme::disposition(p.dispositions()[0]),
    )];
    if let Some(g) = &p.registration {
        let (id, phone) = if revealed {
            (g.id_number.to_string(), g.phone.as_str().to_string())
        } else {
            (g.id_number.masked(), g.phone.masked())
        };
        let name = if revealed {
            g.name.clone()
        } else {
            crate::report::mask_name(&g.name)
        };
        second.push(Span::raw(format!(
            "{name} {id} {phone} → {}",
            g.destination
        )));
    }
    out.push(Line::from(second));
    if let Some(o) = &p.overridden {
        out.push(Line::styled(
            format!("  {}: {}", i18n.t("detail.override_reason"), o.reason),
            theme::hint(),
        ));
    }
    out
}

fn vehicle_line(app: &App, r: &Record) -> String {
    let i18n = &app.i18n;
    match &r.vehicle {
        Some(v) => format!(
            "{} {}  {}  {} {} → {}  {} {}  {} {}",
            i18n.t("field.plate"),
            v.plate,
            i18n.kind(v.kind),
            i18n.t("field.origin"),
            v.origin,
            v.destination,
            i18n.t("field.disinfected"),
            i18n.yes_no(v.disinfected),
            i18n.t("field.cold_chain"),
            i18n.yes_no(v.cold_chain)
        ),
        None => i18n.t("walk_in").to_string(),
    }
}

pub fn draw_detail(frame: &mut Frame, area: Rect, app: &App, d: &Detail) {
    let i18n = &app.i18n;
    let r = &d.record;
    let state = if r.voided {
        format!(" [{}]", i18n.t("record.voided"))
    } else if r.amendments > 0 {
        format!(" [{} ×{}]", i18n.t("record.amended"), r.amendments)
    } else {
        String::new()
    };
    let title = format!(" {} {}{state} ", i18n.t("detail.title"), r.id);
    let mut block = Block::default().borders(Borders::ALL).title(Span::styled(
        title,
        if r.voided {
            theme::error()
        } else {
            theme::title()
        },
    ));
    if let Some(s) = &app.status {
        block = block.title_bottom(Span::styled(
            truncate(
                &format!(" {} ", s.text),
                (area.width as usize).saturating_sub(4),
            ),
            if s.ok { theme::ok() } else { theme::error() },
        ));
    }
    let mut lines = vec![
        Line::raw(format!(
            "{} {}  {} {}  {} {}",
            i18n.t("col.time"),
            app.local(r.time).format("%Y-%m-%d %H:%M:%S"),
            i18n.t("col.officer"),
            r.officer,
            i18n.t("detail.policy"),
            r.policy_version
        )),
        Line::raw(vehicle_line(app, r)),
    ];
    if !d.revealed && r.persons.iter().any(|p| p.registration.is_some()) {
        lines.push(Line::styled(i18n.t("detail.masked"), theme::hint()));
    }
    if !d.amendments.is_empty() {
        lines.push(Line::styled(i18n.t("detail.history"), theme::title()));
        lines.push(Line::styled(
            format!(
                "  {}: {}",
                i18n.t("detail.original"),
                vehicle_line(app, &d.original)
            ),
            theme::hint(),
        ));
        for a in &d.amendments {
            let what = if a.void {
                i18n.t("record.voided").to_string()
            } else {
                a.changes
                    .iter()
                    .map(|c| view::change_text(c, view::Privacy::of(d.revealed), i18n))
                    .collect::<Vec<_>>()
                    .join(", ")
            };
            let after = if a.after_signoff {
                format!(" [{}]", i18n.t("detail.after_signoff"))
            } else {
                String::new()
            };
            lines.push(Line::raw(format!(
                "  {} {} {what} — {}{after}",
                app.local(a.at).format("%m-%d %H:%M"),
                a.by,
                a.reason
            )));
        }
    }
    for (i, p) in r.persons.iter().enumerate() {
        lines.extend(person_lines(app, i, p, d.revealed));
    }
    frame.render_widget(
        Paragraph::new(lines)
            .block(block)
            .wrap(Wrap { trim: false }),
        area,
    );
}
