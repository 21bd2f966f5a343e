//! The 记录 tab: one day's records, newest first, paged from the store. Filters, detail
//! and amendments come with the leader-review issue.

use ratatui::Frame;
use ratatui::layout::{Constraint, Rect};

use ratatui::widgets::{Block, Borders, Cell, Row, Table};

use super::theme;
use crate::app::App;
use crate::domain::Disposition;

pub fn draw(frame: &mut Frame, area: Rect, app: &App) {
    if let Some(d) = &app.records.detail {
        super::review::draw_detail(frame, area, app, d);
        return;
    }
    let i18n = &app.i18n;
    let v = &app.records;
    let day = super::review::filter_summary(app, &v.filter);
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
        let mut ds: Vec<&str> = ds.iter().map(|d| i18n.disposition(*d)).collect();
        if r.voided {
            ds = vec![i18n.t("record.voided")];
        } else if r.amendments > 0 {
            ds.push("✎");
        }
        let abnormal = r.abnormal_persons();
        let row = Row::new(vec![
            Cell::from(
                app.local(r.time)
                    .format(if v.filter.from == v.filter.to && v.filter.from.is_some() {
                        "%H:%M:%S"
                    } else {
                        "%m-%d %H:%M"
                    })
                    .to_string(),
            ),
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
