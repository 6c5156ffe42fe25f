//! The first-parent walk over the register dir, tuned as
//! ../shared/PERFORMANCE.md records: raw commit and tree objects read from the
//! object database, unchanged register trees skipped by id, and consecutive
//! register trees diffed by their raw bytes (identical prefix and suffix
//! skipped, the middle merge-joined).

use super::graph::{Graph, GraphCommit};
use crate::error::{Error, Result};
use std::collections::{HashMap, HashSet};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};

pub use crate::commit::{CommitMeta, Oid, Signature, hex};

pub(super) fn to_oid(id: git2::Oid) -> Oid {
    let mut out = [0u8; 20];
    out.copy_from_slice(&id.as_bytes()[..20]);
    out
}

/// The first-parent line of a branch, oldest first.
#[derive(Debug, Default)]
pub struct Line {
    pub commits: Vec<CommitMeta>,
    /// Set when the oldest commit's parent is missing (a shallow clone).
    pub cut: bool,
    /// Set when the walk stopped at the commit it was asked to stop at
    /// (which is not included).
    pub stopped: bool,
}

/// A vendor file's new content in one commit.
#[derive(Clone, Debug)]
pub struct Blob {
    /// `None` when the blob is over [`crate::register::MAX_FILE_SIZE`].
    pub bytes: Option<Vec<u8>>,
    pub size: u64,
}

/// One entry of the register dir that differs from the previous commit:
/// a vendor file, or anything else the ledger must name (see
/// [`crate::register::classify`]).
#[derive(Clone, Debug)]
pub struct FileChange {
    pub name: String,
    /// The new entry's kind, or `None` when it was deleted.
    pub kind: Option<crate::register::EntryKind>,
    /// The old entry's kind, or `None` when it is new.
    pub old_kind: Option<crate::register::EntryKind>,
    /// The new blob's id for a regular file, else `None`.
    pub blob: Option<Oid>,
    /// The new blob, when the walk thread had time to read it (it reads
    /// blobs itself only while the parsing side is behind).
    pub content: Option<Blob>,
    /// For a merge commit: the commit on the merged branch that last changed this file.
    pub authored_in: Option<Origin>,
}

/// Where a change that arrived through a merge was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// The commit on the merged branch that last changed the file.
    Commit(Oid),
    /// Unknown: the merged branch is cut (a shallow clone) at this commit
    /// before the change was found.
    Cut(Oid),
}

/// What the walk sends, in order: the metadata of the commits it passed
/// (when asked for it) and the register changes they made.
#[derive(Debug, Default)]
pub struct Batch {
    /// The line position of the first of `metas`.
    pub metas_from: usize,
    /// Consecutive commits, read from their objects.
    pub metas: Vec<CommitMeta>,
    pub changes: Vec<CommitChanges>,
}

/// The register changes one commit of the line made.
#[derive(Debug)]
pub struct CommitChanges {
    /// Position of the commit on the line.
    pub index: usize,
    pub files: Vec<FileChange>,
}

/// Parses a raw commit object.
fn parse_commit(id: Oid, data: &[u8]) -> Option<CommitMeta> {
    let mut tree = None;
    let mut parents = Vec::new();
    let mut author = None;
    let mut commit_time = 0;
    let mut rest = data;
    loop {
        let end = rest.iter().position(|&b| b == b'\n').unwrap_or(rest.len());
        let line = &rest[..end];
        rest = rest.get(end + 1..).unwrap_or_default();
        if line.is_empty() {
            break;
        }
        if let Some(hex) = line.strip_prefix(b"tree ") {
            tree = parse_hex(hex);
        } else if let Some(hex) = line.strip_prefix(b"parent ") {
            parents.push(parse_hex(hex)?);
        } else if let Some(sig) = line.strip_prefix(b"author ") {
            author = parse_signature(sig);
        } else if let Some(sig) = line.strip_prefix(b"committer ") {
            commit_time = parse_signature(sig).map(|s| s.time).unwrap_or_default();
        }
        if rest.is_empty() {
            break;
        }
    }
    let subject = String::from_utf8_lossy(
        rest.split(|&b| b == b'\n')
            .find(|l| !l.iter().all(u8::is_ascii_whitespace))
            .unwrap_or_default(),
    )
    .trim()
    .to_owned();
    Some(CommitMeta {
        id,
        tree: tree?,
        parents,
        author: author?,
        commit_time,
        subject,
    })
}

fn parse_hex(hex: &[u8]) -> Option<Oid> {
    let text = std::str::from_utf8(hex).ok()?;
    git2::Oid::from_str(text.trim()).ok().map(to_oid)
}

/// The root tree of a raw commit object.
pub(crate) fn commit_tree(data: &[u8]) -> Option<Oid> {
    let first = data.split(|&b| b == b'\n').next()?;
    parse_hex(first.strip_prefix(b"tree ")?)
}

/// Parses `Name <email> 1700000000 +0100`.
pub(crate) fn parse_signature(sig: &[u8]) -> Option<Signature> {
    let open = sig.iter().position(|&b| b == b'<')?;
    let close = sig.iter().rposition(|&b| b == b'>')?;
    let name = String::from_utf8_lossy(&sig[..open]).trim().to_owned();
    let email = String::from_utf8_lossy(sig.get(open + 1..close)?).into_owned();
    let tail = std::str::from_utf8(sig.get(close + 1..)?).ok()?;
    let mut parts = tail.split_whitespace();
    let time: i64 = parts.next()?.parse().ok()?;
    let tz = parts.next().unwrap_or("+0000");
    let sign = if tz.starts_with('-') { -1 } else { 1 };
    let digits = tz.trim_start_matches(['+', '-']);
    let offset = match (digits.get(..2), digits.get(2..4)) {
        (Some(h), Some(m)) => h.parse::<i32>().ok()? * 60 + m.parse::<i32>().ok()?,
        _ => 0,
    };
    Some(Signature {
        name,
        email,
        time,
        offset: sign * offset,
    })
}

