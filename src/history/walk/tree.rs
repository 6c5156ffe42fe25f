//! Raw tree objects: entries parsed in place, subtrees looked up by path,
//! and consecutive register trees diffed by their bytes (identical runs
//! skipped at `memcmp` speed, the rest merge-joined).

use super::changes::FileChange;
use super::objects::read_kind;
use crate::commit::Oid;
use crate::error::Result;

/// One entry of a raw tree object.
#[derive(Clone, Copy, Debug)]
pub(super) struct RawEntry<'a> {
    pub(super) mode: &'a [u8],
    pub(super) name: &'a [u8],
    pub(super) id: &'a [u8],
    pub(super) end: usize,
}

impl RawEntry<'_> {
    pub(super) fn is_tree(&self) -> bool {
        self.mode == b"40000"
    }

    pub(super) fn is_file(&self) -> bool {
        matches!(self.mode, b"100644" | b"100755" | b"100664")
    }

    pub(super) fn oid(&self) -> Oid {
        let mut out = [0u8; 20];
        out.copy_from_slice(self.id);
        out
    }

    /// Git orders tree entries as if a subtree's name ended in `/`.
    pub(super) fn cmp_key(&self, other: &RawEntry<'_>) -> std::cmp::Ordering {
        if !self.is_tree() && !other.is_tree() {
            return self.name.cmp(other.name);
        }
        let a = self.name.iter().chain(self.is_tree().then_some(&b'/'));
        let b = other.name.iter().chain(other.is_tree().then_some(&b'/'));
        a.cmp(b)
    }
}

/// Parses the tree entry starting at `at`.
pub(super) fn entry_at(data: &[u8], at: usize) -> Option<RawEntry<'_>> {
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
pub(crate) fn subtree(odb: &git2::Odb<'_>, root: Oid, path: &[String]) -> Result<Option<Oid>> {
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
pub(super) fn lookup(
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

/// A name that differs between two trees, with its old entry (`None` when
/// added) and its new entry (`None` when deleted).
pub(super) type RawChange<'n> = (&'n [u8], Option<RawEntry<'n>>, Option<RawEntry<'n>>);

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
pub(super) fn entry_starts(data: &[u8]) -> Vec<usize> {
    let mut starts = Vec::new();
    let mut at = 0;
    while let Some(entry) = entry_at(data, at) {
        starts.push(at);
        at = entry.end;
    }
    starts
}

pub(super) fn word(data: &[u8], at: usize) -> u64 {
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&data[at..at + 8]);
    u64::from_ne_bytes(bytes)
}

/// The length of the common prefix of `a` and `b`: compared in blocks of
/// 256 bytes (a `memcmp` each), then words, then bytes.
pub(super) fn common_prefix(a: &[u8], b: &[u8]) -> usize {
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
pub(super) fn diff_raw<'n>(
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
pub(crate) fn tree_changes(old: &[u8], new: &[u8]) -> Vec<DirChange> {
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
pub(super) fn entry_kind(entry: &RawEntry<'_>) -> crate::register::EntryKind {
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
pub(super) fn register_changes(raw: Vec<RawChange<'_>>) -> Vec<FileChange> {
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
