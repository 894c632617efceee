//! The files of a run, packed: a run over hundreds of thousands of reports keeps every path to
//! the end (results go out in the order of the files, and the checks across reports name the
//! reports they compare). The paths of a folder walk share most of their bytes with the path
//! before them (the folders, often the start of the name), so each is kept as what it shares
//! with that one and the bytes that differ: a few bytes a file instead of a `PathBuf` (24 bytes
//! and an allocation of the whole path).

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use xxgk_model::varint::{put, take};

/// Every how many paths one is kept whole, so that reading a path decodes at most this many.
const RESTART: usize = 16;

/// A list of paths, front-coded in one buffer: [`Files::push`] them (or collect them from an
/// iterator), read them back by position with [`Files::get`] or in order with [`Files::iter`].
///
/// ```
/// use std::path::PathBuf;
/// use xxgk_driver::Files;
/// let files: Files = ["reports/2023.html", "reports/2024.txt"].into_iter().collect();
/// assert_eq!(files.len(), 2);
/// assert_eq!(files.get(1), Some(PathBuf::from("reports/2024.txt")));
/// assert_eq!(files.iter().last(), Some(PathBuf::from("reports/2024.txt")));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Files {
    /// Per path, as varints, how many leading bytes it shares with the path before it (none
    /// for every [`RESTART`]th) and how many follow, then those bytes; bytes as
    /// [`std::ffi::OsStr::as_encoded_bytes`] gives them.
    bytes: Vec<u8>,
    /// Where every [`RESTART`]th path starts in `bytes`.
    restarts: Vec<usize>,
    len: usize,
    /// The last path pushed, whole.
    last: Vec<u8>,
}

impl Files {
    /// An empty list.
    pub fn new() -> Files {
        Files::default()
    }

    /// Add `path` at the end.
    pub fn push(&mut self, path: impl AsRef<Path>) {
        let path = path.as_ref().as_os_str().as_encoded_bytes();
        let shared = if self.len.is_multiple_of(RESTART) {
            self.restarts.push(self.bytes.len());
            0
        } else {
            self.last
                .iter()
                .zip(path)
                .take_while(|(a, b)| a == b)
                .count()
        };
        let rest = path.get(shared..).unwrap_or_default();
        put(&mut self.bytes, shared as u128);
        put(&mut self.bytes, rest.len() as u128);
        self.bytes.extend_from_slice(rest);
        self.last.clear();
        self.last.extend_from_slice(path);
        self.len += 1;
    }

    /// How many paths the list holds.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the list holds no path.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The `index`th path, if there are that many.
    pub fn get(&self, index: usize) -> Option<PathBuf> {
        if index >= self.len {
            return None;
        }
        let start = *self.restarts.get(index / RESTART)?;
        let mut iter = Iter {
            files: self,
            next: index - index % RESTART,
            at: self.bytes.get(start..)?,
            path: Vec::new(),
        };
        for _ in 0..index % RESTART {
            iter.advance()?;
        }
        iter.next()
    }

    /// The paths, in order.
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            files: self,
            next: 0,
            at: &self.bytes,
            path: Vec::new(),
        }
    }

    /// Give back room the list has no use for.
    pub fn shrink_to_fit(&mut self) {
        self.bytes.shrink_to_fit();
        self.restarts.shrink_to_fit();
        self.last.shrink_to_fit();
    }
}

impl<P: AsRef<Path>> FromIterator<P> for Files {
    fn from_iter<I: IntoIterator<Item = P>>(paths: I) -> Files {
        let mut files = Files::new();
        files.extend(paths);
        files
    }
}

impl<P: AsRef<Path>> Extend<P> for Files {
    fn extend<I: IntoIterator<Item = P>>(&mut self, paths: I) {
        for path in paths {
            self.push(path);
        }
    }
}

impl From<Vec<PathBuf>> for Files {
    fn from(paths: Vec<PathBuf>) -> Files {
        paths.into_iter().collect()
    }
}

impl<'a> IntoIterator for &'a Files {
    type Item = PathBuf;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// The paths of a [`Files`], in order ([`Files::iter`]).
#[derive(Debug, Clone)]
pub struct Iter<'a> {
    files: &'a Files,
    /// The position of the next path.
    next: usize,
    /// Its bytes and those of the paths after it.
    at: &'a [u8],
    /// The path before it, whole.
    path: Vec<u8>,
}

impl Iter<'_> {
    /// Read the next path into `path`.
    fn advance(&mut self) -> Option<()> {
        if self.next >= self.files.len {
            return None;
        }
        let shared = usize::try_from(take(&mut self.at)?).ok()?;
        let len = usize::try_from(take(&mut self.at)?).ok()?;
        let rest = self.at.get(..len)?;
        self.at = self.at.get(len..)?;
        if shared > self.path.len() {
            return None;
        }
        self.path.truncate(shared);
        self.path.extend_from_slice(rest);
        self.next += 1;
        Some(())
    }
}

impl Iterator for Iter<'_> {
    type Item = PathBuf;

    fn next(&mut self) -> Option<PathBuf> {
        self.advance()?;
        // SAFETY: `path` is now exactly the bytes `as_encoded_bytes` gave for a whole path in
        // `push`: the bytes it shared with the path before, then its own. That holds because
        // `Files`' fields are private to this module and `push` alone writes them, and an
        // `Iter` starts at a path kept whole (the first, or a restart: `get`). That is what
        // the call requires (bytes of an `OsStr` from this very build). Nothing may build a
        // `Files` from other bytes.
        let os = unsafe { OsString::from_encoded_bytes_unchecked(self.path.clone()) };
        Some(PathBuf::from(os))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let left = self.files.len.saturating_sub(self.next);
        (left, Some(left))
    }
}

impl ExactSizeIterator for Iter<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_come_back_as_pushed_including_empty_and_non_utf8_ones() {
        let mut paths: Vec<PathBuf> = (0..40)
            .map(|k| PathBuf::from(format!("/tmp/reports/{:05}.html", 997 * k % 1000)))
            .collect();
        paths.extend([
            PathBuf::new(),
            PathBuf::from("中文/报告 2024.txt"),
            PathBuf::from("中文/报告 2023.txt"),
            PathBuf::from("中"),
        ]);
        #[cfg(unix)]
        paths.push(PathBuf::from(
            <std::ffi::OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(b"bad\xff\xfe.txt"),
        ));
        let files = Files::from(paths.clone());
        assert_eq!(files.len(), paths.len());
        assert_eq!(files.iter().len(), paths.len());
        assert_eq!(files.iter().collect::<Vec<_>>(), paths);
        for (k, path) in paths.iter().enumerate() {
            assert_eq!(files.get(k).as_ref(), Some(path), "path {k}");
        }
        assert_eq!(files.get(paths.len()), None);
        assert!(Files::new().is_empty());
        assert_eq!(Files::new().iter().next(), None);
    }

    #[test]
    fn a_sorted_walk_costs_a_few_bytes_a_path() {
        let files: Files = (0..20_000)
            .map(|k| format!("/data/xxgk/corpus/2023/广东省/广州市/report-{k:05}.html"))
            .collect();
        // 57 bytes a path whole; here the name's last digits and the ending, and two counts.
        let per_path = files.bytes.len() as f64 / files.len() as f64;
        assert!(per_path < 16.0, "{per_path} bytes a path");
        assert_eq!(
            files.get(12_345),
            Some(PathBuf::from(
                "/data/xxgk/corpus/2023/广东省/广州市/report-12345.html"
            ))
        );
    }
}
