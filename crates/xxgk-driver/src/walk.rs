//! Which files a run takes: the files named, and the report files below the folders named.

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

/// The report files at `path`: the file itself, or every report file below a folder (sorted,
/// recursively), leaving out the folders in `skip`.
pub fn collect(path: &Path, skip: &[PathBuf], out: &mut Vec<PathBuf>) -> io::Result<()> {
    if std::fs::metadata(path)?.is_file() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = std::fs::read_dir(path)?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .collect();
    entries.sort();
    for entry in entries {
        if skip.contains(&entry) {
            continue;
        }
        if entry.is_dir() {
            collect(&entry, skip, out)?;
        } else if is_report_file(&entry) {
            out.push(entry);
        }
    }
    Ok(())
}
