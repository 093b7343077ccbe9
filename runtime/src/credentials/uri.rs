//! [`UriProvider`]: temporary credentials from a URL (`ALIBABA_CLOUD_CREDENTIALS_URI`), a local
//! sidecar answering `{Code: "Success", AccessKeyId, AccessKeySecret, SecurityToken,
//! Expiration}` to a `GET`.

use std::time::Duration;

use futures::future::BoxFuture;

use super::fetch::{Temporary, exchange, http_client};
use super::{Credentials, CredentialsError, ProvideCredentials};

/// Temporary credentials from a URI. Wrap it in [`CachedProvider`](super::CachedProvider) (the
/// default chain does). The URI is never printed: it may carry a token in its query.
pub struct UriProvider {
    http: Result<reqwest::Client, CredentialsError>,
    uri: String,
}

impl std::fmt::Debug for UriProvider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UriProvider").finish_non_exhaustive()
    }
}

impl UriProvider {
    /// Asks `uri` (`http://` or `https://`).
    pub fn new(uri: impl Into<String>) -> Self {
        let uri = uri.into();
        UriProvider {
            // The SDKs' timeouts: 5 s to connect, 10 s to read.
            http: http_client(&uri, Duration::from_secs(5), Duration::from_secs(15), true),
            uri,
        }
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        const WHAT: &str = "credentials URI (ALIBABA_CLOUD_CREDENTIALS_URI)";
        let http = self.http.as_ref().map_err(Clone::clone)?;
        let (status, body) = exchange(http.get(&self.uri), WHAT).await?;
        if status != 200 {
            return Err(CredentialsError::new(format!("{WHAT}: HTTP {status}")));
        }
        let answer = Temporary::parse(&body, WHAT)?;
        if answer.code.as_deref() != Some("Success") {
            return Err(CredentialsError::new(format!(
                "{WHAT}: `Code` is not `Success`"
            )));
        }
        answer.into_credentials("credential_uri", WHAT)
    }
}

impl ProvideCredentials for UriProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.fetch())
    }
}
