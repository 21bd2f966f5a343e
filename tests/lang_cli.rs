//! One language per command: the main commands' own output (stdout and stderr), with
//! `--lang en` and in the default Chinese, holds no foreign word (`i18n::foreign_words`). The
//! data is chosen per language (ASCII names and places in English); the province of a plate,
//! paths and data values are blanked before the check. Output meant for programs (`--format
//! json`) is not read.

mod common;

use common::{PIN, kadian};
use kadian::i18n::{Lang, foreign_words};

/// `text` with every path under `dir` blanked, up to the next space or separator.
fn blank_paths(text: &str, dir: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(i) = rest.find(dir) {
        out.push_str(&rest[..i]);
        let path = &rest[i..];
        let end = path
            .find(|c: char| c.is_whitespace() || ",，:：)）(（".contains(c))
            .unwrap_or(path.len());
        rest = &path[end..];
    }
    out.push_str(rest);
    out
}

struct Run {
    lang: Lang,
    dir: tempfile::TempDir,
    /// Data values blanked before the check.
    data: Vec<String>,
    failures: Vec<String>,
}

impl Run {
    fn new(lang: Lang) -> Self {
        let zh = lang == Lang::Zh;
        let data: Vec<String> = if zh {
            [
                "测试卡点",
                "李队",
                "张三",
                "王小明",
                "长沙",
                "常德",
                "录入错误",
                "湘",
            ]
        } else {
            [
                "T01 Test",
                "Lee Lead",
                "Zhang San",
                "Wang Ming",
                "Changsha",
                "Changde",
                "typo 1",
                "湘",
            ]
        }
        .map(String::from)
        .to_vec();
        Self {
            lang,
            dir: tempfile::tempdir().unwrap(),
            data,
            failures: Vec::new(),
        }
    }

    fn d(&self, i: usize) -> &str {
        &self.data[i]
    }

    /// Runs `kadian` with `args` (in this run's language) and checks what it printed;
    /// returns stdout.
    fn run(&mut self, args: &[&str], stdin: &str) -> String {
        let dir = self.dir.path().to_path_buf();
        self.run_in(&dir, args, stdin)
    }

    /// The same on another data dir (`dir/data`).
    fn run_in(&mut self, dir: &std::path::Path, args: &[&str], stdin: &str) -> String {
        let mut c = kadian(dir);
        if self.lang == Lang::En {
            c.args(["--lang", "en"]);
        }
        let out = c.args(args).write_stdin(stdin).output().unwrap();
        let stdout = String::from_utf8_lossy(&out.stdout).to_string();
        let stderr = String::from_utf8_lossy(&out.stderr).to_string();
        self.check(&args.join(" "), &format!("{stdout}\n{stderr}"));
        stdout
    }

    fn check(&mut self, what: &str, text: &str) {
        if let Ok(path) = std::env::var("LANG_CLI_DUMP") {
            use std::io::Write;
            let mut f = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path)
                .unwrap();
            writeln!(f, "=== kadian {what} ({:?})\n{text}", self.lang).unwrap();
        }
        // Paths first (a temp dir's name is random), then the data values.
        let mut chrome = text.to_string();
        for dir in [self.dir.path().display().to_string()]
            .into_iter()
            .chain(self.data.iter().filter(|v| v.starts_with('/')).cloned())
        {
            chrome = blank_paths(&chrome, &dir);
        }
        for v in &self.data {
            chrome = chrome.replace(v.as_str(), "");
        }
        let bad = foreign_words(&chrome, self.lang);
        if !bad.is_empty() {
            self.failures
                .push(format!("kadian {what} ({:?}): {bad:?}\n{text}", self.lang));
        }
    }

    fn record(&self, health: &str) -> String {
        format!(
            r#"{{"vehicle":{{"plate":"湘J12345","kind":"car","origin":"{}","destination":"{}","disinfected":true}},"persons":[{{"temperature":36.5,"health_code":"{health}","test":{{"result":"negative","hours_ago":20}},"name":"{}","id_number":"11010519491231002X","phone":"13900001111","destination":"{}"}}]}}"#,
            self.d(4),
            self.d(5),
            self.d(3),
            self.d(5)
        )
    }
}

