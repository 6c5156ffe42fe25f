//! The first-parent walk over the register dir, tuned as
//! ../shared/PERFORMANCE.md records: raw commit and tree objects read from the
//! object database, unchanged register trees skipped by id, and consecutive
//! register trees diffed by their raw bytes (identical prefix and suffix
//! skipped, the middle merge-joined).

use crate::error::{Error, Result};
use std::collections::{HashMap, HashSet};
use std::sync::mpsc::{Receiver, SyncSender, TrySendError, sync_channel};

/// A 20-byte object id.
pub type Oid = [u8; 20];

/// The hex form of an object id.
pub fn hex(oid: &Oid) -> String {
    git2::Oid::from_bytes(oid)
        .map(|o| o.to_string())
        .unwrap_or_default()
}

fn to_oid(id: git2::Oid) -> Oid {
    let mut out = [0u8; 20];
    out.copy_from_slice(&id.as_bytes()[..20]);
    out
}

/// Who made a commit or tag, and when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    pub name: String,
    pub email: String,
    /// Seconds since the Unix epoch.
    pub time: i64,
    /// The signer's UTC offset in minutes.
    pub offset: i32,
}

/// A first-parent commit, read from its raw object.
#[derive(Clone, Debug)]
pub struct CommitMeta {
    pub id: Oid,
    pub tree: Oid,
    pub parents: Vec<Oid>,
    pub author: Signature,
    /// The committer's time (what `--at DATE` compares with).
    pub commit_time: i64,
    pub subject: String,
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

/// One file of the register dir that differs from the previous commit.
#[derive(Clone, Debug)]
pub struct FileChange {
    pub name: String,
    /// The new blob's id, or `None` when the file was deleted.
    pub blob: Option<Oid>,
    /// The new blob, when the walk thread had time to read it (it reads
    /// blobs itself only while the parsing side is behind).
    pub content: Option<Blob>,
    /// For a merge commit: the commit on the merged branch that last changed this file.
    pub authored_in: Option<Oid>,
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

/// Reads the first-parent line ending at `tip`, oldest first, back to the
/// root or to `stop` (excluded).
pub fn first_parent_line(
    repo: &git2::Repository,
    tip: git2::Oid,
    stop: Option<Oid>,
) -> Result<Line> {
    let git = |source| Error::Git {
        doing: "reading the first-parent history".to_owned(),
        source,
    };
    let odb = repo.odb().map_err(git)?;
    let mut commits = Vec::new();
    let mut next = Some(to_oid(tip));
    let mut cut = false;
    let mut stopped = false;
    while let Some(id) = next {
        if Some(id) == stop {
            stopped = true;
            break;
        }
        let oid = git2::Oid::from_bytes(&id).map_err(git)?;
        let object = match odb.read(oid) {
            Ok(object) => object,
            Err(e) if e.code() == git2::ErrorCode::NotFound && !commits.is_empty() => {
                cut = true;
                break;
            }
            Err(source) => return Err(git(source)),
        };
        let meta = parse_commit(id, object.data()).ok_or_else(|| Error::Git {
            doing: format!("reading commit {oid}"),
            source: git2::Error::from_str("malformed commit object"),
        })?;
        next = meta.parents.first().copied();
        commits.push(meta);
    }
    // A shallow clone records its boundary commits in .git/shallow: their
    // parents are listed in the object but absent.
    if !cut
        && !stopped
        && repo.is_shallow()
        && let Some(oldest) = commits.last()
        && oldest.parents.is_empty()
    {
        let shallow = std::fs::read_to_string(repo.path().join("shallow")).unwrap_or_default();
        cut = shallow.lines().any(|l| l.trim() == hex(&oldest.id));
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
    let space = rest.iter().position(|&b| b == b' ')?;
    let nul = space + rest[space..].iter().position(|&b| b == 0)?;
    let id = rest.get(nul + 1..nul + 21)?;
    Some(RawEntry {
        mode: &rest[..space],
        name: &rest[space + 1..nul],
        id,
        end: at + nul + 21,
    })
}

/// The id of the subtree at `path` below the tree `root`.
fn subtree(odb: &git2::Odb<'_>, root: Oid, path: &[String]) -> Result<Option<Oid>> {
    let mut id = root;
    for part in path {
        let object = read(odb, id)?;
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

fn read<'o>(odb: &'o git2::Odb<'_>, id: Oid) -> Result<git2::OdbObject<'o>> {
    let oid = git2::Oid::from_bytes(&id).map_err(|source| Error::Git {
        doing: "reading an object".to_owned(),
        source,
    })?;
    odb.read(oid).map_err(|source| Error::Git {
        doing: format!("reading object {oid}"),
        source,
    })
}

/// A name that differs between two trees, with its new entry (`None` when deleted).
type RawChange<'n> = (&'n [u8], Option<RawEntry<'n>>);

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

struct Starts<'s> {
    starts: &'s [usize],
}

fn word(data: &[u8], at: usize) -> u64 {
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&data[at..at + 8]);
    u64::from_ne_bytes(bytes)
}

/// The length of the common prefix of `a` and `b`, compared in blocks.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let mut i = 0;
    while i + 8 <= n && word(a, i) == word(b, i) {
        i += 8;
    }
    while i < n && a[i] == b[i] {
        i += 1;
    }
    i
}

/// The length of the common suffix of `a` and `b`, compared in blocks.
fn common_suffix(a: &[u8], b: &[u8]) -> usize {
    let n = a.len().min(b.len());
    let (la, lb) = (a.len(), b.len());
    let mut i = 0;
    while i + 8 <= n && word(a, la - i - 8) == word(b, lb - i - 8) {
        i += 8;
    }
    while i < n && a[la - i - 1] == b[lb - i - 1] {
        i += 1;
    }
    i
}

/// The names that differ between the previous register tree and `new`, with
/// the new entry (`None` when deleted). Skips the byte-identical prefix and
/// suffix; returns the new tree's entry offsets for the next round.
fn diff_raw<'n>(
    old_data: &'n [u8],
    old_starts: &[usize],
    new: &'n [u8],
) -> (Vec<RawChange<'n>>, Vec<usize>) {
    let old = Starts { starts: old_starts };
    let max = old_data.len().min(new.len());
    let prefix = common_prefix(old_data, new);
    let suffix = common_suffix(&old_data[prefix..], &new[prefix..]).min(max - prefix);
    // Old entries that end inside the common prefix are unchanged.
    let ends_in_prefix = |i: usize| {
        let end = old.starts.get(i + 1).copied().unwrap_or(old_data.len());
        end <= prefix
    };
    let k = {
        let (mut lo, mut hi) = (0, old.starts.len());
        while lo < hi {
            let mid = (lo + hi) / 2;
            if ends_in_prefix(mid) {
                lo = mid + 1
            } else {
                hi = mid
            }
        }
        lo
    };
    let start = old.starts.get(k).copied().unwrap_or(old_data.len());
    let shift = new.len() as isize - old_data.len() as isize;
    let suffix_from = old_data.len() - suffix;
    // Parse the new tree from `start` until it reaches an old entry start
    // inside the common suffix (shifted): from there both parse the same.
    let mut new_middle = Vec::new();
    let mut at = start;
    let sync = loop {
        let old_at = at as isize - shift;
        if old_at >= suffix_from as isize
            && let Ok(j) = old.starts.binary_search(&(old_at as usize))
        {
            break j;
        }
        if at >= new.len() {
            break old.starts.len();
        }
        match entry_at(new, at) {
            Some(entry) => {
                new_middle.push((at, entry));
                at = entry.end;
            }
            None => break old.starts.len(),
        }
    };
    let old_middle: Vec<RawEntry<'_>> = old.starts[k..sync.max(k)]
        .iter()
        .filter_map(|&s| entry_at(old_data, s))
        .collect();
    let mut starts = Vec::with_capacity(old.starts.len() + 4);
    starts.extend_from_slice(&old.starts[..k]);
    starts.extend(new_middle.iter().map(|(s, _)| *s));
    starts.extend(
        old.starts[sync.max(k)..]
            .iter()
            .map(|&s| (s as isize + shift) as usize),
    );
    let mut changes = Vec::new();
    let (mut i, mut j) = (0, 0);
    while i < old_middle.len() || j < new_middle.len() {
        let order = match (old_middle.get(i), new_middle.get(j)) {
            (Some(a), Some((_, b))) => a.cmp_key(b),
            (Some(_), None) => std::cmp::Ordering::Less,
            _ => std::cmp::Ordering::Greater,
        };
        match order {
            std::cmp::Ordering::Less => {
                let a = old_middle[i];
                changes.push((a.name, None));
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                let (_, b) = new_middle[j];
                changes.push((b.name, Some(b)));
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                let a = old_middle[i];
                let (_, b) = new_middle[j];
                if a.id != b.id || a.mode != b.mode {
                    changes.push((b.name, Some(b)));
                }
                i += 1;
                j += 1;
            }
        }
    }
    // Names whose kind changed (file <-> tree) appear twice; that is fine:
    // the caller only keeps vendor files.
    (changes, starts)
}

/// Whether a register dir entry name is a vendor file (`<id>.toml`).
fn vendor_name(name: &[u8]) -> Option<&str> {
    let name = std::str::from_utf8(name).ok()?;
    let id = name.strip_suffix(".toml")?;
    crate::register::is_valid_id(id).then_some(name)
}

/// What to walk.
pub struct Plan {
    pub git_dir: std::path::PathBuf,
    /// (commit, root tree, parents) of the commits to walk, oldest first.
    pub commits: Vec<(Oid, Oid, Vec<Oid>)>,
    /// Position on the line of the first of `commits`.
    pub offset: usize,
    /// The register dir's path components.
    pub dir: Vec<String>,
    /// The root tree of the commit before the first one, if any.
    pub before_root: Option<Oid>,
    /// Every commit of the whole line (where merged branches stop).
    pub line: HashSet<Oid>,
}

/// Walks the plan's commits on a thread of its own, sending the register
/// changes of every commit whose register tree differs from its first
/// parent's, in batches.
pub fn spawn(plan: Plan) -> Receiver<Result<Vec<CommitChanges>>> {
    let (tx, rx) = sync_channel(8);
    std::thread::spawn(move || {
        if let Err(e) = walk(&plan, &tx) {
            let _ = tx.send(Err(e));
        }
    });
    rx
}

fn walk(plan: &Plan, tx: &SyncSender<Result<Vec<CommitChanges>>>) -> Result<()> {
    let git = |source| Error::Git {
        doing: "walking the register's history".to_owned(),
        source,
    };
    let (commits, dir, line) = (&plan.commits, &plan.dir, &plan.line);
    let repo = super::open_for_walk(&plan.git_dir)?;
    let odb = repo.odb().map_err(git)?;
    let before = match plan.before_root {
        Some(root) => subtree(&odb, root, dir)?,
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
    let mut batch = Vec::new();
    for (i, (_, root, parents)) in commits.iter().enumerate() {
        let index = plan.offset + i;
        let tree = subtree(&odb, *root, dir)?;
        if tree == prev_tree {
            continue;
        }
        let object = match tree {
            Some(id) => Some(read(&odb, id)?),
            None => None,
        };
        let data: &[u8] = object.as_ref().map(|o| o.data()).unwrap_or_default();
        let old_data: &[u8] = prev_object.as_ref().map(|o| o.data()).unwrap_or_default();
        let (raw, starts) = diff_raw(old_data, &prev_starts, data);
        let mut files = Vec::new();
        for (name, entry) in raw {
            let Some(name) = vendor_name(name) else {
                continue;
            };
            let blob = entry.filter(|e| e.is_file()).map(|entry| entry.oid());
            files.push(FileChange {
                name: name.to_owned(),
                blob,
                content: None,
                authored_in: None,
            });
        }
        // The same name can come twice when its kind changed; keep the last.
        files.dedup_by(|later, earlier| {
            if later.name == earlier.name {
                if later.blob.is_some() {
                    std::mem::swap(later, earlier);
                }
                true
            } else {
                false
            }
        });
        if parents.len() > 1 && !files.is_empty() {
            authored_in(&odb, line, parents, dir, &mut files)?;
        }
        prev_tree = tree;
        prev_starts = starts;
        prev_object = object;
        if !files.is_empty() {
            batch.push(CommitChanges { index, files });
            if batch.len() >= 16 {
                // While the parsing side is behind, read the blobs here
                // instead of waiting: the two threads share the work.
                match tx.try_send(Ok(std::mem::take(&mut batch))) {
                    Ok(()) => {}
                    Err(TrySendError::Full(Ok(mut full))) => {
                        for change in full.iter_mut().flat_map(|c| c.files.iter_mut()) {
                            if let (Some(id), None) = (&change.blob, &change.content) {
                                change.content = Some(read_blob(&odb, id)?);
                            }
                        }
                        if tx.send(Ok(full)).is_err() {
                            return Ok(());
                        }
                    }
                    Err(_) => return Ok(()),
                }
            }
        }
    }
    if !batch.is_empty() {
        let _ = tx.send(Ok(batch));
    }
    Ok(())
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
            source,
        })?;
        read_blob(&odb, id)
    }
}