/// Reads and parses one commit object; `None` when the object is missing.
fn read_commit(odb: &git2::Odb<'_>, id: Oid) -> Result<Option<CommitMeta>> {
    let git = |source: git2::Error| Error::Git {
        doing: "reading the first-parent history".to_owned(),
        source: source.into(),
    };
    let oid = git2::Oid::from_bytes(&id).map_err(git)?;
    let object = match odb.read(oid) {
        Ok(object) => object,
        Err(e) if e.code() == git2::ErrorCode::NotFound => return Ok(None),
        Err(source) => return Err(git(source)),
    };
    parse_commit(id, object.data())
        .map(Some)
        .ok_or_else(|| Error::Git {
            doing: format!("reading commit {oid}"),
            source: git2::Error::from_str("malformed commit object").into(),
        })
}

/// One commit's metadata; a missing commit is an error.
pub(crate) fn commit_meta(odb: &git2::Odb<'_>, id: Oid) -> Result<CommitMeta> {
    read_commit(odb, id)?.ok_or_else(|| missing(&id))
}

/// A commit that should be there and is not.
pub(crate) fn missing(id: &Oid) -> Error {
    missing_object("commit", id)
}

/// An object of `kind` that should be there and is not.
pub(crate) fn missing_object(kind: &'static str, id: &Oid) -> Error {
    Error::MissingObject {
        kind,
        object: hex(id),
        context: None,
        partial: false,
    }
}

/// Reads the first-parent line ending at `tip`, oldest first, back to the
/// root, to a commit a shallow clone has without its parents, or to `stop`
/// (excluded).
pub fn first_parent_line(
    repo: &git2::Repository,
    tip: git2::Oid,
    stop: Option<Oid>,
) -> Result<Line> {
    let shallow = super::shallow_commits(repo);
    first_parent(repo, tip, stop, None, &shallow)
}

/// Like [`first_parent_line`], but commits the commit-graph file has are
/// taken from it without reading their objects: their `author` and
/// `subject` are left empty for the walk to fill in (give it the graph in
/// [`Plan::graph`]). Returns the line and the graph, if there was one.
pub fn first_parent_skeleton(
    repo: &git2::Repository,
    tip: git2::Oid,
) -> Result<(Line, Option<Graph>)> {
    let shallow = super::shallow_commits(repo);
    let graph = super::graph_for(repo);
    match first_parent(repo, tip, None, graph.as_ref(), &shallow) {
        // A graph whose parent links loop is no help: read the commits.
        Err(Error::CorruptGraph { .. }) => {
            Ok((first_parent(repo, tip, None, None, &shallow)?, None))
        }
        line => Ok((line?, graph)),
    }
}

fn first_parent(
    repo: &git2::Repository,
    tip: git2::Oid,
    stop: Option<Oid>,
    graph: Option<&Graph>,
    shallow: &HashSet<Oid>,
) -> Result<Line> {
    let odb = repo.odb().map_err(|source| Error::Git {
        doing: "reading the first-parent history".to_owned(),
        source: source.into(),
    })?;
    let mut commits = Vec::new();
    let mut next = Some(to_oid(tip));
    let mut cut = false;
    let mut stopped = false;
    // Parent links taken from the graph; more than it has commits is a loop.
    let mut from_graph = 0usize;
    while let Some(id) = next {
        if Some(id) == stop {
            stopped = true;
            break;
        }
        // A shallow clone's boundary: its parents are not here, whatever
        // its object says. It is the oldest commit of the line; history is
        // cut there unless it is the root anyway.
        if shallow.contains(&id) {
            let mut meta = commit_meta(&odb, id)?;
            cut = !meta.parents.is_empty();
            meta.parents.clear();
            commits.push(meta);
            break;
        }
        if let Some(graph) = graph
            && let Some(known) = graph.commit(&id)
        {
            from_graph += 1;
            if from_graph > graph.len() {
                return Err(graph.corrupt("its parent links form a loop"));
            }
            next = known.parents.first().copied();
            commits.push(CommitMeta {
                id,
                tree: known.tree,
                parents: known.parents,
                author: Signature {
                    name: String::new(),
                    email: String::new(),
                    time: 0,
                    offset: 0,
                },
                commit_time: known.time,
                subject: String::new(),
            });
            continue;
        }
        let meta = match read_commit(&odb, id)? {
            Some(meta) => meta,
            None => {
                let child = commits.last().map(|c: &CommitMeta| hex(&c.id));
                return Err(missing(&id).object_context(|| match child {
                    Some(child) => format!("the first parent of commit {child}"),
                    None => "the tip of the line".to_owned(),
                }));
            }
        };
        next = meta.parents.first().copied();
        commits.push(meta);
    }
    commits.reverse();
    Ok(Line {
        commits,
        cut,
        stopped,
    })
}

/// One entry of a raw tree object.
#[derive(Clone, Copy, Debug)]
struct RawEntry<'a> {
    mode: &'a [u8],
    name: &'a [u8],
    id: &'a [u8],
    end: usize,
}

