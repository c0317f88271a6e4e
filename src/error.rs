//! One error type for the whole core: every message is meant to be shown to a user as it is.

use std::fmt;

/// What went wrong, in words a user of the page can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// A setting is missing, unknown or out of range.
    Config(String),
    /// A number or digit string typed by the user is not acceptable.
    Input(String),
    /// A saved model could not be read back.
    Model(String),
    /// Training blew up and the epoch was undone.
    Diverged(String),
}

impl Error {
    pub fn message(&self) -> &str {
        match self {
            Error::Config(m) | Error::Input(m) | Error::Model(m) | Error::Diverged(m) => m,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.message())
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;

/// Most characters of a user's input quoted back in a message.
pub const QUOTE_LIMIT: usize = 40;

/// `text` as a message may quote it: at most [`QUOTE_LIMIT`] characters, then "…", so that a
/// 50 MB input never comes back in a message.
pub fn quote(text: &str) -> String {
    match text.char_indices().nth(QUOTE_LIMIT) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// A number as a message shows it: as JS writes it, with an exponent from 1e21 up and below 1e-6,
/// so that 1e300 is "1e+300" and never 301 digits, and ±Infinity as JS names it.
pub fn number(v: f64) -> String {
    if v.is_infinite() {
        (if v > 0.0 { "Infinity" } else { "-Infinity" }).to_string()
    } else if v != 0.0 && v.is_finite() && (v.abs() >= 1e21 || v.abs() < 1e-6) {
        // Rust writes 1e300, JS 1e+300
        let text = format!("{v:e}");
        if text.contains("e-") {
            text
        } else {
            text.replacen('e', "e+", 1)
        }
    } else {
        v.to_string()
    }
}

/// A message from a parser, which may quote its input at length, cut to a readable size.
pub fn brief(message: &str) -> String {
    match message.char_indices().nth(4 * QUOTE_LIMIT) {
        Some((cut, _)) => format!("{}…", &message[..cut]),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn numbers_are_written_as_js_writes_them() {
        use super::number;
        assert_eq!(number(1e300), "1e+300");
        assert_eq!(number(-1.5e300), "-1.5e+300");
        assert_eq!(number(2.5e-7), "2.5e-7");
        assert_eq!(number(123456.5), "123456.5");
        assert_eq!(number(-0.25), "-0.25");
        assert_eq!(number(f64::INFINITY), "Infinity");
        assert_eq!(number(f64::NEG_INFINITY), "-Infinity");
        assert_eq!(number(f64::NAN), "NaN");
    }

    #[test]
    fn quote_cuts_long_text() {
        assert_eq!(super::quote("short"), "short");
        let long = "é".repeat(1000);
        assert_eq!(super::quote(&long), format!("{}…", "é".repeat(super::QUOTE_LIMIT)));
    }
}
