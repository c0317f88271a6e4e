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
    fn quote_cuts_long_text() {
        assert_eq!(super::quote("short"), "short");
        let long = "é".repeat(1000);
        assert_eq!(super::quote(&long), format!("{}…", "é".repeat(super::QUOTE_LIMIT)));
    }
}
