//! Per-call CPU cost of a whole call on a keep-alive loopback server, run on demand with
//! `cargo bench -p wiregen-runtime --bench loopback` (never part of `cargo test`).
//!
//! A `GetConversations` call (RPC, ACS3-signed, JSON body decoded) is sent `CALLS` times over
//! one kept-alive connection to an in-process server that answers a fixed page. The figure is
//! the process's CPU time (client and server together, all threads) divided by the number of
//! calls, so it is comparable between two versions of the runtime on a busy machine where wall
//! time is not. Each of `ROUNDS` rounds is reported; compare the minimum and the median.

use std::time::Duration;

use cpu_time::ProcessTime;
use serde::Deserialize;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpListener;
use wiregen_runtime::{
    AuthScheme, Client, Config, ErrorShape, Method, OperationInfo, Protocol, ServiceInfo,
    UnknownCode,
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

static GET_CONVERSATIONS: OperationInfo = OperationInfo {
    name: "GetConversations",
    method: Method::Post,
    path: "/",
    idempotent: true,
};

const CALLS: u32 = 2_000;
const ROUNDS: usize = 7;
const BODY: &str = r#"{"RequestId":"r-1","HasMore":false,"Limit":20,"Data":[{"Id":"c-1","Name":"disk usage","Status":"normal","CreatedAt":1700000000,"UpdatedAt":1700000100},{"Id":"c-2","Name":"slow sql","Status":"normal","CreatedAt":1700000200,"UpdatedAt":1700000300}]}"#;

#[derive(Deserialize)]
#[serde(rename_all = "PascalCase")]
#[allow(dead_code)]
struct Page {
    request_id: Option<String>,
    has_more: Option<bool>,
    data: Option<Vec<serde_json::Value>>,
}
wiregen_runtime::serde_decode!(Page);

/// Answers every request on a connection with the fixed page, keeping the connection open.
async fn serve(listener: TcpListener) {
    let response = format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\nx-acs-request-id: r-1\r\ncontent-length: {}\r\n\r\n{BODY}",
        BODY.len()
    );
    loop {
        let Ok((mut socket, _)) = listener.accept().await else {
            return;
        };
        let response = response.clone();
        tokio::spawn(async move {
            let mut buf = Vec::with_capacity(4096);
            let mut chunk = [0u8; 4096];
            loop {
                // Requests carry no body (`content-length: 0`): the head ends each one.
                while let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                    buf.drain(..end + 4);
                    if socket.write_all(response.as_bytes()).await.is_err() {
                        return;
                    }
                }
                match socket.read(&mut chunk).await {
                    Ok(0) | Err(_) => return,
                    Ok(n) => buf.extend_from_slice(&chunk[..n]),
                }
            }
        });
    }
}

fn main() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("tokio runtime");
    rt.block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        tokio::spawn(serve(listener));
        let client = Client::new(
            &RDSAI,
            Config::builder()
                .access_key("LTAI-bench", "bench-secret")
                .endpoint(format!("http://{addr}"))
                .timeout(Duration::from_secs(10))
                .build(),
        );
        let call = || async {
            let mut req = client.request(&GET_CONVERSATIONS);
            req.query("Limit", &20).query("Pinned", &true);
            let page: Page = client
                .send::<_, UnknownCode>(req)
                .await
                .expect("loopback call");
            page
        };
        for _ in 0..200 {
            call().await;
        }
        let mut per_call = Vec::with_capacity(ROUNDS);
        for round in 0..ROUNDS {
            let start = ProcessTime::now();
            for _ in 0..CALLS {
                std::hint::black_box(call().await);
            }
            let us = start.elapsed().as_secs_f64() * 1e6 / f64::from(CALLS);
            println!("round {round}: {us:.1} µs CPU per call");
            per_call.push(us);
        }
        per_call.sort_by(f64::total_cmp);
        println!(
            "loopback GetConversations: min {:.1} µs, median {:.1} µs CPU per call ({CALLS} calls x {ROUNDS} rounds)",
            per_call[0],
            per_call[ROUNDS / 2]
        );
    });
}
