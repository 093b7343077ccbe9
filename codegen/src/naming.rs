//! Rust names for wire names: casing with `heck`, then made into valid
//! identifiers (keywords escaped, invalid characters replaced).
//!
//! Every function is deterministic and total: any wire name gives an
//! identifier, so the validator only has to look for collisions.

use heck::{ToSnakeCase, ToUpperCamelCase};

use crate::ir::RustName;

/// Keywords of Rust 2024 (strict and reserved) that need escaping.
const KEYWORDS: &[&str] = &[
    "abstract", "as", "async", "await", "become", "box", "break", "const", "continue", "crate",
    "do", "dyn", "else", "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl",
    "in", "let", "loop", "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref",
    "return", "self", "Self", "static", "struct", "super", "trait", "true", "try", "type",
    "typeof", "unsafe", "unsized", "use", "virtual", "where", "while", "yield",
];

/// Keywords that can not be raw identifiers (`r#self` is invalid).
const NOT_RAW: &[&str] = &["self", "Self", "crate", "super"];

/// Names of the Rust prelude (2021 and 2024 editions) and of the std items
/// the generated `models.rs` uses unqualified: a named type spelled like one
/// would shadow it there.
pub const PRELUDE_TYPES: &[&str] = &[
    "AsMut",
    "AsRef",
    "AsyncFn",
    "AsyncFnMut",
    "AsyncFnOnce",
    "Box",
    "Clone",
    "Copy",
    "Debug",
    "Default",
    "DoubleEndedIterator",
    "Drop",
    "Eq",
    "Err",
    "ExactSizeIterator",
    "Extend",
    "Fn",
    "FnMut",
    "FnOnce",
    "From",
    "FromIterator",
    "Future",
    "Hash",
    "Into",
    "IntoFuture",
    "IntoIterator",
    "Iterator",
    "None",
    "Ok",
    "Option",
    "Ord",
    "PartialEq",
    "PartialOrd",
    "Result",
    "Send",
    "Sized",
    "Some",
    "String",
    "Sync",
    "ToOwned",
    "ToString",
    "TryFrom",
    "TryInto",
    "Unpin",
    "Vec",
];

/// Methods every generated `Client` has (its own and those of the traits
/// it derives): an operation's method must not take one.
pub const CLIENT_METHODS: &[&str] = &[
    "new",
    "from_env",
    "from_runtime",
    "runtime",
    "clone",
    "clone_from",
    "fmt",
];

/// Methods every request builder has: a parameter setter with one of these
/// names is called `set_<name>` instead.
pub const BUILDER_METHODS: &[&str] = &[
    "send",
    "send_with_metadata",
    "customize",
    "prepare",
    "into_stream",
    "stream",
    "stream_with_metadata",
    "to_request",
    "clone",
    "clone_from",
    "fmt",
];

/// Setter of an optional parameter on its request builder (`limit`, or
/// `set_send` for a parameter `send`, see [`BUILDER_METHODS`]).
pub fn setter_name(param: &RustName) -> RustName {
    let bare = param.0.strip_prefix("r#").unwrap_or(&param.0);
    if BUILDER_METHODS.contains(&bare) {
        RustName(format!("set_{bare}"))
    } else {
        param.clone()
    }
}

/// Setter of a field on an input model (`with_limit`): without the raw
/// marker and the leading `_` a digit-led name got (`_2fa` -> `with_2fa`),
/// which would otherwise make a non-snake-case `with__2fa`.
pub fn with_setter(field: &RustName) -> RustName {
    let bare = field.0.strip_prefix("r#").unwrap_or(&field.0);
    RustName(format!("with_{}", bare.trim_start_matches('_')))
}

/// The variant every generated open enum and error-code enum keeps for
/// values the spec does not list; a listed value must not take its name.
pub const CATCH_ALL_VARIANT: &str = "Unknown";

/// snake_case name for methods, fields, parameters (`DBInstanceId` ->
/// `db_instance_id`, `gmtCreate` -> `gmt_create`, `type` -> `r#type`).
pub fn snake(wire: &str) -> RustName {
    let cased = if is_snake(wire) {
        wire.to_owned()
    } else {
        ascii_words(wire).to_snake_case()
    };
    RustName(escape(fix_start(cased, "_")))
}

