//! How long the compiler takes on synthetic spec trees of 100 and 1,000
//! operations: compile (parse + validate + lower to IR), generate (emit +
//! format), and both together. Run on demand: `cargo bench -p wiregen-codegen`.
//!
//! The trees come from the same generator as `cargo xtask synth`, kept in
//! memory so the numbers are the compiler's, not the disk's. Criterion
//! reports throughput in operations per second, so linear growth shows as
//! the same throughput at both sizes.

#[path = "../../xtask/src/synth/specs.rs"]
mod specs;

use std::hint::black_box;

use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use wiregen_codegen::{SourceFile, compile, generate};

/// The allocator `cargo xtask` runs with, so the numbers are the ones users
/// see (the system allocator costs ~35% more CPU time here).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Synthetic sizes, in operations.
const SIZES: [usize; 2] = [100, 1_000];

fn sources(operations: usize) -> Vec<SourceFile> {
    specs::synthesize(operations, 3, 1)
        .into_iter()
        .map(|(path, text)| SourceFile::new(path, text))
        .collect()
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("codegen");
    group.sample_size(10);
    for n in SIZES {
        let files = sources(n);
        let api = match compile(&files) {
            Ok(api) => api,
            Err(diagnostics) => panic!("synthetic specs do not compile: {diagnostics:?}"),
        };
        group.throughput(Throughput::Elements(n as u64));
        group.bench_with_input(BenchmarkId::new("compile", n), &files, |b, files| {
            b.iter(|| compile(black_box(files)))
        });
        group.bench_with_input(BenchmarkId::new("generate", n), &api, |b, api| {
            b.iter(|| generate(black_box(api)))
        });
        group.bench_with_input(
            BenchmarkId::new("compile+generate", n),
            &files,
            |b, files| b.iter(|| compile(black_box(files)).map(|api| generate(&api))),
        );
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
