//! Open string enums: known values as variants, anything else kept in a
//! catch-all, so a value the spec does not list never fails decoding. The
//! catch-all holds the runtime's opaque `UnknownValue` (readable, not
//! constructible), so no caller's code depends on a value staying unknown.
//!
//! Serialisation is hand-emitted through `as_str`/`From<&str>` (a derive can
//! not express the catch-all), and each enum is usable as a query value.

use proc_macro2::{Ident, TokenStream};
use quote::quote;

use super::docs;
use super::names::{ident, ident_str};
use crate::ir::{EnumValue, RustName, TypeDecl};

/// The catch-all variant's name: `Unknown`, unless a known value took it.
pub fn catch_all<'a>(known: impl Iterator<Item = &'a RustName> + Clone) -> Ident {
    let mut name = String::from("Unknown");
    while known.clone().any(|k| k.0 == name) {
        name.push_str("Value");
    }
    ident_str(&name)
}

/// The enum, its conversions and its trait impls.
pub fn emit(decl: &TypeDecl, values: &[EnumValue]) -> TokenStream {
    let name = ident(&decl.rust);
    let unknown = catch_all(values.iter().map(|v| &v.rust));
    let doc = docs::attrs(&docs::item(
        decl.description.as_deref(),
        &format!("`{}`.", decl.spec_name),
    ));
    let deprecated = decl.deprecated.then(|| quote!(#[deprecated]));
    let variants = values.iter().map(|value| {
        let variant = ident(&value.rust);
        let doc = docs::attrs(&docs::item(
            value.description.as_deref(),
            &format!("`{}`.", value.wire.0),
        ));
        let deprecated = value.deprecated.then(|| quote!(#[deprecated]));
        quote!(#doc #deprecated #variant,)
    });
    let idents: Vec<Ident> = values.iter().map(|v| ident(&v.rust)).collect();
    let wires: Vec<&str> = values.iter().map(|v| v.wire.0.as_str()).collect();
    // Every type serialises (callers log responses as JSON), in its wire form.
    let serialize = quote! {
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }
        impl wiregen_runtime::ToJson for #name {
            fn to_json(&self) -> wiregen_runtime::serde_json::Value {
                wiregen_runtime::serde_json::Value::String(self.as_str().to_owned())
            }
        }
        impl wiregen_runtime::ParamValue for #name {
            fn to_param(&self) -> std::borrow::Cow<'_, str> {
                std::borrow::Cow::Borrowed(self.as_str())
            }
        }
    };
    let deserialize = decl.decodes().then(|| {
        quote! {
            impl wiregen_runtime::Decode for #name {
                fn decode(
                    value: wiregen_runtime::serde_json::Value,
                ) -> Result<Self, wiregen_runtime::decode::Failure> {
                    <String as wiregen_runtime::Decode>::decode(value).map(Self::from)
                }
            }
            impl<'de> serde::Deserialize<'de> for #name {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    String::deserialize(deserializer).map(Self::from)
                }
            }
        }
    });
    quote! {
        #doc
        #deprecated
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum #name {
            #(#variants)*
            /// A value this version of the crate does not know, kept as sent: read it with
            /// `as_str()`. It can not be built by hand (use `From<&str>`), so code that
            /// matches on it keeps working when a later version lists the value.
            #unknown(wiregen_runtime::UnknownValue),
        }
        impl #name {
            /// The value as it travels on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#idents => #wires,)*
                    Self::#unknown(value) => value.as_str(),
                }
            }
        }
        impl From<&str> for #name {
            fn from(value: &str) -> Self {
                match value {
                    #(#wires => Self::#idents,)*
                    other => Self::#unknown(wiregen_runtime::UnknownValue::__from_generated(other.to_owned())),
                }
            }
        }
        impl From<String> for #name {
            fn from(value: String) -> Self {
                match Self::from(value.as_str()) {
                    Self::#unknown(_) => Self::#unknown(wiregen_runtime::UnknownValue::__from_generated(value)),
                    known => known,
                }
            }
        }
        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
        #serialize
        #deserialize
    }
}