impl RawEntry<'_> {
    fn is_tree(&self) -> bool {
        self.mode == b"40000"
    }

    fn is_file(&self) -> bool {
        matches!(self.mode, b"100644" | b"100755" | b"100664")
    }

    fn oid(&self) -> Oid {
        let mut out = [0u8; 20];
        out.copy_from_slice(self.id);
        out
    }

    /// Git orders tree entries as if a subtree's name ended in `/`.
    fn cmp_key(&self, other: &RawEntry<'_>) -> std::cmp::Ordering {
        if !self.is_tree() && !other.is_tree() {
            return self.name.cmp(other.name);
        }
        let a = self.name.iter().chain(self.is_tree().then_some(&b'/'));
        let b = other.name.iter().chain(other.is_tree().then_some(&b'/'));
        a.cmp(b)
    }
}

/// Parses the tree entry starting at `at`.
fn entry_at(data: &[u8], at: usize) -> Option<RawEntry<'_>> {
    let rest = data.get(at..)?;
    // Modes are 5 or 6 digits: the space is found within a few bytes.
    let space = rest.iter().take(8).position(|&b| b == b' ')?;
    let nul = space + memchr::memchr(0, &rest[space..])?;
    let id = rest.get(nul + 1..nul + 21)?;
    Some(RawEntry {
        mode: &rest[..space],
        name: &rest[space + 1..nul],
        id,
        end: at + nul + 21,
    })
}

/// The id of the subtree at `path` below the tree `root`.
pub(super) fn subtree(odb: &git2::Odb<'_>, root: Oid, path: &[String]) -> Result<Option<Oid>> {
    let mut id = root;
    for part in path {
        let object = read_kind(odb, id, "tree")?;
        let data = object.data();
        let mut at = 0;
        let mut found = None;
        while let Some(entry) = entry_at(data, at) {
            if entry.name == part.as_bytes() {
                found = entry.is_tree().then(|| entry.oid());
                break;
            }
            at = entry.end;
        }
        match found {
            Some(next) => id = next,
            None => return Ok(None),
        }
    }
    Ok(Some(id))
}

/// The id of the subtree at `dir` and of the blob at `file` below the tree
/// `root`, each tree on their common path read once (for the register dir
/// and subledger.toml at the top, one read of the root tree).
fn lookup(
    odb: &git2::Odb<'_>,
    root: Oid,
    dir: &[String],
    file: &[String],
) -> Result<(Option<Oid>, Option<Oid>)> {
    let Some((name, file_dir)) = file.split_last() else {
        return Ok((subtree(odb, root, dir)?, None));
    };
    let common = dir.iter().zip(file_dir).take_while(|(a, b)| a == b).count();
    let Some(base) = subtree(odb, root, &dir[..common])? else {
        return Ok((None, None));
    };
    let object = read_kind(odb, base, "tree")?;
    let data = object.data();
    // The next part of each path, and what each found there.
    let want_dir = dir.get(common);
    let want_file = file_dir.get(common).unwrap_or(name);
    let file_here = common == file_dir.len();
    let (mut dir_next, mut file_next) = (None, None);
    let mut at = 0;
    while let Some(entry) = entry_at(data, at) {
        if Some(entry.name) == want_dir.map(|d| d.as_bytes()) && entry.is_tree() {
            dir_next = Some(entry.oid());
        }
        if entry.name == want_file.as_bytes() && (entry.is_tree() != file_here) {
            file_next = Some(entry.oid());
        }
        at = entry.end;
    }
    let tree = match want_dir {
        None => Some(base),
        Some(_) => match dir_next {
            Some(next) => subtree(odb, next, &dir[common + 1..])?,
            None => None,
        },
    };
    let blob = match (file_here, file_next) {
        (true, found) => found,
        (false, Some(next)) => {
            let (_, blob) = lookup(odb, next, &[], &file[common + 1..])?;
            blob
        }
        (false, None) => None,
    };
    Ok((tree, blob))
}

/// Where the register dir is at each commit: `[register] dir` of that
/// commit's subledger.toml (the register may have moved), read again only
/// when the file changes.
pub struct DirRule {
    /// The path of subledger.toml, in parts.
    pub config: Vec<String>,
    /// The register dir at the tip, in parts: where there is no readable
    /// subledger.toml yet.
    pub tip: Vec<String>,
    /// The register dir's parts from a subledger.toml's bytes; `None` when
    /// it cannot be read (the dir before it is kept).
    pub dir_of: DirOf,
}

/// Reads the register dir's path parts from a subledger.toml.
pub type DirOf = Box<dyn Fn(&[u8]) -> Option<Vec<String>> + Send>;

/// The register dir as the walk goes: the one in effect at the last commit.
struct Dirs<'r> {
    rule: &'r DirRule,
    config: Option<Oid>,
    dir: Vec<String>,
}

impl<'r> Dirs<'r> {
    fn new(rule: &'r DirRule) -> Self {
        Dirs {
            rule,
            config: None,
            dir: rule.tip.clone(),
        }
    }

    /// The register tree at the commit whose root tree is `root`.
    fn tree(&mut self, odb: &git2::Odb<'_>, root: Oid) -> Result<Option<Oid>> {
        let (tree, config) = lookup(odb, root, &self.dir, &self.rule.config)?;
        if config == self.config {
            return Ok(tree);
        }
        self.config = config;
        let moved = match config {
            Some(id) => (self.rule.dir_of)(read_kind(odb, id, "blob")?.data()),
            None => None,
        };
        match moved {
            Some(dir) if dir != self.dir => {
                self.dir = dir;
                subtree(odb, root, &self.dir)
            }
            _ => Ok(tree),
        }
    }
}

