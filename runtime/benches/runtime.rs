//! Benchmarks, run on demand with `cargo bench -p wiregen-runtime` (never part of `cargo test`):
//!
//! * `prepare/*`: encoding and ACS3-signing one request without sending it (what every call
//!   pays before the network), for an RPC call with six parameters including a JSON one;
//! * `sse/decode`: framing and JSON-decoding a Dify-style event stream delivered in 8 KiB
//!   chunks, reported as throughput;
//! * `sse_size/{1KiB,1MiB,16MiB}`: 16 MiB of events of one size, in 8 KiB chunks: equal
//!   throughput across sizes shows that framing is linear in the bytes received.
//!
//! Each runs twice: with criterion's wall clock, and with the CPU time of the benchmarking
//! thread (`*_cpu`, from `/proc/thread-self/schedstat` on Linux; wall clock elsewhere). On a
//! shared machine the wall clock mostly measures the other processes; CPU time does not.
//!
//! criterion is the workspace's benchmark harness (also used by the codegen benches); with its
//! default features off it builds quickly and still reports throughput and confidence intervals.

use std::hint::black_box;

use std::sync::OnceLock;
use std::time::Instant;

use criterion::measurement::{Measurement, ValueFormatter, WallTime};
use criterion::{Criterion, SamplingMode, Throughput, criterion_group, criterion_main};
use futures::StreamExt as _;
use serde_json::json;
use wiregen_runtime::decode::{Decode, Failure, Object};
use wiregen_runtime::sse::decode_events;
use wiregen_runtime::{
    AuthScheme, Client, Config, Error, ErrorShape, Method, OperationInfo, Protocol, ServiceInfo,
    SseEvent, SseLimits, SseOptions,
};

static RDSAI: ServiceInfo = ServiceInfo {
    name: "rdsai",
    protocol: Protocol::AlibabaRpc,
    api_version: Some("2025-05-07"),
    default_endpoint: "https://rdsai.aliyuncs.com",
    regional_endpoints: &[],
    region_template: None,
    auth: AuthScheme::Acs3HmacSha256,
    error_shapes: &[ErrorShape::Alibaba],
    user_agent: "rdsai/0.1.0 wiregen-runtime/0.1.0",
};

static CHAT: OperationInfo = OperationInfo {
    name: "ChatMessages",
    method: Method::Post,
    path: "/",
    idempotent: false,
};

fn prepare<M: Measurement>(c: &mut Criterion<M>, group: &str) {
    let client = Client::new(
        &RDSAI,
        Config::builder()
            .access_key("LTAI-bench", "bench-secret")
            .security_token("tok")
            .build(),
    );
    let mut req = client.request(&CHAT);
    req.query("Query", "实例 rm-bp1 的磁盘使用率是多少?")
        .query("ConversationId", "77be60cd-237b-4ca9-9c46-48b663cb1234")
        .query("ParentMessageId", "9f1c2d3e-0000-1111-2222-333344445555")
        .query("EventMode", "separate")
        .query("WorkspaceId", "ws-123")
        .query_json(
            "Inputs",
            &json!({"CustomAgentId": "agent-1", "ModelId": "qwen-max"}),
        );
    let mut g = c.benchmark_group(group);
    // Equal-sized samples, each long enough for the tick-granular CPU clock.
    g.sampling_mode(SamplingMode::Flat);
    g.bench_function("rpc_signed", |b| {
        b.iter(|| black_box(client.prepare(black_box(req.clone()))))
    });
    g.finish();
}

fn sse_body(events: usize) -> Vec<u8> {
    let mut body = String::new();
    for i in 0..events {
        if i % 50 == 0 {
            body.push_str("event: ping\ndata: \n\n");
        }
        let data = json!({
            "event": "message", "task_id": "t-1", "message_id": "m-1", "conversation_id": "c-1",
            "answer": format!("chunk {i} of the answer, 中文 included"), "created_at": 1_700_000_000 + i,
        });
        body.push_str(&format!("id: {i}\ndata: {data}\n\n"));
    }
    body.push_str("data: {\"event\":\"message_end\"}\n\n");
    body.into_bytes()
}

/// The shape generated code decodes a Dify-style event into (unknown members skipped), decoded
/// as generated code does.
#[allow(dead_code)]
struct ChatEvent {
    event: Option<String>,
    answer: Option<String>,
    conversation_id: Option<String>,
    message_id: Option<String>,
    created_at: Option<i64>,
}

impl Decode for ChatEvent {
    fn decode(value: serde_json::Value) -> Result<Self, Failure> {
        let mut object = Object::new(value, "struct ChatEvent")?;
        Ok(ChatEvent {
            event: object.field("event")?,
            answer: object.field("answer")?,
            conversation_id: object.field("conversation_id")?,
            message_id: object.field("message_id")?,
            created_at: object.field("created_at")?,
        })
    }
}

