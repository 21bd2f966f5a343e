//! A single-line text input: the string and a caret (in characters). Knows its display
//! width up to the caret so the real terminal cursor — where Chinese input methods put
//! their candidate window — can be placed exactly.

use unicode_width::UnicodeWidthStr;

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TextInput {
    text: String,
    /// Caret position in characters, 0..=len.
    caret: usize,
    max_chars: usize,
}

/// An editing key for the focused field.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Edit {
    Insert(char),
    Paste(String),
    Backspace,
    Delete,
    Left,
    Right,
    Home,
    End,
}

impl TextInput {
    pub fn new(max_chars: usize) -> Self {
        Self {
            text: String::new(),
            caret: 0,
            max_chars,
        }
    }

    pub fn with(text: &str, max_chars: usize) -> Self {
        let mut t = Self::new(max_chars);
        t.set(text);
        t
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    pub fn set(&mut self, text: &str) {
        self.text = text.chars().take(self.max_chars).collect();
        self.caret = self.text.chars().count();
    }

    pub fn clear(&mut self) {
        self.set("");
    }

    fn byte_at(&self, char_idx: usize) -> usize {
        self.text
            .char_indices()
            .nth(char_idx)
            .map_or(self.text.len(), |(b, _)| b)
    }

    /// Applies an edit; returns whether the text changed. Control characters in a paste
    /// (a scanner's trailing CR, tabs) are dropped; the text never grows past `max_chars`.
    pub fn apply(&mut self, edit: &Edit) -> bool {
        let len = self.text.chars().count();
        match edit {
            Edit::Insert(c) => self.insert_str(&c.to_string()),
            Edit::Paste(s) => self.insert_str(s),
            Edit::Backspace if self.caret > 0 => {
                let at = self.byte_at(self.caret - 1);
                self.text.remove(at);
                self.caret -= 1;
                true
            }
            Edit::Delete if self.caret < len => {
                let at = self.byte_at(self.caret);
                self.text.remove(at);
                true
            }
            Edit::Left => {
                self.caret = self.caret.saturating_sub(1);
                false
            }
            Edit::Right => {
                self.caret = (self.caret + 1).min(len);
                false
            }
            Edit::Home => {
                self.caret = 0;
                false
            }
            Edit::End => {
                self.caret = len;
                false
            }
            Edit::Backspace | Edit::Delete => false,
        }
    }

    fn insert_str(&mut self, s: &str) -> bool {
        let room = self.max_chars.saturating_sub(self.text.chars().count());
        let add: String = s.chars().filter(|c| !c.is_control()).take(room).collect();
        if add.is_empty() {
            return false;
        }
        let at = self.byte_at(self.caret);
        self.text.insert_str(at, &add);
        self.caret += add.chars().count();
        true
    }

    /// Display columns from the start of the text to the caret.
    pub fn caret_columns(&self) -> usize {
        self.text[..self.byte_at(self.caret)].width()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_chinese_text_with_a_caret() {
        let mut t = TextInput::with("常德市", 10);
        t.apply(&Edit::Left);
        t.apply(&Edit::Insert('北'));
        assert_eq!(t.text(), "常德北市");
        assert_eq!(t.caret_columns(), 6);
        t.apply(&Edit::Backspace);
        t.apply(&Edit::Home);
        t.apply(&Edit::Delete);
        assert_eq!(t.text(), "德市");
    }

    #[test]
    fn paste_drops_control_characters_and_respects_the_limit() {
        let mut t = TextInput::new(5);
        assert!(t.apply(&Edit::Paste("J1234\r\n5678".into())));
        assert_eq!(t.text(), "J1234");
        assert!(!t.apply(&Edit::Insert('9')));
    }
}
