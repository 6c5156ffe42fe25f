//! Raw objects: commits parsed from their bytes, blobs read with the
//! size limit, and the errors for objects that should be there and are not.

use crate::commit::{CommitMeta, Oid, Signature, hex};
use crate::error::{Error, Result};

pub(crate) fn to_oid(id: git2::Oid) -> Oid {
    let mut out = [0u8; 20];
    out.copy_from_slice(&id.as_bytes()[..20]);
    out
}

/// A vendor file's new content in one commit.
#[derive(Clone, Debug)]
pub struct Blob {
    /// `None` when the blob is over [`crate::register::MAX_FILE_SIZE`].
    pub bytes: Option<Vec<u8>>,
    pub size: u64,
}

/// Parses a raw commit object.
pub(super) fn parse_commit(id: Oid, data: &[u8]) -> Option<CommitMeta> {
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

pub(super) fn parse_hex(hex: &[u8]) -> Option<Oid> {
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
pub(super) fn read_commit(odb: &git2::Odb<'_>, id: Oid) -> Result<Option<CommitMeta>> {
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

pub(crate) fn read<'o>(odb: &'o git2::Odb<'_>, id: Oid) -> Result<git2::OdbObject<'o>> {
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

/// A line commit's metadata from its object, checked against what the
/// commit-graph said about its tree and parents.
pub(super) fn checked_meta(
    odb: &git2::Odb<'_>,
    id: Oid,
    tree: &Oid,
    parents: &[Oid],
) -> Result<CommitMeta> {
    let meta = commit_meta(odb, id)?;
    if meta.tree != *tree || meta.parents != parents {
        return Err(Error::History {
            what: format!(
                "the commit-graph file disagrees with commit {} about its tree or parents",
                hex(&id)
            ),
            hint: Some("rewrite it with `git commit-graph write --reachable`".to_owned()),
        });
    }
    Ok(meta)
}

/// Reads vendor file blobs, on whichever thread parses them.
pub struct Blobs {
    pub(super) repo: git2::Repository,
}

impl Blobs {
    pub fn open(git_dir: &std::path::Path) -> Result<Blobs> {
        Ok(Blobs {
            repo: crate::history::open_for_walk(git_dir)?,
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

pub(super) fn read_blob(odb: &git2::Odb<'_>, id: &Oid) -> Result<Blob> {
    let object = read_kind(odb, *id, "blob")?;
    let size = object.data().len() as u64;
    let bytes = (size <= crate::register::MAX_FILE_SIZE).then(|| object.data().to_vec());
    Ok(Blob { bytes, size })
}
