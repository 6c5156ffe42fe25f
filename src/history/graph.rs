//! Git's commit-graph file (`objects/info/commit-graph`, or a split chain
//! under `objects/info/commit-graphs/`): for every commit it records the
//! root tree, the parents and the commit time, so the first-parent line can
//! be read without inflating a single commit object. Format:
//! <https://git-scm.com/docs/gitformat-commit-graph>.
//!
//! Only used where git itself would use it: not in shallow clones, nor with
//! grafts or replace refs, nor with `core.commitGraph = false`. The graph is
//! a cache; the walk re-reads every commit object it reports on and checks
//! it against what the graph said.

use crate::commit::Oid;
use std::path::{Path, PathBuf};

/// Parent positions with this value mean "no parent".
const NO_PARENT: u32 = 0x7000_0000;
/// In the second parent slot: the rest are in the extra-edges list.
const EXTRA_EDGES: u32 = 0x8000_0000;

/// One graph file's commits.
struct Layer {
    data: Vec<u8>,
    /// Commits in this layer.
    count: usize,
    /// Commits in the layers below (the global position of local index 0).
    base: usize,
    fanout: usize,
    oids: usize,
    cdat: usize,
    edges: Option<usize>,
}

/// A commit as the graph records it.
pub struct GraphCommit {
    pub tree: Oid,
    /// Every parent (first parent first).
    pub parents: Vec<Oid>,
    /// Committer time, seconds since the epoch.
    pub time: i64,
}

/// The commit-graph of one repository: a single file or a chain of layers.
pub struct Graph {
    layers: Vec<Layer>,
    /// The file (or the chain file) it was read from, for messages.
    path: PathBuf,
}

impl Graph {
    /// Opens the commit-graph under `objects` (the repository's objects
    /// directory); `None` when there is none or it cannot be understood.
    pub fn open(objects: &Path) -> Option<Graph> {
        let info = objects.join("info");
        let single = info.join("commit-graph");
        if let Some(layer) = std::fs::read(&single)
            .ok()
            .and_then(|data| Layer::parse(data, 0))
        {
            return Some(Graph {
                layers: vec![layer],
                path: single,
            });
        }
        // A split graph: commit-graphs/commit-graph-chain lists the layers,
        // the base first.
        let dir = info.join("commit-graphs");
        let chain = std::fs::read_to_string(dir.join("commit-graph-chain")).ok()?;
        let mut layers: Vec<Layer> = Vec::new();
        for hash in chain.lines().map(str::trim).filter(|l| !l.is_empty()) {
            let base = layers.last().map_or(0, |l| l.base + l.count);
            let data = std::fs::read(dir.join(format!("graph-{hash}.graph"))).ok()?;
            layers.push(Layer::parse(data, base)?);
        }
        (!layers.is_empty()).then_some(Graph {
            layers,
            path: dir.join("commit-graph-chain"),
        })
    }

    /// How many commits the graph records.
    pub fn len(&self) -> usize {
        self.layers.iter().map(|l| l.count).sum()
    }

    /// Whether the graph records no commit.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The error for a graph found to be corrupt.
    pub fn corrupt(&self, what: &str) -> crate::error::Error {
        crate::error::Error::CorruptGraph {
            path: self.path.clone(),
            what: what.to_owned(),
        }
    }

    /// The commit `id`, if the graph has it.
    pub fn commit(&self, id: &Oid) -> Option<GraphCommit> {
        let (layer, index) = self.find(id)?;
        layer.commit(index, self)
    }

    fn find(&self, id: &Oid) -> Option<(&Layer, usize)> {
        self.layers
            .iter()
            .find_map(|layer| layer.find(id).map(|index| (layer, index)))
    }

    /// The id of the commit at a global position.
    fn oid_at(&self, position: usize) -> Option<Oid> {
        let layer = self
            .layers
            .iter()
            .find(|l| position >= l.base && position < l.base + l.count)?;
        layer.oid(position - layer.base)
    }
}

fn be32(data: &[u8], at: usize) -> Option<u32> {
    let bytes = data.get(at..at + 4)?;
    Some(u32::from_be_bytes(bytes.try_into().ok()?))
}

