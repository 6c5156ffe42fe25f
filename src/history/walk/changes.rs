//! What the walk finds: the register entries one commit changed, and
//! where a change that arrived through a merge was made.

use super::objects::Blob;
use crate::commit::Oid;

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
