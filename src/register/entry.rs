//! One name in the register dir, from the work tree or a git tree, and
//! what the ledger makes of it: a vendor file, something to ignore, or
//! something it cannot take (named wherever the register is read).

use super::vendor::{is_valid_id, suggest_id};

/// What a directory listing holds at one name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Dir,
    Symlink,
    /// A git submodule, a socket, a device: anything else.
    Other,
}

/// One name in the register dir, from the work tree or a git tree.
#[derive(Clone, Debug)]
pub struct Entry {
    pub name: String,
    pub kind: EntryKind,
    pub size: u64,
    /// The file's bytes; `None` for non-files and for files over [`MAX_FILE_SIZE`].
    pub content: Option<Vec<u8>>,
}

/// What the register dir holds at one name, as the ledger sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Classified<'n> {
    /// `<id>.toml`, a regular file: a vendor.
    Vendor(&'n str),
    /// Not part of the register and harmless: README.md, .gitkeep, and
    /// files that are not `*.toml` (`check` warns about those).
    Ignored,
    /// Something the ledger cannot take: it is named wherever the register
    /// is read (`check` error, `invalid` event, left out of lists).
    Unloadable(Unloadable),
}

/// Why an entry of the register dir cannot be taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Unloadable {
    /// The `check` rule.
    pub rule: &'static str,
    pub message: String,
    pub help: Option<String>,
    /// The vendor whose file this would be (`<id>.toml` that is not a
    /// regular file), if any.
    pub id: Option<String>,
}

/// Classifies one entry of the register dir by its name and kind: the one
/// rule `check`, the lists and the history walk all apply.
pub fn classify(name: &str, kind: EntryKind) -> Classified<'_> {
    if name == "README.md" || name == ".gitkeep" {
        return Classified::Ignored;
    }
    let id = name.strip_suffix(".toml").filter(|id| is_valid_id(id));
    let unloadable = |rule, message: &str, help: Option<String>| {
        Classified::Unloadable(Unloadable {
            rule,
            message: message.to_owned(),
            help,
            id: id.map(str::to_owned),
        })
    };
    match kind {
        EntryKind::File => {}
        EntryKind::Dir => {
            return unloadable(
                "directory",
                "a directory inside the register dir; vendor files are never nested",
                Some("move its vendor files up into the register dir, or move it out".to_owned()),
            );
        }
        EntryKind::Symlink => {
            return unloadable(
                "symlink",
                "a symbolic link; git history cannot track what it points to",
                Some("replace it with the file itself".to_owned()),
            );
        }
        EntryKind::Other => {
            return unloadable(
                "not-a-file",
                "not a regular file (a submodule, socket or device)",
                None,
            );
        }
    }
    let Some(stem) = name.strip_suffix(".toml") else {
        // `zoom.TOML` is a vendor file by intent, not a note beside them:
        // left out silently, it would vanish from every list.
        if let Some((stem, ext)) = name.rsplit_once('.')
            && ext.eq_ignore_ascii_case("toml")
        {
            let lower = stem.to_ascii_lowercase();
            let fixed = if is_valid_id(&lower) {
                Some(lower)
            } else {
                suggest_id(stem)
            };
            return unloadable(
                "bad-file-name",
                &format!("`{name}`: vendor files end in lowercase `.toml`"),
                fixed.map(|s| format!("rename it to {s}.toml")),
            );
        }
        return Classified::Ignored;
    };
    match id {
        Some(id) => Classified::Vendor(id),
        None => unloadable(
            "bad-file-name",
            &format!(
                "`{stem}` is not a valid vendor id: use 1 to 64 lowercase letters, digits and single hyphens"
            ),
            suggest_id(stem).map(|s| format!("rename it to {s}.toml")),
        ),
    }
}
