//! How long the compiler takes on synthetic spec trees of 100 and 1,000
//! operations: compile (parse + validate + lower to IR), generate (emit +
//! format), and both together. Run on demand: `cargo bench -p wiregen-codegen`.
//!
//! The trees come from the same generator as `cargo xtask synth`, kept in
//! memory so the numbers are the compiler's, not the disk's. Criterion
//! reports throughput in operations per second, so linear growth shows as
//! the same throughput at both sizes.
//!
//! Each benchmark runs twice: group `codegen` measures wall time, group
//! `codegen-cpu` the process's CPU time (every thread, user + system). On a
//! shared machine the wall time mostly measures the other users; the CPU
//! time is what the work costs, and the wall time on an idle machine is
//! about the CPU time divided by the cores the generator keeps busy.

#[path = "../../xtask/src/synth/specs.rs"]
mod specs;

use std::hint::black_box;
use std::time::Duration;

use cpu_time::ProcessTime;
use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use wiregen_codegen::{SourceFile, compile, generate};

/// The allocator `cargo xtask` runs with, so the numbers are the ones users
/// see (generate takes ~35% less CPU time than with the system allocator).
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

fn bench<M: Measurement>(c: &mut Criterion<M>, group_name: &str) {
    let mut group = c.benchmark_group(group_name);
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

fn wall(c: &mut Criterion) {
    bench(c, "codegen");
}

fn cpu(c: &mut Criterion<ProcessCpu>) {
    bench(c, "codegen-cpu");
}

/// CPU time used by the whole process (all threads, user + system) between
/// `start` and `end`, shown in the same units as wall time.
struct ProcessCpu {
    /// Only lends its duration formatter.
    wall: WallTime,
}

impl Measurement for ProcessCpu {
    type Intermediate = ProcessTime;
    type Value = Duration;

    fn start(&self) -> ProcessTime {
        ProcessTime::now()
    }

    fn end(&self, start: ProcessTime) -> Duration {
        start.elapsed()
    }

    fn add(&self, v1: &Duration, v2: &Duration) -> Duration {
        *v1 + *v2
    }

    fn zero(&self) -> Duration {
        Duration::ZERO
    }

    fn to_f64(&self, value: &Duration) -> f64 {
        value.as_nanos() as f64
    }

    fn formatter(&self) -> &dyn ValueFormatter {
        self.wall.formatter()
    }
}

criterion_group!(wall_time, wall);
criterion_group! {
    name = cpu_time;
    config = Criterion::default().with_measurement(ProcessCpu { wall: WallTime });
    targets = cpu
}
criterion_main!(wall_time, cpu_time);
