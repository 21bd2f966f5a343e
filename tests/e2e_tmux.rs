//! End-to-end in a real terminal: the kadian binary runs in tmux (80×24, UTF-8) on a temp
//! data dir. The officer signs in with a PIN, checks in at a post (F7), types a plate and a
//! Chinese place name, presses F2, hands the shift over to a second leader (F12, their PIN),
//! quits with F10; `kadian list` and `kadian handover list` find what was done.
#![cfg(unix)]

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

struct Tmux {
    socket: String,
}

impl Tmux {
    fn cmd(&self, args: &[&str]) -> std::process::Output {
        Command::new("tmux")
            .arg("-u")
            .arg("-L")
            .arg(&self.socket)
            .args(args)
            .output()
            .expect("tmux is installed")
    }
    fn screen(&self) -> String {
        String::from_utf8_lossy(&self.cmd(&["capture-pane", "-p", "-t", "e2e"]).stdout).into_owned()
    }
    fn wait_for(&self, text: &str) -> String {
        let start = Instant::now();
        loop {
            let s = self.screen();
            if s.contains(text) {
                return s;
            }
            assert!(
                start.elapsed() < Duration::from_secs(20),
                "timed out waiting for {text:?}; screen:\n{s}"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
    fn keys(&self, keys: &[&str]) {
        let mut args = vec!["send-keys", "-t", "e2e"];
        args.extend(keys);
        assert!(self.cmd(&args).status.success());
    }
    fn literal(&self, text: &str) {
        assert!(
            self.cmd(&["send-keys", "-t", "e2e", "-l", text])
                .status
                .success()
        );
    }
    fn alive(&self) -> bool {
        self.cmd(&["has-session", "-t", "e2e"]).status.success()
    }
}

impl Tmux {
    /// Starts kadian at 80×24 in a new tmux server on `data`, with the fixed clock.
    fn start(name: &str, data: &std::path::Path) -> Tmux {
        let tmux = Tmux {
            socket: format!("kadian-{name}-{}", std::process::id()),
        };
        let env_data = format!("KADIAN_DATA_DIR={}", data.display());
        let env_now = format!("KADIAN_NOW={}", common::NOW);
        let bin = common::bin();
        let args = [
            "new-session",
            "-d",
            "-s",
            "e2e",
            "-x",
            "80",
            "-y",
            "24",
            "-e",
            &env_data,
            "-e",
            &env_now,
        ];
        let st = tmux.cmd(&[&args[..], &["-e", "LANG=C.UTF-8", bin.to_str().unwrap()]].concat());
        assert!(
            st.status.success(),
            "{}",
            String::from_utf8_lossy(&st.stderr)
        );
        tmux
    }

    /// Quits with F10 and waits for the program to end.
    fn quit(&self) {
        self.keys(&["F10"]);
        let start = Instant::now();
        while self.alive() {
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "F10 did not quit"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }
}

impl Drop for Tmux {
    fn drop(&mut self) {
        let _ = self.cmd(&["kill-server"]);
    }
}

#[test]
fn type_a_plate_press_f2_quit_and_find_it() {
    let dir = common::ready();
    let data = dir.path().join("data");
    common::kadian(dir.path())
        .args([
            "staff",
            "add",
            "--code",
            "L02",
            "--name",
            "李队",
            "--role",
            "leader",
            "--pin-stdin",
        ])
        .write_stdin("1357\n")
        .assert()
        .success();
    let tmux = Tmux::start("e2e", &data);
    tmux.wait_for("选择值班人员");
    tmux.keys(&["Down"]); // L02, then S01
    tmux.literal("0000");
    tmux.keys(&["Enter"]);
    tmux.wait_for("PIN错误");
    tmux.literal(common::PIN);
    tmux.keys(&["Enter"]);
    tmux.wait_for("车牌 湘");
    tmux.wait_for("值班 S01 测试员");

    // Check in at a post: the 带班 post, since S01 is a leader and nobody leads yet.
    tmux.keys(&["F7"]);
    tmux.wait_for("已到岗 带班");

    // The fast path: the rest of the plate, F2.
    tmux.literal("J12345");
    tmux.keys(&["F2"]);
    let screen = tmux.wait_for("已保存 湘J12345 放行");
    assert!(screen.contains("车辆 1  人员 1  异常 0"), "{screen}");

    // Second car: a plate with the province typed, a Chinese origin (as an IME commits it).
    tmux.literal("粤B12345");
    tmux.keys(&["Tab", "Tab", "Tab", "Tab"]);
    tmux.literal("长沙");
    tmux.wait_for("来自 长沙");
    tmux.keys(&["F2"]);
    tmux.wait_for("已保存 粤B12345");

    // Hand over to the second leader, who confirms with their own PIN.
    tmux.keys(&["F12"]);
    tmux.wait_for("接班领导  ‹L02 李队›");
    tmux.keys(&["Tab"]);
    tmux.literal("1357");
    tmux.keys(&["Tab"]);
    tmux.literal("无异常");
    tmux.keys(&["F2"]);
    tmux.wait_for("交接班 S01 → L02");

    tmux.quit();

    let out = common::kadian(dir.path())
        .args(["list", "--format", "json"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let rows: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(rows.len(), 2);
    assert_eq!(rows[0]["vehicle"]["plate"], "湘J12345");
    assert_eq!(rows[0]["officer"], "S01");
    assert_eq!(rows[1]["vehicle"]["plate"], "粤B12345");
    assert_eq!(rows[1]["vehicle"]["origin"], "长沙");

    let out = common::kadian(dir.path())
        .args([
            "handover",
            "list",
            "--day",
            "2026-11-24",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let h: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (h["from"].as_str(), h["to"].as_str()),
        (Some("S01"), Some("L02"))
    );
    assert_eq!(h["counts"]["vehicles"], 2);
    assert_eq!(h["matters"], "无异常");
}

/// A leader filters the 记录 tab by part of a plate, opens the record, amends its plate with
/// a reason; `kadian show --history` then has the original and the amendment.
#[test]
fn filter_by_plate_and_amend_in_the_real_terminal() {
    let dir = common::ready();
    let data = dir.path().join("data");
    let other = common::NORMAL.replace("湘J12345", "粤B67890");
    common::kadian(dir.path())
        .args(["add", "--officer", "S01"])
        .write_stdin(format!("{}\n{other}\n", common::NORMAL))
        .assert()
        .success();
    let tmux = Tmux::start("e2e-review", &data);
    tmux.wait_for("选择值班人员");
    tmux.literal(common::PIN);
    tmux.keys(&["Enter"]);
    tmux.wait_for("车牌 湘");
    tmux.keys(&["F9"]);
    tmux.wait_for("共 2");
    tmux.keys(&["F3"]);
    tmux.wait_for("筛选");
    tmux.literal("J123");
    tmux.keys(&["Enter"]);
    tmux.wait_for("J123  共 1  1–1");
    tmux.keys(&["Enter"]);
    tmux.wait_for("记录详情");
    tmux.keys(&["F5"]);
    tmux.wait_for("更正 / 作废");
    tmux.keys(&[
        "Tab", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace", "BSpace",
    ]);
    tmux.literal("湘J99999");
    tmux.keys(&["Tab"]);
    tmux.literal("车牌录错");
    tmux.keys(&["F2"]);
    tmux.wait_for("已更正");
    tmux.quit();
    let out = common::kadian(dir.path())
        .args(["list", "--plate", "J99999", "--format", "json"])
        .output()
        .unwrap();
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let id = r["id"].as_str().unwrap();
    let out = common::kadian(dir.path())
        .args(["show", id, "--history", "--format", "json"])
        .output()
        .unwrap();
    let h: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(h["original"]["vehicle"]["plate"], "湘J12345");
    assert_eq!(h["record"]["vehicle"]["plate"], "湘J99999");
    assert_eq!(h["amendments"][0]["reason"], "车牌录错");
    assert_eq!(h["amendments"][0]["by"], "S01");
}

/// Sync by file in a real terminal: a lane's TUI writes a bundle with F11 F2 while a second
/// kadian on the same dir is refused with one line; the command post imports it and its TUI
/// opens on the consolidated 日报, naming the checkpoint that has not reported.
#[test]
fn f11_writes_a_bundle_the_command_post_merges_it() {
    let dir = common::ready();
    let data = dir.path().join("data");
    common::kadian(dir.path())
        .args(["add", "--officer", "S01"])
        .write_stdin(format!("{}\n", common::NORMAL))
        .assert()
        .success();
    let tmux = Tmux::start("sync", &data);
    tmux.wait_for("选择值班人员");
    tmux.literal(common::PIN);
    tmux.keys(&["Enter"]);
    tmux.wait_for("值班 S01 测试员");
    // While the TUI holds the dir: a command and a second TUI exit 1 with one line.
    for args in [&["sync"][..], &[]] {
        let out = common::kadian(dir.path())
            .args(args)
            .timeout(Duration::from_secs(20))
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(err.lines().count(), 1, "one line: {err}");
        assert!(
            err.contains("正被另一个卡点程序使用") && err.contains("F11"),
            "{err}"
        );
    }
    tmux.keys(&["F11"]);
    tmux.wait_for("发件箱");
    tmux.keys(&["F2"]);
    let screen = tmux.wait_for("条（");
    assert!(screen.contains("同步"), "{screen}");
    tmux.keys(&["Escape"]);
    // Wait for the overlay to close before F10: an Esc followed at once by F10's escape
    // sequence would read as one Alt+F10 key.
    let start = Instant::now();
    while tmux.screen().contains("发件箱") {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "Esc did not close the overlay"
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    tmux.quit();
    let files = kadian::store::bundle_files(&data.join("outbox")).unwrap();
    assert_eq!(files.len(), 1);

    // The command post: trust the lane's key, import, see the tally and who has not reported.
    let post = tempfile::tempdir().unwrap();
    let key = dir.path().join("lane.key");
    common::kadian(dir.path())
        .args(["trust", "export", "--out"])
        .arg(&key)
        .assert()
        .success();
    common::kadian(post.path())
        .args(["init", "--command-post", "常德市指挥部"])
        .assert()
        .success();
    common::kadian(post.path())
        .args([
            "staff",
            "add",
            "--code",
            "Z01",
            "--name",
            "周指挥",
            "--role",
            "leader",
            "--pin-stdin",
        ])
        .write_stdin("2468\n")
        .assert()
        .success();
    common::kadian(post.path())
        .args(["trust", "add", "--by", "Z01"])
        .arg(&key)
        .assert()
        .success();
    common::kadian(post.path())
        .args(["import", "--by", "Z01", "--lang", "en"])
        .arg(&files[0])
        .assert()
        .success()
        .stdout(predicates::str::contains(
            "added 3 (checkpoint 1, record 1, reference 1)",
        ));
    let tmux = Tmux::start("post", &post.path().join("data"));
    tmux.wait_for("选择值班人员");
    tmux.literal("2468");
    tmux.keys(&["Enter"]);
    let screen = tmux.wait_for("日报汇总");
    assert!(
        screen.contains("未报送日报/零报告：T01 测试卡点"),
        "{screen}"
    );
    assert!(screen.contains("合计"), "{screen}");
    tmux.quit();
}

/// The retention purge in a real terminal: a record of 40 days ago still names a person; the
/// 日报 tab says so, Ctrl+P shows what would go, F2 removes it; afterwards the command line
/// finds the record without the name and the store verifies.
#[test]
fn ctrl_p_on_the_report_tab_purges_expired_personal_details() {
    let dir = common::ready();
    let data = dir.path().join("data");
    common::kadian(dir.path())
        .args(["add", "--officer", "S01"])
        .env("KADIAN_NOW", "2026-10-15T02:00:00Z")
        .write_stdin(format!("{}\n", common::YELLOW))
        .assert()
        .success();
    let tmux = Tmux::start("purge", &data);
    tmux.wait_for("选择值班人员");
    tmux.literal(common::PIN);
    tmux.keys(&["Enter"]);
    tmux.wait_for("值班 S01");
    tmux.keys(&["C-Left"]);
    tmux.wait_for("超过保留期的个人信息未清除");
    tmux.keys(&["C-p"]);
    tmux.wait_for("将清除： 1 条记录 · 1 人");
    tmux.keys(&["F2"]);
    tmux.wait_for("已清除： 1 条记录 · 1 人");
    tmux.keys(&["Escape"]);
    let start = Instant::now();
    while tmux.screen().contains("超过保留期") {
        assert!(
            start.elapsed() < Duration::from_secs(10),
            "{}",
            tmux.screen()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
    tmux.quit();
    let out = common::kadian(dir.path())
        .args([
            "list",
            "--from",
            "2026-10-15",
            "--to",
            "2026-10-15",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(listed.contains("home_monitoring"), "{listed}");
    assert!(!listed.contains("王小明"), "{listed}");
    common::kadian(dir.path()).arg("verify").assert().success();
}