pub(super) fn read<'o>(odb: &'o git2::Odb<'_>, id: Oid) -> Result<git2::OdbObject<'o>> {
    read_kind(odb, id, "object")
}

/// Reads an object; a missing one is an [`Error::MissingObject`] of `kind`.
pub(crate) fn read_kind<'o>(
    odb: &'o git2::Odb<'_>,
    id: Oid,
    kind: &'static str,
) -> Result<git2::OdbObject<'o>> {
    let oid = git2::Oid::from_bytes(&id).map_err(|source| Error::Git {
        doing: "reading an object".to_owned(),
        source: source.into(),
    })?;
    odb.read(oid).map_err(|source| {
        if source.code() == git2::ErrorCode::NotFound {
            missing_object(kind, &id)
        } else {
            Error::Git {
                doing: format!("reading {kind} {oid}"),
                source: source.into(),
            }
        }
    })
}

/// A name that differs between two trees, with its old entry (`None` when
/// added) and its new entry (`None` when deleted).
type RawChange<'n> = (&'n [u8], Option<RawEntry<'n>>, Option<RawEntry<'n>>);

/// The entries of a raw tree object: (name, kind, id).
pub(crate) fn tree_entries(data: &[u8]) -> Vec<(String, crate::register::EntryKind, Oid)> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(entry) = entry_at(data, at) {
        out.push((
            String::from_utf8_lossy(entry.name).into_owned(),
            entry_kind(&entry),
            entry.oid(),
        ));
        at = entry.end;
    }
    out
}

/// Where the entries of a raw tree start.
fn entry_starts(data: &[u8]) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut at = 0;
    while let Some(entry) = entry_at(data, at) {
        starts.push(at);
        at = entry.end;
    }
    starts
}

fn word(data: &[u8], at: usize) -> u64 {
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&data[at..at + 8]);
    u64::from_ne_bytes(bytes)
}

/// The length of the common prefix of `a` and `b`: compared in blocks of
/// 256 bytes (a `memcmp` each), then words, then bytes.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    const BLOCK: usize = 256;
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + BLOCK <= n && a[i..i + BLOCK] == b[i..i + BLOCK] {
        i += BLOCK;
    }
    while i + 8 <= n && word(a, i) == word(b, i) {
        i += 8;
    }
    while i < n && a[i] == b[i] {
        i += 1;
    }
    i
}

/// The names that differ between the previous register tree (`old_data`,
/// whose entries start at `old_starts`) and `new`, with the new entry
/// (`None` when deleted), and the new tree's entry offsets for the next
/// round. Both trees are merge-joined entry by entry, but wherever the two
/// sides are at the start of an entry, the run of byte-identical bytes that
/// follows is skipped at `memcmp` speed: whole entries inside it are the
/// same on both sides. Consecutive register trees differ in a few entries,
/// so the cost is one comparison of the bytes plus a few entries parsed.
fn diff_raw<'n>(
    old_data: &'n [u8],
    old_starts: &[usize],
    new: &'n [u8],
) -> (Vec<RawChange<'n>>, Vec<usize>) {
    let end_of = |k: usize| old_starts.get(k + 1).copied().unwrap_or(old_data.len());
    let mut changes = Vec::new();
    let mut starts = Vec::with_capacity(old_starts.len() + 4);
    // The next old entry, and where the next new entry starts.
    let (mut i, mut at) = (0, 0);
    loop {
        if let Some(&o) = old_starts.get(i)
            && at < new.len()
        {
            let same = o + common_prefix(&old_data[o..], &new[at..]);
            // Old entries that end inside the identical run are unchanged.
            // (Entry k ends where entry k + 1 starts, the last at the end.)
            let mut j = i + old_starts[i + 1..].partition_point(|&s| s <= same);
            if j + 1 == old_starts.len() && old_data.len() <= same {
                j += 1;
            }
            if j > i {
                let shift = at as isize - o as isize;
                starts.extend(
                    old_starts[i..j]
                        .iter()
                        .map(|&s| (s as isize + shift) as usize),
                );
                at = (end_of(j - 1) as isize + shift) as usize;
                i = j;
            }
        }
        let a = old_starts.get(i).and_then(|&o| entry_at(old_data, o));
        let b = entry_at(new, at);
        match (a, b) {
            (None, None) => break,
            (Some(a), None) => {
                changes.push((a.name, Some(a), None));
                i += 1;
            }
            (None, Some(b)) => {
                changes.push((b.name, None, Some(b)));
                starts.push(at);
                at = b.end;
            }
            (Some(a), Some(b)) => match a.cmp_key(&b) {
                std::cmp::Ordering::Less => {
                    changes.push((a.name, Some(a), None));
                    i += 1;
                }
                std::cmp::Ordering::Greater => {
                    changes.push((b.name, None, Some(b)));
                    starts.push(at);
                    at = b.end;
                }
                std::cmp::Ordering::Equal => {
                    if a.id != b.id || a.mode != b.mode {
                        changes.push((b.name, Some(a), Some(b)));
                    }
                    starts.push(at);
                    i += 1;
                    at = b.end;
                }
            },
        }
    }
    // Names whose kind changed (file <-> tree) appear twice; that is fine:
    // the caller only keeps vendor files.
    (changes, starts)
}

/// A name that differs between two directories: its old and new entry.
pub type DirChange = (
    String,
    Option<(crate::register::EntryKind, Oid)>,
    Option<(crate::register::EntryKind, Oid)>,
);