fn be64(data: &[u8], at: usize) -> Option<u64> {
    let bytes = data.get(at..at + 8)?;
    Some(u64::from_be_bytes(bytes.try_into().ok()?))
}

impl Layer {
    /// Checks the header and finds the chunks; `None` for anything but a
    /// version 1, SHA-1 graph whose chunks lie inside the file.
    fn parse(data: Vec<u8>, base: usize) -> Option<Layer> {
        if data.get(..6)? != b"CGPH\x01\x01" {
            return None;
        }
        let chunks = usize::from(*data.get(6)?);
        let (mut fanout, mut oids, mut cdat, mut edges) = (None, None, None, None);
        let mut table = Vec::new();
        for i in 0..=chunks {
            let at = 8 + 12 * i;
            let id = data.get(at..at + 4)?;
            let offset = usize::try_from(be64(&data, at + 4)?).ok()?;
            table.push((id, offset));
        }
        for pair in table.windows(2) {
            let ((id, start), (_, end)) = (pair[0], pair[1]);
            if start > end || end > data.len() {
                return None;
            }
            match id {
                b"OIDF" => fanout = Some((start, end - start)),
                b"OIDL" => oids = Some((start, end - start)),
                b"CDAT" => cdat = Some((start, end - start)),
                b"EDGE" => edges = Some(start),
                _ => {}
            }
        }
        let (fanout, fanout_len) = fanout?;
        let (oids, oids_len) = oids?;
        let (cdat, cdat_len) = cdat?;
        if fanout_len != 256 * 4 {
            return None;
        }
        let count = usize::try_from(be32(&data, fanout + 255 * 4)?).ok()?;
        if oids_len != count * 20 || cdat_len != count * 36 {
            return None;
        }
        Some(Layer {
            data,
            count,
            base,
            fanout,
            oids,
            cdat,
            edges,
        })
    }

    fn oid(&self, index: usize) -> Option<Oid> {
        let at = self.oids + index * 20;
        self.data.get(at..at + 20)?.try_into().ok()
    }

    /// Binary search within the fanout bucket of the first byte.
    fn find(&self, id: &Oid) -> Option<usize> {
        let first = usize::from(id[0]);
        let lo = match first {
            0 => 0,
            _ => usize::try_from(be32(&self.data, self.fanout + (first - 1) * 4)?).ok()?,
        };
        let hi = usize::try_from(be32(&self.data, self.fanout + first * 4)?).ok()?;
        let (mut lo, mut hi) = (lo, hi.min(self.count));
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            match self.oid(mid)?.cmp(id) {
                std::cmp::Ordering::Less => lo = mid + 1,
                std::cmp::Ordering::Greater => hi = mid,
                std::cmp::Ordering::Equal => return Some(mid),
            }
        }
        None
    }

    fn commit(&self, index: usize, graph: &Graph) -> Option<GraphCommit> {
        let at = self.cdat + index * 36;
        let tree: Oid = self.data.get(at..at + 20)?.try_into().ok()?;
        let first = be32(&self.data, at + 20)?;
        let second = be32(&self.data, at + 24)?;
        let time = be64(&self.data, at + 28)? & ((1 << 34) - 1);
        let position = |p: u32| graph.oid_at(usize::try_from(p).ok()?);
        let mut parents = Vec::new();
        if first != NO_PARENT {
            parents.push(position(first)?);
        }
        if second & EXTRA_EDGES != 0 {
            // An octopus merge: the other parents are listed in EDGE, the
            // last one marked by the high bit.
            let mut at = self.edges? + usize::try_from(second & !EXTRA_EDGES).ok()? * 4;
            loop {
                let edge = be32(&self.data, at)?;
                parents.push(position(edge & !EXTRA_EDGES)?);
                if edge & EXTRA_EDGES != 0 {
                    break;
                }
                at += 4;
            }
        } else if second != NO_PARENT {
            parents.push(position(second)?);
        }
        Some(GraphCommit {
            tree,
            parents,
            time: i64::try_from(time).ok()?,
        })
    }
}
