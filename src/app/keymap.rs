//! Keys as data: `assets/keymap.toml` maps keys to actions per screen. Dispatch, the
//! footer and the F1 help all read this one table.

use crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use serde::Deserialize;

use super::action::Action;
use super::text::Edit;

pub const DEFAULT_KEYMAP: &str = include_str!("../../assets/keymap.toml");

/// Where a binding applies.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Context {
    Global,
    Log,
    Records,
    Roster,
    Report,
    Setup,
    /// The sign-in (and lock) screen.
    Pick,
    /// A list to choose from (assign a person to a post).
    Picker,
    /// The handover form.
    Handover,
    /// Posts and shifts settings.
    Settings,
    /// Signing the day report.
    Sign,
    /// The export form.
    Export,
    /// The 记录 filter bar.
    Filter,
    /// The amend / void form.
    Amend,
    /// The sync overlay (同步).
    Sync,
    /// The retention purge overlay.
    Purge,
    /// A command post's 日报 tab (the consolidated day).
    Post,
}

#[derive(Clone, Debug, Deserialize)]
struct RawBinding {
    key: String,
    action: String,
    #[serde(rename = "where")]
    contexts: Vec<Context>,
    #[serde(default = "yes")]
    footer: bool,
}

fn yes() -> bool {
    true
}

#[derive(Deserialize)]
struct RawKeymap {
    key: Vec<RawBinding>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Binding {
    pub code: KeyCode,
    pub mods: KeyModifiers,
    /// As written in the file, e.g. `F2`, `Ctrl+C`: shown in footer and help.
    pub label: String,
    pub action: Action,
    /// The action's name, which is also its i18n key `action.<name>`.
    pub name: String,
    pub contexts: Vec<Context>,
    pub footer: bool,
}

#[derive(Clone, Debug)]
pub struct Keymap {
    pub bindings: Vec<Binding>,
}

fn parse_key(s: &str) -> Result<(KeyCode, KeyModifiers), String> {
    let mut mods = KeyModifiers::NONE;
    let mut rest = s;
    while let Some((m, r)) = rest.split_once('+') {
        match m {
            "Ctrl" => mods |= KeyModifiers::CONTROL,
            "Alt" => mods |= KeyModifiers::ALT,
            "Shift" => mods |= KeyModifiers::SHIFT,
            _ => return Err(format!("unknown modifier {m:?} in {s:?}")),
        }
        rest = r;
    }
    let code = match rest {
        "Tab" => KeyCode::Tab,
        "BackTab" => KeyCode::BackTab,
        "Enter" => KeyCode::Enter,
        "Esc" => KeyCode::Esc,
        "Up" => KeyCode::Up,
        "Down" => KeyCode::Down,
        "Left" => KeyCode::Left,
        "Right" => KeyCode::Right,
        "PageUp" => KeyCode::PageUp,
        "PageDown" => KeyCode::PageDown,
        f if f.starts_with('F') && f.len() > 1 => KeyCode::F(
            f[1..]
                .parse()
                .map_err(|_| format!("bad function key {s:?}"))?,
        ),
        c if c.chars().count() == 1 && mods.contains(KeyModifiers::CONTROL) => {
            KeyCode::Char(c.chars().next().unwrap_or(' ').to_ascii_lowercase())
        }
        _ => return Err(format!("unknown key {s:?} (letters only with Ctrl)")),
    };
    Ok((code, mods))
}

/// A key as shown in the footer and the help: the names printed on keyboards (`PgDn`,
/// `Shift+Tab`), which read the same in every language.
fn key_label(key: &str) -> String {
    key.replace("PageDown", "PgDn")
        .replace("PageUp", "PgUp")
        .replace("BackTab", "Shift+Tab")
}

impl Keymap {
    pub fn parse(text: &str) -> Result<Self, String> {
        let raw: RawKeymap = toml::from_str(text).map_err(|e| e.to_string())?;
        let mut bindings = Vec::new();
        for b in raw.key {
            let (code, mods) = parse_key(&b.key)?;
            let action = Action::from_name(&b.action)
                .ok_or_else(|| format!("unknown action {:?}", b.action))?;
            bindings.push(Binding {
                code,
                mods,
                label: key_label(&b.key),
                action,
                name: b.action,
                contexts: b.contexts,
                footer: b.footer,
            });
        }
        Ok(Self { bindings })
    }

    pub fn default_keymap() -> Self {
        Self::parse(DEFAULT_KEYMAP).expect("the embedded keymap is valid (tested)")
    }

