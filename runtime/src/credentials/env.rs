//! [`EnvProvider`]: `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET` and, for
//! STS, `ALIBABA_CLOUD_SECURITY_TOKEN`; the first link of the default chain.

use futures::future::BoxFuture;

use super::settings::ChainSettings;
use super::{
    AccessKey, Credentials, CredentialsError, ENV_ACCESS_KEY_ID, ENV_ACCESS_KEY_SECRET,
    ENV_SECURITY_TOKEN, ProvideCredentials, Secret,
};

/// Credentials from the environment variables (as captured by [`ChainSettings`]).
#[derive(Debug)]
pub struct EnvProvider {
    found: Result<Credentials, CredentialsError>,
}

impl EnvProvider {
    /// Reads the variables of `settings`.
    pub fn new(settings: &ChainSettings) -> Self {
        let found = match (
            settings.var(ENV_ACCESS_KEY_ID),
            settings.var(ENV_ACCESS_KEY_SECRET),
        ) {
            (Some(id), Some(secret)) => {
                let token = settings.var(ENV_SECURITY_TOKEN);
                let provider = if token.is_some() { "env/sts" } else { "env" };
                Ok(Credentials::new(
                    AccessKey {
                        id: id.to_owned(),
                        secret: Secret::new(secret),
                        security_token: token.map(Secret::new),
                    },
                    provider,
                ))
            }
            _ => Err(CredentialsError::new(format!(
                "{ENV_ACCESS_KEY_ID} and {ENV_ACCESS_KEY_SECRET} are not both set"
            ))),
        };
        EnvProvider { found }
    }
}

impl ProvideCredentials for EnvProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        let found = self.found.clone();
        Box::pin(async move { found })
    }
}
