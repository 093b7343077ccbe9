//! [`ChainSettings`]: what the default credential chain reads, captured once: a snapshot of
//! its environment variables, plus the metadata and STS endpoints (overridable, so every network
//! source can be tested on 127.0.0.1). A leaf: every source reads it, it reads none of them.

use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;

use super::imds::DEFAULT_IMDS_ENDPOINT;

/// The environment variables the chain reads (and nothing else is captured).
const VARIABLES: &[&str] = &[
    "ALIBABA_CLOUD_ACCESS_KEY_ID",
    "ALIBABA_CLOUD_ACCESS_KEY_SECRET",
    "ALIBABA_CLOUD_SECURITY_TOKEN",
    "ALIBABA_CLOUD_ROLE_ARN",
    "ALIBABA_CLOUD_OIDC_PROVIDER_ARN",
    "ALIBABA_CLOUD_OIDC_TOKEN_FILE",
    "ALIBABA_CLOUD_ROLE_SESSION_NAME",
    "ALIBABA_CLOUD_STS_REGION",
    "ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED",
    "ALIBABA_CLOUD_PROFILE",
    "ALIBABA_CLOUD_CREDENTIALS_FILE",
    "ALIBABA_CLOUD_CLI_PROFILE_DISABLED",
    "ALIBABA_CLOUD_ECS_METADATA",
    "ALIBABA_CLOUD_ECS_METADATA_DISABLED",
    "ALIBABA_CLOUD_IMDSV1_DISABLED",
    "ALIBABA_CLOUD_CREDENTIALS_URI",
    "HOME",
    "USERPROFILE",
];

/// What the chain is built from: a snapshot of its environment variables, plus the metadata and
/// STS endpoints (overridable, so every network source can be tested on 127.0.0.1).
///
/// `Debug` lists the names of the variables present, never their values.
#[derive(Clone)]
pub struct ChainSettings {
    vars: BTreeMap<String, String>,
    imds_endpoint: String,
    sts_endpoint: Option<String>,
}

impl fmt::Debug for ChainSettings {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChainSettings")
            .field("variables", &self.vars.keys().collect::<Vec<_>>())
            .field("imds_endpoint", &self.imds_endpoint)
            .field("sts_endpoint", &self.sts_endpoint)
            .finish()
    }
}

impl ChainSettings {
    /// The process's environment.
    pub fn from_env() -> Self {
        Self::from_vars(
            VARIABLES
                .iter()
                .filter_map(|&k| Some((k.to_owned(), std::env::var(k).ok()?))),
        )
    }

    /// Exactly the variables given (the process's are ignored): for tests and embedding.
    pub fn from_vars<K: Into<String>, V: Into<String>>(
        vars: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        ChainSettings {
            vars: vars
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .filter(|(_, v)| !v.trim().is_empty())
                .collect(),
            imds_endpoint: DEFAULT_IMDS_ENDPOINT.to_owned(),
            sts_endpoint: None,
        }
    }

    /// The instance metadata service to ask (default `http://100.100.100.200`).
    pub fn with_imds_endpoint(mut self, url: impl Into<String>) -> Self {
        self.imds_endpoint = url.into();
        self
    }

    /// The STS endpoint for `AssumeRoleWithOIDC` (default from `ALIBABA_CLOUD_STS_REGION` and
    /// `ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED`: `https://sts[-vpc][.<region>].aliyuncs.com`).
    pub fn with_sts_endpoint(mut self, url: impl Into<String>) -> Self {
        self.sts_endpoint = Some(url.into());
        self
    }

    /// A non-empty variable.
    pub(crate) fn var(&self, name: &str) -> Option<&str> {
        self.vars.get(name).map(String::as_str)
    }

    /// Whether a variable is `true` (any case), the SDKs' only accepted spelling.
    pub(crate) fn flag(&self, name: &str) -> bool {
        self.var(name)
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
    }

    pub(crate) fn home(&self) -> Option<&Path> {
        self.var("HOME")
            .or_else(|| self.var("USERPROFILE"))
            .map(Path::new)
    }

    pub(crate) fn imds_endpoint(&self) -> &str {
        &self.imds_endpoint
    }

    pub(crate) fn imds_v1_disabled(&self) -> bool {
        self.flag("ALIBABA_CLOUD_IMDSV1_DISABLED")
    }

    /// The STS URL: the explicit one, else built from `region` (a profile's) or
    /// `ALIBABA_CLOUD_STS_REGION`.
    pub(crate) fn sts_endpoint(&self, region: Option<&str>) -> String {
        if let Some(e) = &self.sts_endpoint {
            return e.clone();
        }
        let prefix = if self.flag("ALIBABA_CLOUD_VPC_ENDPOINT_ENABLED") {
            "sts-vpc"
        } else {
            "sts"
        };
        match region.or_else(|| self.var("ALIBABA_CLOUD_STS_REGION")) {
            Some(r) => format!("https://{prefix}.{r}.aliyuncs.com"),
            None => format!("https://{prefix}.aliyuncs.com"),
        }
    }
}
