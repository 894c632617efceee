//! Writing files atomically: into a temporary file beside the target, renamed into place, so a
//! reader never sees half a file; never over an input.

use crate::ExportError;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Write `bytes` to `target` atomically, refusing when `target` is one of `inputs`.
///
/// ```
/// let dir = std::env::temp_dir().join(format!("xxgk-write-doc-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// let out = dir.join("a.txt");
/// xxgk_export::write::atomic(&out, b"hello", &[]).unwrap();
/// assert_eq!(std::fs::read(&out).unwrap(), b"hello");
/// assert!(xxgk_export::write::atomic(&out, b"x", &[out.clone()]).is_err());
/// std::fs::remove_dir_all(&dir).ok();
/// ```
pub fn atomic(target: &Path, bytes: &[u8], inputs: &[PathBuf]) -> Result<(), ExportError> {
    let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
    let t = canonical(target);
    if inputs.iter().any(|i| canonical(i) == t) {
        return Err(ExportError::WouldOverwriteInput(target.to_path_buf()));
    }
    let dir = target
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let name = target.file_name().and_then(|n| n.to_str()).unwrap_or("out");
    // A temporary file of a unique name in the target's folder (so the rename stays on one
    // file system), removed if anything fails before it is persisted.
    let prefix = format!(".{name}.");
    let mut builder = tempfile::Builder::new();
    builder.prefix(&prefix).suffix(".tmp");
    // The permissions a new file gets (0666 less the umask), not tempfile's private 0600.
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o666));
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(bytes)?;
    tmp.as_file().sync_all()?;
    tmp.persist(target).map_err(|e| ExportError::Io(e.error))?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn threads_writing_one_target_never_collide() {
        let dir = std::env::temp_dir().join(format!("xxgk-write-race-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let target = dir.join("same.txt");
        std::thread::scope(|s| {
            for t in 0..4u8 {
                let target = &target;
                s.spawn(move || {
                    for _ in 0..25 {
                        atomic(target, &[b'a' + t; 1000], &[]).unwrap();
                    }
                });
            }
        });
        let bytes = std::fs::read(&target).unwrap();
        assert_eq!(bytes.len(), 1000);
        assert!(bytes.iter().all(|&b| b == bytes[0]));
        // No temporary file left behind.
        assert_eq!(std::fs::read_dir(&dir).unwrap().count(), 1);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let plain = dir.join("plain.txt");
            std::fs::File::create(&plain).unwrap();
            let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
            assert_eq!(mode(&target), mode(&plain), "as a new file would have");
        }
        std::fs::remove_dir_all(&dir).ok();
    }
}
