//! The activity journal: append-only files of finished records beside `activity.db`.
//!
//! A request appends its record here (one JSON line, one `write`) before its answer is
//! released; the writer thread then writes the entries into `activity.db` in batches and notes
//! there, in the same transaction, the sequence number of the last one (`journal_position`).
//! After a crash, the entries past that number are written exactly once (see
//! [`Journal::open`]). Entries live in segments `NNNNNNNNNNNNNNNNNNNN.ndjson`; the writer
//! starts a new one when the current one grows past [`SEGMENT_BYTES`] and deletes an old one
//! once everything in it is in the database.
//!
//! Durability is that of `activity.db` itself (WAL, `synchronous=NORMAL`): what was written
//! survives the process being killed; neither is synced to the disk at each commit.

use std::fs::{File, OpenOptions};
use std::io::{Read, Seek, SeekFrom, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use crate::policy::quota::Usage;
use crate::store::activity::NewRow;

/// Size past which the writer starts a new segment. A start reads the segments left whole, so
/// they stay small.
pub const SEGMENT_BYTES: u64 = 16 * 1024 * 1024;

/// One journal entry: the record of a request (none when its server captures nothing) and the
/// usage-quota counts the request took.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entry {
    pub seq: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub row: Option<NewRow>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub usage: Vec<Usage>,
}

/// The journal of one data directory, appended to by request tasks.
#[derive(Debug)]
pub struct Journal {
    dir: PathBuf,
    active: Mutex<Segment>,
}

#[derive(Debug)]
struct Segment {
    file: File,
    number: u64,
    /// Bytes of whole entries in the file.
    len: u64,
    /// Set when a failed append could not be cut off again: retried before the next one.
    torn: bool,
    /// The sequence number the next entry gets.
    next_seq: u64,
    /// Reused for each entry's line.
    line: Vec<u8>,
}

/// A segment no longer appended to, to delete once entries up to `last_seq` are written.
#[derive(Debug)]
pub struct Retired {
    pub path: PathBuf,
    pub last_seq: u64,
}

/// The directory of the journal that goes with the activity database at `db`.
pub fn dir_of(db: &Path) -> PathBuf {
    db.with_file_name("activity-journal")
}

fn segment_path(dir: &Path, number: u64) -> PathBuf {
    dir.join(format!("{number:020}.ndjson"))
}

/// The segments in `dir`, oldest first.
fn segments(dir: &Path) -> Result<Vec<(u64, PathBuf)>, String> {
    let mut found = Vec::new();
    let listing = match std::fs::read_dir(dir) {
        Ok(l) => l,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(found),
        Err(e) => return Err(format!("cannot read the activity journal {}: {e}", dir.display())),
    };
    for item in listing {
        let item = item.map_err(|e| format!("cannot read the activity journal {}: {e}", dir.display()))?;
        let name = item.file_name();
        let Some(number) = name.to_str().and_then(|n| n.strip_suffix(".ndjson")).and_then(|n| n.parse().ok()) else {
            continue;
        };
        found.push((number, item.path()));
    }
    found.sort();
    Ok(found)
}

/// The entries of one segment. A last line without its newline is an append that never
/// finished (its request was not answered) and is left out; so is a line that cannot be read,
/// with a warning.
fn read_segment(path: &Path) -> Result<Vec<Entry>, String> {
    let mut text = Vec::new();
    File::open(path)
        .and_then(|mut f| f.read_to_end(&mut text))
        .map_err(|e| format!("cannot read the activity journal {}: {e}", path.display()))?;
    let mut entries = Vec::new();
    let mut lines = text.split(|b| *b == b'\n').peekable();
    while let Some(line) = lines.next() {
        if lines.peek().is_none() {
            break; // after the last newline: empty, or an unfinished append
        }
        match serde_json::from_slice::<Entry>(line) {
            Ok(entry) => entries.push(entry),
            Err(e) => tracing::warn!(file = %path.display(), error = %e, "unreadable activity journal line skipped"),
        }
    }
    Ok(entries)
}

