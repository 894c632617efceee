//! The files of a run, packed: a run over hundreds of thousands of reports keeps every path to
//! the end (results go out in the order of the files, and the checks across reports name the
//! reports they compare), so each path costs its bytes and one offset, not a `PathBuf` of its
//! own (24 bytes and an allocation rounded up).

use std::ffi::OsStr;
use std::path::{Path, PathBuf};

/// A list of paths in one buffer: [`Files::push`] them (or collect them from an iterator),
/// read them back by position with [`Files::get`] or in order with [`Files::iter`].
///
/// ```
/// use std::path::Path;
/// use xxgk_driver::Files;
/// let files: Files = ["b/2023.html", "a/2024.txt"].into_iter().collect();
/// assert_eq!(files.len(), 2);
/// assert_eq!(files.get(1), Some(Path::new("a/2024.txt")));
/// assert_eq!(files.iter().last(), Some(Path::new("a/2024.txt")));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Files {
    /// Every path's bytes ([`OsStr::as_encoded_bytes`]), one after another.
    bytes: Vec<u8>,
    /// Where each path ends in `bytes`.
    ends: Vec<usize>,
}

impl Files {
    /// An empty list.
    pub fn new() -> Files {
        Files::default()
    }

    /// Add `path` at the end.
    pub fn push(&mut self, path: impl AsRef<Path>) {
        self.bytes
            .extend_from_slice(path.as_ref().as_os_str().as_encoded_bytes());
        self.ends.push(self.bytes.len());
    }

    /// How many paths the list holds.
    pub fn len(&self) -> usize {
        self.ends.len()
    }

    /// Whether the list holds no path.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }

    /// The `index`th path, if there are that many.
    pub fn get(&self, index: usize) -> Option<&Path> {
        let end = *self.ends.get(index)?;
        let start = match index.checked_sub(1) {
            Some(before) => *self.ends.get(before)?,
            None => 0,
        };
        let bytes = self.bytes.get(start..end)?;
        // SAFETY: `bytes` are exactly what `as_encoded_bytes` gave for one whole path in
        // `push` (the offsets are only ever those `push` recorded, and `sort_from` moves
        // whole paths), so they are an `OsStr`'s encoding, as the call requires.
        let os = unsafe { OsStr::from_encoded_bytes_unchecked(bytes) };
        Some(Path::new(os))
    }

    /// The paths, in order.
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            files: self,
            next: 0..self.len(),
        }
    }

    /// Sort the paths from position `start` on as [`Path`]s compare (component by component).
    pub(crate) fn sort_from(&mut self, start: usize) {
        if start >= self.len() {
            return;
        }
        let mut order: Vec<usize> = (start..self.len()).collect();
        order.sort_unstable_by(|&a, &b| self.get(a).cmp(&self.get(b)));
        let kept = start
            .checked_sub(1)
            .and_then(|k| self.ends.get(k).copied())
            .unwrap_or(0);
        let mut sorted = Files {
            bytes: Vec::with_capacity(self.bytes.len() - kept),
            ends: Vec::with_capacity(order.len()),
        };
        for k in order {
            if let Some(path) = self.get(k) {
                sorted.push(path);
            }
        }
        self.bytes.truncate(kept);
        self.ends.truncate(start);
        self.bytes.extend_from_slice(&sorted.bytes);
        self.ends.extend(sorted.ends.iter().map(|end| end + kept));
    }

    /// Give back room the list has no use for.
    pub fn shrink_to_fit(&mut self) {
        self.bytes.shrink_to_fit();
        self.ends.shrink_to_fit();
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
    type Item = &'a Path;
    type IntoIter = Iter<'a>;

    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// The paths of a [`Files`], in order ([`Files::iter`]).
#[derive(Debug, Clone)]
pub struct Iter<'a> {
    files: &'a Files,
    /// The positions not yet taken from either end.
    next: std::ops::Range<usize>,
}

impl<'a> Iterator for Iter<'a> {
    type Item = &'a Path;

    fn next(&mut self) -> Option<&'a Path> {
        self.next.next().and_then(|k| self.files.get(k))
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        self.next.size_hint()
    }
}

impl DoubleEndedIterator for Iter<'_> {
    fn next_back(&mut self) -> Option<Self::Item> {
        self.next.next_back().and_then(|k| self.files.get(k))
    }
}

impl ExactSizeIterator for Iter<'_> {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_come_back_as_pushed_including_empty_and_non_utf8_ones() {
        let mut paths = vec![
            PathBuf::from("/tmp/a/00000.html"),
            PathBuf::new(),
            PathBuf::from("中文/报告 2024.txt"),
        ];
        #[cfg(unix)]
        paths.push(PathBuf::from(
            <OsStr as std::os::unix::ffi::OsStrExt>::from_bytes(b"bad\xff\xfe.txt"),
        ));
        let files = Files::from(paths.clone());
        assert_eq!(files.len(), paths.len());
        assert_eq!(files.iter().collect::<Vec<_>>(), paths);
        assert_eq!(files.get(paths.len()), None);
        assert!(Files::new().is_empty());
    }

    #[test]
    fn sorting_from_a_position_leaves_the_paths_before_it() {
        let mut files: Files = ["z", "c/b", "a.txt", "c/a", "a/x"].into_iter().collect();
        files.sort_from(1);
        let sorted: Vec<_> = files.iter().map(|p| p.to_str().unwrap()).collect();
        // Component by component: `a/x` before `a.txt` ('/' ends the first component).
        assert_eq!(sorted, ["z", "a/x", "a.txt", "c/a", "c/b"]);
        files.sort_from(5);
        files.sort_from(9);
        assert_eq!(files.len(), 5);
        files.sort_from(0);
        assert_eq!(files.get(4), Some(Path::new("z")));
    }
}
