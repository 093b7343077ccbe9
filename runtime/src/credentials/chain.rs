//! [`DefaultChain`]: the official SDKs' default credential chain, in their order:
//!
//! 1. environment variables ([`EnvProvider`]);
//! 2. OIDC role (RRSA), when `ALIBABA_CLOUD_ROLE_ARN`, `ALIBABA_CLOUD_OIDC_PROVIDER_ARN` and
//!    `ALIBABA_CLOUD_OIDC_TOKEN_FILE` are all set ([`OidcProvider`]);
//! 3. the CLI's `~/.aliyun/config.json` ([`CliProfileProvider`]);
//! 4. `~/.alibabacloud/credentials.ini` ([`IniProfileProvider`]);
//! 5. the ECS instance's RAM role, unless `ALIBABA_CLOUD_ECS_METADATA_DISABLED=true`
//!    ([`ImdsProvider`], role `ALIBABA_CLOUD_ECS_METADATA` or looked up);
//! 6. `ALIBABA_CLOUD_CREDENTIALS_URI`, when set ([`UriProvider`]).
//!
//! The first source that answers is remembered and asked alone afterwards, as the SDKs do. The
//! variables are read once, into [`ChainSettings`], which also holds the endpoints tests point
//! at 127.0.0.1.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use futures::future::BoxFuture;

use super::cache::CachedProvider;
use super::env::EnvProvider;
use super::imds::ImdsProvider;
use super::oidc::OidcProvider;
use super::profile::{CliProfileProvider, IniProfileProvider};
use super::settings::ChainSettings;
use super::uri::UriProvider;
use super::{Credentials, CredentialsError, ProvideCredentials};

/// The default credential chain (see the module docs for the order).
#[derive(Debug)]
pub struct DefaultChain {
    providers: Vec<(&'static str, Arc<dyn ProvideCredentials>)>,
    /// Index of the provider that answered first, plus one (0: none yet).
    last: AtomicUsize,
}

impl DefaultChain {
    /// The chain for the process's environment.
    pub fn from_env() -> Self {
        Self::new(&ChainSettings::from_env())
    }

    /// The chain for `settings`.
    pub fn new(settings: &ChainSettings) -> Self {
        let mut providers: Vec<(&'static str, Arc<dyn ProvideCredentials>)> =
            vec![("environment", Arc::new(EnvProvider::new(settings)))];
        if let (Some(role), Some(provider), Some(token)) = (
            settings.var("ALIBABA_CLOUD_ROLE_ARN"),
            settings.var("ALIBABA_CLOUD_OIDC_PROVIDER_ARN"),
            settings.var("ALIBABA_CLOUD_OIDC_TOKEN_FILE"),
        ) {
            let mut oidc = OidcProvider::new(settings.sts_endpoint(None), role, provider, token);
            if let Some(name) = settings.var("ALIBABA_CLOUD_ROLE_SESSION_NAME") {
                oidc = oidc.session_name(name);
            }
            providers.push(("OIDC role", Arc::new(CachedProvider::new(oidc))));
        }
        providers.push(("CLI profile", Arc::new(CliProfileProvider::new(settings))));
        providers.push((
            "credentials file",
            Arc::new(IniProfileProvider::new(settings)),
        ));
        if !settings.flag("ALIBABA_CLOUD_ECS_METADATA_DISABLED") {
            let imds = ImdsProvider::new(
                settings.imds_endpoint(),
                settings
                    .var("ALIBABA_CLOUD_ECS_METADATA")
                    .map(str::to_owned),
                settings.imds_v1_disabled(),
            );
            providers.push(("ECS RAM role", Arc::new(CachedProvider::new(imds))));
        }
        if let Some(uri) = settings.var("ALIBABA_CLOUD_CREDENTIALS_URI") {
            providers.push((
                "credentials URI",
                Arc::new(CachedProvider::new(UriProvider::new(uri))),
            ));
        }
        DefaultChain {
            providers,
            last: AtomicUsize::new(0),
        }
    }

    /// The names of the sources, in the order they are tried.
    pub fn sources(&self) -> Vec<&'static str> {
        self.providers.iter().map(|(n, _)| *n).collect()
    }

    async fn get(&self) -> Result<Credentials, CredentialsError> {
        if let Some(i) = self.last.load(Ordering::Acquire).checked_sub(1)
            && let Some((_, p)) = self.providers.get(i)
        {
            return p.provide().await;
        }
        let mut why = Vec::with_capacity(self.providers.len());
        for (i, (name, p)) in self.providers.iter().enumerate() {
            match p.provide().await {
                Ok(c) => {
                    self.last.store(i + 1, Ordering::Release);
                    tracing::debug!(source = name, provider = %c.provider, "credentials found");
                    return Ok(c);
                }
                Err(e) => why.push(format!("{name}: {e}")),
            }
        }
        Err(CredentialsError::new(format!(
            "no source of the default credential chain has credentials ({}); hint: set \
             ALIBABA_CLOUD_ACCESS_KEY_ID and ALIBABA_CLOUD_ACCESS_KEY_SECRET, or configure a profile",
            why.join("; ")
        )))
    }
}

impl ProvideCredentials for DefaultChain {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.get())
    }
}

impl crate::ConfigBuilder {
    /// The official SDKs' default credential chain for this process (see [`DefaultChain`]).
    pub fn default_credentials_chain(self) -> Self {
        self.credentials_provider(DefaultChain::from_env())
    }
}
