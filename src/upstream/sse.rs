//! A minimal Server-Sent Events parser (WHATWG HTML §9.2.6) for upstream streams.

/// One dispatched event.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Event {
    pub event: Option<String>,
    pub data: String,
    pub id: Option<String>,
}

/// The longest event id kept: a longer one resets the last event id (the stream cannot be resumed
/// from there), so an upstream cannot make mcpcp hold or send back an id of any size.
pub const MAX_EVENT_ID_BYTES: usize = 1024;

/// Incremental parser: feed bytes, take complete events.
#[derive(Debug, Default)]
pub struct Parser {
    buffer: Vec<u8>,
    current: Event,
    has_data: bool,
    /// Refuse a single line longer than this (a hostile upstream must not exhaust memory).
    max_line: usize,
    /// The stream's last event id (WHATWG "last event ID buffer"): set by every `id` field, also
    /// of an event without data (a 2025-11-25 priming event), which is what a resumption with
    /// `Last-Event-ID` names.
    last_event_id: Option<String>,
    /// The reconnection time the stream asked for (`retry: <ms>`), if any.
    retry_ms: Option<u64>,
}

#[derive(Debug, thiserror::Error)]
#[error("an SSE line exceeded {0} bytes")]
pub struct LineTooLong(pub usize);

impl Parser {
    pub fn new(max_line: usize) -> Parser {
        Parser { max_line, ..Parser::default() }
    }

    /// The id of the last event the stream sent (with or without data).
    pub fn last_event_id(&self) -> Option<&str> {
        self.last_event_id.as_deref()
    }

    /// Forgets an event cut short by the end of a connection (its lines so far), keeping the last
    /// event id and retry time: a resumed stream starts with whole events.
    pub fn discard_partial(&mut self) {
        self.buffer.clear();
        self.current = Event::default();
        self.has_data = false;
    }

    /// How long the stream asked its client to wait before reconnecting, in milliseconds.
    pub fn retry_ms(&self) -> Option<u64> {
        self.retry_ms
    }

    /// Adds bytes and returns the events they complete.
    pub fn feed(&mut self, bytes: &[u8]) -> Result<Vec<Event>, LineTooLong> {
        self.buffer.extend_from_slice(bytes);
        let mut events = Vec::new();
        let mut start = 0;
        while let Some(pos) = self.buffer[start..].iter().position(|b| *b == b'\n') {
            let end = start + pos;
            let mut line = &self.buffer[start..end];
            if line.last() == Some(&b'\r') {
                line = &line[..line.len() - 1];
            }
            let line = String::from_utf8_lossy(line).into_owned();
            start = end + 1;
            if let Some(e) = self.line(&line) {
                events.push(e);
            }
        }
        self.buffer.drain(..start);
        if self.buffer.len() > self.max_line {
            return Err(LineTooLong(self.max_line));
        }
        Ok(events)
    }

    fn line(&mut self, line: &str) -> Option<Event> {
        if line.is_empty() {
            if let Some(id) = &self.current.id {
                self.last_event_id = (!id.is_empty()).then(|| id.clone());
            }
            if !self.has_data {
                self.current = Event::default();
                return None;
            }
            self.has_data = false;
            let mut e = std::mem::take(&mut self.current);
            if e.data.ends_with('\n') {
                e.data.pop();
            }
            return Some(e);
        }
        if line.starts_with(':') {
            return None;
        }
        let (field, value) = match line.split_once(':') {
            Some((f, v)) => (f, v.strip_prefix(' ').unwrap_or(v)),
            None => (line, ""),
        };
        match field {
            "event" => self.current.event = Some(value.to_string()),
            "data" => {
                self.current.data.push_str(value);
                self.current.data.push('\n');
                self.has_data = true;
            }
            // A longer id counts as none: resuming from an earlier one would repeat events.
            "id" if !value.contains('\0') => {
                self.current.id =
                    Some(if value.len() <= MAX_EVENT_ID_BYTES { value.to_string() } else { String::new() });
            }
            "retry" if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) => {
                self.retry_ms = value.parse().ok();
            }
            _ => {}
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_split_events_and_ignores_comments_and_priming() {
        let mut p = Parser::new(1 << 20);
        assert!(p.feed(b": keep-alive\n\nid: 1\nretry: 5000\ndata: \n\n").unwrap().len() == 1);
        let events = p.feed(b"event: message\r\ndata: {\"a\":").unwrap();
        assert!(events.is_empty());
        let events = p.feed(b"1}\r\n\r\nevent: endpoint\ndata: /messages?sessionId=x\n\n").unwrap();
        assert_eq!(events.len(), 2);
        assert_eq!(events[0].data, "{\"a\":1}");
        assert_eq!(events[0].event.as_deref(), Some("message"));
        assert_eq!(events[1].event.as_deref(), Some("endpoint"));
    }

    #[test]
    fn remembers_the_last_event_id_and_the_retry_time() {
        let mut p = Parser::new(1 << 20);
        assert_eq!((p.last_event_id(), p.retry_ms()), (None, None));
        p.feed(b"id: s1::0\nretry: 500\ndata: \n\n").unwrap();
        assert_eq!((p.last_event_id(), p.retry_ms()), (Some("s1::0"), Some(500)));
        p.feed(b"id: s1::1\ndata: {}\n\nretry: soon\n\n").unwrap();
        assert_eq!((p.last_event_id(), p.retry_ms()), (Some("s1::1"), Some(500)));
        // An event without an id keeps the last one; an empty id field resets it.
        p.feed(b"data: {}\n\n").unwrap();
        assert_eq!(p.last_event_id(), Some("s1::1"));
        p.feed(b"id:\ndata: {}\n\n").unwrap();
        assert_eq!(p.last_event_id(), None);
        // An id longer than the bound resets it.
        p.feed(b"id: s1::2\ndata: {}\n\n").unwrap();
        let long = format!("id: {}\ndata: {{}}\n\n", "i".repeat(MAX_EVENT_ID_BYTES + 1));
        p.feed(long.as_bytes()).unwrap();
        assert_eq!(p.last_event_id(), None);
    }

    #[test]
    fn multi_line_data_is_joined() {
        let mut p = Parser::new(1 << 20);
        let e = p.feed(b"data: a\ndata: b\n\n").unwrap();
        assert_eq!(e[0].data, "a\nb");
    }

    #[test]
    fn bounds_line_length() {
        let mut p = Parser::new(8);
        assert!(p.feed(b"data: 0123456789").is_err());
    }
}
