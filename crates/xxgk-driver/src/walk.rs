//! Which files a run takes: the files named, and the report files below the folders named.

use crate::Files;
use std::io;
use std::path::{Path, PathBuf};

/// Files a folder walk takes as reports: canonical `.json`, and the endings of the formats the
/// parser reads ([`xxgk_parse::extensions`]: text, HTML, Markdown, Word `.docx`, …; a format
/// added to the parser's registry joins by itself). `README.md` files are documentation, not
/// reports.
pub fn is_report_file(path: &Path) -> bool {
    let readme = path
        .file_stem()
        .and_then(|s| s.to_str())
        .is_some_and(|s| s.eq_ignore_ascii_case("readme"));
    !readme
        && path.extension().and_then(|e| e.to_str()).is_some_and(|e| {
            e.eq_ignore_ascii_case("json")
                || xxgk_parse::extensions().any(|x| e.eq_ignore_ascii_case(x))
        })
}

/// The report files at `path`: the file itself, or every report file below a folder (sorted
/// by name, depth first, recursively), leaving out the folders in `skip`.
///
/// Symbolic links to folders are followed, with walkdir's loop detection: a link back to a
/// folder being walked is not walked again. A link whose target is missing is taken like a
/// file (and reported as unreadable when checked); any other error reading a folder is
/// returned.
pub fn collect(path: &Path, skip: &[PathBuf], out: &mut Files) -> io::Result<()> {
    if std::fs::metadata(path)?.is_file() {
        out.push(path);
        return Ok(());
    }
    // Unsorted, then the paths sorted: walkdir sorts by reading a whole folder's entries
    // first, which for a folder of many thousand reports held more than the paths themselves.
    // Paths compare component by component, so this is walkdir's order (depth first, names
    // sorted in each folder). They are packed once sorted, when they share the most.
    let mut found = Vec::new();
    let walk = walkdir::WalkDir::new(path)
        .follow_links(true)
        .min_depth(1)
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !skip.iter().any(|s| s == e.path()));
    for entry in walk {
        match entry {
            Ok(e) if e.file_type().is_dir() => {}
            Ok(e) => {
                if is_report_file(e.path()) {
                    found.push(e.into_path());
                }
            }
            // A link back to a folder being walked: already walked.
            Err(e) if e.loop_ancestor().is_some() => {}
            // A dangling link: a file that cannot be read, as before.
            Err(e)
                if e.depth() > 0
                    && e.io_error().map(io::Error::kind) == Some(io::ErrorKind::NotFound)
                    && e.path()
                        .is_some_and(|p| p.is_symlink() && is_report_file(p)) =>
            {
                found.extend(e.path().map(Path::to_path_buf));
            }
            Err(e) => return Err(e.into()),
        }
    }
    found.sort_unstable();
    out.extend(found);
    out.shrink_to_fit();
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn a_symlinked_folder_loop_is_walked_once() {
        let dir = std::env::temp_dir().join(format!("xxgk-walk-loop-{}", std::process::id()));
        std::fs::remove_dir_all(&dir).ok();
        std::fs::create_dir_all(dir.join("a/b")).unwrap();
        std::fs::write(dir.join("a/b/r.json"), "{}").unwrap();
        std::fs::write(dir.join("a/notes.bin"), "").unwrap();
        std::os::unix::fs::symlink(dir.join("a"), dir.join("a/b/up")).unwrap();
        std::os::unix::fs::symlink(dir.join("gone.txt"), dir.join("a/dangling.txt")).unwrap();
        let mut found = Files::new();
        collect(&dir, &[], &mut found).unwrap();
        let names: Vec<String> = found
            .iter()
            .map(|p| p.strip_prefix(&dir).unwrap().display().to_string())
            .collect();
        assert_eq!(names, ["a/b/r.json", "a/dangling.txt"]);
        let mut skipped = Files::new();
        collect(&dir, &[dir.join("a/b")], &mut skipped).unwrap();
        assert_eq!(skipped, Files::from(vec![dir.join("a/dangling.txt")]));
        std::fs::remove_dir_all(&dir).ok();
    }

    #[test]
    fn files_come_depth_first_with_names_sorted_in_each_folder() {
        let dir = std::env::temp_dir().join(format!("xxgk-walk-order-{}", std::process::id()));
        std::fs::remove_dir_all(&dir).ok();
        // Byte order of whole paths would put `a-b/…` and `a.txt` before `a/…` ('/' sorts
        // after '-' and '.'); a folder's files come where its name sorts.
        for file in [
            "b.txt",
            "a.txt",
            "a-b/y.txt",
            "a/x.txt",
            "a/c/z.txt",
            "a/b.txt",
        ] {
            let path = dir.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "").unwrap();
        }
        let mut found: Files = ["kept-first"].into_iter().collect();
        collect(&dir, &[], &mut found).unwrap();
        let names: Vec<String> = found
            .iter()
            .skip(1)
            .map(|p| p.strip_prefix(&dir).unwrap().display().to_string())
            .collect();
        assert_eq!(
            names,
            [
                "a/b.txt",
                "a/c/z.txt",
                "a/x.txt",
                "a-b/y.txt",
                "a.txt",
                "b.txt"
            ]
        );
        assert_eq!(found.get(0), Some(PathBuf::from("kept-first")));
        std::fs::remove_dir_all(&dir).ok();
    }
}
