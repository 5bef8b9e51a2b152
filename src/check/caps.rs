//! Caps that say the same thing twice: two caps over one window and in one direction on the same
//! chapter, rule or account (本章 每年 至多 扣 100 分。 and 本章 每年 至多 扣 200 分。). Only one
//! of them could ever bite, and which one the villagers meant is not written anywhere, so it is
//! an error (E0126) rather than a silent choice of the smaller.

use crate::model::{Sign, Window};
use crate::syntax::Span;
use crate::syntax::ast::Declaration;

use super::{CheckError, Checker};

/// One cap as the duplicate check sees it: its window, the direction it limits (settled, so a
/// cap written without 加/扣 counts with the direction it takes), its limit and where it is.
pub(crate) struct CapSite {
    pub(crate) window: Window,
    pub(crate) direction: Sign,
    pub(crate) limit: String,
    pub(crate) span: Span,
}

impl Checker<'_> {
    /// Duplicate caps on every chapter (directions settled) and every account.
    pub(crate) fn duplicate_chapter_and_account_caps(&mut self) {
        let file = self.file;
        for (index, chapter) in file.chapters.iter().enumerate() {
            let Some(settled) = self.compact.chapters.get(index) else {
                continue;
            };
            let sites: Vec<CapSite> = chapter
                .caps
                .iter()
                .zip(&settled.caps)
                .map(|(written, cap)| CapSite {
                    window: cap.window,
                    direction: cap.direction,
                    limit: cap.limit.to_string(),
                    span: written.span,
                })
                .collect();
            self.duplicate_caps(&sites, "本章");
        }
        let accounts = file.declarations.iter().filter_map(|d| match &d.node {
            Declaration::Account(account) => Some(account),
            _ => None,
        });
        for decl in accounts {
            let sites: Vec<CapSite> = decl
                .caps
                .iter()
                .map(|cap| CapSite {
                    window: cap.node.window,
                    direction: cap.node.sign.unwrap_or(Sign::Add),
                    limit: cap.node.limit.to_string(),
                    span: cap.span,
                })
                .collect();
            self.duplicate_caps(&sites, &format!("账户「{}」", decl.name.node));
        }
    }

    /// Reports every cap that repeats the window and direction of an earlier one on the same
    /// owner (`place` is 本章, 本条 or the account's name).
    pub(crate) fn duplicate_caps(&mut self, sites: &[CapSite], place: &str) {
        for (index, site) in sites.iter().enumerate() {
            let earlier = sites
                .iter()
                .take(index)
                .find(|e| e.window == site.window && e.direction == site.direction);
            if let Some(first) = earlier {
                self.error(CheckError::DuplicateCap {
                    span: site.span,
                    first: first.span,
                    place: place.to_string(),
                    window: window_words(site.window).to_string(),
                    direction: direction_words(site.direction).to_string(),
                    first_limit: first.limit.clone(),
                    limit: site.limit.clone(),
                });
            }
        }
    }
}

/// 每年 / 每季度 / 每月, as the message says it.
fn window_words(window: Window) -> &'static str {
    match window {
        Window::Period => "每年",
        Window::Quarter => "每季度",
        Window::Month => "每月",
    }
}

fn direction_words(direction: Sign) -> &'static str {
    match direction {
        Sign::Add => "加分",
        Sign::Deduct => "扣分",
    }
}
