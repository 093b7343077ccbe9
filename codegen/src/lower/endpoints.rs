//! Endpoint URLs: `http(s)://host[:port][/path]`, nothing more, since the
//! runtime joins operation paths onto them.

use crate::diagnostic::Diagnostic;
use crate::load::FileCtx;
use crate::spec::Endpoints;
use crate::yaml_tree::{Part, join_key};

/// Checks the default endpoint, the per-region endpoints and the template.
pub fn check(endpoints: &Endpoints, ctx: &FileCtx<'_>, out: &mut Vec<Diagnostic>) {
    let mut url = |path: &str, text: &str| {
        if let Err(why) = check_url(text) {
            out.push(
                ctx.error(
                    path,
                    Part::Value,
                    format!("endpoint `{text}` is not a valid URL: {why}"),
                )
                .expected("`https://host[:port][/path]`, e.g. `https://rdsai.aliyuncs.com`"),
            );
        }
    };
    url("endpoints.default", &endpoints.default);
    for (region, endpoint) in &endpoints.regions {
        url(&join_key("endpoints.regions", region), endpoint);
    }
    if let Some(template) = &endpoints.region_template {
        if template.contains("{region}") {
            url(
                "endpoints.region_template",
                &template.replace("{region}", "cn-hangzhou"),
            );
        } else {
            out.push(
                ctx.error(
                    "endpoints.region_template",
                    Part::Value,
                    format!("region template `{template}` has no `{{region}}`"),
                )
                .hint("write e.g. `https://rdsai.{region}.aliyuncs.com`"),
            );
        }
    }
}

fn check_url(text: &str) -> Result<(), String> {
    if text.chars().any(char::is_whitespace) {
        return Err("it contains whitespace".to_owned());
    }
    let rest = text
        .strip_prefix("https://")
        .or_else(|| text.strip_prefix("http://"))
        .ok_or("it must start with `https://` or `http://`")?;
    if rest.contains(['?', '#']) {
        return Err("it may not have a query or fragment".to_owned());
    }
    let (authority, _path) = rest.split_once('/').unwrap_or((rest, ""));
    let (host, port) = match authority.rsplit_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    };
    if host.is_empty() {
        return Err("the host is missing".to_owned());
    }
    let labels_ok = host.split('.').all(|l| {
        !l.is_empty()
            && !l.starts_with('-')
            && !l.ends_with('-')
            && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    });
    if !labels_ok {
        return Err(format!("`{host}` is not a host name"));
    }
    if let Some(port) = port
        && port.parse::<u16>().is_err()
    {
        return Err(format!("`{port}` is not a port number"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_url;

    #[test]
    fn urls() {
        for good in [
            "https://rdsai.aliyuncs.com",
            "http://127.0.0.1:8080/",
            "https://api.altatech.ai/v1",
        ] {
            assert!(check_url(good).is_ok(), "{good}");
        }
        for bad in [
            "rdsai.aliyuncs.com",
            "https://",
            "https://a..b",
            "https://a b",
            "https://h:99999",
            "ftp://x",
        ] {
            assert!(check_url(bad).is_err(), "{bad}");
        }
    }
}
