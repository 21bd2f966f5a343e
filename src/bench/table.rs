//! The suite's table: one row per measurement with its physical reference measured in the
//! same run (when there is one), the ratio, the target and whether it was met.

use serde::Serialize;

/// One row of the suite: a measurement, its physical reference measured in the same run
/// (when there is one), and the target.
#[derive(Debug, Serialize)]
pub struct Row {
    pub name: String,
    pub value: f64,
    pub unit: String,
    pub reference: Option<String>,
    pub reference_value: Option<f64>,
    pub ratio: Option<f64>,
    pub target: String,
    pub met: Option<bool>,
}

#[derive(Debug, Serialize)]
pub struct Suite {
    pub records: usize,
    pub dir: String,
    pub rows: Vec<Row>,
}

impl Suite {
    pub fn table(&self) -> String {
        let mut out = format!(
            "kadian bench: {} records in {}\n{:<44} {:>12} {:<6} {:>12} {:>8}  {:<14} {}\n",
            self.records,
            self.dir,
            "measurement",
            "value",
            "unit",
            "reference",
            "ratio",
            "target",
            "met"
        );
        for r in &self.rows {
            out.push_str(&format!(
                "{:<44} {:>12.2} {:<6} {:>12} {:>8}  {:<14} {}\n",
                r.name,
                r.value,
                r.unit,
                r.reference_value.map_or("-".into(), |v| format!("{v:.2}")),
                r.ratio.map_or("-".into(), |v| format!("{v:.2}×")),
                r.target,
                match r.met {
                    Some(true) => "yes",
                    Some(false) => "NO",
                    None => "-",
                }
            ));
        }
        out.trim_end().to_string()
    }
}

pub(super) fn row(name: &str, value: f64, unit: &str, target: &str, met: Option<bool>) -> Row {
    Row {
        name: name.into(),
        value,
        unit: unit.into(),
        reference: None,
        reference_value: None,
        ratio: None,
        target: target.into(),
        met,
    }
}

pub(super) fn with_reference(mut r: Row, reference: &str, value: f64) -> Row {
    r.reference = Some(reference.into());
    r.reference_value = Some(value);
    r.ratio = (value > 0.0).then(|| r.value / value);
    r
}
