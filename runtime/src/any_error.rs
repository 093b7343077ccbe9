//! [`AnyError`]: one error type for every operation of a service. Each operation's
//! `Error<OpCode>` converts into it (with `?`), its code re-read as the crate's union of codes,
//! so a caller handling several operations writes one error path.

use std::fmt;
use std::ops::Deref;

use crate::error::{Error, ErrorCode, UnknownCode};

/// An error of any operation of one service; generated crates name it
/// `errors::AnyError` (`AnyError<errors::Code>`, every code the service knows, each once).
pub struct AnyError<S: ErrorCode = UnknownCode>(Error<S>);

impl<S: ErrorCode> AnyError<S> {
    /// The error, with the crate-level code.
    pub fn into_inner(self) -> Error<S> {
        self.0
    }
}

impl<S: ErrorCode> Deref for AnyError<S> {
    type Target = Error<S>;

    fn deref(&self) -> &Error<S> {
        &self.0
    }
}

impl<C: ErrorCode, S: ErrorCode> From<Error<C>> for AnyError<S> {
    fn from(e: Error<C>) -> Self {
        AnyError(e.with_code())
    }
}

impl<S: ErrorCode> fmt::Debug for AnyError<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&self.0, f)
    }
}

impl<S: ErrorCode> fmt::Display for AnyError<S> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&self.0, f)
    }
}

impl<S: ErrorCode> std::error::Error for AnyError<S> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        std::error::Error::source(&self.0)
    }
}
