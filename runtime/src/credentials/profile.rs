//! The shared profile files, as the official SDKs read them:
//!
//! * [`CliProfileProvider`]: the Alibaba Cloud CLI's `~/.aliyun/config.json`, profile
//!   `ALIBABA_CLOUD_PROFILE` or the file's `current`; modes `AK`, `StsToken`, `RamRoleArn`,
//!   `EcsRamRole`, `OIDC`. Skipped when `ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true`.
//! * [`IniProfileProvider`]: `~/.alibabacloud/credentials.ini` (or
//!   `ALIBABA_CLOUD_CREDENTIALS_FILE`), section `ALIBABA_CLOUD_PROFILE` or `default`; types
//!   `access_key`, `ram_role_arn`, `ecs_ram_role`, `oidc_role_arn`.
//!
//! `ChainableRamRoleArn`, RSA key pairs, CloudSSO, OAuth and external processes are reported as
//! unsupported, by name.
//! A file is read on first use; the provider it describes is then kept.

use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use futures::future::BoxFuture;
use serde_json::Value;

use super::assume_role::AssumeRoleProvider;
use super::cache::CachedProvider;
use super::imds::ImdsProvider;
use super::oidc::OidcProvider;
use super::settings::ChainSettings;
use super::{AccessKey, Credentials, CredentialsError, ProvideCredentials, Secret};

/// A provider described by a profile: static, or one that fetches.
type Inner = Arc<dyn ProvideCredentials>;

/// Credentials from `~/.aliyun/config.json` (the Alibaba Cloud CLI's configuration).
#[derive(Debug)]
pub struct CliProfileProvider {
    file: Option<PathBuf>,
    profile: Option<String>,
    settings: ChainSettings,
    inner: Mutex<Option<Inner>>,
}

/// Credentials from `~/.alibabacloud/credentials.ini`.
#[derive(Debug)]
pub struct IniProfileProvider {
    file: Option<PathBuf>,
    profile: String,
    settings: ChainSettings,
    inner: Mutex<Option<Inner>>,
}

impl CliProfileProvider {
    /// Reads `$HOME/.aliyun/config.json` of `settings`, profile `ALIBABA_CLOUD_PROFILE`.
    pub fn new(settings: &ChainSettings) -> Self {
        CliProfileProvider {
            file: settings
                .home()
                .map(|h| h.join(".aliyun").join("config.json")),
            profile: settings.var("ALIBABA_CLOUD_PROFILE").map(str::to_owned),
            settings: settings.clone(),
            inner: Mutex::new(None),
        }
    }

    fn load(&self) -> Result<Inner, CredentialsError> {
        let file = self.file.as_ref().ok_or_else(|| {
            CredentialsError::new("no home directory (HOME) to find .aliyun/config.json in")
        })?;
        let shown = file.display();
        let text = std::fs::read_to_string(file)
            .map_err(|e| CredentialsError::new(format!("cannot read {shown}: {e}")))?;
        let config: Value = serde_json::from_str(&text).map_err(|e| {
            CredentialsError::new(format!(
                "{shown}:{}:{}: not valid JSON ({})",
                e.line(),
                e.column(),
                format!("{:?}", e.classify()).to_lowercase()
            ))
        })?;
        let name = match &self.profile {
            Some(p) => p.clone(),
            None => config
                .get("current")
                .and_then(Value::as_str)
                .unwrap_or("default")
                .to_owned(),
        };
        let profile = config
            .get("profiles")
            .and_then(Value::as_array)
            .and_then(|ps| {
                ps.iter()
                    .find(|p| p.get("name").and_then(Value::as_str) == Some(name.as_str()))
            })
            .ok_or_else(|| {
                CredentialsError::new(format!(
                    "{shown}: no profile `{name}` (hint: set ALIBABA_CLOUD_PROFILE or `current`)"
                ))
            })?;
        let field = |k: &str| {
            profile
                .get(k)
                .and_then(Value::as_str)
                .filter(|v| !v.is_empty())
        };
        let need = |k: &str| {
            field(k).ok_or_else(|| {
                CredentialsError::new(format!("{shown}: profile `{name}` has no `{k}`"))
            })
        };
        let provider = format!("cli_profile/{name}");
        let mode = field("mode").unwrap_or_default();
        Ok(match mode {
            "AK" => fixed(
                need("access_key_id")?,
                need("access_key_secret")?,
                None,
                provider,
            ),
            "StsToken" => fixed(
                need("access_key_id")?,
                need("access_key_secret")?,
                Some(need("sts_token")?),
                provider,
            ),
            "RamRoleArn" => {
                let key = AccessKey::new(need("access_key_id")?, need("access_key_secret")?);
                let mut p = AssumeRoleProvider::new(
                    key,
                    self.settings.sts_endpoint(field("sts_region")),
                    need("ram_role_arn")?,
                );
                if let Some(s) = field("ram_session_name") {
                    p = p.session_name(s);
                }
                if let Some(s) = field("policy") {
                    p = p.policy(s);
                }
                if let Some(s) = field("external_id") {
                    p = p.external_id(s);
                }
                Arc::new(CachedProvider::new(p))
            }
            "EcsRamRole" => Arc::new(CachedProvider::new(ImdsProvider::new(
                self.settings.imds_endpoint(),
                field("ram_role_name").map(str::to_owned),
                self.settings.imds_v1_disabled(),
            ))),
            "OIDC" => {
                let mut p = OidcProvider::new(
                    self.settings.sts_endpoint(field("sts_region")),
                    need("ram_role_arn")?,
                    need("oidc_provider_arn")?,
                    need("oidc_token_file")?,
                );
                if let Some(s) = field("role_session_name") {
                    p = p.session_name(s);
                }
                if let Some(s) = field("policy") {
                    p = p.policy(s);
                }
                Arc::new(CachedProvider::new(p))
            }
            other => {
                return Err(CredentialsError::new(format!(
                    "{shown}: profile `{name}` has mode `{other}`, which this client does not support \
                     (supported: AK, StsToken, RamRoleArn, EcsRamRole, OIDC)"
                )));
            }
        })
    }
}

