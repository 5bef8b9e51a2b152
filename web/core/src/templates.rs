//! The township and county templates the page holds (镇模板.xy …), and every compile of the
//! page's compacts through them: a compact built on one (依据「…」) is checked against it, as
//! `xiangyue check` checks it against the template it finds in its folders. The page has no
//! folders: the user loads the template beside the compact, or the server sends the ones its
//! village stands on (`/api/villages/{id}/templates`). Which loaded text a 依据「名称」 means is
//! the command line's rule (`xiangyue::data::is_template_named`).

use std::cell::RefCell;

use xiangyue::compile::{Compiled, compile_with};
use xiangyue::data::{is_template_named, template_title};
use xiangyue::lsp;

/// A loaded template: its file's name without `.xy`, and its text.
struct Loaded {
    stem: String,
    text: String,
}

thread_local! {
    // The page runs on one thread; the wasm module's state lives as long as the page.
    static LOADED: RefCell<Vec<Loaded>> = const { RefCell::new(Vec::new()) };
}

/// Holds `text` (from the file `file`) as a template: its title, or why it is not one. A
/// template of the same title or file replaces the one held.
pub fn add(file: &str, text: &str) -> Result<String, String> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let title = template_title(text)
        .ok_or_else(|| format!("「{file}」不是模板：模板的第一行是 模板「名称」"))?;
    let stem = file
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or(file)
        .trim_end_matches(".xy")
        .to_string();
    LOADED.with_borrow_mut(|loaded| {
        loaded.retain(|t| t.stem != stem && template_title(&t.text).as_ref() != Some(&title));
        loaded.push(Loaded {
            stem,
            text: text.to_string(),
        });
    });
    Ok(title)
}

/// Forgets every template.
pub fn clear() {
    LOADED.with_borrow_mut(Vec::clear);
}

/// The templates held: each one's file name (without `.xy`) and title, in loading order.
pub fn held() -> Vec<(String, String)> {
    LOADED.with_borrow(|loaded| {
        loaded
            .iter()
            .map(|t| (t.stem.clone(), template_title(&t.text).unwrap_or_default()))
            .collect()
    })
}

/// The text of the template called `name`, if one is held.
pub fn find(name: &str) -> Option<String> {
    LOADED.with_borrow(|loaded| {
        loaded
            .iter()
            .find(|t| is_template_named(&t.text, Some(&t.stem), name))
            .map(|t| t.text.clone())
    })
}

/// Parses and checks a compact, against its template when it names one that is held.
pub fn compile(text: &str) -> Compiled {
    compile_with(text, &find)
}

/// The held templates, for the language server's answers (diagnostics, hover, completion).
pub fn for_editor() -> lsp::Templates {
    lsp::Templates::new(find)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    const TEMPLATE: &str = include_str!("../../../compacts/zetou-demo/镇模板.xy");
    const DONGSHAN: &str = include_str!("../../../compacts/zetou-demo/dongshan/dongshan.xy");

    #[test]
    fn a_compact_on_a_template_is_checked_against_the_loaded_one() {
        clear();
        // Without its template: E0147, as `xiangyue check` says when it finds none.
        let alone = compile(DONGSHAN);
        assert!(alone.compact.is_none());
        assert!(
            alone.problems.iter().any(|p| p.code() == "E0147"),
            "{:?}",
            alone.problems.iter().map(|p| p.code()).collect::<Vec<_>>()
        );
        // A compact that is not a template is refused as one.
        assert!(add("dongshan.xy", DONGSHAN).is_err());
        let title = add("镇模板.xy", TEMPLATE).unwrap();
        assert_eq!(held(), vec![("镇模板".to_string(), title)]);
        let with = compile(DONGSHAN);
        assert!(with.compact.is_some(), "{:?}", with.problems);
        // Widening a range the template sets is refused (E0143): the template is really used.
        let widened = DONGSHAN.replace("每次 加 5～8 分", "每次 加 5～12 分");
        let codes: Vec<String> = compile(&widened)
            .problems
            .iter()
            .map(|p| p.code())
            .collect();
        assert!(codes.contains(&"E0143".to_string()), "{codes:?}");
        // Found by its file name too; the same template loaded again is held once.
        let named_by_file =
            DONGSHAN.replace("依据「泽头镇农村居民信用积分模板」", "依据「镇模板」");
        assert!(compile(&named_by_file).compact.is_some());
        add("镇模板.xy", TEMPLATE).unwrap();
        assert_eq!(held().len(), 1);
        clear();
        assert!(compile(DONGSHAN).compact.is_none(), "cleared");
    }
}
