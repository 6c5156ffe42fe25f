//! A commit as the ledger and its documents see it: plain data, with no
//! git library behind it. `history` reads these from the object store; the
//! ledger keeps them on its line; renderers show them.

/// A 20-byte object id (SHA-1).
pub type Oid = [u8; 20];

/// The hex form of an object id.
pub fn hex(oid: &Oid) -> String {
    let mut out = String::with_capacity(40);
    for b in oid {
        out.push_str(&format!("{b:02x}"));
    }
    out
}

/// A full hexadecimal object id as bytes; `None` if it is not one.
pub fn parse_oid(text: &str) -> Option<Oid> {
    let bytes = text.as_bytes();
    if bytes.len() != 40 {
        return None;
    }
    let mut out = [0u8; 20];
    for (i, pair) in bytes.chunks(2).enumerate() {
        let digit = |b: u8| char::from(b).to_digit(16);
        out[i] = u8::try_from(digit(pair[0])? * 16 + digit(pair[1])?).ok()?;
    }
    Some(out)
}

/// A commit id shortened for people (its first ten hex digits).
pub fn short(id: &str) -> &str {
    id.get(..10).unwrap_or(id)
}

/// A resolved revision.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Revision {
    /// What the user asked for.
    pub spec: String,
    /// The full commit id.
    pub commit: String,
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

/// A commit of the first-parent line.
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_go_to_hex_and_back() {
        let id: Oid = std::array::from_fn(|i| (i * 13) as u8);
        let text = hex(&id);
        assert_eq!(text.len(), 40);
        assert_eq!(parse_oid(&text), Some(id));
        assert_eq!(parse_oid(&text.to_uppercase()), Some(id));
        assert_eq!(parse_oid(&text[..39]), None);
        assert_eq!(parse_oid(&format!("{}g", &text[..39])), None);
        assert_eq!(short(&text), &text[..10]);
    }
}
