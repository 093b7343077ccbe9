//! Error codes that would share a Rust variant: every code of a service
//! becomes a variant of the crate's one `Code` enum, named from the code
//! (`B.Permission.DeniedException` and `B_PERMISSION_DENIED_EXCEPTION` both
//! become `BPermissionDeniedException`), so a drafted code spelled
//! differently from one the service already has (or one drafted earlier)
//! would take the other's variant. It is left out and noted instead: the
//! curated spelling keeps its meaning.

use std::collections::BTreeMap;

use super::Note;
use super::operation::Drafted;
use crate::naming;
use crate::source::SourceFile;

/// Rust variant -> code, for every code the service's existing files declare.
pub fn existing(files: &[SourceFile]) -> BTreeMap<String, String> {
    let mut taken = BTreeMap::new();
    for file in files {
        let Ok(value) = serde_yaml::from_str::<serde_yaml::Value>(&file.text) else {
            continue;
        };
        let lists = [
            value.get("errors").and_then(|e| e.as_sequence()),
            value
                .get("errors")
                .and_then(|e| e.get("codes"))
                .and_then(|c| c.as_sequence()),
        ];
        for item in lists.into_iter().flatten().flatten() {
            if let Some(code) = item.get("code").and_then(|c| c.as_str()) {
                taken
                    .entry(naming::error_variant(code).0)
                    .or_insert_with(|| code.to_owned());
            }
        }
    }
    taken
}

/// Leaves out each drafted code whose variant another spelling already has.
pub fn dedupe(drafted: &mut [Drafted], mut taken: BTreeMap<String, String>, notes: &mut Vec<Note>) {
    for op in drafted {
        let name = op.spec.operation.clone();
        op.spec.errors.retain(|e| {
            let variant = naming::error_variant(&e.code).0;
            match taken.get(&variant) {
                Some(code) if *code != e.code => {
                    notes.push(Note::not_held(
                        format!("apis.{name}.errorCodes"),
                        format!(
                            "error code `{}` would share the Rust variant `{variant}` with `{code}`: left out",
                            e.code
                        ),
                    ));
                    false
                }
                Some(_) => true,
                None => {
                    taken.insert(variant, e.code.clone());
                    true
                }
            }
        });
    }
}
