//! The timeline cache: the events of the branch's first-parent line, kept
//! under the repository's git directory (`.git/subledger/`) so that a second
//! run answers without walking history again.
//!
//! One file per register dir. It records the format, the version of
//! subledger that wrote it, the tip it was built for, the whole line, the
//! register state at that tip and every entry, and ends with a checksum
//! over all of it: a file that does not match its checksum, or was written
//! by another version, is ignored and rebuilt, never read. It is only used
//! when that tip is on the first-parent line of the commit asked for
//! (history that was rewritten is walked again), and it is extended with
//! the commits that arrived since. It is written to one temporary file
//! beside it (`<name>.tmp`, the same name every time, so an interrupted run
//! leaves at most one behind, which the next run replaces) and renamed into
//! place. It is safe to delete.
//!
//! Layout: `MAGIC`, format, version, dir, the encoded entries, then the
//! tip, the line and the state, then the footer: the entries' length, the
//! xxh3-64 checksum of everything before it, and `END`.

use super::{Authored, Change, CommitEvents, Event, FileState, Files};
use crate::commit::{CommitMeta, Oid, Signature};
use crate::register::{Field, Pos, Value, Vendor};
use std::io::Write;
use std::path::{Path, PathBuf};
use xxhash_rust::xxh3::Xxh3;

const MAGIC: &[u8; 16] = b"subledger-cache\n";
const END: &[u8; 8] = b"\nsl-end\n";
/// Bumped whenever the encoding or the event rules change.
const FORMAT: u32 = 4;
/// The footer: entries length (8), checksum (8), `END` (8).
const FOOTER: usize = 24;

/// What a cache file holds.
pub struct Cache {
    pub tip: Oid,
    pub line: Vec<CommitMeta>,
    pub state: Files,
    /// The encoded entries, decoded with [`entries`].
    pub entries: Vec<u8>,
}

/// The cache file for a register dir.
pub fn path(cache_dir: &Path, dir: &str) -> PathBuf {
    let key: String = dir
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
        .collect();
    cache_dir.join(format!("timeline-{key}.bin"))
}

/// The file's fixed prefix: magic, format, version and register dir.
fn prefix(dir: &str) -> Vec<u8> {
    let mut e = Enc(Vec::new());
    e.0.extend_from_slice(MAGIC);
    e.u32(FORMAT);
    e.str(env!("CARGO_PKG_VERSION"));
    e.str(dir);
    e.0
}

/// Reads a cache file; `None` when there is none or it cannot be trusted:
/// another format or version, another register dir, a checksum that does
/// not match, or anything that does not decode.
pub fn load(path: &Path, dir: &str) -> Option<Cache> {
    let data = std::fs::read(path).ok()?;
    let body_end = data.len().checked_sub(FOOTER)?;
    let footer = &data[body_end..];
    if &footer[16..] != END {
        return None;
    }
    let mut f = Dec {
        data: footer,
        at: 0,
    };
    let entries_len = usize::try_from(f.u64()?).ok()?;
    let checksum = f.u64()?;
    if xxhash_rust::xxh3::xxh3_64(&data[..body_end + 8]) != checksum {
        return None;
    }
    let prefix = prefix(dir);
    if data.get(..prefix.len())? != prefix.as_slice() {
        return None;
    }
    let entries_end = prefix.len().checked_add(entries_len)?;
    let entries = data.get(prefix.len()..entries_end)?;
    let mut d = Dec {
        data: &data[..body_end],
        at: entries_end,
    };
    let tip = d.oid()?;
    let n = d.u32()? as usize;
    let mut line = Vec::with_capacity(n.min(1 << 24));
    for _ in 0..n {
        line.push(d.commit()?);
    }
    let files = d.u32()? as usize;
    let mut state = Files::default();
    for _ in 0..files {
        let id = d.string()?;
        let broken = d.u8()? != 0;
        let valid = match d.u8()? {
            0 => None,
            _ => Some(d.vendor()?),
        };
        state.files.insert(
            id,
            FileState {
                valid,
                broken,
                cut: None,
            },
        );
    }
    if d.at != body_end || line.last().map(|c| c.id) != Some(tip) {
        return None;
    }
    Some(Cache {
        tip,
        line,
        state,
        entries: entries.to_vec(),
    })
}

