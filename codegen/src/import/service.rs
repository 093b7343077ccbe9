//! The metadata's `info` and `endpoints` into a `service.yaml` draft, for a
//! service `spec/` does not have yet.

use std::collections::BTreeMap;

use super::ImportError;
use super::meta::Node;
use crate::spec::{
    Auth, CrateSpec, Endpoints, ErrorShape, Protocol, Provenance, ServiceErrors, ServiceSpec,
};

/// The product facts of `info`.
pub struct Info {
    /// `RdsAi`.
    pub product: String,
    /// `2025-05-07`.
    pub version: String,
    /// From `info.style`.
    pub protocol: Protocol,
}

/// Reads `info`.
pub fn info(root: &Node<'_>) -> Result<Info, ImportError> {
    let info = root.require("info")?;
    let style = info.require("style")?;
    let protocol = match style.str()? {
        "RPC" => Protocol::AlibabaRpc,
        "ROA" => Protocol::AlibabaRoa,
        other => return Err(style.error(format!("API style `{other}` (expected RPC or ROA)"))),
    };
    Ok(Info {
        product: info.require("product")?.str()?.to_owned(),
        version: info.require("version")?.str()?.to_owned(),
        protocol,
    })
}

/// The service spec of a new service named `name`.
pub fn draft(
    root: &Node<'_>,
    name: &str,
    info: &Info,
    envelope: bool,
    provenance: Vec<Provenance>,
) -> Result<ServiceSpec, ImportError> {
    let mut regions = BTreeMap::new();
    if let Some(list) = root.get("endpoints") {
        for e in list.items()? {
            let region = e.require("regionId")?.str()?.to_owned();
            let host = e.require("endpoint")?.str()?.trim().to_owned();
            regions.insert(region, format!("https://{host}"));
        }
    }
    // The central endpoint (`rdsai.aliyuncs.com`) when the file lists it,
    // else the first region's: the SDKs' own fallback is the central one.
    let central = format!("https://{}.aliyuncs.com", info.product.to_ascii_lowercase());
    let default = if regions.values().any(|e| *e == central) || regions.is_empty() {
        central
    } else {
        regions.values().next().cloned().unwrap_or(central)
    };
    let mut shapes = vec![ErrorShape::Alibaba];
    if envelope {
        shapes.push(ErrorShape::SuccessEnvelope);
    }
    Ok(ServiceSpec {
        service: name.to_owned(),
        title: format!(
            "Alibaba Cloud {} ({} {})",
            info.product, info.product, info.version
        ),
        description: None,
        krate: CrateSpec {
            name: name.to_owned(),
            version: "0.1.0".into(),
        },
        protocol: info.protocol,
        api_version: Some(info.version.clone()),
        endpoints: Endpoints {
            default,
            regions,
            region_template: None,
        },
        auth: Auth::Acs3HmacSha256,
        errors: ServiceErrors {
            shapes,
            codes: Vec::new(),
        },
        types: BTreeMap::new(),
        provenance,
    })
}
