//! [`AnyError`]: a wrapper that any `Error<C>` converts into (with `?`), its code re-read as
//! another [`ErrorCode`]. Generated crates no longer need it (every call of a crate returns the
//! crate's one `Error<errors::Code>`); it stays for code written when operations had code
//! types of their own, and for re-typing an error by hand.

use std::fmt;
use std::ops::Deref;

use crate::error::{Error, ErrorCode, UnknownCode};

/// An error of any operation of one service, with the code re-read as `S`; generated crates
/// name it `errors::AnyError` (`AnyError<errors::Code>`).
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
