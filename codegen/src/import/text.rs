//! What an imported operation says about its own text: its upstream
//! category (the metadata's `directories`) and the language its docs are in.
//!
//! The language is read from the text itself, not from which file it came
//! from: the `en_us` metadata carries Chinese in places, and a `zh_cn` file
//! imported alone is all Chinese.

use std::collections::BTreeMap;

use super::ImportError;
use super::meta::Node;
use crate::spec::{OperationSpec, TextSource};

/// Operation name -> category title, from `directories` (nested categories
/// as `Parent / Child`); titles the file lacks come from the `--prose` file.
pub fn groups(root: &Node<'_>) -> Result<BTreeMap<String, String>, ImportError> {
    let mut out = BTreeMap::new();
    if let Some(dirs) = root.get("directories") {
        walk(&dirs, None, &mut out)?;
    }
    Ok(out)
}

fn walk(
    dirs: &Node<'_>,
    parent: Option<&str>,
    out: &mut BTreeMap<String, String>,
) -> Result<(), ImportError> {
    for dir in dirs.items()? {
        if dir.value.is_string() {
            continue;
        }
        let Some((title, _)) = dir.prose(&["title"]) else {
            continue;
        };
        let title = match parent {
            Some(p) => format!("{p} / {title}"),
            None => title,
        };
        let Some(children) = dir.get("children") else {
            continue;
        };
        for child in children.items()? {
            if let Some(name) = child.value.as_str() {
                out.entry(name.to_owned()).or_insert_with(|| title.clone());
            }
        }
        walk(&children, Some(&title), out)?;
    }
    Ok(())
}

/// The language of an operation's docs, counted over every text it has.
pub fn source(op: &OperationSpec) -> TextSource {
    let mut texts: Vec<&str> = vec![op.summary.as_str()];
    texts.extend(op.description.as_deref());
    texts.extend(op.params.iter().filter_map(|p| p.description.as_deref()));
    for def in op.types.values() {
        texts.extend(def.description.as_deref());
        for field in def.fields.iter().flatten() {
            texts.extend(field.description.as_deref());
        }
        for value in def.values.iter().flatten() {
            texts.extend(value.description.as_deref());
        }
    }
    texts.extend(op.errors.iter().filter_map(|e| e.description.as_deref()));
    let chinese = texts.iter().filter(|t| is_chinese(t)).count();
    match chinese {
        0 => TextSource::English,
        n if n == texts.len() => TextSource::Chinese,
        _ => TextSource::Mixed,
    }
}

/// Whether a text has CJK ideographs or full-width punctuation.
fn is_chinese(text: &str) -> bool {
    text.chars()
        .any(|c| matches!(c, '\u{3000}'..='\u{9fff}' | '\u{ff00}'..='\u{ffef}'))
}