fn read_blob(odb: &git2::Odb<'_>, id: &Oid) -> Result<Blob> {
    let object = read(odb, *id)?;
    let size = object.data().len() as u64;
    let bytes = (size <= crate::register::MAX_FILE_SIZE).then(|| object.data().to_vec());
    Ok(Blob { bytes, size })
}

/// Entry names with their ids.
type Named = Vec<(String, Oid)>;

/// For each changed file of merge commit `merge`, the commit on the merged
/// branch that last changed it: the first-parent chain of each merged parent
/// is followed, newest first, until it reaches the line (`line`), and the
/// first commit on it whose register entry for the file differs from its
/// parent's is the one.
fn authored_in(
    odb: &git2::Odb<'_>,
    line: &HashSet<Oid>,
    parents: &[Oid],
    dir: &[String],
    files: &mut [FileChange],
) -> Result<()> {
    const MAX_BRANCH: usize = 10_000;
    let mut open: HashMap<String, usize> = files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.name.clone(), i))
        .collect();
    // The ids of the open names in a register tree: one read, and a scan
    // that stops after the last name (entries are sorted).
    let ids = |tree: Option<Oid>, open: &HashMap<String, usize>| -> Result<Named> {
        let mut found = Vec::new();
        let Some(tree) = tree else { return Ok(found) };
        let names: Vec<&[u8]> = open.keys().map(|n| n.as_bytes()).collect();
        let Some(last) = names.iter().max().copied() else {
            return Ok(found);
        };
        let object = read(odb, tree)?;
        let data = object.data();
        let mut at = 0;
        while let Some(entry) = entry_at(data, at) {
            if entry.name > last {
                break;
            }
            if names.contains(&entry.name) {
                found.push((
                    String::from_utf8_lossy(entry.name).into_owned(),
                    entry.oid(),
                ));
            }
            at = entry.end;
        }
        Ok(found)
    };
    for parent in &parents[1..] {
        let mut next = Some(*parent);
        let mut steps = 0;
        // The register tree of `next` and its ids, once known.
        let mut next_tree: Option<(Option<Oid>, Option<Named>)> = None;
        while let Some(id) = next {
            if open.is_empty() || line.contains(&id) || steps >= MAX_BRANCH {
                break;
            }
            steps += 1;
            let commit = parse_commit(id, read(odb, id)?.data()).ok_or_else(|| Error::Git {
                doing: format!("reading commit {}", hex(&id)),
                source: git2::Error::from_str("malformed commit object"),
            })?;
            next = commit.parents.first().copied();
            let (after, after_ids) = match next_tree.take() {
                Some(known) => known,
                None => (subtree(odb, commit.tree, dir)?, None),
            };
            let before = match next {
                Some(p) => match parse_commit(p, read(odb, p)?.data()) {
                    Some(pc) => subtree(odb, pc.tree, dir)?,
                    None => None,
                },
                None => None,
            };
            if after == before {
                next_tree = Some((before, after_ids));
                continue;
            }
            let new_ids = match after_ids {
                Some(ids) => ids,
                None => ids(after, &open)?,
            };
            let old_ids = ids(before, &open)?;
            let lookup = |list: &[(String, Oid)], name: &str| {
                list.iter().find(|(n, _)| n == name).map(|(_, id)| *id)
            };
            let done: Vec<String> = open
                .keys()
                .filter(|name| lookup(&new_ids, name) != lookup(&old_ids, name))
                .cloned()
                .collect();
            for name in done {
                if let Some(i) = open.remove(&name) {
                    files[i].authored_in = Some(id);
                }
            }
            next_tree = Some((before, Some(old_ids)));
        }
    }
    Ok(())
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
            .map(|(n, e)| (String::from_utf8(n.to_vec()).unwrap(), e.is_some()))
            .collect()
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