/// The entries that differ between two raw tree objects.
pub(super) fn tree_changes(old: &[u8], new: &[u8]) -> Vec<DirChange> {
    let kind = |e: RawEntry<'_>| {
        let kind = match e.mode {
            b"100644" | b"100755" | b"100664" => crate::register::EntryKind::File,
            b"120000" => crate::register::EntryKind::Symlink,
            b"40000" => crate::register::EntryKind::Dir,
            _ => crate::register::EntryKind::Other,
        };
        (kind, e.oid())
    };
    diff_raw(old, &entry_starts(old), new)
        .0
        .into_iter()
        .map(|(name, a, b)| {
            (
                String::from_utf8_lossy(name).into_owned(),
                a.map(kind),
                b.map(kind),
            )
        })
        .collect()
}

/// The kind of a raw tree entry.
fn entry_kind(entry: &RawEntry<'_>) -> crate::register::EntryKind {
    use crate::register::EntryKind;
    match entry.mode {
        b"100644" | b"100755" | b"100664" => EntryKind::File,
        b"120000" => EntryKind::Symlink,
        b"40000" => EntryKind::Dir,
        _ => EntryKind::Other,
    }
}

/// The register dir entries among `raw` that the ledger looks at (vendor
/// files, and whatever it must report as not loadable), one per name: when
/// a name changed kind (a file became a directory), the present one.
fn register_changes(raw: Vec<RawChange<'_>>) -> Vec<FileChange> {
    let mut files: Vec<FileChange> = Vec::new();
    for (name, old, new) in raw {
        let name = String::from_utf8_lossy(name);
        let Some(present) = new.or(old) else { continue };
        if crate::register::classify(&name, entry_kind(&present))
            == crate::register::Classified::Ignored
        {
            continue;
        }
        let kind = new.map(|e| entry_kind(&e));
        let change = FileChange {
            name: name.into_owned(),
            kind,
            old_kind: old.map(|e| entry_kind(&e)),
            blob: new.filter(|e| e.is_file()).map(|e| e.oid()),
            content: None,
            authored_in: None,
        };
        match files.last_mut() {
            // The same name twice: one side left, the other arrived.
            Some(last) if last.name == change.name => {
                let old_kind = last.old_kind.or(change.old_kind);
                if change.kind.is_some() {
                    *last = change;
                }
                last.old_kind = old_kind;
            }
            _ => files.push(change),
        }
    }
    files
}

/// What to walk.
pub struct Plan {
    pub git_dir: std::path::PathBuf,
    /// (commit, root tree, parents) of the commits to walk, oldest first.
    pub commits: Vec<(Oid, Oid, Vec<Oid>)>,
    /// Position on the line of the first of `commits`.
    pub offset: usize,
    /// Where the register dir is at each commit.
    pub dir: DirRule,
    /// The root tree of the commit before the first one, if any.
    pub before_root: Option<Oid>,
    /// Every commit of the whole line (where merged branches stop).
    pub line: HashSet<Oid>,
    /// The commit-graph the line was read from, if it was: then every
    /// commit's object is read, checked against the graph's tree and
    /// parents, and its metadata sent. Merged branches are followed in it.
    pub graph: Option<Graph>,
    /// Commits a shallow clone has without their parents: where merged
    /// branches are cut.
    pub shallow: HashSet<Oid>,
    /// Whether the repository is a partial clone (for the hint of an
    /// error about a missing object).
    pub partial: bool,
}

/// Walks the plan's commits on a thread of its own, sending the register
/// changes of every commit whose register tree differs from its first
/// parent's, in batches.
pub fn spawn(plan: Plan) -> Receiver<Result<Batch>> {
    let (tx, rx) = sync_channel(8);
    std::thread::spawn(move || {
        if let Err(e) = walk(&plan, &tx) {
            let _ = tx.send(Err(e.in_partial_clone(plan.partial)));
        }
    });
    rx
}

fn walk(plan: &Plan, tx: &SyncSender<Result<Batch>>) -> Result<()> {
    let git = |source: git2::Error| Error::Git {
        doing: "walking the register's history".to_owned(),
        source: source.into(),
    };
    let (commits, line) = (&plan.commits, &plan.line);
    let repo = super::open_for_walk(&plan.git_dir)?;
    let odb = repo.odb().map_err(git)?;
    let mut dirs = Dirs::new(&plan.dir);
    let before = match plan.before_root {
        Some(root) => dirs.tree(&odb, root)?,
        None => None,
    };
    let mut prev_tree: Option<Oid> = before;
    let mut prev_object = match before {
        Some(id) => Some(read(&odb, id)?),
        None => None,
    };
    let mut prev_starts = prev_object
        .as_ref()
        .map(|o| entry_starts(o.data()))
        .unwrap_or_default();
    let mut batch = Batch {
        metas_from: plan.offset,
        ..Batch::default()
    };
    let mut stolen = std::collections::VecDeque::new();
    let commit_at = |index: usize| commits[index - plan.offset].0;
    for (i, (id, root, parents)) in commits.iter().enumerate() {
        let index = plan.offset + i;
        if plan.graph.is_some() {
            batch.metas.push(checked_meta(&odb, *id, root, parents)?);
        }
        let in_commit = || format!("the tree of commit {}", hex(id));
        let tree = dirs
            .tree(&odb, *root)
            .map_err(|e| e.object_context(in_commit))?;
        let dir = &dirs.dir;
        if tree == prev_tree {
            continue;
        }
        let object = match tree {
            Some(id) => Some(read_kind(&odb, id, "tree").map_err(|e| e.object_context(in_commit))?),
            None => None,
        };
        let data: &[u8] = object.as_ref().map(|o| o.data()).unwrap_or_default();
        let old_data: &[u8] = prev_object.as_ref().map(|o| o.data()).unwrap_or_default();
        let (raw, starts) = diff_raw(old_data, &prev_starts, data);
        let mut files = register_changes(raw);
        if parents.len() > 1 && !files.is_empty() {
            let branches = Branches {
                odb: &odb,
                graph: plan.graph.as_ref(),
                line,
                shallow: &plan.shallow,
                dir,
            };
            authored_in(&branches, parents, &mut files, (data, &starts))?;
        }
        prev_tree = tree;
        prev_starts = starts;
        prev_object = object;
        if !files.is_empty() {
            batch.changes.push(CommitChanges { index, files });
            if batch.changes.len() >= 16 {
                let next = Batch {
                    metas_from: index + 1,
                    ..Batch::default()
                };
                let done = std::mem::replace(&mut batch, next);
                let dir_path = dirs.dir.join("/");
                if !send(tx, &odb, &mut stolen, done, (&dir_path, &commit_at))? {
                    return Ok(());
                }
            }
        }
    }
    if !batch.changes.is_empty() || !batch.metas.is_empty() {
        stolen.push_back(batch);
    }
    for batch in stolen {
        if tx.send(Ok(batch)).is_err() {
            break;
        }
    }
    Ok(())
}

