//! A raw event-stream server that sends each chunk only when the test says
//! so, to show that the client hands over every event as soon as it
//! arrives (wiremock answers with a whole body at once).

use std::collections::BTreeMap;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use super::seen::Seen;

/// Releases the server's chunks one at a time.
pub struct Gate(mpsc::UnboundedSender<()>);

impl Gate {
    /// Lets the server write its next chunk.
    pub fn release(&self) {
        // The server may already have finished; then there is nothing to release.
        let _ = self.0.send(());
    }
}

/// Serves one `text/event-stream` response made of `chunks` (raw bytes, so
/// a test can split a UTF-8 character between two), each written after one
/// [`Gate::release`]. Returns the base URI, the gate, and a task that yields
/// the request as received.
pub async fn serve<C: Into<Vec<u8>>>(chunks: Vec<C>) -> (String, Gate, JoinHandle<Seen>) {
    let chunks: Vec<Vec<u8>> = chunks.into_iter().map(Into::into).collect();
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1");
    let uri = format!("http://{}", listener.local_addr().expect("local addr"));
    let (tx, mut rx) = mpsc::unbounded_channel();
    let task = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.expect("accept");
        let seen = read_request(&mut socket).await;
        let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\ncache-control: no-cache\r\nconnection: close\r\n\r\n";
        socket.write_all(head.as_bytes()).await.expect("write head");
        socket.flush().await.expect("flush");
        for chunk in chunks {
            if rx.recv().await.is_none() {
                break;
            }
            if socket.write_all(&chunk).await.is_err() {
                break;
            }
            let _ = socket.flush().await;
        }
        let _ = socket.shutdown().await;
        seen
    });
    (uri, Gate(tx), task)
}

/// Reads the request head (and a `content-length` body) off the socket.
async fn read_request(socket: &mut tokio::net::TcpStream) -> Seen {
    let mut buf = Vec::new();
    let mut byte = [0u8; 1024];
    let head_end = loop {
        let n = socket.read(&mut byte).await.expect("read request");
        assert!(n > 0, "connection closed before the request head ended");
        buf.extend_from_slice(&byte[..n]);
        if let Some(at) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            break at + 4;
        }
    };
    let head = String::from_utf8_lossy(&buf[..head_end]).into_owned();
    let mut lines = head.split("\r\n");
    let request_line = lines.next().unwrap_or_default();
    let mut parts = request_line.split(' ');
    let method = parts.next().unwrap_or_default().to_owned();
    let target = parts.next().unwrap_or_default();
    let mut headers: BTreeMap<String, String> = BTreeMap::new();
    for line in lines.filter(|l| !l.is_empty()) {
        if let Some((name, value)) = line.split_once(':') {
            headers.insert(name.trim().to_ascii_lowercase(), value.trim().to_owned());
        }
    }
    let length: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = buf[head_end..].to_vec();
    while body.len() < length {
        let n = socket.read(&mut byte).await.expect("read body");
        if n == 0 {
            break;
        }
        body.extend_from_slice(&byte[..n]);
    }
    let url = url::Url::parse(&format!("http://placeholder{target}")).expect("request target");
    Seen {
        method,
        path: url.path().to_owned(),
        raw_query: url.query().unwrap_or_default().to_owned(),
        query: url
            .query_pairs()
            .map(|(k, v)| (k.into_owned(), v.into_owned()))
            .collect(),
        headers,
        body,
    }
}
