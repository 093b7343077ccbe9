//! `cargo xtask import` on the real metadata (`tests/fixtures/openmeta/`):
//! the newest revision of each product drafts every operation into a tree
//! that checks and generates, and the real API's history, each revision's
//! import diffed against the previous one's with the diff engine, is pinned
//! step by step.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use wiregen_codegen::diff::{Finding, Report, text};
use wiregen_codegen::import::{self, Draft, Request};
use wiregen_codegen::ir::Api;
use wiregen_codegen::{SourceFile, compile, generate, render_all};

/// The fixture directory.
pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/openmeta")
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Revisions of a product, oldest first (dates, from the `zh_cn` files).
pub fn revisions(product: &str) -> Vec<String> {
    let mut dates: Vec<String> = std::fs::read_dir(fixtures().join(product).join("zh_cn"))
        .expect("fixture directory")
        .filter_map(|e| {
            let name = e.ok()?.file_name().into_string().ok()?;
            name.strip_suffix(".json").map(str::to_owned)
        })
        .collect();
    dates.sort();
    dates
}

/// Imports one revision into an empty tree: `lang` is the file imported,
/// with the other language as `--prose` when the fixtures have it.
pub fn import_revision(product: &str, date: &str, lang: &str) -> Draft {
    let other = if lang == "en_us" { "zh_cn" } else { "en_us" };
    let label = format!("{product}/{lang}/{date}.json");
    let prose_label = format!("{product}/{other}/{date}.json");
    let metadata = read(&fixtures().join(&label));
    let prose_path = fixtures().join(&prose_label);
    let prose = prose_path.exists().then(|| read(&prose_path));
    import::draft(&Request {
        metadata: &metadata,
        label: &label,
        prose: prose.as_deref().map(|p| (p, prose_label.as_str())),
        service: None,
        existing: &[],
    })
    .unwrap_or_else(|e| panic!("{label}: {e}"))
}

/// The IR of a draft tree.
pub fn compile_draft(files: &[SourceFile]) -> Api {
    compile(files).unwrap_or_else(|d| panic!("the drafts do not compile:\n{}", render_all(&d)))
}

#[test]
fn the_newest_revisions_draft_every_operation_and_generate() {
    for (product, date, operations) in
        [("rdsai", "2025-12-13", 32), ("aicontent", "2025-11-08", 51)]
    {
        let draft = import_revision(product, date, "en_us");
        assert_eq!(draft.service, product);
        assert_eq!(draft.counts.upstream_operations, operations, "{product}");
        assert_eq!(
            draft.counts.operations,
            operations,
            "{product}: every operation drafted; notes:\n{}",
            draft
                .notes
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        );
        let api = compile_draft(&draft.files);
        let files = generate(&api);
        assert!(
            files
                .iter()
                .any(|f| f.path.ends_with(&format!("{product}/src/lib.rs"))),
            "{product}: a crate is generated"
        );
        // The en_us file has almost no prose: the zh_cn text is kept as
        // published, and each draft says so.
        assert!(draft.counts.prose_other > 0, "{product}");
        assert!(
            draft
                .files
                .iter()
                .any(|f| f.path.contains("/operations/") && f.text.contains("not translated")),
            "{product}: drafts with published zh_cn text say so"
        );
    }
}

#[test]
fn the_importer_never_overwrites_a_curated_spec() {
    let existing = curated_spec();
    let label = "rdsai/en_us/2025-12-13.json";
    let metadata = read(&fixtures().join(label));
    let draft = import::draft(&Request {
        metadata: &metadata,
        label,
        prose: None,
        service: None,
        existing: &existing,
    })
    .expect("imports next to the curated specs");
    let curated = [
        "ChatMessages",
        "ChatMessagesTaskStop",
        "CreateApiKey",
        "GetConversations",
        "GetMessages",
    ];
    // `CreateApiKey` is curated from the SDK; the newest metadata lacks it.
    assert_eq!(draft.counts.curated, curated.len() - 1);
    assert_eq!(draft.counts.operations, 32 - (curated.len() - 1));
    for file in &draft.files {
        assert!(
            existing.iter().all(|e| e.path != file.path),
            "{} would be overwritten",
            file.path
        );
    }
    assert!(draft.files.iter().all(|f| f.path != "rdsai/service.yaml"));
    // The drafts compile next to the curated files.
    let mut all = existing.clone();
    all.extend(draft.files.iter().cloned());
    compile_draft(&all);
}