/// The sequence number of the last whole entry in the journal at `dir` (0 when it has none),
/// read from the end of the newest segment that holds one.
pub fn last_seq(dir: &Path) -> Result<u64, String> {
    #[derive(Deserialize)]
    struct Seq {
        seq: u64,
    }
    for (_, path) in segments(dir)?.iter().rev() {
        let mut file = match File::open(path) {
            Ok(f) => f,
            // Deleted meanwhile by the writer: everything in it was written.
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
        };
        let end = file.seek(SeekFrom::End(0)).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
        // Read backwards, a chunk at a time, until a whole line that reads is in `tail`.
        let mut tail: Vec<u8> = Vec::new();
        let mut at = end;
        loop {
            if let Some(last_newline) = tail.iter().rposition(|b| *b == b'\n') {
                // Pieces between newlines are whole lines; the first is whole only at the
                // start of the file.
                let pieces: Vec<&[u8]> = tail[..last_newline].split(|b| *b == b'\n').collect();
                for (i, piece) in pieces.iter().enumerate().rev() {
                    if i == 0 && at > 0 {
                        break;
                    }
                    if let Ok(s) = serde_json::from_slice::<Seq>(piece) {
                        return Ok(s.seq);
                    }
                }
            }
            if at == 0 {
                break;
            }
            let step = at.min(64 * 1024);
            at -= step;
            let mut chunk = vec![0u8; usize::try_from(step).unwrap_or(0)];
            file.seek(SeekFrom::Start(at))
                .and_then(|_| file.read_exact(&mut chunk))
                .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
            chunk.extend_from_slice(&tail);
            tail = chunk;
        }
    }
    Ok(0)
}

/// What the segments of a journal hold.
#[derive(Debug)]
pub struct Found {
    /// The entries past the position asked for, oldest first.
    pub entries: Vec<Entry>,
    /// The segments read.
    pub segments: Vec<PathBuf>,
    /// The largest segment number (0 for none).
    pub last_segment: u64,
    /// The largest sequence number seen, or the position asked for if larger.
    pub last_seq: u64,
}

/// Reads the journal at `dir` (without changing it): the entries after `after`.
pub fn read(dir: &Path, after: u64) -> Result<Found, String> {
    let old = segments(dir)?;
    let mut entries = Vec::new();
    let mut last_seq = after;
    for (_, path) in &old {
        for entry in read_segment(path)? {
            last_seq = last_seq.max(entry.seq);
            if entry.seq > after {
                entries.push(entry);
            }
        }
    }
    entries.sort_by_key(|e| e.seq);
    Ok(Found {
        entries,
        last_segment: old.last().map_or(0, |(n, _)| *n),
        segments: old.into_iter().map(|(_, p)| p).collect(),
        last_seq,
    })
}

fn create_segment(dir: &Path, number: u64) -> Result<File, String> {
    let path = segment_path(dir, number);
    OpenOptions::new()
        .create_new(true)
        .append(true)
        .mode(0o600)
        .open(&path)
        .map_err(|e| format!("cannot create the activity journal {}: {}", path.display(), describe(&e)))
}

/// An I/O error as a person reads it; a full disk says so.
fn describe(e: &std::io::Error) -> String {
    if e.kind() == std::io::ErrorKind::StorageFull { format!("the disk is full ({e})") } else { e.to_string() }
}

impl Journal {
    /// Opens the journal in `dir` (creating the directory): returns it, the entries after
    /// `after` that its segments hold (oldest first), and those segments, to delete once the
    /// entries are written. New entries go to a new segment.
    pub fn open(dir: &Path, after: u64) -> Result<(Journal, Vec<Entry>, Vec<PathBuf>), String> {
        let found = read(dir, after)?;
        let journal = Journal::after(dir, &found)?;
        Ok((journal, found.entries, found.segments))
    }

