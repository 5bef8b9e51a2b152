//! Sessions: a random token in an `HttpOnly; SameSite=Strict` cookie names a session kept in
//! memory (a restart logs everyone out). A session belongs to one village, holds who is logged
//! in (none before logging in) and its CSRF token, and expires; logging out removes it, and
//! logging in replaces the anonymous session by a new one (a token known before the login is
//! worth nothing after it).

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::book::accounts::Role;

/// The most sessions kept at once; beyond, the ones closest to expiring are dropped.
const MOST: usize = 10_000;

/// One session.
#[derive(Debug, Clone)]
pub struct Session {
    /// The village's id.
    pub village: String,
    /// The account logged in and its role (`None`: not logged in yet).
    pub account: Option<(String, Role)>,
    /// The token every form of this session carries.
    pub csrf: String,
    /// When it ends.
    pub expires: Instant,
}

/// The sessions, by token.
#[derive(Debug, Default)]
pub struct Sessions {
    by_token: HashMap<String, Session>,
}

impl Sessions {
    /// The live session of `token` for `village`.
    pub fn get(&mut self, token: &str, village: &str) -> Option<Session> {
        let now = Instant::now();
        self.by_token.retain(|_, s| s.expires > now);
        self.by_token
            .get(token)
            .filter(|s| s.village == village)
            .cloned()
    }

    /// Starts a session; gives its token (`None` when the system gives no random numbers).
    pub fn start(
        &mut self,
        village: &str,
        account: Option<(String, Role)>,
        lasts: Duration,
    ) -> Option<(String, Session)> {
        let token = super::http::random_token()?;
        let session = Session {
            village: village.to_string(),
            account,
            csrf: super::http::random_token()?,
            expires: Instant::now() + lasts,
        };
        if self.by_token.len() >= MOST {
            let mut all: Vec<(String, Instant)> = self
                .by_token
                .iter()
                .map(|(t, s)| (t.clone(), s.expires))
                .collect();
            all.sort_by_key(|(_, e)| *e);
            for (t, _) in all.into_iter().take(MOST / 10) {
                self.by_token.remove(&t);
            }
        }
        self.by_token.insert(token.clone(), session.clone());
        Some((token, session))
    }

    /// Ends a session.
    pub fn end(&mut self, token: &str) {
        self.by_token.remove(token);
    }
}