/// Each step of a product's history: the revision's date and the diff
/// of its import against the previous revision's. Computed once for the
/// history snapshots and the changelog cross-check.
fn history(product: &'static str) -> &'static [(String, Report)] {
    static RDSAI: OnceLock<Vec<(String, Report)>> = OnceLock::new();
    static AICONTENT: OnceLock<Vec<(String, Report)>> = OnceLock::new();
    let cell = if product == "rdsai" {
        &RDSAI
    } else {
        &AICONTENT
    };
    cell.get_or_init(|| {
        let dates = revisions(product);
        let apis: Vec<Api> = dates
            .iter()
            .map(|date| {
                let draft = import_revision(product, date, "zh_cn");
                assert_eq!(
                    draft.counts.refused, 0,
                    "{product} {date}: {:?}",
                    draft.notes
                );
                compile_draft(&draft.files)
            })
            .collect();
        apis.windows(2)
            .zip(dates.windows(2))
            .map(|(pair, d)| (d[1].clone(), Report::new(&d[0], &d[1], &pair[0], &pair[1])))
            .collect()
    })
}

/// The real API's changelog: each revision's import against the previous
/// one's, with the semver verdict of each step (one snapshot per step).
/// Every revision checks and generates (`compile_draft`); only the newest
/// is built (`import_build`), building 29 trees would not fit CI's budget.
#[test]
fn history_of_the_real_api() {
    let mut steps = 0;
    for product in ["rdsai", "aicontent"] {
        for (date, report) in history(product) {
            insta::assert_snapshot!(
                format!("history_{product}_{date}"),
                text::render(report, false)
            );
            steps += 1;
        }
    }
    assert_eq!(steps, 27, "11 RdsAi and 16 AiContent steps");
}

/// Why an SDK `ChangeLog.md` line names no change our history reports.
const NO_API_ID: &str = "no revision of the metadata (2025-08-22 to 2025-12-13) has an `ApiId` parameter, so there is nothing for the diff to delete: an SDK-only parameter (unverified why)";
/// Why: the operations came into the metadata before the SDK release.
const RDSAI_1_2_0_EARLY: &str = "first published in the 2025-09-19 revision, three days before the SDK release of 2025-09-22; the cross-check looks at the steps on or after a release";
/// Why: the operations came into the metadata before the SDK release.
const AICONTENT_2_0_0_EARLY: &str = "first published in the 2025-02-28 revision, a month before the SDK release of 2025-03-26; the cross-check looks at the steps on or after a release";

/// SDK changelog lines our history does not report, each with its reason:
/// (product, SDK version, the exact line, reason). Exact lines, so a new
/// unexplained line can not hide behind one of these.
const CHANGELOG_EXCEPTIONS: &[(&str, &str, &str, &str)] = &[
    (
        "rdsai",
        "2.0.0",
        "Update API ChatMessages: delete request parameters ApiId.",
        NO_API_ID,
    ),
    (
        "rdsai",
        "2.0.0",
        "Update API ChatMessagesTaskStop: delete request parameters ApiId.",
        NO_API_ID,
    ),
    (
        "rdsai",
        "2.0.0",
        "Update API CreateCustomAgent: delete request parameters ApiId.",
        NO_API_ID,
    ),
    (
        "rdsai",
        "2.0.0",
        "Update API DeleteCustomAgent: delete request parameters ApiId.",
        NO_API_ID,
    ),
    (
        "rdsai",
        "2.0.0",
        "Update API GetConversations: delete request parameters ApiId.",
        NO_API_ID,
    ),
    (
        "rdsai",
        "2.0.0",
        "Update API GetCustomAgent: delete request parameters ApiId.",
        NO_API_ID,
    ),
    (
        "rdsai",
        "2.0.0",
        "Update API GetMessages: delete request parameters ApiId.",
        NO_API_ID,
    ),
    (
        "rdsai",
        "2.0.0",
        "Update API ListCustomAgent: delete request parameters ApiId.",
        NO_API_ID,
    ),
    (
        "rdsai",
        "2.0.0",
        "Update API ListCustomAgentTools: delete request parameters ApiId.",
        NO_API_ID,
    ),
    (
        "rdsai",
        "2.0.0",
        "Update API ModifyMessagesFeedbacks: delete request parameters ApiId.",
        NO_API_ID,
    ),
    (
        "rdsai",
        "2.0.0",
        "Update API UpdateCustomAgent: delete request parameters ApiId.",
        NO_API_ID,
    ),
    (
        "rdsai",
        "1.2.0",
        "Support API DescribeInstanceStorageConfig.",
        RDSAI_1_2_0_EARLY,
    ),
    (
        "rdsai",
        "1.2.0",
        "Support API ModifyInstanceAuthConfig.",
        RDSAI_1_2_0_EARLY,
    ),
    (
        "rdsai",
        "1.2.0",
        "Support API ModifyInstanceStorageConfig.",
        RDSAI_1_2_0_EARLY,
    ),
    (
        "rdsai",
        "1.2.0",
        "Support API ResetInstancePassword.",
        RDSAI_1_2_0_EARLY,
    ),
    (
        "rdsai",
        "1.2.0",
        "Support API RestartInstance.",
        RDSAI_1_2_0_EARLY,
    ),
    (
        "rdsai",
        "1.2.0",
        "Support API StartInstance.",
        RDSAI_1_2_0_EARLY,
    ),
    (
        "rdsai",
        "1.2.0",
        "Support API StopInstance.",
        RDSAI_1_2_0_EARLY,
    ),
    (
        "rdsai",
        "1.4.0",
        "Support API ModifyInstanceConfig.",
        "first published in the 2025-11-08 revision, ten days before the SDK release of 2025-11-18; the cross-check looks at the steps on or after a release",
    ),
    (
        "aicontent",
        "2.0.0",
        "Support API ExecuteAITeacherChineseCompositionTutoringWorkflowRun.",
        AICONTENT_2_0_0_EARLY,
    ),
    (
        "aicontent",
        "2.0.0",
        "Support API ExecuteAITeacherEnglishCompositionTutoringWorkflowRun.",
        AICONTENT_2_0_0_EARLY,
    ),
    (
        "aicontent",
        "2.0.0",
        "Support API ExecuteAITeacherEnglishParaphraseChatMessage.",
        AICONTENT_2_0_0_EARLY,
    ),
    (
        "aicontent",
        "1.3.1",
        "Update API GetAITeacherSyncDialogueSuggestion: update response param.",
        "the line names no parameter to look for",
    ),
];

/// Whether two lines are the same (exact, not a prefix).
fn same(line: &str, exception: &str) -> bool {
    line == exception
}

/// One line of an SDK `ChangeLog.md` release.
struct Line {
    date: String,
    version: String,
    text: String,
}

fn changelog(product: &str) -> Vec<Line> {
    let file = match product {
        "rdsai" => "alibabacloud_rdsai20250507-3.10.0.md",
        _ => "alibabacloud_aicontent20240611-7.10.0.md",
    };
    let text = read(&fixtures().join("sdk-changelog").join(file));
    let mut out = Vec::new();
    let (mut date, mut version) = (String::new(), String::new());
    for line in text.lines() {
        if let Some((d, v)) = line.split_once(" Version: ") {
            date = d.trim().to_owned();
            version = v.trim().to_owned();
        } else if let Some(item) = line.strip_prefix("- ") {
            out.push(Line {
                date: date.clone(),
                version: version.clone(),
                text: item.trim().to_owned(),
            });
        }
    }
    out
}

/// Whether some finding of `report` is the change a changelog line names.
fn reported(line: &str, report: &Report) -> Option<bool> {
    let mentions = |f: &Finding, op: &str| {
        f.operations.iter().any(|o| o == op) || f.location.ends_with(&format!("/operations/{op}"))
    };
    if let Some(rest) = line.strip_prefix("Support API ") {
        let op = rest.trim_end_matches('.');
        return Some(report.findings.iter().any(|f| {
            f.rule.id() == "operation-added" && f.location.ends_with(&format!("/operations/{op}"))
        }));
    }
    if let Some(rest) = line.strip_prefix("Delete API ") {
        let op = rest.trim_end_matches('.');
        return Some(report.findings.iter().any(|f| {
            f.rule.id() == "operation-removed" && f.location.ends_with(&format!("/operations/{op}"))
        }));
    }
    let rest = line.strip_prefix("Update API ")?;
    let (op, change) = rest.split_once(": ")?;
    // `add request parameters Inputs.ResumeCallId.`: the last name of the path.
    let name = change
        .trim_end_matches('.')
        .rsplit(['.', ' '])
        .find(|s| !s.is_empty() && *s != "$")?;
    Some(report.findings.iter().any(|f| {
        mentions(f, op) && {
            f.rule.id() != "description-changed"
                && (f.location.contains(name) || f.message.contains(name))
        }
    }))
}

/// For every SDK release dated within a product's history, each changelog
/// line names a change our diff reports in the step that covers the
/// release (the revision on or after its date), or the one after it (the
/// mirror is weekly, the metadata may lag a release by a week).
#[test]
fn the_history_agrees_with_the_sdk_changelogs() {
    let mut unmatched = Vec::new();
    let mut checked = 0;
    for product in ["rdsai", "aicontent"] {
        let steps = history(product);
        let first = revisions(product).into_iter().next().unwrap_or_default();
        for line in changelog(product) {
            if line.date <= first {
                continue;
            }
            let Some(i) = steps.iter().position(|(date, _)| *date >= line.date) else {
                continue;
            };
            let window = &steps[i..steps.len().min(i + 2)];
            let verdicts: Vec<Option<bool>> = window
                .iter()
                .map(|(_, r)| reported(&line.text, r))
                .collect();
            if verdicts.iter().all(Option::is_none) {
                continue; // "Generated python ..." and other lines naming no change
            }
            checked += 1;
            if !verdicts.contains(&Some(true)) {
                unmatched.push((product, line.version.clone(), line.text.clone()));
            }
        }
    }
    let known = |(p, v, t): &(&str, String, String)| {
        CHANGELOG_EXCEPTIONS
            .iter()
            .any(|(ep, ev, et, _)| ep == p && ev == v && same(t, et))
    };
    let unexplained: Vec<String> = unmatched
        .iter()
        .filter(|u| !known(u))
        .map(|(p, v, t)| format!("{p} {v}: {t}"))
        .collect();
    assert!(checked > 0, "some changelog lines fall within the history");
    assert!(
        unexplained.is_empty(),
        "changelog lines our history does not report:\n{}",
        unexplained.join("\n")
    );
    let stale: Vec<_> = CHANGELOG_EXCEPTIONS
        .iter()
        .filter(|(ep, ev, et, _)| {
            !unmatched
                .iter()
                .any(|(p, v, t)| p == ep && v == ev && same(t, et))
        })
        .collect();
    assert!(stale.is_empty(), "exceptions no longer needed: {stale:?}");
}

/// The newest revision of each product, which drift is measured against.
const NEWEST: [(&str, &str); 2] = [("rdsai", "2025-12-13"), ("aicontent", "2025-11-08")];

/// Drift of today's curated operations against a revision.
fn curated_drift(product: &str, date: &str) -> import::drift::Drift {
    let existing = curated_spec();
    let label = format!("{product}/en_us/{date}.json");
    let prose_label = format!("{product}/zh_cn/{date}.json");
    let metadata = read(&fixtures().join(&label));
    let prose = read(&fixtures().join(&prose_label));
    import::drift::drift(&Request {
        metadata: &metadata,
        label: &label,
        prose: Some((&prose, &prose_label)),
        service: None,
        existing: &existing,
    })
    .unwrap_or_else(|e| panic!("{product}: {e}"))
}

/// Drift of today's curated operations against the newest revision:
/// what remains is upstream's, and every deliberate difference the spec
/// records is left out and counted.
#[test]
fn drift_of_the_curated_specs() {
    use wiregen_codegen::import::drift::{self, Format};
    for (product, date) in NEWEST {
        let found = curated_drift(product, date);
        assert!(
            !found.left_out.is_empty(),
            "{product}: the curated specs record deliberate differences"
        );
        assert!(
            found.conflicts.is_empty(),
            "{product}: {:?}",
            found.conflicts
        );
        insta::assert_snapshot!(
            format!("drift_{product}"),
            drift::render(&found, Format::Text)
        );
        if product == "rdsai" {
            insta::assert_snapshot!(
                "drift_rdsai_markdown",
                drift::render(&found, Format::Markdown)
            );
            let json: serde_json::Value =
                serde_json::from_str(&drift::render(&found, Format::Json)).expect("JSON output");
            assert_eq!(
                json["left_out"].as_array().map(Vec::len),
                Some(found.left_out.len())
            );
            assert_eq!(
                json["drift"]["summary"]["findings"],
                found.report.findings.len()
            );
            assert_eq!(json["matched"]["GetMessagesResponseData"], "Message");
        }
    }
}

/// What shows that a drift finding is a change upstream made after the
/// newest revision: the curated specs follow SDKs released later.
#[derive(Debug)]
enum Evidence {
    /// A line of the SDK's `ChangeLog.md` (version, line), checked against
    /// `tests/fixtures/openmeta/sdk-changelog/`: the line is in that
    /// release, and the release is dated after the revision.
    Changelog(&'static str, &'static str),
    /// The changelog has no line for it: the SDK method or model, or the
    /// document, that shows it (read by hand; cited by package version).
    Source(&'static str),
}

use Evidence::{Changelog, Source};

/// Every drift finding that remains after the deliberate differences are
/// left out, each a change upstream made since the newest revision, with
/// its evidence: (product, rule, location, evidence). One place; a new
/// finding missing here fails `every_drift_finding_is_classified`.
const UPSTREAM_CHANGES: &[(&str, &str, &str, Evidence)] = &[
    (
        "rdsai",
        "operation-removed",
        "rdsai/operations/CreateApiKey",
        Changelog("3.0.0", "Support API CreateApiKey."),
    ),
    (
        "rdsai",
        "error-code-removed",
        "rdsai/operations/ChatMessages/errors/TooManyRequests",
        Source(
            "the English ChatMessages page of 2026-03-05 lists it (HTTP 429), the spec's provenance; the SDKs carry no error codes",
        ),
    ),
    (
        "rdsai",
        "request-param-removed",
        "rdsai/operations/ChatMessagesTaskStop/params/WorkspaceId",
        Changelog(
            "3.9.3",
            "Update API ChatMessagesTaskStop: add request parameters WorkspaceId.",
        ),
    ),
    (
        "rdsai",
        "request-field-removed",
        "rdsai/types/ChatMessagesInputs/fields/EnableThinking",
        Changelog(
            "3.5.0",
            "Update API ChatMessages: add request parameters Inputs.EnableThinking.",
        ),
    ),
    (
        "rdsai",
        "request-field-removed",
        "rdsai/types/ChatMessagesInputs/fields/ModelId",
        Changelog(
            "3.6.3",
            "Update API ChatMessages: add request parameters Inputs.ModelId.",
        ),
    ),
    (
        "rdsai",
        "request-field-removed",
        "rdsai/types/ChatMessagesInputs/fields/ResumeCallId",
        Changelog(
            "3.9.3",
            "Update API ChatMessages: add request parameters Inputs.ResumeCallId.",
        ),
    ),
    (
        "rdsai",
        "request-field-removed",
        "rdsai/types/ChatMessagesInputs/fields/ThinkEffort",
        Changelog(
            "3.5.0",
            "Update API ChatMessages: add request parameters Inputs.ThinkEffort.",
        ),
    ),
    (
        "rdsai",
        "request-field-removed",
        "rdsai/types/ChatMessagesInputs/fields/ToolApprovalMode",
        Changelog(
            "3.9.3",
            "Update API ChatMessages: add request parameters Inputs.ToolApprovalMode.",
        ),
    ),
    (
        "rdsai",
        "request-field-removed",
        "rdsai/types/ChatMessagesInputs/fields/WorkspaceId",
        Changelog(
            "3.9.3",
            "Update API ChatMessages: add request parameters Inputs.WorkspaceId.",
        ),
    ),
    (
        "rdsai",
        "response-field-removed",
        "rdsai/types/Message/fields/Events",
        Changelog(
            "2.1.0",
            "Update API GetMessages: add response parameters Body.Data.$.Events.",
        ),
    ),
    (
        "aicontent",
        "operation-removed",
        "aicontent/operations/ModelRouterChatCompletions",
        Changelog("5.0.0", "Support API ModelRouterChatCompletions."),
    ),
    (
        "aicontent",
        "operation-removed",
        "aicontent/operations/ModelRouterCreateUser",
        Changelog("7.6.0", "Support API ModelRouterCreateUser."),
    ),
    (
        "aicontent",
        "operation-removed",
        "aicontent/operations/ModelRouterQueryConversationList",
        Changelog("5.0.0", "Support API ModelRouterQueryConversationList."),
    ),
    (
        "aicontent",
        "operation-removed",
        "aicontent/operations/ModelRouterUpdateApiKeyStatus",
        Source(
            "alibabacloud_aicontent20240611 7.10.0: client.model_router_update_api_key_status and models.ModelRouterUpdateApiKeyStatusRequest; no changelog line names it",
        ),
    ),
];

/// Acceptance of issue 18: each finding of the drift against the newest
/// revision is either a recorded deliberate difference (left out) or an
/// upstream change since that revision listed in [`UPSTREAM_CHANGES`] with
/// its evidence; changelog evidence is checked against the changelog.
#[test]
fn every_drift_finding_is_classified() {
    let mut unexplained = Vec::new();
    let mut matched = vec![false; UPSTREAM_CHANGES.len()];
    for (product, date) in NEWEST {
        let found = curated_drift(product, date);
        for f in &found.report.findings {
            match UPSTREAM_CHANGES
                .iter()
                .position(|(p, r, l, _)| *p == product && *r == f.rule.id() && *l == f.location)
            {
                Some(i) => matched[i] = true,
                None => unexplained.push(format!("{product}: {} {}", f.rule.id(), f.location)),
            }
        }
        let log = changelog(product);
        for (p, _, location, evidence) in UPSTREAM_CHANGES {
            if *p != product {
                continue;
            }
            let (version, text) = match evidence {
                Changelog(version, text) => (*version, *text),
                // Read by hand: at least it cites the SDK release or the
                // dated page it was read in.
                Source(text) => {
                    assert!(
                        ["3.10.0", "7.10.0", "2026-"]
                            .iter()
                            .any(|v| text.contains(v)),
                        "{location}: evidence cites no SDK release or dated page: {text}"
                    );
                    continue;
                }
            };
            let line = log
                .iter()
                .find(|l| l.version == version && l.text == text)
                .unwrap_or_else(|| panic!("{location}: no line `{text}` in {product} {version}"));
            assert!(
                line.date.as_str() > date,
                "{location}: {product} {version} ({}) is not newer than the revision {date}",
                line.date
            );
        }
    }
    assert!(
        unexplained.is_empty(),
        "drift findings neither deliberate (recorded in the spec) nor listed as upstream changes:\n{}",
        unexplained.join("\n")
    );
    let stale: Vec<&str> = UPSTREAM_CHANGES
        .iter()
        .zip(&matched)
        .filter(|(_, m)| !**m)
        .map(|((_, _, l, _), _)| *l)
        .collect();
    assert!(
        stale.is_empty(),
        "listed upstream changes drift no longer reports: {stale:?}"
    );
}

/// `spec/` as curated: without the operations `cargo xtask import` drafted
/// from the SDKs (marked `imported:`), which are newer than any metadata
/// revision and are re-imported rather than drifted.
fn curated_spec() -> Vec<SourceFile> {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let mut files = wiregen_codegen::read_spec_dir(&spec).expect("spec tree");
    files.retain(|f| {
        serde_yaml::from_str::<serde_yaml::Value>(&f.text)
            .map_or(true, |v| v.get("imported").is_none())
    });
    files
}

/// The imported operations in `spec/` change nothing: drift compares the
/// curated ones only, as `cargo xtask import --drift` run on the real tree does.
#[test]
fn drift_leaves_the_imported_operations_out() {
    use wiregen_codegen::import::drift::{self, Format};
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let whole = wiregen_codegen::read_spec_dir(&spec).expect("spec tree");
    assert!(
        whole.len() > curated_spec().len(),
        "spec/ holds imported operations"
    );
    let (product, date) = NEWEST[0];
    let label = format!("{product}/en_us/{date}.json");
    let prose_label = format!("{product}/zh_cn/{date}.json");
    let metadata = read(&fixtures().join(&label));
    let prose = read(&fixtures().join(&prose_label));
    let found = drift::drift(&Request {
        metadata: &metadata,
        label: &label,
        prose: Some((&prose, &prose_label)),
        service: None,
        existing: &whole,
    })
    .unwrap_or_else(|e| panic!("{product}: {e}"));
    assert_eq!(
        drift::render(&found, Format::Text),
        drift::render(&curated_drift(product, date), Format::Text)
    );
}
