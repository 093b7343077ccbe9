//! Every example in `spec/` (the published samples with their quirks:
//! numbers as strings, `"True"`, extra fields) decodes against the types
//! its operation declares, and every operation has examples.

use std::path::Path;

use wiregen_codegen::examples::check_example;
use wiregen_codegen::{compile_dir, render_all};

#[test]
fn every_spec_example_matches_its_types() {
    let spec = Path::new(env!("CARGO_MANIFEST_DIR")).join("../spec");
    let compiled = compile_dir(&spec);
    let api = compiled.api.unwrap_or_else(|| {
        panic!(
            "spec/ does not compile:\n{}",
            render_all(&compiled.diagnostics)
        )
    });
    let mut checked = 0;
    for service in &api.services {
        for op in &service.operations {
            assert!(
                !op.examples.is_empty(),
                "{}/{} has no examples",
                service.name,
                op.name.0
            );
            for example in &op.examples {
                let problems = check_example(service, op, example);
                assert!(
                    problems.is_empty(),
                    "{}/{} example `{}`: {problems:?}",
                    service.name,
                    op.name.0,
                    example.name
                );
                // Something was actually checked: a response body or events.
                assert!(
                    example.response.is_some()
                        || example.events.is_some()
                        || !example.request.is_empty(),
                    "{}/{} example `{}` is empty",
                    service.name,
                    op.name.0,
                    example.name
                );
                // And the checker is not vacuous: a body of the wrong shape fails
                // (any text is a `text` or `bytes` body).
                if let Some(body) = &example.response
                    && (200..300).contains(&example.status)
                    && op.response_body.is_json()
                {
                    let mut wrong = example.clone();
                    wrong.response = Some(
                        if body.trim_start().starts_with('[') {
                            "{}"
                        } else {
                            "[]"
                        }
                        .to_owned(),
                    );
                    assert!(
                        !check_example(service, op, &wrong).is_empty(),
                        "{}/{} example `{}`: a wrong body was accepted",
                        service.name,
                        op.name.0,
                        example.name
                    );
                }
                checked += 1;
            }
        }
    }
    eprintln!("{checked} spec examples checked");
    assert!(checked > 0);
}