/// How many batches the walk keeps, their blobs read, while the parsing side
/// is behind, before it waits.
const STOLEN: usize = 16;

/// Sends a batch, in order after the kept ones. While the parsing side is
/// behind (the channel is full), the walk reads the batch's blobs itself and
/// keeps it instead of waiting: the two threads share the work. Returns
/// false when the receiving side is gone.
fn send(
    tx: &SyncSender<Result<Batch>>,
    odb: &git2::Odb<'_>,
    stolen: &mut std::collections::VecDeque<Batch>,
    batch: Batch,
    (dir, commits): (&str, &dyn Fn(usize) -> Oid),
) -> Result<bool> {
    stolen.push_back(batch);
    while let Some(front) = stolen.pop_front() {
        match tx.try_send(Ok(front)) {
            Ok(()) => {}
            Err(TrySendError::Full(Ok(front))) => {
                stolen.push_front(front);
                break;
            }
            Err(_) => return Ok(false),
        }
    }
    if let Some(last) = stolen.back_mut() {
        for changes in &mut last.changes {
            for change in &mut changes.files {
                if let (Some(id), None) = (&change.blob, &change.content) {
                    let blob = read_blob(odb, id).map_err(|e| {
                        e.object_context(|| file_at(dir, &change.name, &commits(changes.index)))
                    })?;
                    change.content = Some(blob);
                }
            }
        }
    }
    if stolen.len() > STOLEN
        && let Some(front) = stolen.pop_front()
        && tx.send(Ok(front)).is_err()
    {
        return Ok(false);
    }
    Ok(true)
}

/// "`register/aws.toml` at commit …", for messages about a missing blob.
pub(crate) fn file_at(dir: &str, name: &str, commit: &Oid) -> String {
    format!("`{dir}/{name}` at commit {}", hex(commit))
}

/// A line commit's metadata from its object, checked against what the
/// commit-graph said about its tree and parents.
fn checked_meta(odb: &git2::Odb<'_>, id: Oid, tree: &Oid, parents: &[Oid]) -> Result<CommitMeta> {
    let meta = commit_meta(odb, id)?;
    if meta.tree != *tree || meta.parents != parents {
        return Err(Error::History {
            what: format!(
                "the commit-graph file disagrees with commit {} about its tree or parents; \
                 rewrite it with `git commit-graph write --reachable`",
                hex(&id)
            ),
        });
    }
    Ok(meta)
}

/// Reads vendor file blobs, on whichever thread parses them.
pub struct Blobs {
    repo: git2::Repository,
}

impl Blobs {
    pub fn open(git_dir: &std::path::Path) -> Result<Blobs> {
        Ok(Blobs {
            repo: super::open_for_walk(git_dir)?,
        })
    }

    /// The blob's bytes; `bytes` is `None` when it is over the size limit.
    pub fn read(&self, id: &Oid) -> Result<Blob> {
        let odb = self.repo.odb().map_err(|source| Error::Git {
            doing: format!("reading blob {}", hex(id)),
            source: source.into(),
        })?;
        read_blob(&odb, id)
    }
}

fn read_blob(odb: &git2::Odb<'_>, id: &Oid) -> Result<Blob> {
    let object = read_kind(odb, *id, "blob")?;
    let size = object.data().len() as u64;
    let bytes = (size <= crate::register::MAX_FILE_SIZE).then(|| object.data().to_vec());
    Ok(Blob { bytes, size })
}

/// What following merged branches needs: the objects, the commit-graph,
/// where the line is, where a shallow clone is cut, and the register dir.
struct Branches<'a, 'o> {
    odb: &'a git2::Odb<'o>,
    graph: Option<&'a Graph>,
    line: &'a HashSet<Oid>,
    shallow: &'a HashSet<Oid>,
    dir: &'a [String],
}