fn sse<M: Measurement>(c: &mut Criterion<M>, group: &str) {
    let body = sse_body(2_000);
    let opts = SseOptions {
        event_name_field: Some("event"),
        error_events: &["error"],
        terminal_events: &["message_end"],
        ignored_events: &["ping"],
    };
    let mut g = c.benchmark_group(group);
    g.sampling_mode(SamplingMode::Flat);
    g.throughput(Throughput::Bytes(body.len() as u64));
    g.bench_function("decode", |b| {
        b.iter(|| {
            let chunks: Vec<Result<Vec<u8>, Error>> =
                body.chunks(8 * 1024).map(|c| Ok(c.to_vec())).collect();
            let events = decode_events::<_, _, ChatEvent, _>(
                futures::stream::iter(chunks),
                opts,
                SseLimits::untimed(),
            );
            let all: Vec<Result<SseEvent<ChatEvent>, Error>> =
                futures::executor::block_on(events.collect());
            black_box(all.len())
        })
    });
    g.finish();
}

/// CPU time consumed by the current thread, in nanoseconds.
struct ThreadCpu;

fn thread_cpu_ns() -> u64 {
    // First field of schedstat: time spent on the CPU, in ns (updated at scheduler ticks, so
    // each criterion sample, tens of milliseconds long, is accurate to a few percent).
    let from_proc = std::fs::read_to_string("/proc/thread-self/schedstat")
        .ok()
        .and_then(|s| s.split_whitespace().next()?.parse().ok());
    from_proc.unwrap_or_else(|| {
        static ORIGIN: OnceLock<Instant> = OnceLock::new();
        u64::try_from(ORIGIN.get_or_init(Instant::now).elapsed().as_nanos()).unwrap_or(u64::MAX)
    })
}

impl Measurement for ThreadCpu {
    type Intermediate = u64;
    type Value = u64;

    fn start(&self) -> u64 {
        thread_cpu_ns()
    }
    fn end(&self, start: u64) -> u64 {
        thread_cpu_ns().saturating_sub(start)
    }
    fn add(&self, a: &u64, b: &u64) -> u64 {
        a + b
    }
    fn zero(&self) -> u64 {
        0
    }
    fn to_f64(&self, v: &u64) -> f64 {
        *v as f64
    }
    fn formatter(&self) -> &dyn ValueFormatter {
        // Nanoseconds, like the wall clock: reuse its units.
        WallTime.formatter()
    }
}

/// A stream of `count` events of `size` bytes each, framing included (so the 16 MiB one fits
/// the default event limit).
fn sized_body(size: usize, count: usize) -> Vec<u8> {
    let answer = "x".repeat(size.saturating_sub(21));
    let mut body = Vec::with_capacity((size + 10) * count);
    for _ in 0..count {
        body.extend_from_slice(b"data: {\"answer\":\"");
        body.extend_from_slice(answer.as_bytes());
        body.extend_from_slice(b"\"}\n\n");
    }
    body
}

/// Throughput by event size (16 MiB in all for each), to show that framing is linear: a long
/// event costs per byte what a short one does.
fn sse_sizes<M: Measurement>(c: &mut Criterion<M>, group: &str) {
    let opts = SseOptions::default();
    let mut g = c.benchmark_group(group);
    g.sampling_mode(SamplingMode::Flat);
    g.sample_size(10);
    for (name, size) in [("1KiB", 1 << 10), ("1MiB", 1 << 20), ("16MiB", 16 << 20)] {
        // Leaked so the chunks can be borrowed by the `'static` stream without copying.
        let body: &'static [u8] = Vec::leak(sized_body(size, (16 << 20) / size));
        g.throughput(Throughput::Bytes(body.len() as u64));
        g.bench_function(name, |b| {
            b.iter(|| {
                let chunks: Vec<Result<&[u8], Error>> = body.chunks(8 * 1024).map(Ok).collect();
                let events = decode_events::<_, _, ChatEvent, _>(
                    futures::stream::iter(chunks),
                    opts,
                    SseLimits::untimed(),
                );
                let all: Vec<Result<SseEvent<ChatEvent>, Error>> =
                    futures::executor::block_on(events.collect());
                assert!(all.iter().all(Result::is_ok));
                black_box(all.len())
            })
        });
    }
    g.finish();
}

fn wall_clock(c: &mut Criterion) {
    prepare(c, "prepare");
    sse(c, "sse");
    sse_sizes(c, "sse_size");
}

fn cpu_time(c: &mut Criterion<ThreadCpu>) {
    prepare(c, "prepare_cpu");
    sse(c, "sse_cpu");
    sse_sizes(c, "sse_size_cpu");
}

criterion_group!(wall, wall_clock);
criterion_group! {
    name = cpu;
    config = Criterion::default().with_measurement(ThreadCpu);
    targets = cpu_time
}
criterion_main!(wall, cpu);