/// UpperCamelCase name for types and enum variants (`pending_approval` ->
/// `PendingApproval`, `AI_SEARCH` -> `AiSearch`); a name that would start
/// with a digit gets `prefix` (`N2fa`).
pub fn upper_camel(wire: &str, prefix: &str) -> RustName {
    let cased = if is_upper_camel(wire) {
        wire.to_owned()
    } else {
        ascii_words(wire).to_upper_camel_case()
    };
    RustName(escape(fix_start(cased, prefix)))
}

/// Whether `heck` would give `wire` back unchanged as snake case (most
/// wire names already are): ASCII lower-case words of letters and digits,
/// starting with a letter, joined by single `_`. Casing dominates the
/// lowering of big specs, so those skip it.
fn is_snake(wire: &str) -> bool {
    wire.as_bytes().first().is_some_and(u8::is_ascii_lowercase)
        && !wire.ends_with('_')
        && !wire.contains("__")
        && wire
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
}

/// Whether `heck` would give `wire` back unchanged as UpperCamelCase: ASCII
/// letters and digits, starting upper-case, every upper-case letter
/// starting a word (the last letter before it is lower-case, so `heck`
/// breaks the word there and keeps the capital).
fn is_upper_camel(wire: &str) -> bool {
    let bytes = wire.as_bytes();
    if !bytes.first().is_some_and(u8::is_ascii_uppercase) {
        return false;
    }
    let mut last_letter_upper = true;
    for &b in &bytes[1..] {
        if b.is_ascii_uppercase() {
            if last_letter_upper {
                return false;
            }
            last_letter_upper = true;
        } else if b.is_ascii_lowercase() {
            last_letter_upper = false;
        } else if !b.is_ascii_digit() {
            return false;
        }
    }
    true
}

/// Variant of an open enum value; never the catch-all's name.
pub fn enum_variant(wire: &str) -> RustName {
    avoid_catch_all(upper_camel(wire, "V"))
}

/// `Self` can be neither an identifier nor a raw one, and `Self_` is not
/// UpperCamelCase (a lint warning): a type-like name derived from it reads
/// `Self<suffix>` (`SelfRequest`, `SelfValue`).
fn without_escape(name: &RustName) -> &str {
    name.0.trim_start_matches("r#").trim_end_matches('_')
}

/// Variant of an error code (`Throttling.User` -> `ThrottlingUser`,
/// `40000` -> `Code40000`); never the catch-all's name.
pub fn error_variant(code: &str) -> RustName {
    avoid_catch_all(upper_camel(code, "Code"))
}

/// Name of a spec type (`Conversation`, `conversation_dto` -> `ConversationDto`).
pub fn type_name(spec_name: &str) -> RustName {
    upper_camel(spec_name, "T")
}

/// Client method of an operation (`GetConversations` -> `get_conversations`).
pub fn method_name(operation: &str) -> RustName {
    snake(operation)
}

/// Request builder of an operation (`GetConversationsRequest`).
pub fn builder_name(operation: &str) -> RustName {
    RustName(format!(
        "{}Request",
        without_escape(&upper_camel(operation, "Op"))
    ))
}

/// Error-code enum of an operation (`GetConversationsErrorCode`).
pub fn error_enum_name(operation: &str) -> RustName {
    RustName(format!(
        "{}ErrorCode",
        without_escape(&upper_camel(operation, "Op"))
    ))
}

/// Crate name as used in paths (`my-api` -> `my_api`).
pub fn crate_ident(package: &str) -> RustName {
    snake(package)
}

/// A Cargo package name as Cargo compares library names (`my-api` and
/// `My_Api` are one), for finding package names that collide.
pub fn package_key(name: &str) -> String {
    name.to_ascii_lowercase().replace('-', "_")
}

fn avoid_catch_all(name: RustName) -> RustName {
    if name.0 == CATCH_ALL_VARIANT || name.0 == "Self_" {
        RustName(format!("{}Value", without_escape(&name)))
    } else {
        name
    }
}

