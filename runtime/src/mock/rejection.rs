//! A request the mock refuses: the service's own error code, HTTP status and message, and
//! what was wrong in plain words for the mock's log.
//!
//! Sources: `InvalidParameter` with HTTP 400 and "The provided parameter is invalid." is what the
//! per-operation `errorCodes` of Alibaba's API metadata list for every RdsAi 2025-05-07
//! operation (and the spec's ChatMessages errors). The gateway codes (`InvalidAction.NotFound`,
//! `SignatureDoesNotMatch`, `IncompleteSignature`, `InvalidAccessKeyId.NotFound`,
//! `SignatureNonceUsed`, `InvalidTimeStamp.Expired`, `MissingParameter`) are the common codes
//! of Alibaba Cloud's documentation that the specs' service errors list and docs/wire.md
//! section 6 marks unverified; their statuses and messages are the documented ones, not
//! observed against these services.

use crate::service::{ErrorShape, Protocol};

use super::table::MockService;

/// A refused request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Rejection {
    /// HTTP status.
    pub status: u16,
    /// The service's error code.
    pub code: String,
    /// The message the service sends.
    pub message: String,
    /// What was wrong, in plain words (the log's line).
    pub problem: String,
}

/// A kind of failure, mapped to each service family's code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Failure {
    /// Unknown action, or no operation at this method and path.
    UnknownAction,
    /// `x-acs-version` absent or not the service's.
    BadVersion,
    /// No usable `Authorization`, or a header that must be signed is not.
    IncompleteSignature,
    /// The AccessKey id (or bearer key) is not the one the mock accepts.
    UnknownKey,
    /// The recomputed signature differs.
    SignatureMismatch,
    /// The STS token is not the one issued with the AccessKey.
    BadSecurityToken,
    /// `x-acs-date` too far from now.
    Expired,
    /// A nonce seen before.
    NonceUsed,
    /// A required parameter is absent.
    MissingParameter,
    /// A parameter of the wrong type, outside its limits, or unknown.
    InvalidParameter,
}

impl Failure {
    /// The Alibaba gateway's status, code and message for this failure.
    fn alibaba(self, name: &str) -> (u16, &'static str, String) {
        match self {
            // "Specified api is not found, please check your url and method." (HTTP 404).
            Failure::UnknownAction => (
                404,
                "InvalidAction.NotFound",
                "Specified api is not found, please check your url and method.".into(),
            ),
            // The gateway's answer to an `x-acs-version` it does not serve (HTTP 400).
            Failure::BadVersion => (
                400,
                "InvalidVersion",
                "Specified parameter Version is not valid.".into(),
            ),
            Failure::IncompleteSignature => (
                400,
                "IncompleteSignature",
                "The request signature does not conform to Aliyun standards.".into(),
            ),
            Failure::UnknownKey => (
                404,
                "InvalidAccessKeyId.NotFound",
                "Specified access key is not found.".into(),
            ),
            // The real message continues with the server's string to sign; the mock adds it
            // too (see `check::signature`), which is what makes the mistake findable.
            Failure::SignatureMismatch => (
                400,
                "SignatureDoesNotMatch",
                "Specified signature is not matched with our calculation.".into(),
            ),
            Failure::BadSecurityToken => (
                400,
                "InvalidSecurityToken.MismatchWithAccessKey",
                "The Security Token does not match access key Id.".into(),
            ),
            Failure::Expired => (
                400,
                "InvalidTimeStamp.Expired",
                "Specified time stamp or date value is expired.".into(),
            ),
            Failure::NonceUsed => (
                400,
                "SignatureNonceUsed",
                "Specified signature nonce was used already.".into(),
            ),
            // RdsAi / AiContent metadata: `MissingParameter`, `InvalidParameter` (HTTP 400).
            Failure::MissingParameter => (
                400,
                "MissingParameter",
                format!(
                    "The input parameter \"{name}\" that is mandatory for processing this request is not supplied."
                ),
            ),
            Failure::InvalidParameter => (
                400,
                "InvalidParameter",
                "The provided parameter is invalid.".into(),
            ),
        }
    }

    /// altatech's `{code, message}`: the GPTBots/AltaBots documentation gives `40127`
    /// (authentication) and `40000` (parameter error) for every endpoint family, but no HTTP
    /// status; the mock's statuses (401, 404, 400) are its own choice, unverified.
    fn code_message(self) -> (u16, &'static str, String) {
        match self {
            Failure::IncompleteSignature
            | Failure::UnknownKey
            | Failure::SignatureMismatch
            | Failure::BadSecurityToken
            | Failure::Expired
            | Failure::NonceUsed => (401, "40127", "Developer authentication failed".into()),
            Failure::UnknownAction => (404, "40000", "Parameter error".into()),
            Failure::BadVersion | Failure::MissingParameter | Failure::InvalidParameter => {
                (400, "40000", "Parameter error".into())
            }
        }
    }

    /// The rejection `service` answers with; `name` is the parameter concerned, if any.
    pub fn reject(self, service: &MockService, name: &str, problem: String) -> Rejection {
        let (status, code, message) = if uses_code_message(service) {
            self.code_message()
        } else {
            self.alibaba(name)
        };
        Rejection {
            status,
            code: code.to_owned(),
            message,
            problem,
        }
    }
}

/// Whether the service answers failures with `{code, message}` (altatech) rather than
/// Alibaba's gateway body.
pub(crate) fn uses_code_message(service: &MockService) -> bool {
    service.info.protocol == Protocol::RestJson
        && service
            .info
            .error_shapes
            .first()
            .is_some_and(|s| *s == ErrorShape::CodeMessage)
}
