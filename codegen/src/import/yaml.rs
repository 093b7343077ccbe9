//! Spec drafts as YAML text: what a maintainer reviews, so defaults
//! (`false`, empty lists, absent values) are left out as a person would
//! leave them out.

use serde::Serialize;
use serde_json::Value;

/// Keys whose value is always written, even `false`: the format requires them.
const REQUIRED_KEYS: &[&str] = &["idempotent"];

/// Keys holding user data, never pruned inside (an example may be `false`).
const DATA_KEYS: &[&str] = &["example", "request"];

/// `spec` as YAML, after a header of comment lines.
pub fn render<T: Serialize>(spec: &T, header: &str) -> Result<String, String> {
    let mut value = serde_json::to_value(spec).map_err(|e| e.to_string())?;
    prune(&mut value);
    let body = serde_yaml::to_string(&value).map_err(|e| e.to_string())?;
    Ok(format!("{header}{body}"))
}

fn prune(value: &mut Value) {
    match value {
        Value::Object(map) => {
            map.retain(|key, v| {
                if DATA_KEYS.contains(&key.as_str()) {
                    return !v.is_null();
                }
                prune(v);
                match v {
                    Value::Null => false,
                    Value::Bool(false) => REQUIRED_KEYS.contains(&key.as_str()),
                    Value::Array(a) => !a.is_empty(),
                    Value::Object(o) => !o.is_empty(),
                    _ => true,
                }
            });
        }
        Value::Array(items) => items.iter_mut().for_each(prune),
        _ => {}
    }
}
