//! The client's contract against hostile or broken servers (the fault server): every call ends,
//! in bounded time and memory, with a value or a typed error; no credential follows a
//! redirect; errors say what happened. Each test runs under its own time limit.

use std::error::Error as _;
use std::future::Future;
use std::time::Duration;

use futures::StreamExt as _;
use serde::Deserialize;
use serde_json::Value;
use wiregen_runtime::paginate::{self, CursorFrom};
use wiregen_runtime::{
    Client, Error, LimitKind, RetryPolicy, SseEvent, SseOptions, TimeoutKind, UnknownCode,
};

use crate::common::*;
use crate::fault_server::{Fault, FaultServer};

/// Runs `test` under a time limit far above what it needs, so a regression fails instead of
/// hanging CI.
async fn bounded<F: Future<Output = ()>>(test: F) {
    tokio::time::timeout(Duration::from_secs(30), test)
        .await
        .expect("the test hung: a call did not end");
}

fn ms(n: u64) -> Duration {
    Duration::from_millis(n)
}

fn rpc(url: &str) -> Client {
    client(&RPC, url)
}

fn quick() -> RetryPolicy {
    RetryPolicy::standard()
        .with_base_delay(ms(1))
        .with_max_delay(ms(5))
}

type Events = Vec<Result<SseEvent<Value>, Error>>;

async fn stream(
    client: &Client,
    mut customize: impl FnMut(&mut wiregen_runtime::Request),
) -> Events {
    let mut req = client.request(&CHAT_MESSAGES);
    customize(&mut req);
    client
        .send_sse::<Value, UnknownCode>(req, SseOptions::default())
        .collect()
        .await
}

#[tokio::test]
async fn a_long_event_is_framed_in_linear_time_and_one_over_the_limit_is_an_error() {
    bounded(async {
        // 16 MiB in one line: quadratic framing took 128 s for this, so the time limit fails it.
        let server = FaultServer::start(Fault::HugeLine {
            len: 16 << 20,
            terminate: true,
        })
        .await;
        let client = rpc(&server.url());
        let events = stream(&client, |r| {
            r.max_event_bytes(17 << 20);
        })
        .await;
        match events.as_slice() {
            [Ok(e)] => assert_eq!(e.data.as_str().map(str::len), Some(16 << 20)),
            other => panic!("expected one event, got {}", other.len()),
        }

        let server = FaultServer::start(Fault::HugeLine {
            len: 4 << 20,
            terminate: false,
        })
        .await;
        let client = rpc(&server.url());
        let events = stream(&client, |r| {
            r.max_event_bytes(1 << 20);
        })
        .await;
        match events.as_slice() {
            [Err(Error::Limit(LimitKind::SseEvent { limit }))] => assert_eq!(*limit, 1 << 20),
            other => panic!("expected the event limit, got {other:?}"),
        }
    })
    .await;
}

