//! The lines `subledger release` writes at the end of a release's tag
//! message, git trailer style, which verify, audit and the timeline read
//! back: `Release-Date`, `Effective-Date`, `Register-Tree` and
//! `Previous-Release`.

/// The release lines of one tag message. Each is `None` when the message
/// has no such line (a tag not made by `subledger release`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Trailers {
    /// `Release-Date: YYYY-MM-DD`.
    pub release_date: Option<String>,
    /// `Effective-Date: YYYY-MM-DD`: when changes that need notice take effect.
    pub effective_date: Option<String>,
    /// `Register-Tree: <tree id>`: the register dir's tree at the release.
    pub register_tree: Option<String>,
    /// `Previous-Release: <name> <commit>`, or `none` for the first.
    pub previous_release: Option<String>,
}

/// The keys, in the order they are written.
const KEYS: [&str; 4] = [
    "Release-Date:",
    "Effective-Date:",
    "Register-Tree:",
    "Previous-Release:",
];

impl Trailers {
    /// Reads the lines from a tag message: the first line starting with
    /// each key, its value trimmed.
    pub fn parse(message: &str) -> Trailers {
        let value = |key: &str| {
            message
                .lines()
                .find_map(|l| l.strip_prefix(key))
                .map(|v| v.trim().to_owned())
        };
        Trailers {
            release_date: value(KEYS[0]),
            effective_date: value(KEYS[1]),
            register_tree: value(KEYS[2]),
            previous_release: value(KEYS[3]),
        }
    }

    /// The lines, in the order `subledger release` writes them, each
    /// ending in a newline; absent ones are left out.
    pub fn write(&self) -> String {
        let values = [
            &self.release_date,
            &self.effective_date,
            &self.register_tree,
            &self.previous_release,
        ];
        KEYS.iter()
            .zip(values)
            .filter_map(|(key, value)| value.as_ref().map(|v| format!("{key} {v}\n")))
            .collect()
    }

    /// `Previous-Release` as (name, commit): `("none", "")` for the first
    /// release; `None` without the line.
    pub fn previous(&self) -> Option<(&str, &str)> {
        let mut parts = self.previous_release.as_deref()?.split_whitespace();
        Some((
            parts.next().unwrap_or_default(),
            parts.next().unwrap_or_default(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_lines_read_back() {
        let trailers = Trailers {
            release_date: Some("2026-03-01".into()),
            effective_date: Some("2026-03-31".into()),
            register_tree: Some("4b825dc642cb6eb9a060e54bf8d69288fbee4904".into()),
            previous_release: Some("subprocessors/2025-12-15 0123abcd".into()),
        };
        let text = trailers.write();
        assert_eq!(
            text,
            "Release-Date: 2026-03-01\nEffective-Date: 2026-03-31\nRegister-Tree: 4b825dc642cb6eb9a060e54bf8d69288fbee4904\nPrevious-Release: subprocessors/2025-12-15 0123abcd\n"
        );
        let message = format!("Sub-processor list x\n\nReleased.\n\n{text}");
        assert_eq!(Trailers::parse(&message), trailers);
        assert_eq!(
            trailers.previous(),
            Some(("subprocessors/2025-12-15", "0123abcd"))
        );
        assert_eq!(Trailers::parse("no lines").previous(), None);
        assert_eq!(
            Trailers::parse("Previous-Release: none\n").previous(),
            Some(("none", ""))
        );
    }
}
