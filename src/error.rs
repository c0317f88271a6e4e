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
}

impl Error {
    pub fn message(&self) -> &str {
        match self {
            Error::Config(m) | Error::Input(m) | Error::Model(m) => m,
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