/// Decodes the entries of a cache, in order; `None` for a record that does
/// not decode, which a file that matches its checksum never has (it would
/// be a bug in the writer, not damage).
pub fn entries(data: &[u8]) -> impl Iterator<Item = Option<CommitEvents>> + '_ {
    let mut d = Dec { data, at: 0 };
    let mut failed = false;
    std::iter::from_fn(move || {
        if failed || d.at >= d.data.len() {
            return None;
        }
        let entry = d.entry();
        failed = entry.is_none();
        Some(entry)
    })
}

/// Writes a new cache file: the entries of the previous cache and the new
/// ones as the walk produces them go to the temporary file, and
/// [`finish`](Self::finish) adds the rest and renames it into place.
/// Failures only mean no cache: the cache is an optimisation, and a
/// read-only repository is fine.
pub struct Writer {
    path: PathBuf,
    tmp: PathBuf,
    out: Option<std::io::BufWriter<std::fs::File>>,
    hasher: Xxh3,
    /// Bytes of entries written so far.
    entries_len: u64,
    buf: Vec<u8>,
}

impl Writer {
    /// Starts a cache for register dir `dir` whose first entries are the
    /// encoded `old` ones.
    pub fn new(path: &Path, dir: &str, old: &[u8]) -> Writer {
        let parent = path.parent().unwrap_or(Path::new("."));
        let mut name = path.file_name().unwrap_or_default().to_owned();
        name.push(".tmp");
        let tmp = parent.join(name);
        remove_stale(parent);
        let out = std::fs::create_dir_all(parent)
            .and_then(|()| std::fs::File::create(&tmp))
            .map(std::io::BufWriter::new)
            .ok();
        let mut writer = Writer {
            path: path.to_owned(),
            tmp,
            out,
            hasher: Xxh3::new(),
            entries_len: 0,
            buf: Vec::new(),
        };
        writer.write(&prefix(dir));
        writer.write(old);
        writer.entries_len = old.len() as u64;
        writer
    }

    fn write(&mut self, bytes: &[u8]) {
        let Some(out) = &mut self.out else { return };
        if out.write_all(bytes).is_err() {
            self.out = None;
        }
        self.hasher.update(bytes);
    }

    /// Records one new entry.
    pub fn entry(&mut self, entry: &CommitEvents) {
        if self.out.is_none() {
            return;
        }
        let mut e = Enc(std::mem::take(&mut self.buf));
        e.0.clear();
        e.entry(entry);
        self.entries_len += e.0.len() as u64;
        self.write(&e.0);
        self.buf = e.0;
    }

