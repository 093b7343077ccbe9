//! The tidy test: the architecture's invariants (ARCHITECTURE.md), checked
//! by reading the sources, so a rule that lives in people's heads fails a
//! test the day it is broken.
//!
//! Each check takes a repository root and returns what is wrong there, one
//! line per violation with the file and a hint. `the_repository_is_tidy`
//! runs them on this repository, minus the known violations listed in
//! `known.rs` (each being fixed, each failing the test once it is gone);
//! `each_broken_invariant_is_caught` (`caught.rs`) runs them on a small
//! scratch tree that breaks every rule once, so a check that stopped seeing
//! anything would fail too.

mod caught;
mod compiler_free;
mod conventions;
mod deps;
mod diagnostics;
mod files;
mod fn_length;
mod known;
mod lexer;
mod licences;
mod map;
mod modules;
mod references;

use std::path::Path;

/// A check: a repository root in, one line per violation out.
type Check = fn(&Path) -> Vec<String>;

/// Every check but rustfmt (which runs cargo on the whole workspace), by
/// the name the known violations use.
fn checks() -> [(&'static str, Check); 12] {
    [
        ("emitters read only the IR", deps::emitters_read_only_the_ir),
        (
            "the runtime never depends on the compiler",
            compiler_free::runtime_never_depends_on_the_compiler,
        ),
        (
            "every module has a doc",
            conventions::every_module_has_a_doc,
        ),
        ("no module cycles", deps::no_module_cycles),
        ("the map's may-use table holds", deps::the_map_is_true),
        ("one output layout", conventions::one_output_layout),
        ("document paths exist", references::document_paths_exist),
        ("nothing refers outside", references::nothing_refers_outside),
        ("tests are one binary", conventions::tests_are_one_binary),
        ("functions are short", fn_length::functions_are_short),
        (
            "every diagnostic has a case",
            diagnostics::every_diagnostic_has_a_case,
        ),
        ("licences are permissive", licences::licences_are_permissive),
    ]
}

#[test]
fn the_repository_is_tidy() {
    let root = files::repo_root();
    let mut found = Vec::new();
    for (name, check) in checks() {
        found.extend(check(&root).into_iter().map(|p| (name, p)));
    }
    found.extend(
        conventions::rustfmt_is_clean(&root)
            .into_iter()
            .map(|p| ("rustfmt", p)),
    );
    let mut problems = known::unexpected(&found);
    problems.extend(known::stale(&found));
    let excused = known::excused(&found);
    eprintln!(
        "tidy: {} known violations excused (tests/tests/it/tidy/known.rs):\n{}",
        excused.len(),
        excused.join("\n")
    );
    let longest = fn_length::longest(&root);
    eprintln!("tidy: the longest functions:\n{longest}");
    assert!(
        problems.is_empty(),
        "tidy:\n{}\n\nthe longest functions:\n{longest}",
        problems.join("\n")
    );
}
