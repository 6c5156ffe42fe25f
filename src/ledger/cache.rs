//! The timeline cache: the events of the branch's first-parent line, kept
//! under the repository's git directory (`.git/subledger/`) so that a second
//! run answers without walking history again.
//!
//! One file per register dir, rewritten atomically (a temporary file, then
//! a rename). It records the tip it was built for, the whole line, the
//! register state at that tip and every entry. It is only used when that
//! tip is on the first-parent line of the commit asked for (history that
//! was rewritten is walked again), and it is extended with the commits that
//! arrived since. It is safe to delete; a file that does not decode, or was
//! written by another version of subledger, is ignored.

use super::timeline::Entry;
use super::{Change, Event, FileState, State};
use crate::history::{CommitMeta, Oid, Signature};
use crate::register::{Field, Pos, Value, Vendor};
use std::path::{Path, PathBuf};

const MAGIC: &[u8; 16] = b"subledger-cache\n";
/// Bumped whenever the encoding or the event rules change.
const FORMAT: u32 = 1;

/// What a cache file holds.
pub struct Cache {
    pub tip: Oid,
    pub line: Vec<CommitMeta>,
    pub state: State,
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

/// Reads a cache file; `None` when there is none or it cannot be trusted.
pub fn load(path: &Path, dir: &str) -> Option<Cache> {
    let data = std::fs::read(path).ok()?;
    let mut d = Dec { data: &data, at: 0 };
    if d.take(16)? != MAGIC || d.u32()? != FORMAT || d.str()? != env!("CARGO_PKG_VERSION") {
        return None;
    }
    if d.str()? != dir {
        return None;
    }
    let tip = d.oid()?;
    let n = d.u32()? as usize;
    let mut line = Vec::with_capacity(n);
    for _ in 0..n {
        line.push(d.commit()?);
    }
    let files = d.u32()? as usize;
    let mut state = State::default();
    for _ in 0..files {
        let id = d.string()?;
        let broken = d.u8()? != 0;
        let valid = match d.u8()? {
            0 => None,
            _ => Some(d.vendor()?),
        };
        state.files.insert(id, FileState { valid, broken });
    }
    let len = d.u64()? as usize;
    let entries = d.take(len)?.to_vec();
    if d.at != data.len() || line.last().map(|c| c.id) != Some(tip) {
        return None;
    }
    Some(Cache {
        tip,
        line,
        state,
        entries,
    })
}

/// Decodes the entries of a cache, in order; `None` for a damaged record.
pub fn entries(data: &[u8]) -> impl Iterator<Item = Option<Entry>> + '_ {
    let mut d = Dec { data, at: 0 };
    std::iter::from_fn(move || (d.at < d.data.len()).then(|| d.entry()))
}

/// Writes a new cache file: entries are streamed to a temporary file as the
/// walk produces them, and [`finish`](Self::finish) puts the file together.
/// Failures only mean no cache: the cache is an optimisation, and a
/// read-only repository is fine.
pub struct Writer {
    path: PathBuf,
    tmp: PathBuf,
    entries: Option<std::io::BufWriter<std::fs::File>>,
    buf: Vec<u8>,
}

impl Writer {
    pub fn new(path: &Path) -> Writer {
        let parent = path.parent().unwrap_or(Path::new("."));
        let tmp = parent.join(format!(".timeline-entries.{}.tmp", std::process::id()));
        let entries = std::fs::create_dir_all(parent)
            .and_then(|()| std::fs::File::create(&tmp))
            .map(std::io::BufWriter::new)
            .ok();
        Writer {
            path: path.to_owned(),
            tmp,
            entries,
            buf: Vec::new(),
        }
    }

    /// Records one new entry.
    pub fn entry(&mut self, entry: &Entry) {
        use std::io::Write;
        let Some(out) = &mut self.entries else { return };
        let mut e = Enc(std::mem::take(&mut self.buf));
        e.0.clear();
        e.entry(entry);
        if out.write_all(&e.0).is_err() {
            self.entries = None;
        }
        self.buf = e.0;
    }

    /// Writes the cache: the line, the state at its tip, the entries of
    /// the previous cache (`old`) and the new ones.
    pub fn finish(mut self, dir: &str, line: &[CommitMeta], state: &State, old: &[u8]) {
        use std::io::Write;
        let result = (|| -> std::io::Result<()> {
            let Some(tip) = line.last() else {
                return Ok(());
            };
            let Some(entries) = self.entries.take() else {
                return Ok(());
            };
            let mut file = entries.into_inner().map_err(|e| e.into_error())?;
            let new_len = file.metadata()?.len();
            drop(file.flush());
            let mut e = Enc(Vec::with_capacity(line.len() * 128));
            e.0.extend_from_slice(MAGIC);
            e.u32(FORMAT);
            e.str(env!("CARGO_PKG_VERSION"));
            e.str(dir);
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
            e.u64(old.len() as u64 + new_len);
            let out_tmp = self.tmp.with_extension("bin.tmp");
            let mut out = std::io::BufWriter::new(std::fs::File::create(&out_tmp)?);
            out.write_all(&e.0)?;
            out.write_all(old)?;
            let mut entries = std::fs::File::open(&self.tmp)?;
            std::io::copy(&mut entries, &mut out)?;
            out.into_inner().map_err(|e| e.into_error())?;
            std::fs::rename(&out_tmp, &self.path)
        })();
        let _ = std::fs::remove_file(&self.tmp);
        if result.is_err() {
            let _ = std::fs::remove_file(self.tmp.with_extension("bin.tmp"));
        }
    }
}

impl Drop for Writer {
    fn drop(&mut self) {
        self.entries = None;
        let _ = std::fs::remove_file(&self.tmp);
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
    fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn i64(&mut self, v: i64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    fn str(&mut self, s: &str) {
        self.u32(s.len() as u32);
        self.0.extend_from_slice(s.as_bytes());
    }
    fn opt_str(&mut self, s: Option<&str>) {
        match s {
            Some(s) => {
                self.u8(1);
                self.str(s);
            }
            None => self.u8(0),
        }
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
    fn entry(&mut self, entry: &Entry) {
        self.u32(entry.index as u32);
        self.u32(entry.events.len() as u32);
        for event in &entry.events {
            self.event(event);
        }
    }
    fn event(&mut self, event: &Event) {
        self.str(&event.id);
        self.opt_str(event.authored_in.as_deref());
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
    fn opt_string(&mut self) -> Option<Option<String>> {
        Some(match self.u8()? {
            0 => None,
            _ => Some(self.string()?),
        })
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
    fn entry(&mut self) -> Option<Entry> {
        let index = self.u32()? as usize;
        let n = self.u32()? as usize;
        let mut events = Vec::with_capacity(n.min(4096));
        for _ in 0..n {
            events.push(self.event()?);
        }
        Some(Entry { index, events })
    }
    fn event(&mut self) -> Option<Event> {
        let id = self.string()?;
        let authored_in = self.opt_string()?;
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
            _ => return None,
        };
        Some(Event {
            id,
            change,
            authored_in,
        })
    }
}
