//! The small pieces of HTTP the server needs beyond tiny_http: replies, percent-decoding,
//! forms (`application/x-www-form-urlencoded`, read with a size limit, UTF-8 checked), query
//! strings and cookies.

use std::io::Read;

use super::error::ServeError;

/// The most a form may send (the clerks' forms send a few hundred bytes).
pub const BODY_LIMIT: usize = 64 * 1024;

/// A reply: status, type, body and extra headers (all ASCII).
#[derive(Debug, Clone)]
pub struct Reply {
    /// The HTTP status.
    pub status: u16,
    /// The Content-Type.
    pub content_type: &'static str,
    /// The body.
    pub body: Vec<u8>,
    /// Further headers.
    pub headers: Vec<(&'static str, String)>,
}

impl Reply {
    /// An HTML page.
    pub fn html(status: u16, body: String) -> Reply {
        Reply {
            status,
            content_type: "text/html; charset=utf-8",
            body: body.into_bytes(),
            headers: Vec::new(),
        }
    }

    /// Text of a type.
    pub fn text(content_type: &'static str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status: 200,
            content_type,
            body: body.into(),
            headers: Vec::new(),
        }
    }

    /// JSON.
    pub fn json(status: u16, value: &serde_json::Value) -> Reply {
        Reply {
            status,
            content_type: "application/json; charset=utf-8",
            body: serde_json::to_vec(value).unwrap_or_default(),
            headers: Vec::new(),
        }
    }

    /// A redirect after a form (303: the browser then GETs `to`).
    pub fn see_other(to: &str) -> Reply {
        Reply {
            status: 303,
            content_type: "text/plain; charset=utf-8",
            body: Vec::new(),
            headers: vec![("Location", to.to_string())],
        }
    }

    /// With one more header.
    pub fn with(mut self, name: &'static str, value: String) -> Reply {
        self.headers.push((name, value));
        self
    }
}

/// Decodes %XX escapes (and `+` as a space when `plus`); `None` for a broken escape or text
/// that is not UTF-8.
pub fn percent_decode(text: &str, plus: bool) -> Option<String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'%' => {
                let hex = bytes.get(i + 1..i + 3)?;
                let hex = std::str::from_utf8(hex).ok()?;
                out.push(u8::from_str_radix(hex, 16).ok()?);
                i += 3;
            }
            b'+' if plus => {
                out.push(b' ');
                i += 1;
            }
            _ => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8(out).ok()
}

/// Encodes a value for a URL's query or path.
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A decoded form or query: its fields in order (a name may repeat).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Form(pub Vec<(String, String)>);

impl Form {
    /// Parses `a=1&b=%E4%B8%AD`; a field that is not UTF-8 or has a broken escape is refused.
    pub fn parse(text: &str) -> Result<Form, ServeError> {
        let mut fields = Vec::new();
        for pair in text.split('&').filter(|p| !p.is_empty()) {
            let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
            let decode = |t: &str| {
                percent_decode(t, true).ok_or_else(|| {
                    ServeError::bad(
                        "表单里有不是 UTF-8 的文字，或写坏了的 % 转义",
                        "用本站的网页提交表单（网页是 UTF-8 的）；用程序提交时按 UTF-8 编码",
                    )
                })
            };
            fields.push((decode(name)?, decode(value)?));
        }
        Ok(Form(fields))
    }

    /// The first value of `name`.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }

    /// Every value of `name`.
    pub fn all(&self, name: &str) -> Vec<String> {
        self.0
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
            .collect()
    }

    /// The value of `name`, trimmed, refused when missing or empty.
    pub fn required(&self, name: &str, label: &str) -> Result<String, ServeError> {
        match self.get(name).map(str::trim) {
            Some(value) if !value.is_empty() => Ok(value.to_string()),
            _ => Err(ServeError::bad(
                format!("没有填「{label}」"),
                format!("填上「{label}」再提交"),
            )),
        }
    }
}

/// A header's value.
pub fn header<'r>(request: &'r tiny_http::Request, name: &str) -> Option<&'r str> {
    request
        .headers()
        .iter()
        .find(|h| h.field.as_str().as_str().eq_ignore_ascii_case(name))
        .map(|h| h.value.as_str())
}

/// The value of cookie `name`.
pub fn cookie(request: &tiny_http::Request, name: &str) -> Option<String> {
    request
        .headers()
        .iter()
        .filter(|h| h.field.equiv("Cookie"))
        .flat_map(|h| h.value.as_str().split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(n, _)| *n == name)
        .map(|(_, v)| v.to_string())
}

/// Reads a form sent with POST: refuses another content type, a body over [`BODY_LIMIT`]
/// (announced or sent), and text that is not UTF-8.
pub fn read_form(request: &mut tiny_http::Request) -> Result<Form, ServeError> {
    let kind = header(request, "Content-Type")
        .unwrap_or("")
        .to_ascii_lowercase();
    if !kind.starts_with("application/x-www-form-urlencoded") {
        return Err(ServeError::bad(
            format!(
                "表单的格式是「{}」，不是网页表单（application/x-www-form-urlencoded）",
                if kind.is_empty() {
                    "（没写）"
                } else {
                    &kind
                }
            ),
            "用本站网页上的表单提交",
        ));
    }
    if let Some(size) = request.body_length()
        && size > BODY_LIMIT
    {
        return Err(ServeError::TooLarge {
            size,
            limit: BODY_LIMIT,
        });
    }
    let mut body = Vec::new();
    let limit = u64::try_from(BODY_LIMIT + 1).unwrap_or(u64::MAX);
    request
        .as_reader()
        .take(limit)
        .read_to_end(&mut body)
        .map_err(|e| ServeError::bad(format!("表单没有读完：{e}"), "再提交一次"))?;
    if body.len() > BODY_LIMIT {
        return Err(ServeError::TooLarge {
            size: body.len(),
            limit: BODY_LIMIT,
        });
    }
    let text = String::from_utf8(body).map_err(|_| {
        ServeError::bad(
            "表单里有不是 UTF-8 的文字",
            "用本站的网页提交表单（网页是 UTF-8 的）",
        )
    })?;
    Form::parse(&text)
}

/// Random bytes as lowercase hex (session and CSRF tokens: 32 bytes, 256 bits).
pub fn random_token() -> Option<String> {
    let mut bytes = [0u8; 32];
    getrandom::fill(&mut bytes).ok()?;
    Some(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

/// Compares two tokens in time that does not depend on where they differ.
pub fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_decode_chinese_and_refuse_broken_text() {
        let form = Form::parse("name=%E7%8E%8B%E4%BC%9A%E8%AE%A1&reason=a+b&r=1&r=2").unwrap();
        assert_eq!(form.get("name"), Some("王会计"));
        assert_eq!(form.get("reason"), Some("a b"));
        assert_eq!(form.all("r"), vec!["1", "2"]);
        assert_eq!(Form::parse("a=%FF%FE").unwrap_err().code(), "E0402");
        assert_eq!(Form::parse("a=%E4%B8").unwrap_err().code(), "E0402");
        assert_eq!(Form::parse("a=%zz").unwrap_err().code(), "E0402");
        assert_eq!(Form::parse("a=%4").unwrap_err().code(), "E0402");
    }

    #[test]
    fn tokens_are_long_random_and_compared_whole() {
        let a = random_token().unwrap();
        assert_eq!(a.len(), 64);
        assert_ne!(a, random_token().unwrap());
        assert!(same_token(&a, &a.clone()));
        assert!(!same_token(&a, &a[..63]));
        assert_eq!(percent_encode("王 a/b"), "%E7%8E%8B%20a%2Fb");
    }
}
