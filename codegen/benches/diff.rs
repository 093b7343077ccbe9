//! How long `cargo xtask diff` takes on two synthetic spec trees of 1,000
//! operations, split into loading (compiling both sides) and diffing (the
//! structural comparison plus the semver check). Run on demand:
//! `cargo bench -p wiregen-codegen --bench diff`.
//!
//! Two pairs: a tree against itself with a few edits (the usual pull
//! request), and two unrelated trees (every operation differs, the worst
//! case for the diff).

#[path = "../../xtask/src/synth/specs.rs"]
mod specs;

use std::hint::black_box;

use criterion::{Criterion, criterion_group, criterion_main};
use wiregen_codegen::diff::{Report, text};
use wiregen_codegen::ir::{Api, TypeRef};
use wiregen_codegen::{SourceFile, compile};

const OPERATIONS: usize = 1_000;

fn sources(seed: u64) -> Vec<SourceFile> {
    specs::synthesize(OPERATIONS, 3, seed)
        .into_iter()
        .map(|(path, text)| SourceFile::new(path, text))
        .collect()
}

fn api(files: &[SourceFile]) -> Api {
    match compile(files) {
        Ok(api) => api,
        Err(diagnostics) => panic!("synthetic specs do not compile: {diagnostics:?}"),
    }
}

/// `api` with every tenth operation dropped and every int32 parameter of
/// every seventh one widened: a few hundred findings.
fn edited(api: &Api) -> Api {
    let mut api = api.clone();
    for service in &mut api.services {
        let mut i = 0_usize;
        service.operations.retain(|_| {
            i += 1;
            !i.is_multiple_of(10)
        });
        for op in service.operations.iter_mut().step_by(7) {
            for param in &mut op.params {
                if param.ty == TypeRef::Int32 {
                    param.ty = TypeRef::Int64;
                }
            }
        }
    }
    api
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("diff");
    group.sample_size(10);
    let (files_a, files_b) = (sources(1), sources(2));
    let (a, b) = (api(&files_a), api(&files_b));
    let a_edited = edited(&a);
    group.bench_function("load both sides", |bench| {
        bench.iter(|| (api(black_box(&files_a)), api(black_box(&files_b))))
    });
    group.bench_function("diff edited", |bench| {
        bench.iter(|| Report::new("a", "b", black_box(&a), black_box(&a_edited)))
    });
    group.bench_function("diff unrelated", |bench| {
        bench.iter(|| Report::new("a", "b", black_box(&a), black_box(&b)))
    });
    group.bench_function("diff unrelated + render text", |bench| {
        bench.iter(|| text::render(&Report::new("a", "b", black_box(&a), black_box(&b)), false))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
