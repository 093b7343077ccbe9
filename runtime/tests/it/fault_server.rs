//! A reusable fault-injection server on 127.0.0.1: each [`Fault`] is one way a hostile or
//! broken server behaves, written on a raw socket so the test controls every byte and every
//! pause. It counts requests and open connections; the redirect fault also starts a second
//! listener that records whatever reaches it.
//!
//! ```ignore
//! let server = FaultServer::start(Fault::Trickle { every: ms(50), bytes: b"d" }).await;
//! let client = Client::new(&REST, config(&server.url()).build());
//! ```

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::{TcpListener, TcpStream};

/// How the server misbehaves.
#[derive(Debug, Clone)]
pub enum Fault {
    /// An event-stream head, then `bytes` every `every`, forever.
    Trickle {
        every: Duration,
        bytes: &'static [u8],
    },
    /// An event-stream head, then one `data:` line of `len` bytes of JSON string content, in
    /// 64 KiB writes; ended by a blank line when `terminate`, else left open.
    HugeLine { len: usize, terminate: bool },
    /// `status` with a body of `len` bytes, announced by `Content-Length` when `announce`,
    /// else chunked.
    HugeBody {
        status: u16,
        len: usize,
        announce: bool,
    },
    /// A JSON page that always has more: `{"Data":[{"Id":"<n>"}],"HasMore":true,
    /// "NextToken":"t<n>"}` for the n-th request.
    EndlessPages,
    /// `302` to the second listener, which records what it receives.
    Redirect,
    /// A response head with a 1 MiB header (over the HTTP library's limit).
    OversizedHead,
    /// `Content-Length: 1000`, 10 bytes, then the connection closes.
    CloseMidBody,
    /// `200 {}` after `delay`, keeping the connection open for more requests.
    KeepAlive { delay: Duration },
    /// Sends every request header back, as some gateways and debugging proxies do.
    Echo(Echo),
}

/// Where [`Fault::Echo`] puts the request headers it received.
#[derive(Debug, Clone, Copy)]
pub enum Echo {
    /// An Alibaba error body with this status: the credential headers as its `Code`,
    /// `RequestId` and `HostId`, the whole head as its `Message` and, JSON-escaped with `\/`
    /// and percent-encoded, in further members.
    ErrorBody(u16),
    /// `200` with a JSON array of the head's lines (a body that does not decode as numbers).
    Body,
    /// An event stream whose second event is an `error` event built like [`Echo::ErrorBody`],
    /// after an event whose data is a JSON string of the head (one that does not decode).
    ErrorEvent,
}

/// A running fault server (stopped with the test's runtime).
pub struct FaultServer {
    addr: std::net::SocketAddr,
    requests: Arc<AtomicUsize>,
    open: Arc<AtomicUsize>,
    most_open: Arc<AtomicUsize>,
    /// What the redirect target received (raw request heads), for [`Fault::Redirect`].
    pub recorded: Arc<Mutex<Vec<String>>>,
}