fn both(walk: impl Fn(&mut Run)) {
    let mut failures = Vec::new();
    for lang in [Lang::Zh, Lang::En] {
        let mut r = Run::new(lang);
        walk(&mut r);
        failures.append(&mut r.failures);
    }
    assert!(
        failures.is_empty(),
        "{} commands with foreign words:\n\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// Set-up, staff, records, review, report, export, verify, purge.
#[test]
fn the_main_commands_speak_one_language() {
    both(|r| {
        let (name, leader, officer) = (r.d(0).to_string(), r.d(1).to_string(), r.d(2).to_string());
        r.run(
            &[
                "init",
                "--checkpoint",
                "T01",
                "--name",
                &name,
                "--province",
                "湘",
            ],
            "",
        );
        r.run(
            &[
                "staff",
                "add",
                "--code",
                "L01",
                "--name",
                &leader,
                "--role",
                "admin",
                "--pin-stdin",
            ],
            &format!("{PIN}\n"),
        );
        r.run(
            &[
                "staff",
                "add",
                "--code",
                "S01",
                "--name",
                &officer,
                "--by",
                "L01",
                "--new-pin-stdin",
            ],
            &format!("{PIN}\n"),
        );
        r.run(&["staff", "disable", "S01", "--by", "L01"], "");
        r.run(&["staff", "list"], "");
        r.run(&["staff", "enable", "S01", "--by", "L01"], "");
        r.run(
            &["staff", "set-pin", "S01", "--by", "L01", "--new-pin-stdin"],
            &format!("{PIN}\n"),
        );
        let lines = format!("{}\n{}\n", r.record("green"), r.record("yellow"));
        let added = r.run(&["add", "--officer", "S01"], &lines);
        r.run(
            &["add", "--officer", "S01"],
            "{\"vehicle\":{\"plate\":\"x\"},\"persons\":[]}\n",
        );
        let id = added.lines().last().unwrap_or_default().trim().to_string();
        r.data.push(id.clone());
        r.run(&["list"], "");
        r.run(&["show", &id], "");
        let reason = r.d(6).to_string();
        r.run(
            &[
                "amend",
                &id,
                "--set",
                "plate=湘J54321",
                "--reason",
                &reason,
                "--by",
                "L01",
            ],
            "",
        );
        r.run(
            &[
                "amend", &id, "--set", "plate=x", "--reason", &reason, "--by", "L01",
            ],
            "",
        );
        r.run(
            &[
                "amend",
                &id,
                "--set",
                "plate=湘J54321",
                "--reason",
                &reason,
                "--by",
                "S01",
            ],
            "",
        );
        r.run(&["show", &id, "--history"], "");
        r.run(&["show", &id, "--reveal", "--by", "L01"], "");
        r.run(&["audit", "--by", "L01"], "");
        r.run(&["report"], "");
        r.run(&["signoff", "--day", "2026-11-24", "--by", "L01"], "");
        r.run(&["void", &id, "--reason", &reason, "--by", "L01"], "");
        r.run(&["show", &id], "");
        let out = r.dir.path().join("out.csv");
        r.run(
            &["export", "--format", "csv", "--out", out.to_str().unwrap()],
            "",
        );
        r.run(&["verify"], "");
        r.run(
            &[
                "purge",
                "--before",
                "2026-11-24",
                "--by",
                "L01",
                "--dry-run",
            ],
            "",
        );
        r.run(&["purge", "--before", "2026-11-24", "--by", "L01"], "");
        r.run(
            &[
                "signoff",
                "--day",
                "2026-11-24",
                "--by",
                "L01",
                "--pin-stdin",
            ],
            "1111\n",
        );
    });
}

/// `kadian demo` (its report is read in tests/lang.rs).
#[test]
fn demo_and_its_report() {
    both(|r| {
        let name = r.d(0).to_string();
        r.run(
            &[
                "init",
                "--checkpoint",
                "T01",
                "--name",
                &name,
                "--province",
                "湘",
            ],
            "",
        );
        r.run(&["demo", "--days", "1", "--per-day", "30"], "");
    });
}

/// A command post: its consolidated report, before and after a checkpoint's bundle.
#[test]
fn the_command_post_report_speaks_one_language() {
    both(|r| {
        let lane = tempfile::tempdir().unwrap();
        r.data.push(lane.path().display().to_string());
        let (name, leader) = (r.d(0).to_string(), r.d(1).to_string());
        let lane_dir = lane.path().to_path_buf();
        r.run_in(
            &lane_dir,
            &[
                "init",
                "--checkpoint",
                "T01",
                "--name",
                &name,
                "--province",
                "湘",
            ],
            "",
        );
        r.run_in(
            &lane_dir,
            &[
                "staff",
                "add",
                "--code",
                "S01",
                "--name",
                &leader,
                "--role",
                "leader",
                "--pin-stdin",
            ],
            &format!("{PIN}\n"),
        );
        let lines = format!("{}\n{}\n", r.record("green"), r.record("yellow"));
        r.run_in(&lane_dir, &["add", "--officer", "S01"], &lines);
        let bundle = lane.path().join("lane.kdb");
        let key = lane.path().join("lane.key");
        r.run_in(&lane_dir, &["sync", "--out", bundle.to_str().unwrap()], "");
        r.run_in(
            &lane_dir,
            &["trust", "export", "--out", key.to_str().unwrap()],
            "",
        );
        r.run(&["init", "--command-post", "P01"], "");
        r.run(
            &[
                "staff",
                "add",
                "--code",
                "L01",
                "--name",
                &leader,
                "--role",
                "leader",
                "--pin-stdin",
            ],
            &format!("{PIN}\n"),
        );
        r.run(&["report"], "");
        r.run(&["trust", "add", "--by", "L01", key.to_str().unwrap()], "");
        r.run(&["report"], "");
        r.run(&["import", "--by", "L01", bundle.to_str().unwrap()], "");
        r.run(&["report"], "");
    });
}