    /// The action bound to a key in a context (its own bindings first, then global ones).
    pub fn lookup(&self, key: &KeyEvent, ctx: Context) -> Option<Action> {
        let mods = key.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT);
        let hit = |b: &&Binding| {
            let code_eq = b.code == key.code
                || matches!((b.code, key.code), (KeyCode::Char(a), KeyCode::Char(c)) if a == c.to_ascii_lowercase());
            code_eq && b.mods == mods
        };
        let in_ctx = self
            .bindings
            .iter()
            .filter(hit)
            .find(|b| b.contexts.contains(&ctx));
        let global = || {
            self.bindings
                .iter()
                .filter(hit)
                .find(|b| b.contexts.contains(&Context::Global))
        };
        in_ctx.or_else(global).map(|b| b.action.clone())
    }

    /// A key event → an action: a binding, else an editing key for the focused field.
    pub fn dispatch(&self, key: &KeyEvent, ctx: Context) -> Option<Action> {
        if let Some(a) = self.lookup(key, ctx) {
            return Some(a);
        }
        let plain = !key
            .modifiers
            .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
        let edit = match key.code {
            KeyCode::Char(c) if plain => Edit::Insert(c),
            KeyCode::Backspace => Edit::Backspace,
            KeyCode::Delete => Edit::Delete,
            KeyCode::Left => Edit::Left,
            KeyCode::Right => Edit::Right,
            KeyCode::Home => Edit::Home,
            KeyCode::End => Edit::End,
            _ => return None,
        };
        Some(Action::Edit(edit))
    }

    /// The footer hints for a context: (key label, action name), first binding per action.
    /// Ordered so what a screen is for comes first when the bar is too narrow: help, this
    /// screen's own keys, keys every tab shares, quit last.
    pub fn footer(&self, ctx: Context) -> Vec<(&str, &str)> {
        let mut out: Vec<(u8, &str, &str)> = Vec::new();
        for b in &self.bindings {
            let applies = b.contexts.contains(&ctx) || b.contexts.contains(&Context::Global);
            if b.footer && applies && !out.iter().any(|(_, _, n)| *n == b.name) {
                let tabs = [
                    Context::Log,
                    Context::Records,
                    Context::Roster,
                    Context::Report,
                ];
                let shared = tabs.iter().all(|t| b.contexts.contains(t));
                let rank = match b.action {
                    Action::Help => 0,
                    Action::Quit => 3,
                    _ if shared => 2,
                    _ => 1,
                };
                out.push((rank, &b.label, &b.name));
            }
        }
        out.sort_by_key(|(rank, _, _)| *rank);
        out.into_iter().map(|(_, l, n)| (l, n)).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, mods: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, mods)
    }

    #[test]
    fn the_default_keymap_parses_and_dispatches() {
        let k = Keymap::default_keymap();
        assert_eq!(
            k.dispatch(&key(KeyCode::F(2), KeyModifiers::NONE), Context::Log),
            Some(Action::Save)
        );
        assert_eq!(
            k.dispatch(
                &key(KeyCode::Char('c'), KeyModifiers::CONTROL),
                Context::Log
            ),
            Some(Action::Quit)
        );
        assert_eq!(
            k.dispatch(&key(KeyCode::F(10), KeyModifiers::NONE), Context::Records),
            Some(Action::Quit)
        );
        assert_eq!(
            k.dispatch(&key(KeyCode::Down, KeyModifiers::NONE), Context::Records),
            Some(Action::Down)
        );
        assert_eq!(
            k.dispatch(&key(KeyCode::Down, KeyModifiers::NONE), Context::Log),
            Some(Action::NextField)
        );
    }

    #[test]
    fn letters_are_never_shortcuts() {
        let k = Keymap::default_keymap();
        for c in ('a'..='z').chain('A'..='Z') {
            for ctx in [
                Context::Log,
                Context::Records,
                Context::Setup,
                Context::Pick,
            ] {
                assert_eq!(
                    k.dispatch(&key(KeyCode::Char(c), KeyModifiers::NONE), ctx),
                    Some(Action::Edit(Edit::Insert(c)))
                );
            }
        }
        assert!(parse_key("q").is_err());
    }

    #[test]
    fn footer_comes_from_the_table() {
        let k = Keymap::default_keymap();
        let f = k.footer(Context::Log);
        assert_eq!(f[0], ("F1", "help"));
        assert!(f.contains(&("F2", "save")));
        assert!(f.contains(&("F10", "quit")));
        assert!(!f.iter().any(|(l, _)| *l == "Ctrl+C"));
    }
}

#[cfg(test)]
mod fuzz {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn keymap_files_never_panic(s in "\\PC{0,300}", key in "\\PC{0,12}") {
            let _ = Keymap::parse(&s);
            let _ = Keymap::parse(&format!("[[key]]\nkey = {key:?}\naction = \"save\"\nwhere = [\"log\"]\n"));
        }
    }
}
