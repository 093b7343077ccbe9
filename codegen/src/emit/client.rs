//! `src/client.rs`: the service description and the `Client` type.
//!
//! The client is a thin wrapper over the runtime client bound to this
//! service's `SERVICE`; operation methods are added by each operation's
//! module (`impl Client` blocks), so this file does not grow with the spec.

use proc_macro2::TokenStream;
use quote::quote;

use super::{ServiceCtx, docs};
use crate::ir::{Auth, ErrorShape, Protocol};

/// The whole `client.rs`.
pub fn emit(ctx: &ServiceCtx<'_>) -> TokenStream {
    let svc = ctx.svc;
    let title = docs::markdown(&svc.title);
    let name = &svc.name;
    let protocol = match svc.protocol {
        Protocol::AlibabaRpc => quote!(AlibabaRpc),
        Protocol::AlibabaRoa => quote!(AlibabaRoa),
        Protocol::RestJson => quote!(RestJson),
    };
    let api_version = option_str(svc.api_version.as_deref());
    let default_endpoint = &svc.endpoints.default;
    let regions = svc
        .endpoints
        .regions
        .iter()
        .map(|(region, endpoint)| quote!((#region, #endpoint)));
    let region_template = option_str(svc.endpoints.region_template.as_deref());
    let auth = match &svc.auth {
        Auth::Acs3HmacSha256 => quote!(wiregen_runtime::AuthScheme::Acs3HmacSha256),
        Auth::Bearer { env } => quote!(wiregen_runtime::AuthScheme::Bearer { env: #env }),
    };
    let shapes = svc.error_shapes.iter().map(|shape| match shape {
        ErrorShape::Alibaba => quote!(wiregen_runtime::ErrorShape::Alibaba),
        ErrorShape::SuccessEnvelope => quote!(wiregen_runtime::ErrorShape::SuccessEnvelope),
        ErrorShape::CodeMessage => quote!(wiregen_runtime::ErrorShape::CodeMessage),
    });
    let user_agent = format!("{}/{}", svc.crate_name, svc.crate_version);
    let from_env_doc = docs::attrs(&match &svc.auth {
        Auth::Acs3HmacSha256 => "A client configured from the environment: credentials from \
             `ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET` and, for STS, \
             `ALIBABA_CLOUD_SECURITY_TOKEN` when set, else from the rest of the default \
             credential chain ([`DefaultChain`](crate::DefaultChain): OIDC role, profile files, \
             ECS RAM role, credentials URI), asked on the first call.\n\n# Errors\n\nNot for \
             missing credentials (the first call reports what each source lacked); kept for \
             Bearer services, whose variable is read here."
            .to_owned(),
        Auth::Bearer { env } => format!(
            "A client configured from the environment: the API key from `{env}`.\n\n# Errors\n\n\
             When the variable is missing (the error names it)."
        ),
    });
    let client_doc = docs::attrs(&format!(
        "Client for {title}: one method per operation, each returning a request builder.\n\n\
         Cheap to clone; clones share connections and configuration."
    ));
    let service_doc = docs::attrs(&format!(
        "How {title} is reached: protocol, endpoints, authentication, error bodies."
    ));
    quote! {
        //! The client and the service description it is built on.

        #service_doc
        pub static SERVICE: wiregen_runtime::ServiceInfo = wiregen_runtime::ServiceInfo {
            name: #name,
            protocol: wiregen_runtime::Protocol::#protocol,
            api_version: #api_version,
            default_endpoint: #default_endpoint,
            regional_endpoints: &[#(#regions),*],
            region_template: #region_template,
            auth: #auth,
            error_shapes: &[#(#shapes),*],
            user_agent: #user_agent,
        };

        #client_doc
        #[derive(Debug, Clone)]
        pub struct Client {
            inner: wiregen_runtime::Client,
        }

        impl Client {
            /// A client with explicit configuration (credentials, endpoint or region, timeouts, retries).
            pub fn new(config: wiregen_runtime::Config) -> Self {
                Self { inner: wiregen_runtime::Client::new(&SERVICE, config) }
            }

            #from_env_doc
            pub fn from_env() -> crate::Result<Self> {
                wiregen_runtime::Client::from_env(&SERVICE)
                    .map(|inner| Self { inner })
                    .map_err(wiregen_runtime::Error::with_code)
            }

            /// Wraps a runtime client; it must have been built for [`SERVICE`].
            pub fn from_runtime(inner: wiregen_runtime::Client) -> Self {
                Self { inner }
            }

            /// The runtime client underneath, for what the generated methods do not cover.
            pub fn runtime(&self) -> &wiregen_runtime::Client {
                &self.inner
            }
        }
    }
}

fn option_str(value: Option<&str>) -> TokenStream {
    match value {
        Some(text) => quote!(Some(#text)),
        None => quote!(None),
    }
}
