//! Server-sent-events framing: bytes in, events out, in time linear in the bytes received and
//! memory bounded by the largest event allowed.
//!
//! Hand-written because no well-kept crate frames incrementally *and* bounds an event:
//! `eventsource-stream` (used before) re-parses the whole pending buffer on every network
//! chunk, so one long line costs time quadratic in its length (16 MB took 128 s) and memory
//! without limit. Here each byte is looked at once: a partial line is kept in one buffer and
//! only the new chunk is scanned for a line end.
//!
//! The rules are the WHATWG ones: `CR`, `LF` and `CRLF` end lines (also when a `CRLF` is split
//! across chunks), a leading BOM is dropped, `:` starts a comment, one space after `field:` is
//! removed, `data` lines join with `\n`, `id` persists across events (and is ignored if it
//! holds NUL), `retry` must be all digits, a blank line dispatches an event that has data.
//! One deliberate difference, as the official SDK does: at the end of the body, an event that
//! lacks its blank line is still dispatched ([`Framer::finish`]).

use std::collections::VecDeque;

/// One framed event, before its data is decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Frame {
    /// The `event:` field, if the event had one (WHATWG would default it to `message`; the
    /// caller needs to know whether the server named the event).
    pub event: Option<String>,
    /// The `data:` lines joined with `\n`.
    pub data: String,
    /// The last event id seen on the stream, if any.
    pub id: Option<String>,
    /// The `retry:` field of this event, in milliseconds.
    pub retry: Option<u64>,
}

/// Why the bytes could not be framed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum FrameError {
    /// One event (its lines, field names included) grew past the limit, in bytes.
    TooLarge(usize),
    /// A line is not UTF-8; the byte offset of the bad sequence within the line.
    Utf8 { line: u64, valid_up_to: usize },
}

/// The incremental framer; feed it chunks, then [`finish`](Framer::finish) it.
#[derive(Debug)]
pub(crate) struct Framer {
    max_event: usize,
    /// Bytes of the line being received (no terminator).
    line: Vec<u8>,
    /// The previous chunk ended with `CR`: a `LF` starting the next one belongs to it.
    after_cr: bool,
    /// No byte seen yet (a BOM may follow).
    at_start: bool,
    /// Bytes of the current event so far, counting line terminators.
    event_bytes: usize,
    /// Lines completed so far (for errors).
    lines: u64,
    /// The current block has a line (field or comment).
    in_block: bool,
    /// Blocks ended by a blank line so far, events or not (a ping, a comment keep-alive).
    blocks: u64,
    data: String,
    has_data: bool,
    event: Option<String>,
    retry: Option<u64>,
    last_id: Option<String>,
}

impl Framer {
    /// A framer that refuses events larger than `max_event` bytes.
    pub fn new(max_event: usize) -> Self {
        Framer {
            max_event,
            line: Vec::new(),
            after_cr: false,
            at_start: true,
            event_bytes: 0,
            lines: 0,
            in_block: false,
            blocks: 0,
            data: String::new(),
            has_data: false,
            event: None,
            retry: None,
            last_id: None,
        }
    }