/// Keeps ASCII letters and digits, turns every other character into a word
/// break, so `a-b` and `Throttling.User` split into words; a non-ASCII name
/// with no ASCII letter or digit at all is spelled out by code points
/// (`u4e2d`) so that it still gives a stable, distinct identifier.
fn ascii_words(wire: &str) -> String {
    if wire.chars().any(|c| c.is_ascii_alphanumeric()) || wire.is_ascii() {
        wire.chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect()
    } else {
        wire.chars()
            .map(|c| format!("u{:x}_", u32::from(c)))
            .collect::<String>()
            + "x"
    }
}

/// An identifier can not start with a digit, nor be empty or a lone `_`.
fn fix_start(cased: String, prefix: &str) -> String {
    match cased.chars().next() {
        None => format!("{prefix}x"),
        Some(c) if c.is_ascii_digit() => format!("{prefix}{cased}"),
        Some(_) if cased == "_" => format!("{prefix}x"),
        Some(_) => cased,
    }
}

/// `type` -> `r#type`; `self` -> `self_` (those can not be raw).
fn escape(name: String) -> String {
    if NOT_RAW.contains(&name.as_str()) {
        format!("{name}_")
    } else if KEYWORDS.contains(&name.as_str()) {
        format!("r#{name}")
    } else {
        name
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn snake_cases() {
        for (wire, rust) in [
            ("DBInstanceId", "db_instance_id"),
            ("HasMore", "has_more"),
            ("gmtCreate", "gmt_create"),
            ("LastId", "last_id"),
            ("type", "r#type"),
            ("self", "self_"),
            ("Self", "self_"),
            ("2fa", "_2fa"),
            ("a-b", "a_b"),
            ("_", "_x"),
            ("", "_x"),
            ("GetConversations", "get_conversations"),
        ] {
            assert_eq!(snake(wire).0, rust, "{wire}");
        }
    }

    /// The shortcuts for names already cased agree with `heck`.
    #[test]
    fn shortcuts_agree_with_heck() {
        let names = [
            "a",
            "ab",
            "a_b",
            "a1",
            "a1b",
            "a_1",
            "a_1b",
            "db_instance_id",
            "x2_y3",
            "abc123def",
            "A",
            "Ab",
            "AB",
            "ABc",
            "AbC",
            "AbCd",
            "A1",
            "A1B",
            "A1b",
            "Ab1C",
            "Ab1Cd",
            "Account0098Detail",
            "HTTPServer",
            "GetConversations",
            "DBInstanceId",
            "Ab12Cd34",
            "aB",
            "a__b",
            "_a",
            "a_",
            "1a",
            "A_B",
            "Ab_Cd",
            "ab-cd",
            "a.b",
        ];
        for name in names {
            if is_snake(name) {
                assert_eq!(ascii_words(name).to_snake_case(), name, "{name}");
            }
            if is_upper_camel(name) {
                assert_eq!(ascii_words(name).to_upper_camel_case(), name, "{name}");
            }
        }
        assert!(is_snake("db_instance_id") && !is_snake("a__b") && !is_snake("Ab"));
        assert!(is_upper_camel("Account0098Detail") && !is_upper_camel("HTTPServer"));
    }

    #[test]
    fn upper_camel_cases() {
        for (wire, rust) in [
            ("pending_approval", "PendingApproval"),
            ("ASC", "Asc"),
            ("AI_SEARCH", "AiSearch"),
            ("WHATSAPP_META", "WhatsappMeta"),
            ("Self", "SelfValue"),
            ("unknown", "UnknownValue"),
        ] {
            assert_eq!(enum_variant(wire).0, rust, "{wire}");
        }
        assert_eq!(error_variant("Throttling.User").0, "ThrottlingUser");
        assert_eq!(error_variant("40000").0, "Code40000");
        assert_eq!(type_name("conversation_dto").0, "ConversationDto");
        assert_eq!(
            builder_name("GetConversations").0,
            "GetConversationsRequest"
        );
        assert_eq!(
            error_enum_name("GetConversations").0,
            "GetConversationsErrorCode"
        );
        assert_eq!(snake("中文").0, "u4e2d_u6587_x");
        assert_eq!(builder_name("Self").0, "SelfRequest");
        assert_eq!(error_enum_name("Self").0, "SelfErrorCode");
        assert_eq!(error_variant("Self").0, "SelfValue");
    }
}