    /// The journal in `dir` (creating the directory) continuing what [`read`] found there: new
    /// entries go to a new segment and are numbered after the last one seen.
    pub fn after(dir: &Path, found: &Found) -> Result<Journal, String> {
        std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {}", dir.display(), describe(&e)))?;
        let _ = std::fs::set_permissions(dir, std::os::unix::fs::PermissionsExt::from_mode(0o700));
        let number = found.last_segment + 1;
        let segment = Segment {
            file: create_segment(dir, number)?,
            number,
            len: 0,
            torn: false,
            next_seq: found.last_seq + 1,
            line: Vec::with_capacity(4096),
        };
        Ok(Journal { dir: dir.to_path_buf(), active: Mutex::new(segment) })
    }

    /// Appends an entry (one line, one `write`) and, still in order of appends, hands it to
    /// `then`. A failed append leaves nothing behind: a partly written line is cut off again.
    ///
    /// The record and counts are encoded before the lock is taken; under it, only the sequence
    /// number goes in front and the line is written.
    pub fn append(&self, row: Option<NewRow>, usage: Vec<Usage>, then: impl FnOnce(Entry)) -> Result<(), String> {
        /// An entry without its `seq`, which is put in front under the lock.
        #[derive(Serialize)]
        struct Unnumbered<'a> {
            #[serde(skip_serializing_if = "Option::is_none")]
            row: &'a Option<NewRow>,
            #[serde(skip_serializing_if = "Vec::is_empty")]
            usage: &'a Vec<Usage>,
        }
        let mut rest = Vec::with_capacity(1024);
        serde_json::to_writer(&mut rest, &Unnumbered { row: &row, usage: &usage })
            .map_err(|e| format!("cannot encode a record: {e}"))?;
        // `{…}` without its opening brace: what follows the sequence number.
        let rest = rest.get(1..).filter(|r| *r != b"}").unwrap_or_default();
        let mut guard = self.active.lock().map_err(|_| "activity journal lock poisoned".to_string())?;
        let segment = &mut *guard;
        let path = || segment_path(&self.dir, segment.number).display().to_string();
        if segment.torn {
            segment.file.set_len(segment.len).map_err(|e| format!("cannot repair {}: {}", path(), describe(&e)))?;
            segment.torn = false;
        }
        let seq = segment.next_seq;
        segment.line.clear();
        segment.line.extend_from_slice(b"{\"seq\":");
        segment.line.extend_from_slice(crate::jsonrpc::decimal(seq, &mut [0; 20]).as_bytes());
        if rest.is_empty() {
            segment.line.extend_from_slice(b"}\n");
        } else {
            segment.line.push(b',');
            segment.line.extend_from_slice(rest);
            segment.line.push(b'\n');
        }
        if let Err(e) = segment.file.write_all(&segment.line) {
            segment.torn = segment.file.set_len(segment.len).is_err();
            return Err(format!("cannot write the activity journal {}: {}", path(), describe(&e)));
        }
        segment.len += segment.line.len() as u64;
        segment.next_seq += 1;
        then(Entry { seq, row, usage });
        Ok(())
    }

    /// Starts a new segment when the current one holds `limit` bytes or more; returns the one
    /// retired.
    pub fn rotate(&self, limit: u64) -> Result<Option<Retired>, String> {
        let mut segment = self.active.lock().map_err(|_| "activity journal lock poisoned".to_string())?;
        if segment.len < limit {
            return Ok(None);
        }
        let file = create_segment(&self.dir, segment.number + 1)?;
        let retired = Retired { path: segment_path(&self.dir, segment.number), last_seq: segment.next_seq - 1 };
        segment.file = file;
        segment.number += 1;
        segment.len = 0;
        segment.torn = false;
        Ok(Some(retired))
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;

    fn row(tool: &str) -> NewRow {
        NewRow { kind: "tool_call".into(), tool: Some(tool.into()), ..NewRow::default() }
    }

    /// Entries come back in order after a reopen, only those past the given position; an
    /// unfinished last line is left out; numbering and segments continue.
    #[test]
    fn reopening_returns_the_entries_past_the_position() {
        let dir = tempfile::tempdir().unwrap();
        let dir = dir.path().join("activity-journal");
        let (journal, entries, old) = Journal::open(&dir, 0).unwrap();
        assert!(entries.is_empty() && old.is_empty());
        let mut handed = Vec::new();
        for tool in ["a", "b", "c"] {
            journal.append(Some(row(tool)), Vec::new(), |e| handed.push(e)).unwrap();
        }
        assert_eq!(handed.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 2, 3]);
        assert_eq!(last_seq(&dir).unwrap(), 3);
        drop(journal);
        // An append cut short by a crash: no newline.
        let first = segment_path(&dir, 1);
        OpenOptions::new().append(true).open(&first).unwrap().write_all(br#"{"seq":4,"row":{"ki"#).unwrap();
        assert_eq!(last_seq(&dir).unwrap(), 3);

        let (journal, entries, old) = Journal::open(&dir, 1).unwrap();
        assert_eq!(entries, handed[1..].to_vec());
        assert_eq!(old, [first]);
        journal.append(None, Vec::new(), |e| assert_eq!(e.seq, 4)).unwrap();
        assert!(segment_path(&dir, 2).exists());
        assert_eq!(last_seq(&dir).unwrap(), 4);
    }

    /// Every shape of entry (nothing, a record, counts, both) reads back as it was handed on:
    /// the sequence number put in front of the encoded rest makes one well-formed line.
    #[test]
    fn entries_of_every_shape_read_back_as_handed() {
        use crate::policy::quota::{Period, Subject};
        let dir = tempfile::tempdir().unwrap();
        let (journal, _, _) = Journal::open(dir.path(), 0).unwrap();
        let usage = || {
            vec![Usage {
                subject: Subject { server_id: 7, principal: Some(("api_token".into(), "ci".into())) },
                period: Period::Day,
                start: chrono::DateTime::from_timestamp(1_700_000_000, 0).unwrap(),
                used: 3,
            }]
        };
        let mut handed = Vec::new();
        journal.append(None, Vec::new(), |e| handed.push(e)).unwrap();
        journal.append(Some(row("a")), Vec::new(), |e| handed.push(e)).unwrap();
        journal.append(None, usage(), |e| handed.push(e)).unwrap();
        journal.append(Some(row("b")), usage(), |e| handed.push(e)).unwrap();
        assert_eq!(handed.iter().map(|e| e.seq).collect::<Vec<_>>(), [1, 2, 3, 4]);
        assert_eq!(handed[3].usage, usage());
        assert_eq!(read_segment(&segment_path(dir.path(), 1)).unwrap(), handed);
        assert_eq!(last_seq(dir.path()).unwrap(), 4);
    }

    /// A segment past the limit is retired with its last sequence number; new entries go to
    /// the next one.
    #[test]
    fn a_long_segment_is_retired() {
        let dir = tempfile::tempdir().unwrap();
        let (journal, _, _) = Journal::open(dir.path(), 0).unwrap();
        journal.append(Some(row("a")), Vec::new(), |_| {}).unwrap();
        assert!(journal.rotate(1 << 20).unwrap().is_none());
        let retired = journal.rotate(1).unwrap().unwrap();
        assert_eq!((retired.path.clone(), retired.last_seq), (segment_path(dir.path(), 1), 1));
        journal.append(Some(row("b")), Vec::new(), |e| assert_eq!(e.seq, 2)).unwrap();
        assert_eq!(read_segment(&segment_path(dir.path(), 2)).unwrap().len(), 1);
        assert_eq!(last_seq(dir.path()).unwrap(), 2);
    }
}