    /// Writes the line, the state at its tip and the footer, and puts the
    /// file in place.
    pub fn finish(mut self, line: &[CommitMeta], state: &Files) {
        let Some(tip) = line.last() else {
            return;
        };
        let mut e = Enc(Vec::with_capacity(line.len() * 128));
        e.oid(&tip.id);
        e.u32(line.len() as u32);
        for commit in line {
            e.commit(commit);
        }
        e.u32(state.files.len() as u32);
        for (id, file) in &state.files {
            e.str(id);
            e.u8(u8::from(file.broken));
            match &file.valid {
                Some(vendor) => {
                    e.u8(1);
                    e.vendor(vendor);
                }
                None => e.u8(0),
            }
        }
        self.write(&e.0);
        let len = self.entries_len.to_le_bytes();
        self.write(&len);
        let checksum = self.hasher.digest().to_le_bytes();
        self.write(&checksum);
        self.write(END);
        let Some(out) = self.out.take() else { return };
        let done = out
            .into_inner()
            .map_err(|e| e.into_error())
            .and_then(|file| file.sync_data())
            .and_then(|()| std::fs::rename(&self.tmp, &self.path));
        if done.is_err() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

impl Drop for Writer {
    /// An unfinished cache (an error, a closed pipe) leaves nothing behind.
    fn drop(&mut self) {
        if self.out.take().is_some() {
            let _ = std::fs::remove_file(&self.tmp);
        }
    }
}

/// Removes the temporary files earlier versions left behind, one per
/// interrupted run (`.timeline-entries.<pid>.tmp`, `….bin.tmp`).
fn remove_stale(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let name = name.to_string_lossy();
        if name.starts_with(".timeline-entries.") && name.ends_with(".tmp") {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

struct Enc(Vec<u8>);

impl Enc {
    fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn i64(&mut self, v: i64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn str(&mut self, s: &str) {
        self.u32(s.len() as u32);
        self.0.extend_from_slice(s.as_bytes());
    }
    fn list(&mut self, items: &[String]) {
        self.u32(items.len() as u32);
        for item in items {
            self.str(item);
        }
    }
    fn oid(&mut self, id: &Oid) {
        self.0.extend_from_slice(id);
    }
    fn signature(&mut self, s: &Signature) {
        self.str(&s.name);
        self.str(&s.email);
        self.i64(s.time);
        self.i64(i64::from(s.offset));
    }
    fn commit(&mut self, c: &CommitMeta) {
        self.oid(&c.id);
        self.oid(&c.tree);
        self.u8(c.parents.len().min(255) as u8);
        for p in c.parents.iter().take(255) {
            self.oid(p);
        }
        self.signature(&c.author);
        self.i64(c.commit_time);
        self.str(&c.subject);
    }
    fn value(&mut self, v: Option<&Value>) {
        match v {
            None => self.u8(0),
            Some(Value::Text(t)) => {
                self.u8(1);
                self.str(t);
            }
            Some(Value::List(items)) => {
                self.u8(2);
                self.list(items);
            }
            Some(Value::Date(d)) => {
                self.u8(3);
                self.i64(i64::from(d.to_julian_day()));
            }
        }
    }
    fn vendor(&mut self, v: &Vendor) {
        self.str(&v.id);
        for &field in Field::ALL {
            self.value(v.get(field));
        }
    }
    fn entry(&mut self, entry: &CommitEvents) {
        self.u32(entry.index as u32);
        self.u32(entry.events.len() as u32);
        for event in &entry.events {
            self.event(event);
        }
    }
    fn event(&mut self, event: &Event) {
        self.str(&event.id);
        match &event.authored_in {
            None => self.u8(0),
            Some(Authored::In(c)) => {
                self.u8(1);
                self.str(c);
            }
            Some(Authored::Cut(c)) => {
                self.u8(2);
                self.str(c);
            }
        }
        match &event.change {
            Change::Added(v) => {
                self.u8(0);
                self.vendor(v);
            }
            Change::Removed(v) => {
                self.u8(1);
                self.vendor(v);
            }
            Change::Renamed { from, previous_ids } => {
                self.u8(2);
                self.str(from);
                self.list(previous_ids);
            }
            Change::Relocated {
                added,
                removed,
                locations,
            } => {
                self.u8(3);
                self.list(added);
                self.list(removed);
                self.list(locations);
            }
            Change::Changed { field, old, new } => {
                self.u8(4);
                self.u8(field.index() as u8);
                self.value(old.as_ref());
                self.value(new.as_ref());
            }
            Change::Invalid { file, pos, message } => {
                self.u8(5);
                self.str(file);
                match pos {
                    Some(p) => {
                        self.u8(1);
                        self.u32(p.line);
                        self.u32(p.column);
                    }
                    None => self.u8(0),
                }
                self.str(message);
            }
            Change::Repaired => self.u8(6),
            Change::RepairedAfterCut { vendor, cut } => {
                self.u8(7);
                self.vendor(vendor);
                self.str(cut);
            }
        }
    }
}

struct Dec<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Dec<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let out = self.data.get(self.at..self.at.checked_add(n)?)?;
        self.at += n;
        Some(out)
    }
    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }
    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_le_bytes(self.take(4)?.try_into().ok()?))
    }
    fn u64(&mut self) -> Option<u64> {
        Some(u64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn i64(&mut self) -> Option<i64> {
        Some(i64::from_le_bytes(self.take(8)?.try_into().ok()?))
    }
    fn str(&mut self) -> Option<&'a str> {
        let n = self.u32()? as usize;
        std::str::from_utf8(self.take(n)?).ok()
    }
    fn string(&mut self) -> Option<String> {
        self.str().map(str::to_owned)
    }
    fn list(&mut self) -> Option<Vec<String>> {
        let n = self.u32()? as usize;
        let mut out = Vec::with_capacity(n.min(1024));
        for _ in 0..n {
            out.push(self.string()?);
        }
        Some(out)
    }
    fn oid(&mut self) -> Option<Oid> {
        self.take(20)?.try_into().ok()
    }
    fn signature(&mut self) -> Option<Signature> {
        Some(Signature {
            name: self.string()?,
            email: self.string()?,
            time: self.i64()?,
            offset: i32::try_from(self.i64()?).ok()?,
        })
    }
    fn commit(&mut self) -> Option<CommitMeta> {
        let id = self.oid()?;
        let tree = self.oid()?;
        let n = self.u8()? as usize;
        let mut parents = Vec::with_capacity(n);
        for _ in 0..n {
            parents.push(self.oid()?);
        }
        Some(CommitMeta {
            id,
            tree,
            parents,
            author: self.signature()?,
            commit_time: self.i64()?,
            subject: self.string()?,
        })
    }
    fn value(&mut self) -> Option<Option<Value>> {
        Some(match self.u8()? {
            0 => None,
            1 => Some(Value::Text(self.string()?)),
            2 => Some(Value::List(self.list()?)),
            3 => Some(Value::Date(
                time::Date::from_julian_day(i32::try_from(self.i64()?).ok()?).ok()?,
            )),
            _ => return None,
        })
    }
    fn vendor(&mut self) -> Option<Vendor> {
        let id = self.string()?;
        let mut values: [Option<Value>; Field::COUNT] = Default::default();
        for value in &mut values {
            *value = self.value()?;
        }
        Some(Vendor::new(id, values))
    }
    fn entry(&mut self) -> Option<CommitEvents> {
        let index = self.u32()? as usize;
        let n = self.u32()? as usize;
        let mut events = Vec::with_capacity(n.min(4096));
        for _ in 0..n {
            events.push(self.event()?);
        }
        Some(CommitEvents { index, events })
    }
    fn event(&mut self) -> Option<Event> {
        let id = self.string()?;
        let authored_in = match self.u8()? {
            0 => None,
            1 => Some(Authored::In(self.string()?)),
            2 => Some(Authored::Cut(self.string()?)),
            _ => return None,
        };
        let change = match self.u8()? {
            0 => Change::Added(Box::new(self.vendor()?)),
            1 => Change::Removed(Box::new(self.vendor()?)),
            2 => Change::Renamed {
                from: self.string()?,
                previous_ids: self.list()?,
            },
            3 => Change::Relocated {
                added: self.list()?,
                removed: self.list()?,
                locations: self.list()?,
            },
            4 => Change::Changed {
                field: *Field::ALL.get(self.u8()? as usize)?,
                old: self.value()?,
                new: self.value()?,
            },
            5 => Change::Invalid {
                file: self.string()?,
                pos: match self.u8()? {
                    0 => None,
                    _ => Some(Pos {
                        line: self.u32()?,
                        column: self.u32()?,
                    }),
                },
                message: self.string()?,
            },
            6 => Change::Repaired,
            7 => Change::RepairedAfterCut {
                vendor: Box::new(self.vendor()?),
                cut: self.string()?,
            },
            _ => return None,
        };
        Some(Event {
            id,
            change,
            authored_in,
        })
    }
}