impl FaultServer {
    pub async fn start(fault: Fault) -> FaultServer {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let recorded = Arc::new(Mutex::new(Vec::new()));
        let location = match fault {
            Fault::Redirect => Some(start_recorder(recorded.clone()).await),
            _ => None,
        };
        let server = FaultServer {
            addr,
            requests: Arc::default(),
            open: Arc::default(),
            most_open: Arc::default(),
            recorded,
        };
        let (requests, open, most_open) = (
            server.requests.clone(),
            server.open.clone(),
            server.most_open.clone(),
        );
        tokio::spawn(async move {
            loop {
                // Out of file descriptors (a test may exhaust them on purpose): wait, retry.
                let Ok((sock, _)) = listener.accept().await else {
                    tokio::time::sleep(Duration::from_millis(5)).await;
                    continue;
                };
                let now = open.fetch_add(1, Ordering::SeqCst) + 1;
                most_open.fetch_max(now, Ordering::SeqCst);
                let (fault, requests, open, location) = (
                    fault.clone(),
                    requests.clone(),
                    open.clone(),
                    location.clone(),
                );
                tokio::spawn(async move {
                    // Errors mean the client went away, which is what some tests want.
                    let _ = serve(sock, &fault, &requests, location.as_deref()).await;
                    open.fetch_sub(1, Ordering::SeqCst);
                });
            }
        });
        server
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// Requests received so far.
    pub fn requests(&self) -> usize {
        self.requests.load(Ordering::SeqCst)
    }

    /// Connections open right now.
    pub fn open_connections(&self) -> usize {
        self.open.load(Ordering::SeqCst)
    }

    /// Most connections open at once so far.
    pub fn most_open_connections(&self) -> usize {
        self.most_open.load(Ordering::SeqCst)
    }
}

/// Reads one request (head and `Content-Length` body); `None` when the client closed.
async fn read_request(sock: &mut TcpStream) -> std::io::Result<Option<String>> {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1024];
    let head_end = loop {
        if let Some(i) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break i + 4;
        }
        let n = sock.read(&mut byte).await?;
        if n == 0 {
            return Ok(None);
        }
        buf.extend_from_slice(&byte[..n]);
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let length = head
        .lines()
        .find_map(|l| {
            let (name, value) = l.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse::<usize>().ok())?
        })
        .unwrap_or(0);
    let mut have = buf.len() - head_end;
    while have < length {
        let n = sock.read(&mut byte).await?;
        if n == 0 {
            return Ok(None);
        }
        have += n;
    }
    Ok(Some(head))
}

const SSE_HEAD: &[u8] =
    b"HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\n\r\n";

async fn serve(
    mut sock: TcpStream,
    fault: &Fault,
    requests: &AtomicUsize,
    location: Option<&str>,
) -> std::io::Result<()> {
    while let Some(head) = read_request(&mut sock).await? {
        let n = requests.fetch_add(1, Ordering::SeqCst) + 1;
        match fault {
            Fault::Trickle { every, bytes } => {
                sock.write_all(SSE_HEAD).await?;
                loop {
                    sock.write_all(bytes).await?;
                    tokio::time::sleep(*every).await;
                }
            }
            Fault::HugeLine { len, terminate } => {
                sock.write_all(SSE_HEAD).await?;
                sock.write_all(b"data: \"").await?;
                let block = vec![b'x'; 64 << 10];
                let mut left = *len;
                while left > 0 {
                    let take = left.min(block.len());
                    sock.write_all(&block[..take]).await?;
                    left -= take;
                }
                if *terminate {
                    sock.write_all(b"\"\n\n").await?;
                    return Ok(());
                }
                // Hold the event open until the client gives up.
                let mut sink = [0u8; 64];
                while sock.read(&mut sink).await? > 0 {}
                return Ok(());
            }
            Fault::HugeBody {
                status,
                len,
                announce,
            } => {
                let framing = if *announce {
                    format!("content-length: {len}")
                } else {
                    "transfer-encoding: chunked".to_owned()
                };
                let head = format!(
                    "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\n{framing}\r\n\r\n"
                );
                sock.write_all(head.as_bytes()).await?;
                let block = vec![b'x'; 64 << 10];
                let mut left = *len;
                while left > 0 {
                    let take = left.min(block.len());
                    if !*announce {
                        sock.write_all(format!("{take:x}\r\n").as_bytes()).await?;
                    }
                    sock.write_all(&block[..take]).await?;
                    if !*announce {
                        sock.write_all(b"\r\n").await?;
                    }
                    left -= take;
                }
                if !*announce {
                    sock.write_all(b"0\r\n\r\n").await?;
                }
            }
            Fault::EndlessPages => {
                let body =
                    format!(r#"{{"Data":[{{"Id":"{n}"}}],"HasMore":true,"NextToken":"t{n}"}}"#);
                respond(&mut sock, "200 OK", &body).await?;
            }
            Fault::Redirect => {
                let head = format!(
                    "HTTP/1.1 302 Found\r\nlocation: {}\r\ncontent-length: 0\r\n\r\n",
                    location.unwrap_or("/")
                );
                sock.write_all(head.as_bytes()).await?;
            }
            Fault::OversizedHead => {
                let big = "a".repeat(1 << 20);
                let head =
                    format!("HTTP/1.1 200 OK\r\nx-big: {big}\r\ncontent-length: 2\r\n\r\n{{}}");
                sock.write_all(head.as_bytes()).await?;
                return Ok(());
            }
            Fault::CloseMidBody => {
                sock.write_all(b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 1000\r\n\r\n{\"Data\": [")
                    .await?;
                return Ok(());
            }
            Fault::KeepAlive { delay } => {
                tokio::time::sleep(*delay).await;
                respond(&mut sock, "200 OK", "{}").await?;
            }
            Fault::Echo(echo) => {
                echo_back(&mut sock, *echo, &head).await?;
                if matches!(echo, Echo::ErrorEvent) {
                    // The stream's body ends when the connection does.
                    return Ok(());
                }
            }
        }
    }
    Ok(())
}

/// What URL encoders leave alone in a query value (RFC 3986's unreserved characters).
pub const URL_COMPONENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// The value of header `name` in a request head, or "".
fn header<'a>(head: &'a str, name: &str) -> &'a str {
    head.lines()
        .find_map(|l| {
            let (n, v) = l.split_once(':')?;
            n.trim().eq_ignore_ascii_case(name).then(|| v.trim())
        })
        .unwrap_or("")
}

