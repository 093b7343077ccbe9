//! What the network providers share: an HTTP client with short timeouts and no redirects, one
//! exchange that never quotes a response body (it may hold a secret), and the decoding of the
//! `{AccessKeyId, AccessKeySecret, SecurityToken, Expiration}` object every Alibaba credential
//! endpoint answers with.

use std::time::{Duration, SystemTime};

use serde::Deserialize;

use super::{AccessKey, Credentials, CredentialsError, Secret};
use crate::time::parse_acs_date;

/// An HTTP client for the credential endpoint `url`. Redirects are refused: a redirect could
/// carry a metadata token or an OIDC token to another host. Loopback endpoints (a sidecar, a
/// test) never go through a proxy, and neither does the metadata service (`use_proxy` false).
pub(crate) fn http_client(
    url: &str,
    connect: Duration,
    total: Duration,
    use_proxy: bool,
) -> Result<reqwest::Client, CredentialsError> {
    let loopback = reqwest::Url::parse(url)
        .ok()
        .and_then(|u| u.host_str().map(str::to_owned))
        .is_some_and(|h| h == "localhost" || h == "127.0.0.1" || h == "[::1]");
    let mut b = reqwest::Client::builder()
        .connect_timeout(connect)
        .timeout(total)
        .redirect(reqwest::redirect::Policy::none());
    if !use_proxy || loopback {
        b = b.no_proxy();
    }
    b.build()
        .map_err(|e| CredentialsError::new(format!("cannot build the HTTP client: {e}")))
}

/// Sends `req` and returns the status and body. Errors name `what` (an endpoint description,
/// never a token) and the transport failure.
pub(crate) async fn exchange(
    req: reqwest::RequestBuilder,
    what: &str,
) -> Result<(u16, Vec<u8>), CredentialsError> {
    let resp = req.send().await.map_err(|e| {
        CredentialsError::new(format!("{what}: request failed: {}", without_url(&e)))
    })?;
    let status = resp.status().as_u16();
    let body = resp.bytes().await.map_err(|e| {
        CredentialsError::new(format!(
            "{what}: reading the answer failed: {}",
            without_url(&e)
        ))
    })?;
    Ok((status, body.to_vec()))
}

/// A reqwest error without its URL (a credentials URI may carry a token in its query).
fn without_url(e: &reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "cannot connect"
    } else {
        "transport error"
    };
    match std::error::Error::source(e) {
        Some(s) => format!("{kind} ({s})"),
        None => kind.to_owned(),
    }
}

/// The credential object of ECS metadata, credentials URIs and STS answers (`Credentials`).
/// Deliberately without `Debug`: it holds the secret.
#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
pub(crate) struct Temporary {
    pub(crate) code: Option<String>,
    access_key_id: Option<String>,
    access_key_secret: Option<String>,
    security_token: Option<String>,
    expiration: Option<String>,
}

impl Temporary {
    /// Parses `body` as this object.
    pub(crate) fn parse(body: &[u8], what: &str) -> Result<Temporary, CredentialsError> {
        serde_json::from_slice(body).map_err(|_| {
            CredentialsError::new(format!(
                "{what}: the answer is not the expected JSON object"
            ))
        })
    }

    /// Credentials from `provider`, checked: every member present and not yet expired.
    pub(crate) fn into_credentials(
        self,
        provider: &str,
        what: &str,
    ) -> Result<Credentials, CredentialsError> {
        let missing = |m: &str| CredentialsError::new(format!("{what}: the answer has no `{m}`"));
        let id = self
            .access_key_id
            .filter(|v| !v.is_empty())
            .ok_or_else(|| missing("AccessKeyId"))?;
        let secret = self
            .access_key_secret
            .filter(|v| !v.is_empty())
            .ok_or_else(|| missing("AccessKeySecret"))?;
        let token = self
            .security_token
            .filter(|v| !v.is_empty())
            .ok_or_else(|| missing("SecurityToken"))?;
        let expiration = self.expiration.ok_or_else(|| missing("Expiration"))?;
        let expires = parse_acs_date(&expiration).ok_or_else(|| {
            CredentialsError::new(format!(
                "{what}: `Expiration` is `{expiration}`, not YYYY-MM-DDTHH:MM:SSZ"
            ))
        })?;
        if expires <= SystemTime::now() {
            return Err(CredentialsError::new(format!(
                "{what}: the credentials returned expired at {expiration}"
            )));
        }
        Ok(Credentials {
            access_key: AccessKey {
                id,
                secret: Secret::new(secret),
                security_token: Some(Secret::new(token)),
            },
            expires: Some(expires),
            provider: provider.to_owned(),
        })
    }
}

/// The `Code` of an Alibaba error answer, to say why a call failed without quoting the body.
pub(crate) fn error_code(body: &[u8]) -> String {
    #[derive(Deserialize)]
    struct Answer {
        #[serde(alias = "code")]
        #[serde(rename = "Code")]
        code: Option<String>,
    }
    match serde_json::from_slice::<Answer>(body) {
        Ok(Answer { code: Some(c) }) if c.len() <= 100 && !c.contains(char::is_whitespace) => {
            format!(", code `{c}`")
        }
        _ => String::new(),
    }
}
