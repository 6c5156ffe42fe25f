//! The git library's error, kept as the cause of a subledger error without
//! the rest of the program naming the library.

/// An error of the git library, kept as the cause of an `crate::Error`.
#[derive(Debug)]
pub struct GitError(git2::Error);

impl std::fmt::Display for GitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for GitError {}

impl From<git2::Error> for GitError {
    fn from(e: git2::Error) -> Self {
        GitError(e)
    }
}