/// An Alibaba error body made of the request head: every credential header in a member of its
/// own, the head raw, JSON-escaped with `\/`, and percent-encoded.
fn echo_error(head: &str) -> serde_json::Value {
    let escaped = head.replace('/', "\\/");
    let encoded = percent_encoding::utf8_percent_encode(head, URL_COMPONENT).to_string();
    serde_json::json!({
        "event": "error",
        "Code": header(head, "authorization"),
        "Message": head,
        "RequestId": header(head, "x-acs-security-token"),
        "HostId": header(head, "x-acs-bearer-token"),
        "Recommend": format!("https://example.invalid/?q={encoded}"),
        "Escaped": escaped,
    })
}

async fn echo_back(sock: &mut TcpStream, echo: Echo, head: &str) -> std::io::Result<()> {
    match echo {
        Echo::ErrorBody(status) => {
            let body = echo_error(head).to_string();
            // The escaped member written as PHP would: `\/` stays in the raw body.
            let body = body.replace("\\\\/", "\\/");
            respond(sock, &format!("{status} X"), &body).await
        }
        Echo::Body => {
            let lines: Vec<&str> = head.lines().collect();
            respond(sock, "200 OK", &serde_json::json!(lines).to_string()).await
        }
        Echo::ErrorEvent => {
            sock.write_all(SSE_HEAD).await?;
            let first = serde_json::json!(head).to_string();
            let error = echo_error(head).to_string().replace("\\\\/", "\\/");
            sock.write_all(format!("data: {first}\n\ndata: {error}\n\n").as_bytes())
                .await
        }
    }
}

async fn respond(sock: &mut TcpStream, status: &str, body: &str) -> std::io::Result<()> {
    let text = format!(
        "HTTP/1.1 {status}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    );
    sock.write_all(text.as_bytes()).await
}

/// The redirect target: records each request head it receives and answers `200 {}`.
async fn start_recorder(recorded: Arc<Mutex<Vec<String>>>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            let recorded = recorded.clone();
            tokio::spawn(async move {
                while let Ok(Some(head)) = read_request(&mut sock).await {
                    recorded.lock().expect("recorder").push(head);
                    if respond(&mut sock, "200 OK", "{}").await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    format!("http://{addr}/collect?from=redirect")
}