#[tokio::test]
async fn a_trickling_stream_times_out_per_event_and_a_lively_one_at_its_deadline() {
    bounded(async {
        // One byte every 20 ms never completes an event: the idle timer is not reset by it.
        let server = FaultServer::start(Fault::Trickle {
            every: ms(20),
            bytes: b"d",
        })
        .await;
        let client = rpc(&server.url());
        let events = stream(&client, |r| {
            r.sse_idle_timeout(ms(300));
        })
        .await;
        assert!(
            matches!(events.as_slice(), [Err(Error::Timeout(TimeoutKind::SseIdle(d)))] if *d == ms(300)),
            "{events:?}"
        );

        // Complete keep-alive blocks reset the idle timer; only the deadline ends the stream.
        let server = FaultServer::start(Fault::Trickle {
            every: ms(20),
            bytes: b": keep-alive\n\n",
        })
        .await;
        let client = rpc(&server.url());
        let events = stream(&client, |r| {
            r.sse_idle_timeout(ms(300)).sse_deadline(ms(800));
        })
        .await;
        assert!(
            matches!(events.as_slice(), [Err(Error::Timeout(TimeoutKind::SseStream(d)))] if *d == ms(800)),
            "{events:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused_by_its_length_or_while_read_and_not_retried() {
    bounded(async {
        let server = FaultServer::start(Fault::HugeBody {
            status: 200,
            len: 64 << 20,
            announce: true,
        })
        .await;
        let client = Client::new(&RPC, config(&server.url()).retry(quick()).build());
        let err = client
            .send::<Value, UnknownCode>(client.request(&GET_CONVERSATIONS))
            .await
            .expect_err("too large");
        assert!(
            matches!(
                err,
                Error::Limit(LimitKind::ResponseBody {
                    limit: wiregen_runtime::DEFAULT_MAX_RESPONSE_BYTES,
                    content_length: Some(n),
                }) if n == 64 << 20
            ),
            "{err:?}"
        );
        assert!(err.to_string().contains("max_response_bytes"), "{err}");
        assert_eq!(server.requests(), 1, "a limit is not retried");

        let server = FaultServer::start(Fault::HugeBody {
            status: 200,
            len: 8 << 20,
            announce: false,
        })
        .await;
        let client = rpc(&server.url());
        let mut req = client.request(&GET_CONVERSATIONS);
        req.max_response_bytes(1 << 20);
        let err = client
            .send::<Value, UnknownCode>(req)
            .await
            .expect_err("too large");
        assert!(
            matches!(
                err,
                Error::Limit(LimitKind::ResponseBody {
                    limit: 1048576,
                    content_length: None
                })
            ),
            "{err:?}"
        );
    })
    .await;
}

#[tokio::test]
async fn a_huge_error_body_keeps_a_bounded_prefix_and_prints_small() {
    bounded(async {
        let server = FaultServer::start(Fault::HugeBody {
            status: 500,
            len: 32 << 20,
            announce: true,
        })
        .await;
        let client = Client::new(&RPC, config(&server.url()).retry(quick()).build());
        let err = client
            .send::<Value, UnknownCode>(client.request(&GET_CONVERSATIONS))
            .await
            .expect_err("500");
        let service = err.service().expect("a service error");
        assert_eq!(service.status, 500);
        assert_eq!(service.body.len(), wiregen_runtime::MAX_ERROR_BODY_BYTES);
        assert_eq!(
            server.requests(),
            3,
            "a 500 is retried, each time reading only a prefix"
        );
        assert!(format!("{err:?}").len() < 4096, "Debug is bounded");
        assert!(err.to_string().len() < 4096, "Display is bounded");
    })
    .await;
}

#[derive(Debug, Deserialize)]
struct Page {
    #[serde(rename = "Data")]
    data: Vec<Item>,
    #[serde(rename = "HasMore")]
    has_more: bool,
    #[serde(rename = "NextToken")]
    next_token: String,
}
wiregen_runtime::serde_decode!(Page);

#[derive(Debug, Deserialize)]
struct Item {
    #[serde(rename = "Id")]
    id: String,
}

#[tokio::test]
async fn endless_pages_stop_at_the_page_cap_with_an_error_naming_it() {
    bounded(async {
        let server = FaultServer::start(Fault::EndlessPages).await;
        let client = Client::new(&RPC, config(&server.url()).max_pages(25).build());
        let fetch = {
            let client = client.clone();
            move |req| {
                let client = client.clone();
                async move { client.send_with_metadata::<Page, UnknownCode>(req).await }
            }
        };
        // New cursors forever.
        let pages = paginate::cursor(
            client.max_pages(),
            client.request(&GET_CONVERSATIONS),
            fetch.clone(),
            |p: &Page| (p.data.as_slice(), p.has_more),
            |i: &Item| Some(i.id.clone()),
            CursorFrom::Last,
            |mut req, cursor| {
                req.query("LastId", &cursor);
                req
            },
        );
        let items: Vec<_> = paginate::items(pages, |p: Page| p.data).collect().await;
        assert_eq!(items.iter().filter(|r| r.is_ok()).count(), 25);
        match items.last() {
            Some(Err(e @ Error::Limit(LimitKind::Pages { limit: 25 }))) => {
                assert!(e.to_string().contains("max_pages"), "{e}")
            }
            other => panic!("expected the page cap, got {other:?}"),
        }
        assert_eq!(server.requests(), 25);

        // A page number the server ignores (full pages, no total) and new tokens forever.
        let pages: Vec<_> = paginate::pages(
            7,
            (client.request(&GET_CONVERSATIONS), 1),
            {
                let fetch = fetch.clone();
                move |(req, n)| {
                    let fetch = fetch.clone();
                    async move { fetch(req).await.map(|(p, meta)| ((p, n), meta)) }
                }
            },
            |(p, _): &(Page, i64)| (p.data.len(), None),
            |(_, n)| (*n, 1),
            |(req, _), n| (req, n),
        )
        .collect()
        .await;
        assert!(matches!(
            pages.last(),
            Some(Err(Error::Limit(LimitKind::Pages { limit: 7 })))
        ));
        let tokens: Vec<_> = paginate::tokens(
            5,
            client.request(&GET_CONVERSATIONS),
            fetch,
            |p: &Page| Some(p.next_token.clone()),
            |mut req, t| {
                req.query("NextToken", &t);
                req
            },
        )
        .collect()
        .await;
        assert_eq!(tokens.len(), 6);
        assert!(matches!(
            tokens.last(),
            Some(Err(Error::Limit(LimitKind::Pages { limit: 5 })))
        ));
    })
    .await;
}

#[tokio::test]
async fn after_a_burst_only_the_idle_cap_of_connections_stays_open() {
    bounded(async {
        let server = FaultServer::start(Fault::KeepAlive { delay: ms(100) }).await;
        let client = Client::new(
            &RPC,
            config(&server.url()).pool_max_idle_per_host(2).build(),
        );
        let calls = (0..24).map(|_| {
            let client = client.clone();
            async move {
                client
                    .send::<Value, UnknownCode>(client.request(&GET_CONVERSATIONS))
                    .await
            }
        });
        for r in futures::future::join_all(calls).await {
            r.expect("call");
        }
        assert!(
            server.most_open_connections() > 2,
            "the burst used {} connections",
            server.most_open_connections()
        );
        // The client closes what it does not keep; wait for the server to see it.
        while server.open_connections() > 2 {
            tokio::time::sleep(ms(10)).await;
        }
    })
    .await;
}

#[tokio::test]
async fn a_redirect_is_never_followed_even_when_the_caller_asks_for_it() {
    bounded(async {
        let server = FaultServer::start(Fault::Redirect).await;
        let client = Client::new(
            &RPC,
            config(&server.url())
                .security_token(STS_TOKEN)
                // A caller's builder that would follow redirects and send a Referer.
                .http_client_builder(|b| {
                    http(b)
                        .redirect(reqwest::redirect::Policy::limited(10))
                        .referer(true)
                })
                .retry(RetryPolicy::none())
                .build(),
        );
        let err = client
            .send::<Value, UnknownCode>(client.request(&GET_CONVERSATIONS))
            .await
            .expect_err("a redirect is a failure");
        assert_eq!(err.service().map(|s| s.status), Some(302), "{err:?}");
        assert_eq!(server.requests(), 1);
        let recorded = server.recorded.lock().expect("recorder").clone();
        assert!(recorded.is_empty(), "the other host received: {recorded:?}");
    })
    .await;
}

#[tokio::test]
async fn an_oversized_response_head_says_so_and_is_not_retried() {
    bounded(async {
        let server = FaultServer::start(Fault::OversizedHead).await;
        let client = Client::new(&RPC, config(&server.url()).retry(quick()).build());
        let err = client
            .send::<Value, UnknownCode>(client.request(&GET_CONVERSATIONS))
            .await
            .expect_err("head too large");
        let shown = err.to_string();
        assert!(matches!(err, Error::Transport(_)), "{err:?}");
        assert!(
            shown.contains("not valid HTTP") && shown.contains("too large"),
            "{shown}"
        );
        assert!(err.source().is_some(), "the cause chain is kept");
        assert!(!err.is_retryable());
        assert_eq!(server.requests(), 1);
    })
    .await;
}

#[tokio::test]
async fn a_body_cut_short_says_so_and_is_retried_as_transient() {
    bounded(async {
        let server = FaultServer::start(Fault::CloseMidBody).await;
        let client = Client::new(&RPC, config(&server.url()).retry(quick()).build());
        let err = client
            .send::<Value, UnknownCode>(client.request(&GET_CONVERSATIONS))
            .await
            .expect_err("cut short");
        assert!(err.to_string().contains("while the body was read"), "{err}");
        assert!(err.source().is_some());
        assert!(err.is_retryable());
        assert_eq!(server.requests(), 3);
    })
    .await;
}

const FD_CHILD: &str = "WIREGEN_RUNTIME_TEST_FD_CHILD";

/// With file descriptors exhausted, calls fail with an error that names the cause (not an
/// opaque "error sending request") and every call still ends. The client runs in a child
/// process under `ulimit -n 128` (so the rest of the suite keeps its descriptors, and the
/// server, here, is not starved with it).
#[test]
fn out_of_file_descriptors_says_so() {
    if let Some(url) = std::env::var_os(FD_CHILD) {
        let url = url.into_string().expect("url");
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(bounded(async {
            let client = Client::new(&RPC, config(&url).retry(RetryPolicy::none()).build());
            let calls = (0..300).map(|_| {
                let client = client.clone();
                async move {
                    client
                        .send::<Value, UnknownCode>(client.request(&GET_CONVERSATIONS))
                        .await
                }
            });
            let results = futures::future::join_all(calls).await;
            let errors: Vec<String> = results
                .iter()
                .filter_map(|r| r.as_ref().err())
                .map(ToString::to_string)
                .collect();
            assert!(
                errors.iter().any(|e| e.contains("Too many open files")),
                "{errors:#?}"
            );
            for e in &errors {
                assert!(
                    e.contains("could not connect") && e.contains("os error"),
                    "{e}"
                );
            }
            println!("FD-CHILD-OK {} of 300 failed", errors.len());
        }));
        return;
    }
    // The server runs on its own thread until the child is done.
    let (url_tx, url_rx) = std::sync::mpsc::channel();
    let (stop_tx, stop_rx) = tokio::sync::oneshot::channel::<()>();
    let serving = std::thread::spawn(move || {
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async {
            let server = FaultServer::start(Fault::KeepAlive { delay: ms(200) }).await;
            url_tx.send(server.url()).expect("send url");
            let _ = stop_rx.await;
        });
    });
    let url = url_rx.recv().expect("server url");
    let exe = std::env::current_exe().expect("test binary");
    let out = std::process::Command::new("sh")
        .arg("-c")
        .arg(r#"ulimit -n 128 && exec "$0" --exact hostile::out_of_file_descriptors_says_so --nocapture --test-threads=1"#)
        .arg(exe)
        .env(FD_CHILD, url)
        .output()
        .expect("run child");
    let _ = stop_tx.send(());
    serving.join().expect("server thread");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success() && stdout.contains("FD-CHILD-OK"),
        "{stdout}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

const MEMORY_CHILD: &str = "WIREGEN_RUNTIME_TEST_MEMORY_CHILD";

/// Peak resident memory of this process, in bytes (Linux `VmHWM`).
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kib: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kib * 1024)
}

/// 200 MB bodies (a 200 announced, a 200 chunked, a 500 retried three times) raise the peak
/// memory of a fresh process by far less than one body: before the limits, 412 MB and 618 MB.
/// Runs in a child process so the peak is this test's alone.
#[test]
fn huge_bodies_keep_memory_bounded() {
    if std::env::var_os(MEMORY_CHILD).is_none() {
        let exe = std::env::current_exe().expect("test binary");
        let out = std::process::Command::new(exe)
            .args([
                "--exact",
                "hostile::huge_bodies_keep_memory_bounded",
                "--nocapture",
                "--test-threads=1",
            ])
            .env(MEMORY_CHILD, "1")
            .output()
            .expect("run child");
        let stdout = String::from_utf8_lossy(&out.stdout);
        assert!(
            out.status.success() && stdout.contains("MEMORY-CHILD-OK"),
            "{stdout}\n{}",
            String::from_utf8_lossy(&out.stderr)
        );
        return;
    }
    let Some(before) = peak_rss() else {
        println!("MEMORY-CHILD-OK (no /proc: not measured)");
        return;
    };
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    runtime.block_on(bounded(async {
        for (status, announce) in [(200, true), (200, false), (500, true)] {
            let server = FaultServer::start(Fault::HugeBody {
                status,
                len: 200_000_000,
                announce,
            })
            .await;
            let client = Client::new(&RPC, config(&server.url()).retry(quick()).build());
            let err = client
                .send::<Value, UnknownCode>(client.request(&GET_CONVERSATIONS))
                .await
                .expect_err("too large, or a 500");
            assert!(format!("{err:?}").len() < 4096);
        }
    }));
    let after = peak_rss().expect("VmHWM");
    let grown = after.saturating_sub(before);
    // The default body limit is 32 MiB: a refused chunked body may be buffered up to it.
    assert!(grown < 80 << 20, "peak memory grew by {grown} bytes");
    println!("MEMORY-CHILD-OK peak grew by {} KiB", grown / 1024);
}
