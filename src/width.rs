//! Display width of text on a terminal, where a Chinese character takes two columns: cut
//! and pad strings to a number of columns. Shared by the screens (`ui`) and the command
//! line's tables (`cli`).

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Columns `s` takes on a terminal.
pub fn width(s: &str) -> usize {
    UnicodeWidthStr::width(s)
}

/// At most `max` display columns of `s`, with `…` when cut.
pub fn truncate(s: &str, max: usize) -> String {
    if width(s) <= max {
        return s.to_string();
    }
    let mut out = String::new();
    let mut w = 0;
    for c in s.chars() {
        let cw = c.width().unwrap_or(0);
        if w + cw + 1 > max {
            break;
        }
        out.push(c);
        w += cw;
    }
    out.push('…');
    out
}

/// `s` padded with spaces to `columns` display columns (CJK characters count two).
pub fn pad(s: &str, columns: usize) -> String {
    format!("{s}{}", " ".repeat(columns.saturating_sub(width(s))))
}

/// `s` right-aligned in `columns` display columns.
pub fn pad_left(s: &str, columns: usize) -> String {
    format!("{}{s}", " ".repeat(columns.saturating_sub(width(s))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_characters_take_two_columns() {
        assert_eq!(width("湘A12345"), 8);
        assert_eq!(pad("张三", 6), "张三  ");
        assert_eq!(pad_left("张三", 6), "  张三");
        assert_eq!(pad("张三丰", 4), "张三丰", "never cut by pad");
    }

    #[test]
    fn truncate_cuts_to_the_columns_with_an_ellipsis() {
        assert_eq!(truncate("常德北收费站", 12), "常德北收费站");
        assert_eq!(truncate("常德北收费站", 8), "常德北…");
        assert_eq!(truncate("常德北收费站", 7), "常德北…");
        assert!(width(&truncate("常德北收费站", 6)) <= 6);
    }
}
