//! Endpoint resolution: an explicit endpoint, else the service's per-region map, else its
//! region template, else its default endpoint.

use reqwest::Url;

use crate::service::ServiceInfo;

/// A resolved endpoint: where requests go and what `host` is signed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Endpoint {
    /// `http` or `https`.
    pub scheme: String,
    /// `host` or `host:port` (the port only when it is not the scheme's default), exactly the
    /// `Host` header the HTTP stack sends for this URL.
    pub authority: String,
    /// Path prefix without a trailing `/` (usually empty).
    pub base_path: String,
}

/// `raw` as it may be shown in errors and `Debug`: user info, query and fragment (which may
/// hold passwords or keys) replaced by `***`. Works on text that is not a valid URL too.
pub(crate) fn redact(raw: &str) -> String {
    let start = raw.find("://").map_or(0, |i| i + 3);
    let tail = raw[start..]
        .find(['/', '?', '#'])
        .map_or(raw.len(), |i| start + i);
    let mut out = String::with_capacity(raw.len());
    out.push_str(&raw[..start]);
    let authority = &raw[start..tail];
    match authority.rfind('@') {
        Some(at) => {
            out.push_str("***");
            out.push_str(&authority[at..]);
        }
        None => out.push_str(authority),
    }
    let rest = &raw[tail..];
    match rest.find(['?', '#']) {
        Some(i) => {
            out.push_str(&rest[..i]);
            out.push_str(&rest[i..=i]);
            out.push_str("***");
        }
        None => out.push_str(rest),
    }
    out
}

impl Endpoint {
    /// Parses `https://host[:port][/base]`; a value without a scheme is taken as HTTPS.
    pub fn parse(raw: &str) -> Result<Endpoint, String> {
        let raw = raw.trim();
        let shown = redact(raw);
        let with_scheme = if raw.contains("://") {
            raw.to_owned()
        } else {
            format!("https://{raw}")
        };
        let url =
            Url::parse(&with_scheme).map_err(|e| format!("invalid endpoint `{shown}`: {e}"))?;
        if !matches!(url.scheme(), "http" | "https") {
            return Err(format!(
                "invalid endpoint `{shown}`: the scheme must be http or https"
            ));
        }
        if url.query().is_some()
            || url.fragment().is_some()
            || !url.username().is_empty()
            || url.password().is_some()
        {
            return Err(format!(
                "invalid endpoint `{shown}`: no query, fragment or user info allowed (put credentials in the Config, never in the URL)"
            ));
        }
        let host = url
            .host_str()
            .ok_or_else(|| format!("invalid endpoint `{shown}`: no host"))?;
        let authority = match url.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.to_owned(),
        };
        Ok(Endpoint {
            scheme: url.scheme().to_owned(),
            authority,
            base_path: url.path().trim_end_matches('/').to_owned(),
        })
    }

    /// Resolves the endpoint of `service` for an explicit endpoint and/or region.
    pub fn resolve(
        service: &ServiceInfo,
        explicit: Option<&str>,
        region: Option<&str>,
    ) -> Result<Endpoint, String> {
        if let Some(e) = explicit {
            return Endpoint::parse(e);
        }
        let Some(region) = region else {
            return Endpoint::parse(service.default_endpoint);
        };
        // The region lands inside a host name: refuse anything that could change its meaning.
        if region.is_empty()
            || !region
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        {
            return Err(format!(
                "invalid region `{region}`: expected lower-case letters, digits and `-`"
            ));
        }
        if let Some((_, e)) = service
            .regional_endpoints
            .iter()
            .find(|(r, _)| *r == region)
        {
            return Endpoint::parse(e);
        }
        match service.region_template {
            Some(t) => Endpoint::parse(&t.replace("{region}", region)),
            None => Endpoint::parse(service.default_endpoint),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::service::{AuthScheme, Protocol};

    const SVC: ServiceInfo = ServiceInfo {
        name: "rdsai",
        protocol: Protocol::AlibabaRpc,
        api_version: Some("2025-05-07"),
        default_endpoint: "https://rdsai.aliyuncs.com",
        regional_endpoints: &[("cn-hangzhou", "rdsai.aliyuncs.com")],
        region_template: Some("https://rdsai.{region}.aliyuncs.com"),
        auth: AuthScheme::Acs3HmacSha256,
        error_shapes: &[],
        user_agent: "rdsai/0.1.0",
    };

    fn authority(e: Option<&str>, r: Option<&str>) -> String {
        Endpoint::resolve(&SVC, e, r)
            .map(|e| format!("{}://{}{}", e.scheme, e.authority, e.base_path))
            .unwrap_or_else(|e| e)
    }

    #[test]
    fn precedence() {
        assert_eq!(
            authority(Some("http://127.0.0.1:8080"), Some("cn-hangzhou")),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            authority(None, Some("cn-hangzhou")),
            "https://rdsai.aliyuncs.com"
        );
        assert_eq!(
            authority(None, Some("ap-southeast-1")),
            "https://rdsai.ap-southeast-1.aliyuncs.com"
        );
        assert_eq!(authority(None, None), "https://rdsai.aliyuncs.com");
    }

    #[test]
    fn redaction_hides_user_info_query_and_fragment() {
        assert_eq!(
            redact("https://u:p%40ss@h:1/x?k=v#f"),
            "https://***@h:1/x?***"
        );
        assert_eq!(redact("u:pw@h?sig=1"), "***@h?***");
        assert_eq!(redact("https://h/a#frag"), "https://h/a#***");
        assert_eq!(redact("http://[::1]:9/p"), "http://[::1]:9/p");
        let err = Endpoint::parse("https://admin:hunter2@h/").unwrap_err();
        assert!(!err.contains("hunter2") && !err.contains("admin"), "{err}");
    }

    #[test]
    fn ports_and_paths() {
        assert_eq!(authority(Some("https://h:443/"), None), "https://h");
        assert_eq!(authority(Some("h:8443/base/"), None), "https://h:8443/base");
        assert_eq!(authority(Some("http://[::1]:9/"), None), "http://[::1]:9");
        assert!(authority(Some("ftp://h"), None).contains("scheme"));
        assert!(authority(None, Some("x.evil.com/")).contains("invalid region"));
    }
}