impl Branches<'_, '_> {
    /// A branch commit's root tree and parents: from the commit-graph when
    /// it has them, else from the object.
    fn commit(&self, id: Oid) -> Result<GraphCommit> {
        let commit = match self.graph.and_then(|g| g.commit(&id)) {
            Some(known) => known,
            None => {
                let object = read_kind(self.odb, id, "commit")?;
                parse_commit(id, object.data())
                    .map(|c| GraphCommit {
                        tree: c.tree,
                        parents: c.parents,
                        time: c.commit_time,
                    })
                    .ok_or_else(|| Error::Git {
                        doing: format!("reading commit {}", hex(&id)),
                        source: git2::Error::from_str("malformed commit object").into(),
                    })?
            }
        };
        Ok(commit)
    }
}

/// For each changed file of a merge commit, the commit on the merged branch
/// that last changed it: the first-parent chain of each merged parent is
/// followed, newest first, until it reaches the line, and the first commit
/// on it whose register entry for the file differs from its parent's is
/// the one. Where a shallow clone cuts the branch first, the origin is
/// unknown ([`Origin::Cut`]), never guessed. `merged` is the merge's
/// register tree and its entry offsets: each tree on the branch is diffed
/// against the one before it, so entry offsets carry over and no tree is
/// scanned whole.
fn authored_in(
    at: &Branches<'_, '_>,
    parents: &[Oid],
    files: &mut [FileChange],
    merged: (&[u8], &[usize]),
) -> Result<()> {
    let (odb, dir) = (at.odb, at.dir);
    let mut open: HashMap<String, usize> = files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.name.clone(), i))
        .collect();
    // A register tree on the branch: its id, object and entry offsets.
    struct Dir<'o> {
        id: Option<Oid>,
        object: Option<git2::OdbObject<'o>>,
        starts: Vec<usize>,
    }
    let read_dir =
        |commit: &GraphCommit, id: &Oid| -> Result<(Option<Oid>, Option<git2::OdbObject<'_>>)> {
            let context = || format!("the tree of commit {}", hex(id));
            let tree = subtree(odb, commit.tree, dir).map_err(|e| e.object_context(context))?;
            let object = tree
                .map(|t| read_kind(odb, t, "tree"))
                .transpose()
                .map_err(|e| e.object_context(context))?;
            Ok((tree, object))
        };
    // Parent links taken from the graph: more than it has commits is a loop.
    let mut from_graph = 0usize;
    for &parent in &parents[1..] {
        if open.is_empty() || at.line.contains(&parent) {
            continue;
        }
        let (mut id, mut current) = (parent, at.commit(parent)?);
        let (tree, object) = read_dir(&current, &id)?;
        let bytes = object.as_ref().map(|o| o.data()).unwrap_or_default();
        let (_, starts) = diff_raw(merged.0, merged.1, bytes);
        let mut after = Dir {
            id: tree,
            object,
            starts,
        };
        loop {
            let after_bytes = after.object.as_ref().map(|o| o.data()).unwrap_or_default();
            if at.shallow.contains(&id) && !current.parents.is_empty() {
                // The clone has this commit without its parents: which of
                // its files it changed is unknown.
                for i in std::mem::take(&mut open).into_values() {
                    files[i].authored_in = Some(Origin::Cut(id));
                }
                break;
            }
            let Some(&previous_id) = current.parents.first() else {
                // The branch's root commit: everything in it is its own.
                claim(&mut open, files, id, &diff_raw(&[], &[], after_bytes).0);
                break;
            };
            if let Some(graph) = at.graph
                && graph.commit(&previous_id).is_some()
            {
                from_graph += 1;
                if from_graph > graph.len() {
                    return Err(graph.corrupt("its parent links form a loop"));
                }
            }
            let previous = at.commit(previous_id).map_err(|e| {
                e.object_context(|| format!("the first parent of commit {}", hex(&id)))
            })?;
            let (tree, object) = read_dir(&previous, &previous_id)?;
            if tree != after.id {
                let bytes = object.as_ref().map(|o| o.data()).unwrap_or_default();
                let (changes, starts) = diff_raw(after_bytes, &after.starts, bytes);
                claim(&mut open, files, id, &changes);
                after = Dir {
                    id: tree,
                    object,
                    starts,
                };
            }
            if open.is_empty() || at.line.contains(&previous_id) {
                break;
            }
            (id, current) = (previous_id, previous);
        }
    }
    Ok(())
}

