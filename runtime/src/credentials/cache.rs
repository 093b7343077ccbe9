//! [`CachedProvider`]: keeps the credentials of a slow or expiring source and fetches new ones
//! shortly before they expire, once, however many calls need them at that moment.

use std::sync::{Arc, RwLock};
use std::time::{Duration, SystemTime};

use futures::future::BoxFuture;

use super::{Credentials, CredentialsError, ProvideCredentials};

/// How long before expiry the official SDKs stop using temporary credentials (their "stale
/// time" is expiration minus 15 minutes), leaving room for clock skew and long calls.
pub const DEFAULT_REFRESH_BEFORE: Duration = Duration::from_secs(15 * 60);

/// Caches what `P` provides and refreshes it when it is about to expire.
///
/// * Credentials without an expiry are fetched once.
/// * Within `refresh_before` of the expiry, the next call refreshes; concurrent calls wait for
///   that one refresh (single flight) instead of each asking the source.
/// * If a refresh fails while the cached credentials have not expired yet, they are still
///   used (the next call tries again); expired credentials are never handed out.
#[derive(Debug)]
pub struct CachedProvider<P> {
    inner: P,
    refresh_before: Duration,
    current: RwLock<Option<Cached>>,
    /// Held while one caller refreshes; the others wait on it, then reuse the result.
    refreshing: tokio::sync::Mutex<()>,
}

#[derive(Debug, Clone)]
struct Cached {
    credentials: Arc<Credentials>,
    /// Bumped on every successful refresh, so a waiter can tell someone refreshed meanwhile.
    generation: u64,
}

impl<P: ProvideCredentials> CachedProvider<P> {
    /// Caches `inner`, refreshing [`DEFAULT_REFRESH_BEFORE`] before expiry.
    pub fn new(inner: P) -> Self {
        CachedProvider {
            inner,
            refresh_before: DEFAULT_REFRESH_BEFORE,
            current: RwLock::new(None),
            refreshing: tokio::sync::Mutex::new(()),
        }
    }

    /// Refreshes `d` before expiry instead.
    pub fn refresh_before(mut self, d: Duration) -> Self {
        self.refresh_before = d;
        self
    }

    fn snapshot(&self) -> Option<Cached> {
        // A poisoned lock only means a panic elsewhere while it was held; the value is whole.
        self.current
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    fn is_fresh(&self, c: &Credentials, now: SystemTime) -> bool {
        match c.expires {
            None => true,
            Some(at) => now + self.refresh_before < at,
        }
    }

    async fn get(&self) -> Result<Credentials, CredentialsError> {
        let seen = self.snapshot();
        if let Some(c) = &seen
            && self.is_fresh(&c.credentials, SystemTime::now())
        {
            return Ok((*c.credentials).clone());
        }
        let _turn = self.refreshing.lock().await;
        let now = SystemTime::now();
        let current = self.snapshot();
        if let Some(c) = &current {
            let refreshed_meanwhile = seen.as_ref().map(|s| s.generation) != Some(c.generation);
            let unexpired = c.credentials.expires.is_none_or(|at| now < at);
            if self.is_fresh(&c.credentials, now) || (refreshed_meanwhile && unexpired) {
                return Ok((*c.credentials).clone());
            }
        }
        let fetched = self.inner.provide().await.and_then(|c| match c.expires {
            Some(at) if at <= now => Err(CredentialsError::new(format!(
                "the `{}` provider returned credentials that have already expired",
                c.provider
            ))),
            _ => Ok(c),
        });
        match fetched {
            Ok(fresh) => {
                let generation = current.as_ref().map_or(1, |c| c.generation + 1);
                let shared = Arc::new(fresh);
                *self
                    .current
                    .write()
                    .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(Cached {
                    credentials: Arc::clone(&shared),
                    generation,
                });
                tracing::debug!(provider = %shared.provider, "credentials refreshed");
                Ok((*shared).clone())
            }
            Err(e) => match current {
                Some(c) if c.credentials.expires.is_none_or(|at| now < at) => {
                    tracing::warn!(error = %e, "credentials refresh failed; using the cached ones until they expire");
                    Ok((*c.credentials).clone())
                }
                _ => Err(e),
            },
        }
    }
}

impl<P: ProvideCredentials> ProvideCredentials for CachedProvider<P> {
    fn provide(&self) -> BoxFuture<'_, Result<Credentials, CredentialsError>> {
        Box::pin(self.get())
    }
}
