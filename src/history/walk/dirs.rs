//! Where the register dir is at each commit of the walk.

use super::objects::read_kind;
use super::tree::{lookup, subtree};
use crate::commit::Oid;
use crate::error::Result;

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
pub(super) struct Dirs<'r> {
    pub(super) rule: &'r DirRule,
    pub(super) config: Option<Oid>,
    pub(super) dir: Vec<String>,
}

impl<'r> Dirs<'r> {
    pub(super) fn new(rule: &'r DirRule) -> Self {
        Dirs {
            rule,
            config: None,
            dir: rule.tip.clone(),
        }
    }

    /// The register tree at the commit whose root tree is `root`.
    pub(super) fn tree(&mut self, odb: &git2::Odb<'_>, root: Oid) -> Result<Option<Oid>> {
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