/// Marks the open files among `changes` as last changed in `commit`.
fn claim(
    open: &mut HashMap<String, usize>,
    files: &mut [FileChange],
    commit: Oid,
    changes: &[RawChange<'_>],
) {
    for (name, _, _) in changes {
        if let Ok(name) = std::str::from_utf8(name)
            && let Some(i) = open.remove(name)
        {
            files[i].authored_in = Some(Origin::Commit(commit));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tree(entries: &[(&str, &str, u8)]) -> Vec<u8> {
        let mut out = Vec::new();
        for (mode, name, id) in entries {
            out.extend_from_slice(mode.as_bytes());
            out.push(b' ');
            out.extend_from_slice(name.as_bytes());
            out.push(0);
            out.extend_from_slice(&[*id; 20]);
        }
        out
    }

    fn names(old: &[(&str, &str, u8)], new: &[(&str, &str, u8)]) -> Vec<(String, bool)> {
        let old = tree(old);
        let new_data = tree(new);
        let (changes, starts) = diff_raw(&old, &entry_starts(&old), &new_data);
        assert_eq!(starts, entry_starts(&new_data));
        changes
            .into_iter()
            .map(|(n, _, e)| (String::from_utf8(n.to_vec()).unwrap(), e.is_some()))
            .collect()
    }

    /// A changed name with its old and new ids.
    type Named = (Vec<u8>, Option<Oid>, Option<Oid>);

    /// The naive diff: every entry of both trees parsed and merge-joined.
    fn naive(old: &[u8], new: &[u8]) -> Vec<Named> {
        let parse = |data| {
            entry_starts(data)
                .into_iter()
                .filter_map(|at| entry_at(data, at))
                .collect::<Vec<_>>()
        };
        let (a, b) = (parse(old), parse(new));
        let mut out = Vec::new();
        let (mut i, mut j) = (0, 0);
        while i < a.len() || j < b.len() {
            let order = match (a.get(i), b.get(j)) {
                (Some(x), Some(y)) => x.cmp_key(y),
                (Some(_), None) => std::cmp::Ordering::Less,
                _ => std::cmp::Ordering::Greater,
            };
            match order {
                std::cmp::Ordering::Less => {
                    out.push((a[i].name.to_vec(), Some(a[i].oid()), None));
                    i += 1;
                }
                std::cmp::Ordering::Greater => {
                    out.push((b[j].name.to_vec(), None, Some(b[j].oid())));
                    j += 1;
                }
                std::cmp::Ordering::Equal => {
                    if a[i].id != b[j].id || a[i].mode != b[j].mode {
                        out.push((b[j].name.to_vec(), Some(a[i].oid()), Some(b[j].oid())));
                    }
                    i += 1;
                    j += 1;
                }
            }
        }
        out
    }

    /// Random trees and random edits (added, deleted, changed entries, runs
    /// of identical ids, names that are prefixes of each other, subtrees):
    /// the skipping diff finds exactly what the naive one finds, and the
    /// new tree's entry offsets.
    #[test]
    fn raw_tree_diff_equals_the_naive_diff() {
        let mut seed = 0x9e37_79b9_7f4a_7c15_u64;
        let mut rng = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let build = |entries: &std::collections::BTreeMap<String, (bool, u8)>| {
            let mut sorted: Vec<(String, bool, u8)> = entries
                .iter()
                .map(|(n, (t, id))| (n.clone(), *t, *id))
                .collect();
            // Git's order: a subtree sorts as if its name ended in `/`.
            sorted.sort_by_key(|(n, t, _)| format!("{n}{}", if *t { "/" } else { "" }));
            let mut out = Vec::new();
            for (name, tree, id) in sorted {
                out.extend_from_slice(if tree { b"40000 " } else { b"100644 " });
                out.extend_from_slice(name.as_bytes());
                out.push(0);
                out.extend_from_slice(&[id; 20]);
            }
            out
        };
        for _ in 0..300 {
            let mut old = std::collections::BTreeMap::new();
            for _ in 0..rng(60) {
                let name = format!("v{}{}", rng(40), [".toml", "", "-x.toml"][rng(3) as usize]);
                old.insert(name, (rng(10) == 0, rng(3) as u8));
            }
            let mut new = old.clone();
            for _ in 0..rng(6) {
                let name = format!("v{}{}", rng(40), [".toml", "", "-x.toml"][rng(3) as usize]);
                match rng(3) {
                    0 => {
                        new.remove(&name);
                    }
                    _ => {
                        new.insert(name, (rng(10) == 0, rng(3) as u8));
                    }
                }
            }
            let (a, b) = (build(&old), build(&new));
            let (changes, starts) = diff_raw(&a, &entry_starts(&a), &b);
            let got: Vec<Named> = changes
                .into_iter()
                .map(|(n, o, e)| (n.to_vec(), o.map(|o| o.oid()), e.map(|e| e.oid())))
                .collect();
            assert_eq!(got, naive(&a, &b));
            assert_eq!(starts, entry_starts(&b));
        }
    }

    #[test]
    fn raw_tree_diff_finds_every_kind_of_change() {
        let f = "100644";
        let base = [(f, "a.toml", 1), (f, "b.toml", 2), (f, "c.toml", 3)];
        assert_eq!(names(&base, &base), vec![]);
        assert_eq!(
            names(
                &base,
                &[(f, "a.toml", 1), (f, "b.toml", 9), (f, "c.toml", 3)]
            ),
            vec![("b.toml".to_owned(), true)]
        );
        assert_eq!(
            names(&base, &[(f, "a.toml", 1), (f, "c.toml", 3)]),
            vec![("b.toml".to_owned(), false)]
        );
        assert_eq!(
            names(
                &base,
                &[
                    (f, "a.toml", 1),
                    (f, "b.toml", 2),
                    (f, "bb.toml", 2),
                    (f, "c.toml", 3)
                ]
            ),
            vec![("bb.toml".to_owned(), true)]
        );
        assert_eq!(names(&[], &base).len(), 3);
        assert_eq!(names(&base, &[]).len(), 3);
        // A deleted entry whose neighbour has the same id: the identical
        // suffix must not swallow it.
        assert_eq!(
            names(&[(f, "a.toml", 1), (f, "b.toml", 1)], &[(f, "b.toml", 1)]),
            vec![("a.toml".to_owned(), false)]
        );
        // Mode change only.
        assert_eq!(
            names(
                &base,
                &[(f, "a.toml", 1), ("100755", "b.toml", 2), (f, "c.toml", 3)]
            ),
            vec![("b.toml".to_owned(), true)]
        );
    }

    #[test]
    fn signatures_parse_with_offsets() {
        let sig = parse_signature(b"Ada Auditor <ada@example.com> 1767261600 -0130").unwrap();
        assert_eq!(sig.name, "Ada Auditor");
        assert_eq!(sig.email, "ada@example.com");
        assert_eq!(sig.time, 1767261600);
        assert_eq!(sig.offset, -90);
    }
}
