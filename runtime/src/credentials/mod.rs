//! Credentials: an Alibaba Cloud [`AccessKey`] pair (optionally with an STS token) or a Bearer
//! key, explicit, from the environment, or from a [`ProvideCredentials`] source such as the
//! [`DefaultChain`] (environment, OIDC role, profile files, ECS RAM role, credentials URI), kept
//! fresh by [`CachedProvider`]. Secret values are wrapped in [`Secret`], whose `Debug` never shows
//! them, and no error message or log line ever includes them.

mod assume_role;
mod cache;
mod chain;
mod env;
mod fetch;
mod imds;
mod oidc;
mod profile;
mod settings;
mod uri;

pub use assume_role::AssumeRoleProvider;
pub use cache::{CachedProvider, DEFAULT_REFRESH_BEFORE};
pub use chain::DefaultChain;
pub use env::EnvProvider;
pub use imds::{DEFAULT_IMDS_ENDPOINT, ImdsProvider};
pub use oidc::OidcProvider;
pub use profile::{CliProfileProvider, IniProfileProvider};
pub use settings::ChainSettings;
pub use uri::UriProvider;

pub use crate::key::{
    AccessKey, Credentials, CredentialsError, ENV_ACCESS_KEY_ID, ENV_ACCESS_KEY_SECRET,
    ENV_SECURITY_TOKEN, ProvideCredentials, Secret,
};