    /// Frames `chunk`, appending every event it completes to `out`.
    pub fn feed(&mut self, mut chunk: &[u8], out: &mut VecDeque<Frame>) -> Result<(), FrameError> {
        if self.at_start && !chunk.is_empty() {
            // The BOM may itself be split across chunks: wait for three bytes.
            let mut head = std::mem::take(&mut self.line);
            let need = 3usize.saturating_sub(head.len()).min(chunk.len());
            head.extend_from_slice(&chunk[..need]);
            chunk = &chunk[need..];
            if head.len() < 3 && b"\xEF\xBB\xBF".starts_with(&head) {
                self.line = head;
                return Ok(());
            }
            self.at_start = false;
            let head = head.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&head);
            self.scan(head, out)?;
        }
        self.scan(chunk, out)
    }

    /// How many blocks (events, pings, comment keep-alives) a blank line has ended so far:
    /// the stream's sign of life.
    pub fn blocks(&self) -> u64 {
        self.blocks
    }

    /// Ends the stream: a last line without its terminator, and a last event without its blank
    /// line, are still delivered.
    pub fn finish(&mut self, out: &mut VecDeque<Frame>) -> Result<(), FrameError> {
        if !self.line.is_empty() {
            let line = std::mem::take(&mut self.line);
            self.line_done(&line, out)?;
        }
        self.line_done(b"", out)
    }

    fn scan(&mut self, mut chunk: &[u8], out: &mut VecDeque<Frame>) -> Result<(), FrameError> {
        if self.after_cr && !chunk.is_empty() {
            self.after_cr = false;
            if chunk[0] == b'\n' {
                chunk = &chunk[1..];
            }
        }
        while let Some(end) = chunk.iter().position(|&b| b == b'\n' || b == b'\r') {
            self.grow(end + 1)?;
            if self.line.is_empty() {
                self.line_done(&chunk[..end], out)?;
            } else {
                let mut line = std::mem::take(&mut self.line);
                line.extend_from_slice(&chunk[..end]);
                self.line_done(&line, out)?;
                // Keep the allocation for the next long line.
                line.clear();
                self.line = line;
            }
            let cr = chunk[end] == b'\r';
            chunk = &chunk[end + 1..];
            if cr {
                match chunk.first() {
                    Some(b'\n') => chunk = &chunk[1..],
                    Some(_) => {}
                    None => self.after_cr = true,
                }
            }
        }
        self.grow(chunk.len())?;
        self.line.extend_from_slice(chunk);
        Ok(())
    }

    /// Counts `n` more bytes against the event limit.
    fn grow(&mut self, n: usize) -> Result<(), FrameError> {
        self.event_bytes = self.event_bytes.saturating_add(n);
        if self.event_bytes > self.max_event {
            return Err(FrameError::TooLarge(self.max_event));
        }
        Ok(())
    }

    fn line_done(&mut self, line: &[u8], out: &mut VecDeque<Frame>) -> Result<(), FrameError> {
        self.lines += 1;
        if line.is_empty() {
            if std::mem::take(&mut self.in_block) {
                self.blocks += 1;
            }
            self.dispatch(out);
            return Ok(());
        }
        self.in_block = true;
        let line = std::str::from_utf8(line).map_err(|e| FrameError::Utf8 {
            line: self.lines,
            valid_up_to: e.valid_up_to(),
        })?;
        if line.starts_with(':') {
            return Ok(());
        }
        let (field, value) = match line.split_once(':') {
            Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
            None => (line, ""),
        };
        match field {
            "event" => self.event = Some(value.to_owned()),
            "data" => {
                if self.has_data {
                    self.data.push('\n');
                }
                self.data.push_str(value);
                self.has_data = true;
            }
            "id" if !value.contains('\0') => self.last_id = Some(value.to_owned()),
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                // More digits than a u64 holds: as good as "never reconnect".
                self.retry = Some(value.parse().unwrap_or(u64::MAX));
            }
            _ => {}
        }
        Ok(())
    }

    fn dispatch(&mut self, out: &mut VecDeque<Frame>) {
        self.event_bytes = 0;
        let event = self.event.take();
        let retry = self.retry.take();
        if !std::mem::take(&mut self.has_data) {
            return;
        }
        out.push_back(Frame {
            event,
            data: std::mem::take(&mut self.data),
            id: self.last_id.clone().filter(|id| !id.is_empty()),
            retry,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(chunks: &[&[u8]]) -> Result<Vec<Frame>, FrameError> {
        let mut f = Framer::new(1 << 20);
        let mut out = VecDeque::new();
        for c in chunks {
            f.feed(c, &mut out)?;
        }
        f.finish(&mut out)?;
        Ok(out.into())
    }

    fn frame(event: Option<&str>, data: &str, id: Option<&str>) -> Frame {
        Frame {
            event: event.map(str::to_owned),
            data: data.to_owned(),
            id: id.map(str::to_owned),
            retry: None,
        }
    }

    #[test]
    fn fields_comments_and_multi_line_data() {
        let got = frames(&[b": hi\nevent: a\ndata: 1\ndata:2\nid: 7\n\ndata: x\n\n"]).unwrap();
        assert_eq!(
            got,
            [
                frame(Some("a"), "1\n2", Some("7")),
                frame(None, "x", Some("7"))
            ]
        );
    }

    #[test]
    fn every_split_of_crlf_cr_lf_and_utf8_gives_the_same_events() {
        let text = "\u{FEFF}data: 通义\r\n\r\nevent: e\rdata: b\r\rdata: c\n\n".as_bytes();
        let want = frames(&[text]).unwrap();
        assert_eq!(
            want,
            [
                frame(None, "通义", None),
                frame(Some("e"), "b", None),
                frame(None, "c", None)
            ]
        );
        for i in 0..=text.len() {
            for j in i..=text.len() {
                let got = frames(&[&text[..i], &text[i..j], &text[j..]]).unwrap();
                assert_eq!(got, want, "split at {i}, {j}");
            }
        }
    }

    #[test]
    fn events_without_data_are_not_dispatched_and_retry_must_be_digits() {
        let got =
            frames(&[b"event: ping\n\nretry: 1x\ndata: a\n\nretry: 30\ndata: b\n\n"]).unwrap();
        assert_eq!(got.len(), 2);
        assert_eq!((got[0].retry, got[1].retry), (None, Some(30)));
        assert_eq!(got[0].event, None, "the ping's name does not leak");
    }

    #[test]
    fn blocks_count_pings_and_comments_but_not_partial_events() {
        let mut f = Framer::new(1 << 10);
        let mut out = VecDeque::new();
        f.feed(b"event: ping\n\n: keep-alive\n\n\n\ndata: x", &mut out)
            .unwrap();
        assert_eq!((f.blocks(), out.len()), (2, 0));
        f.feed(b"\n\n", &mut out).unwrap();
        assert_eq!((f.blocks(), out.len()), (3, 1));
    }

    #[test]
    fn a_final_event_without_its_blank_line_is_delivered() {
        assert_eq!(frames(&[b"data: a\n\ndata: b"]).unwrap().len(), 2);
        assert_eq!(frames(&[b"data: a\n"]).unwrap().len(), 1);
        assert!(frames(&[b""]).unwrap().is_empty());
    }

    #[test]
    fn an_event_over_the_limit_is_an_error_even_split_in_small_chunks() {
        let mut f = Framer::new(100);
        let mut out = VecDeque::new();
        f.feed(b"data: ", &mut out).unwrap();
        let mut err = None;
        for _ in 0..100 {
            if let Err(e) = f.feed(b"xx", &mut out) {
                err = Some(e);
                break;
            }
        }
        assert_eq!(err, Some(FrameError::TooLarge(100)));
        // Many small events never add up.
        let mut f = Framer::new(16);
        for _ in 0..1000 {
            f.feed(b"data: 12345\n\n", &mut out).unwrap();
        }
        assert_eq!(out.len(), 1000);
    }

    #[test]
    fn invalid_utf8_names_the_line() {
        assert_eq!(
            frames(&[b"data: a\n\ndata: \xff\n\n"]),
            Err(FrameError::Utf8 {
                line: 3,
                valid_up_to: 6
            })
        );
    }
}
