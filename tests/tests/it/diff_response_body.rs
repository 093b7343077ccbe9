//! `cargo xtask diff` on a change of response body kind (JSON to `text`, `text`
//! to `bytes`): one breaking `response-type-changed` finding each, naming the
//! kinds, even where the IR's response type (`string`) stays the same.

use std::path::Path;

use wiregen_codegen::compile_dir;
use wiregen_codegen::diff::{Impact, Report, Rule};

const SERVICE: &str = "service: svc
title: Svc
crate: { name: svc, version: 0.1.0 }
protocol: alibaba-roa
api_version: \"2024-01-01\"
endpoints: { default: https://svc.aliyuncs.com }
auth: { kind: acs3-hmac-sha256 }
errors: { shapes: [alibaba] }
";

fn tree(dir: &Path, response: &str) {
    let ops = dir.join("svc/operations");
    std::fs::create_dir_all(&ops).expect("scratch dir");
    std::fs::write(dir.join("svc/service.yaml"), SERVICE).expect("write");
    std::fs::write(
        ops.join("GetImage.yaml"),
        format!(
            "operation: GetImage\nsummary: An image.\nhttp: {{ method: GET, path: /image }}\n\
             idempotent: true\nresponse: {response}\n"
        ),
    )
    .expect("write");
}

fn report(old: &str, new: &str) -> Report {
    let scratch = tempfile::tempdir().expect("tempdir");
    let (a, b) = (scratch.path().join("old"), scratch.path().join("new"));
    tree(&a, old);
    tree(&b, new);
    let compile = |dir: &Path| compile_dir(dir).api.expect("the scratch specs compile");
    Report::new("old", "new", &compile(&a), &compile(&b))
}

#[test]
fn response_body_kind_changes_are_breaking() {
    for (old, new) in [("string", "text"), ("text", "bytes"), ("bytes", "json")] {
        let report = report(old, new);
        let findings: Vec<_> = report
            .findings
            .iter()
            .filter(|f| f.rule == Rule::ResponseTypeChanged)
            .collect();
        assert_eq!(findings.len(), 1, "{old} -> {new}: {:#?}", report.findings);
        let f = findings[0];
        assert_eq!((f.wire, f.rust), (Impact::Breaking, Impact::Breaking));
        assert_eq!(f.before.as_deref(), Some(old));
        assert_eq!(f.after.as_deref(), Some(new));
        assert!(
            f.message.contains("response body kind changed"),
            "{}",
            f.message
        );
    }
    assert!(report("text", "text").findings.is_empty());
}