impl IniProfileProvider {
    /// Reads `ALIBABA_CLOUD_CREDENTIALS_FILE` or `$HOME/.alibabacloud/credentials.ini` of
    /// `settings`, section `ALIBABA_CLOUD_PROFILE` or `default`.
    pub fn new(settings: &ChainSettings) -> Self {
        let file = match settings.var("ALIBABA_CLOUD_CREDENTIALS_FILE") {
            Some(f) => Some(PathBuf::from(f)),
            None => settings
                .home()
                .map(|h| h.join(".alibabacloud").join("credentials.ini")),
        };
        IniProfileProvider {
            file,
            profile: settings
                .var("ALIBABA_CLOUD_PROFILE")
                .unwrap_or("default")
                .to_owned(),
            settings: settings.clone(),
            inner: Mutex::new(None),
        }
    }

    fn load(&self) -> Result<Inner, CredentialsError> {
        let file = self.file.as_ref().ok_or_else(|| {
            CredentialsError::new(
                "no home directory (HOME) to find .alibabacloud/credentials.ini in",
            )
        })?;
        let shown = file.display();
        let ini = ini::Ini::load_from_file(file)
            .map_err(|e| CredentialsError::new(format!("cannot read {shown}: {e}")))?;
        let name = &self.profile;
        let section = ini.section(Some(name.as_str())).ok_or_else(|| {
            CredentialsError::new(format!(
                "{shown}: no section [{name}] (hint: set ALIBABA_CLOUD_PROFILE)"
            ))
        })?;
        // Like the SDKs, a `#` starts a comment anywhere in a value.
        let field = |k: &str| {
            section
                .get(k)
                .map(|v| v.split('#').next().unwrap_or_default().trim())
                .filter(|v| !v.is_empty())
        };
        let need = |k: &str| {
            field(k).ok_or_else(|| {
                CredentialsError::new(format!("{shown}: section [{name}] has no `{k}`"))
            })
        };
        let provider = format!("profile/{name}");
        Ok(match field("type").unwrap_or_default() {
            "access_key" => fixed(
                need("access_key_id")?,
                need("access_key_secret")?,
                None,
                provider,
            ),
            "ram_role_arn" => {
                let key = AccessKey::new(need("access_key_id")?, need("access_key_secret")?);
                let mut p = AssumeRoleProvider::new(
                    key,
                    self.settings.sts_endpoint(None),
                    need("role_arn")?,
                );
                if let Some(s) = field("role_session_name") {
                    p = p.session_name(s);
                }
                if let Some(s) = field("policy") {
                    p = p.policy(s);
                }
                Arc::new(CachedProvider::new(p))
            }
            "ecs_ram_role" => Arc::new(CachedProvider::new(ImdsProvider::new(
                self.settings.imds_endpoint(),
                field("role_name").map(str::to_owned),
                self.settings.imds_v1_disabled(),
            ))),
            "oidc_role_arn" => {
                let mut p = OidcProvider::new(
                    self.settings.sts_endpoint(None),
                    need("role_arn")?,
                    need("oidc_provider_arn")?,
                    need("oidc_token_file_path")?,
                );
                if let Some(s) = field("role_session_name") {
                    p = p.session_name(s);
                }
                if let Some(s) = field("policy") {
                    p = p.policy(s);
                }
                Arc::new(CachedProvider::new(p))
            }
            other => {
                return Err(CredentialsError::new(format!(
                    "{shown}: section [{name}] has type `{other}`, which this client does not support \
                     (supported: access_key, ram_role_arn, ecs_ram_role, oidc_role_arn)"
                )));
            }
        })
    }
}

/// Static credentials named after their profile.
fn fixed(id: &str, secret: &str, token: Option<&str>, provider: String) -> Inner {
    #[derive(Debug)]
    struct Fixed(Credentials);
    impl ProvideCredentials for Fixed {
        fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
            let c = self.0.clone();
            Box::pin(async move { Ok(c) })
        }
    }
    Arc::new(Fixed(Credentials::new(
        AccessKey {
            id: id.to_owned(),
            secret: Secret::new(secret),
            security_token: token.map(Secret::new),
        },
        provider,
    )))
}

/// The provider a file describes, loaded on first use and kept once it loaded.
fn loaded(
    slot: &Mutex<Option<Inner>>,
    load: impl FnOnce() -> Result<Inner, CredentialsError>,
) -> Result<Inner, CredentialsError> {
    let mut slot = slot
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if let Some(p) = &*slot {
        return Ok(Arc::clone(p));
    }
    let p = load()?;
    *slot = Some(Arc::clone(&p));
    Ok(p)
}

impl ProvideCredentials for CliProfileProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move {
            if self.settings.flag("ALIBABA_CLOUD_CLI_PROFILE_DISABLED") {
                return Err(CredentialsError::new(
                    "the CLI profile is disabled (ALIBABA_CLOUD_CLI_PROFILE_DISABLED=true)",
                ));
            }
            loaded(&self.inner, || self.load())?.provide().await
        })
    }
}

impl ProvideCredentials for IniProfileProvider {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(async move { loaded(&self.inner, || self.load())?.provide().await })
    }
}
