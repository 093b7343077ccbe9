//! Benchmarks, run on demand with `cargo bench -p wiregen-runtime` (never part of `cargo test`):
//!
//! * `prepare/*`: encoding and ACS3-signing one request without sending it (what every call
//!   pays before the network), for an RPC call with six parameters including a JSON one;
//! * `sse/decode`: framing and JSON-decoding a Dify-style event stream delivered in 8 KiB
//!   chunks, reported as throughput.
//!
//! criterion is the workspace's benchmark harness (also used by the codegen benches); with its
//! default features off it builds quickly and still reports throughput and confidence intervals.

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use futures::StreamExt as _;
use serde::Deserialize;
use serde_json::json;
use wiregen_runtime::sse::decode_events;
use wiregen_runtime::{
    AuthScheme, Client, Config, Error, ErrorShape, Method, OperationInfo, Protocol, ServiceInfo,
    SseEvent, SseOptions,
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

fn prepare(c: &mut Criterion) {
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
    let mut g = c.benchmark_group("prepare");
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

/// The shape generated code decodes a Dify-style event into (unknown members skipped).
#[derive(Deserialize)]
#[allow(dead_code)]
struct ChatEvent {
    event: Option<String>,
    answer: Option<String>,
    conversation_id: Option<String>,
    message_id: Option<String>,
    created_at: Option<i64>,
}

fn sse(c: &mut Criterion) {
    let body = sse_body(2_000);
    let opts = SseOptions {
        event_name_field: Some("event"),
        error_events: &["error"],
        terminal_events: &["message_end"],
        ignored_events: &["ping"],
    };
    let mut g = c.benchmark_group("sse");
    g.throughput(Throughput::Bytes(body.len() as u64));
    g.bench_function("decode", |b| {
        b.iter(|| {
            let chunks: Vec<Result<Vec<u8>, Error>> =
                body.chunks(8 * 1024).map(|c| Ok(c.to_vec())).collect();
            let events =
                decode_events::<_, _, ChatEvent, _>(futures::stream::iter(chunks), opts, None);
            let all: Vec<Result<SseEvent<ChatEvent>, Error>> =
                futures::executor::block_on(events.collect());
            black_box(all.len())
        })
    });
    g.finish();
}

criterion_group!(benches, prepare, sse);
criterion_main!(benches);
