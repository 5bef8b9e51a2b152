//! Which text is the template a compact's 依据「名称」 names — the rule shared by the command
//! line (which looks in folders, `templates`) and the browser workbench (which holds the
//! templates the user loaded): a text whose head is 模板「名称」, or a template (head 模板「…」)
//! whose file is named 名称.xy. Widths are folded, so 「镇模板」 and 「镇模板」 written with
//! full-width or half-width characters are one name.

use crate::model::width::fold_width;

/// The title of a template's text: `Some("名称")` when its first line that is neither blank
/// nor a comment is 模板「名称」.
pub fn template_title(text: &str) -> Option<String> {
    let line = text
        .lines()
        .map(|l| l.trim_start_matches('\u{feff}').trim())
        .find(|l| !l.is_empty() && !l.starts_with('#') && !l.starts_with('＃'))?;
    let rest = line.strip_prefix("模板")?.trim_start();
    let mut chars = rest.chars();
    let close = match chars.next()? {
        '「' => '」',
        '“' => '”',
        '『' => '』',
        '"' => '"',
        _ => return None,
    };
    let inner: String = chars.take_while(|&c| c != close).collect();
    Some(inner)
}

/// Whether `text` (from a file named `file_stem`.xy, when there is a file) is the template
/// called `name`.
pub fn is_template_named(text: &str, file_stem: Option<&str>, name: &str) -> bool {
    let Some(title) = template_title(text) else {
        return false;
    };
    let wanted = fold_width(name.trim());
    fold_width(title.trim()) == wanted || file_stem.is_some_and(|s| fold_width(s.trim()) == wanted)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_is_found_by_its_title_or_by_its_file_name() {
        let text = "# 泽头镇\n模板「泽头镇村规民约模板」\n";
        assert_eq!(template_title(text).as_deref(), Some("泽头镇村规民约模板"));
        assert!(is_template_named(text, None, "泽头镇村规民约模板"));
        assert!(is_template_named(text, Some("镇模板"), "镇模板"));
        assert!(!is_template_named(text, Some("镇模板"), "县模板"));
        // A compact that is not a template is never one, whatever its file is called.
        assert!(!is_template_named(
            "乡约「东山村」\n",
            Some("镇模板"),
            "镇模板"
        ));
    }
}
