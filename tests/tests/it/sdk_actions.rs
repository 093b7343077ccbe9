//! `spec/rdsai` and `spec/aicontent` hold exactly the operations of the
//! pinned official SDKs (`tests/sdk/requirements.txt`), listed in
//! `tests/fixtures/sdk/actions.txt`; every one of them is either one of the
//! curated specs or marked as imported.

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The specs written and reviewed by hand; every other operation is imported.
const CURATED: &[&str] = &[
    "aicontent ModelRouterChatCompletions",
    "aicontent ModelRouterCreateUser",
    "aicontent ModelRouterQueryConversationList",
    "aicontent ModelRouterUpdateApiKeyStatus",
    "aicontent PersonalizedTextToImageQueryImageAsset",
    "rdsai ChatMessages",
    "rdsai ChatMessagesTaskStop",
    "rdsai CreateApiKey",
    "rdsai GetConversations",
    "rdsai GetMessages",
];

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// `service Action` for every line of the list that is not a comment.
fn sdk_actions(text: &str) -> BTreeSet<String> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
        .map(str::to_owned)
        .collect()
}

/// `service Action` for every operation file of the services.
fn spec_operations(spec: &Path, services: &[&str]) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for service in services {
        let dir = spec.join(service).join("operations");
        let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries {
            let path = entry.expect("a directory entry").path();
            if let Some(name) = path
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix(".yaml"))
            {
                out.insert(format!("{service} {name}"));
            }
        }
    }
    out
}

/// What is missing from and extra in the specs, one line each, named.
fn differences(sdk: &BTreeSet<String>, spec: &BTreeSet<String>) -> Vec<String> {
    let missing = sdk
        .difference(spec)
        .map(|op| format!("missing from spec/: {op}"));
    let extra = spec
        .difference(sdk)
        .map(|op| format!("not in the pinned SDKs: {op}"));
    missing.chain(extra).collect()
}

#[test]
fn spec_covers_exactly_the_sdk_actions() {
    let text = std::fs::read_to_string(root().join("tests/fixtures/sdk/actions.txt"))
        .expect("actions.txt");
    let sdk = sdk_actions(&text);
    assert_eq!(sdk.iter().filter(|a| a.starts_with("rdsai ")).count(), 126);
    assert_eq!(
        sdk.iter().filter(|a| a.starts_with("aicontent ")).count(),
        142
    );
    let spec = spec_operations(&root().join("spec"), &["rdsai", "aicontent"]);
    let diff = differences(&sdk, &spec);
    assert!(
        diff.is_empty(),
        "spec/ and the SDKs' actions differ:\n{}",
        diff.join("\n")
    );
}

#[test]
fn a_missing_or_extra_operation_is_named() {
    let sdk = sdk_actions("# header\nrdsai A\nrdsai B\n");
    let spec: BTreeSet<String> = ["rdsai B", "rdsai C"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    assert_eq!(
        differences(&sdk, &spec),
        [
            "missing from spec/: rdsai A",
            "not in the pinned SDKs: rdsai C"
        ]
    );
}

#[test]
fn every_operation_is_curated_or_marked_imported() {
    let spec = root().join("spec");
    let mut wrong = Vec::new();
    for op in spec_operations(&spec, &["rdsai", "aicontent"]) {
        let (service, name) = op.split_once(' ').expect("service Action");
        let path = spec
            .join(service)
            .join("operations")
            .join(format!("{name}.yaml"));
        let text = std::fs::read_to_string(&path).expect("an operation file");
        let value: serde_yaml::Value = serde_yaml::from_str(&text).expect("YAML");
        let imported = value.get("imported").is_some();
        let curated = CURATED.contains(&op.as_str());
        if imported == curated {
            wrong.push(format!(
                "{op}: curated {curated}, marked imported {imported}"
            ));
        }
        if imported
            && value
                .get("provenance")
                .and_then(|p| p.as_sequence())
                .is_none_or(|p| p.len() < 2)
        {
            wrong.push(format!("{op}: imported without its sources (the SDK and the metadata revision) in `provenance`"));
        }
    }
    assert!(wrong.is_empty(), "{}", wrong.join("\n"));
}

#[test]
fn the_sdk_fixtures_hold_the_same_actions() {
    let dir = root().join("tests/fixtures/sdk");
    let text = std::fs::read_to_string(dir.join("actions.txt")).expect("actions.txt");
    let listed = sdk_actions(&text);
    let mut found = BTreeSet::new();
    for (service, file) in [("rdsai", "rdsai-3.10.0"), ("aicontent", "aicontent-7.10.0")] {
        for suffix in ["", ".zh_cn"] {
            let path = dir.join(format!("{file}{suffix}.json"));
            let doc: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&path).expect("a fixture"))
                    .expect("JSON");
            let apis = doc["apis"].as_object().expect("apis");
            let actions: BTreeSet<String> = apis.keys().map(|a| format!("{service} {a}")).collect();
            let diff = differences(
                &listed
                    .iter()
                    .filter(|a| a.starts_with(&format!("{service} ")))
                    .cloned()
                    .collect(),
                &actions,
            );
            assert!(diff.is_empty(), "{}: {}", path.display(), diff.join("; "));
            found.extend(actions);
        }
    }
    assert_eq!(found, listed);
}
