//! Service-level changes: crate, protocol, API version, auth, endpoints,
//! error shapes and codes; then operations and types.

use std::collections::BTreeSet;

use super::{Sink, breaking_if, compat, errors, finding_ops, operation, types};
use crate::diff::finding::Impact::{Breaking, Compatible};
use crate::diff::rules::Rule;
use crate::ir::{Auth, Protocol, Service};

pub(super) fn diff(old: &Service, new: &Service, sink: &mut Sink) {
    if old.crate_name != new.crate_name {
        // The package name is what `Cargo.toml` dependencies and `use`
        // paths say; the wire does not see it.
        let f = sink.add(
            Rule::CrateRenamed,
            "crate",
            format!(
                "crate renamed from `{}` to `{}`",
                old.crate_name, new.crate_name
            ),
            Compatible,
            Breaking,
        );
        f.before = Some(old.crate_name.clone());
        f.after = Some(new.crate_name.clone());
    }
    sink.description(
        "title",
        &format!("service `{}` title", new.name),
        Some(&old.title),
        Some(&new.title),
        Vec::new,
    );
    sink.description(
        "",
        &format!("service `{}`", new.name),
        old.description.as_deref(),
        new.description.as_deref(),
        Vec::new,
    );
    if old.protocol != new.protocol {
        // Hidden transport: the client methods stay; every request looks
        // different on the wire.
        let f = sink.add(
            Rule::ProtocolChanged,
            "protocol",
            "wire protocol changed".into(),
            Breaking,
            Compatible,
        );
        f.before = Some(protocol(old.protocol).into());
        f.after = Some(protocol(new.protocol).into());
    }
    if old.api_version != new.api_version {
        // The version travels in metadata (`x-acs-version`), not in any
        // generated signature.
        let f = sink.add(
            Rule::ApiVersionChanged,
            "api_version",
            "API version changed".into(),
            Breaking,
            Compatible,
        );
        f.before = old.api_version.clone();
        f.after = new.api_version.clone();
    }
    if old.auth != new.auth {
        // A new scheme needs new credentials on the wire; a new key
        // variable only changes where `Client::from_env` looks, which
        // breaks the crate's existing environments either way.
        let scheme_changed = std::mem::discriminant(&old.auth) != std::mem::discriminant(&new.auth);
        let f = sink.add(
            Rule::AuthChanged,
            "auth",
            "authentication changed".into(),
            breaking_if(scheme_changed),
            Breaking,
        );
        f.before = Some(auth(&old.auth));
        f.after = Some(auth(&new.auth));
    }
    endpoints(old, new, sink);
    if old.error_shapes != new.error_shapes {
        // Hidden transport: errors are decoded by the runtime into the same
        // error type whatever the shape.
        let f = sink.add(
            Rule::ErrorShapesChanged,
            "error_shapes",
            "error body shapes changed".into(),
            Breaking,
            Compatible,
        );
        f.before = Some(format!("{:?}", old.error_shapes));
        f.after = Some(format!("{:?}", new.error_shapes));
    }
    let all_ops = finding_ops(
        new.operations
            .iter()
            .map(|o| &o.name)
            .chain(old.operations.iter().map(|o| &o.name)),
    );
    errors::diff(
        &old.errors,
        &new.errors,
        "errors",
        &format!("service `{}`", new.name),
        &all_ops,
        |_| false,
        sink,
    );
    let old_types = compat::index(&old.types);
    let new_types = compat::index(&new.types);
    operation::diff_all(old, new, &old_types, &new_types, sink);
    types::diff_all(&old.types, &new.types, &old_types, &new_types, sink);
}

/// Endpoint changes. Hidden transport: the region is a string the caller
/// passes, so no generated signature changes; a caller of a moved or removed
/// endpoint is broken on the wire.
fn endpoints(old: &Service, new: &Service, sink: &mut Sink) {
    let (a, b) = (&old.endpoints, &new.endpoints);
    let mut changed =
        |path: &str, what: String, before: Option<&String>, after: Option<&String>| {
            let (rule, wire, message) = match (before, after) {
                (None, Some(_)) => (Rule::EndpointAdded, Compatible, format!("new {what}")),
                (Some(_), None) => (Rule::EndpointRemoved, Breaking, format!("{what} removed")),
                _ => (Rule::EndpointChanged, Breaking, format!("{what} changed")),
            };
            let f = sink.add(rule, path, message, wire, Compatible);
            f.before = before.cloned();
            f.after = after.cloned();
        };
    if a.default != b.default {
        changed(
            "endpoints/default",
            "default endpoint".into(),
            Some(&a.default),
            Some(&b.default),
        );
    }
    if a.region_template != b.region_template {
        changed(
            "endpoints/region_template",
            "region endpoint template".into(),
            a.region_template.as_ref(),
            b.region_template.as_ref(),
        );
    }
    let regions: BTreeSet<&String> = a.regions.keys().chain(b.regions.keys()).collect();
    for region in regions {
        let (before, after) = (a.regions.get(region), b.regions.get(region));
        if before != after {
            changed(
                &format!("endpoints/regions/{region}"),
                format!("endpoint for region `{region}`"),
                before,
                after,
            );
        }
    }
}

fn protocol(p: Protocol) -> &'static str {
    match p {
        Protocol::AlibabaRpc => "alibaba-rpc",
        Protocol::AlibabaRoa => "alibaba-roa",
        Protocol::RestJson => "rest-json",
    }
}

fn auth(a: &Auth) -> String {
    match a {
        Auth::Acs3HmacSha256 => "acs3-hmac-sha256".into(),
        Auth::Bearer { env } => format!("bearer (key from `{env}`)"),
    }
}
