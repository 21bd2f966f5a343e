//! The 记录 tab (one day's records, newest first, paged from the store) and the 日报
//! preview (the day's running counters). Filters, detail and amendments come with the
//! leader-review issue; the full day report with the report issue.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Cell, Paragraph, Row, Table};

use super::theme;
use crate::app::App;
use crate::domain::{Disposition, VehicleKind};

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    let i18n = &app.i18n;
    let v = &app.records;
    let day = v.day.unwrap_or(app.day);
    let (from, to) = if v.records.is_empty() {
        (0, 0)
    } else {
        (v.offset + 1, v.offset + v.records.len())
    };
    let title = format!(
        " {} {day}  {} {}  {from}–{to} ",
        i18n.t("tab.records"),
        i18n.t("records.total"),
        v.total
    );
    let header = Row::new(
        [
            "time",
            "plate",
            "kind",
            "persons",
            "abnormal",
            "disposition",
            "officer",
        ]
        .map(|k| {
            Cell::from(i18n.t(match k {
                "time" => "col.time",
                "plate" => "field.plate",
                "kind" => "field.kind",
                "persons" => "field.occupants",
                "abnormal" => "count.abnormal",
                "disposition" => "log.disposition",
                _ => "col.officer",
            }))
        }),
    )
    .style(theme::title());
    let rows = v.records.iter().enumerate().map(|(i, r)| {
        let (plate, kind) = match &r.vehicle {
            Some(veh) => (veh.plate.to_string(), i18n.kind(veh.kind).to_string()),
            None => ("—".to_string(), i18n.t("walk_in").to_string()),
        };
        let ds = r.dispositions();
        let worst = ds.first().copied().unwrap_or(Disposition::Pass);
        let ds: Vec<&str> = ds.iter().map(|d| i18n.disposition(*d)).collect();
        let abnormal = r.abnormal_persons();
        let row = Row::new(vec![
            Cell::from(app.local(r.time).format("%H:%M:%S").to_string()),
            Cell::from(plate),
            Cell::from(kind),
            Cell::from(r.persons.len().to_string()),
            Cell::from(if abnormal > 0 {
                format!("⚠ {abnormal}")
            } else {
                String::new()
            })
            .style(theme::error()),
            Cell::from(ds.join("+")).style(theme::disposition(worst)),
            Cell::from(r.officer.clone()),
        ]);
        if i == v.selected {
            row.style(theme::focused())
        } else {
            row
        }
    });
    let widths = [
        Constraint::Length(9),
        Constraint::Length(10),
        Constraint::Length(9),
        Constraint::Length(5),
        Constraint::Length(5),
        Constraint::Min(12),
        Constraint::Length(8),
    ];
    let table = Table::new(rows, widths)
        .header(header)
        .block(Block::default().borders(Borders::ALL).title(title));
    frame.render_widget(table, area);
}

pub fn draw_report(frame: &mut Frame, area: Rect, app: &App) {
    let i18n = &app.i18n;
    let c = &app.counts;
    let mut lines = vec![
        Line::styled(
            format!("{} {}", i18n.t("report.preview"), app.day),
            theme::title(),
        ),
        Line::raw(""),
        Line::raw(format!(
            "{} {}   {} {}   {} {}",
            i18n.t("count.vehicles"),
            c.vehicles,
            i18n.t("count.persons"),
            c.persons,
            i18n.t("count.abnormal"),
            c.abnormal
        )),
        Line::raw(""),
    ];
    let mut kinds = vec![Span::styled(
        format!("{}: ", i18n.t("field.kind")),
        theme::label(),
    )];
    for k in VehicleKind::ALL {
        kinds.push(Span::raw(format!(
            "{} {}  ",
            i18n.kind(k),
            c.by_kind.get(k.code()).copied().unwrap_or(0)
        )));
    }
    lines.push(Line::from(kinds));
    lines.push(Line::raw(""));
    for d in Disposition::ALL.iter().rev() {
        let n = c.by_disposition.get(d.code()).copied().unwrap_or(0);
        lines.push(Line::from(vec![
            Span::styled(
                format!("  {:<10}", i18n.disposition(*d)),
                theme::disposition(*d),
            ),
            Span::styled(format!("{n:>6}"), Style::default()),
        ]));
    }
    lines.push(Line::raw(""));
    lines.push(Line::styled(
        format!("{}:", i18n.t("report.handovers")),
        theme::title(),
    ));
    if app.handovers.is_empty() {
        lines.push(Line::styled(
            format!("  {}", i18n.t("report.no_handovers")),
            theme::hint(),
        ));
    }
    for h in &app.handovers {
        lines.push(Line::raw(format!(
            "  {} {} {} → {}  {} {} {} {} {} {}  {}",
            app.local(h.time).format("%H:%M"),
            h.shift,
            h.from,
            h.to,
            i18n.t("count.vehicles"),
            h.counts.vehicles,
            i18n.t("count.persons"),
            h.counts.persons,
            i18n.t("count.abnormal"),
            h.counts.abnormal,
            h.matters
        )));
    }
    lines.push(Line::styled(i18n.t("coming.report"), theme::hint()));
    frame.render_widget(
        Paragraph::new(lines).block(Block::default().borders(Borders::ALL)),
        area,
    );
}
