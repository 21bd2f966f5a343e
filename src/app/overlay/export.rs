//! The export overlay on the 日报 tab (F4): what (records, the report, the push list), the
//! format, the path (a default named after the checkpoint, the kind and the day), and for a
//! push list whether to mark it pushed. F2 starts the export on a background thread.

use std::path::PathBuf;

use chrono::NaiveDate;

use crate::app::action::{Action, Effect};
use crate::app::text::{Edit, TextInput};
use crate::domain::Officer;
use crate::i18n::{I18n, Lang};
use crate::report::export::{ExportFormat, Request, What};

/// Focus 0 = what, 1 = format, 2 = path, 3 = mark pushed (push lists only).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportForm {
    pub what: What,
    pub format: ExportFormat,
    pub path: TextInput,
    pub mark_pushed: bool,
    pub focus: usize,
    /// The day exported, and what the default path is made of: the folder, the checkpoint.
    pub day: NaiveDate,
    dir: PathBuf,
    checkpoint: String,
    /// The language of the default file name (`明细` / `records`).
    lang: Lang,
}

const PATH_MAX: usize = 300;

impl ExportForm {
    /// Records as XLSX of `day` by default, into `dir`, the file named in `lang`.
    pub fn new(dir: PathBuf, checkpoint: &str, day: NaiveDate, lang: Lang) -> Self {
        let mut f = Self {
            what: What::Records,
            format: ExportFormat::Xlsx,
            path: TextInput::new(PATH_MAX),
            mark_pushed: false,
            focus: 0,
            day,
            dir,
            checkpoint: checkpoint.to_string(),
            lang,
        };
        f.path = TextInput::with(&f.default_path(), PATH_MAX);
        f
    }

    /// `{dir}/{checkpoint}-{明细|日报|推送名单}-{day}{ext}` (in English `records`, `report`,
    /// `push-list`); a CSV push list is a folder.
    fn default_path(&self) -> String {
        let name = I18n::shared(self.lang).t(match self.what {
            What::Records => "export.file.records",
            What::Report => "export.file.report",
            What::Push => "export.file.push",
        });
        let ext = match (self.what, self.format) {
            (What::Push, ExportFormat::Csv) => "",
            (_, ExportFormat::Xlsx) => ".xlsx",
            (_, ExportFormat::Csv) => ".csv",
            (_, ExportFormat::Json) => ".jsonl",
        };
        let (dir, code, day) = (self.dir.display(), &self.checkpoint, self.day);
        format!("{dir}/{code}-{name}-{day}{ext}")
    }

    /// Keys; F2 gives the export for `officer` (who marks a push list pushed), or the
    /// status key of what is missing.
    pub fn update(
        &mut self,
        action: Action,
        officer: Option<&Officer>,
    ) -> Result<Vec<Effect>, &'static str> {
        let fields = if self.what == What::Push { 4 } else { 3 };
        let cycle = match &action {
            Action::Edit(Edit::Right | Edit::Insert(' ')) if self.focus != 2 => 1,
            Action::Edit(Edit::Left) if self.focus != 2 => -1,
            _ => 0,
        };
        match action {
            Action::NextField => self.focus = (self.focus + 1) % fields,
            Action::PrevField => self.focus = (self.focus + fields - 1) % fields,
            _ if cycle != 0 => {
                match self.focus {
                    0 => {
                        let all = [What::Records, What::Report, What::Push];
                        let i = all.iter().position(|w| *w == self.what).unwrap_or(0) as i32;
                        self.what = all[(i + cycle).rem_euclid(3) as usize];
                    }
                    1 => {
                        let all = [ExportFormat::Xlsx, ExportFormat::Csv, ExportFormat::Json];
                        let i = all.iter().position(|w| *w == self.format).unwrap_or(0) as i32;
                        self.format = all[(i + cycle).rem_euclid(3) as usize];
                    }
                    _ => self.mark_pushed = !self.mark_pushed,
                }
                let path = self.default_path();
                self.path.set(&path);
            }
            Action::Edit(e) if self.focus == 2 => {
                self.path.apply(&e);
            }
            Action::Save => {
                let path = PathBuf::from(self.path.text().trim());
                if path.as_os_str().is_empty() {
                    return Err("status.no_path");
                }
                let request = Request {
                    reveal: false,
                    what: self.what,
                    format: self.format,
                    days: vec![self.day],
                    out: path,
                    include_pushed: false,
                };
                let mark_pushed_by = (self.what == What::Push && self.mark_pushed)
                    .then(|| officer.map(|o| o.code.clone()))
                    .flatten();
                return Ok(vec![Effect::Export {
                    request,
                    mark_pushed_by,
                }]);
            }
            _ => {}
        }
        Ok(vec![])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form() -> ExportForm {
        let day = NaiveDate::from_ymd_opt(2026, 11, 24).unwrap();
        ExportForm::new(PathBuf::from("/data/exports"), "HN-01", day, Lang::Zh)
    }

    #[test]
    fn the_default_path_follows_what_and_the_format() {
        let mut f = form();
        assert_eq!(f.path.text(), "/data/exports/HN-01-明细-2026-11-24.xlsx");
        f.update(Action::Edit(Edit::Right), None).unwrap();
        assert_eq!(f.what, What::Report);
        f.update(Action::NextField, None).unwrap();
        f.update(Action::Edit(Edit::Left), None).unwrap();
        assert_eq!(f.format, ExportFormat::Json);
        assert_eq!(f.path.text(), "/data/exports/HN-01-日报-2026-11-24.jsonl");
    }

    #[test]
    fn an_empty_path_is_refused_and_a_push_list_is_marked_by_the_officer() {
        let mut f = form();
        f.path.clear();
        assert_eq!(f.update(Action::Save, None), Err("status.no_path"));
        let mut f = form();
        f.update(Action::Edit(Edit::Left), None).unwrap();
        assert_eq!(f.what, What::Push);
        f.focus = 3;
        f.update(Action::Edit(Edit::Right), None).unwrap();
        let officer = Officer::new("L01", "李队", crate::domain::Role::Leader);
        let effects = f.update(Action::Save, Some(&officer)).unwrap();
        let [
            Effect::Export {
                request,
                mark_pushed_by,
            },
        ] = effects.as_slice()
        else {
            panic!("{effects:?}");
        };
        assert_eq!(mark_pushed_by.as_deref(), Some("L01"));
        assert_eq!(request.days, [f.day]);
    }
}
