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
    let mut pending = Pending::new(target, inputs)?;
    pending.write_all(bytes)?;
    pending.persist()
}

/// A path as the file system resolves it (itself when it does not exist yet): what is compared
/// to refuse writing over an input.
pub(crate) fn canonical(p: &Path) -> PathBuf {
    p.canonicalize().unwrap_or_else(|_| p.to_path_buf())
}

/// A file being written bit by bit (a corpus file filled report after report): a temporary
/// file beside `target`, which [`Pending::persist`] puts in place; dropped unpersisted, it is
/// removed and `target` is left as it was.
pub struct Pending {
    target: PathBuf,
    tmp: std::io::BufWriter<tempfile::NamedTempFile>,
}

impl Pending {
    /// Start writing `target`, refusing when it is one of `inputs`.
    pub fn new(target: &Path, inputs: &[PathBuf]) -> Result<Pending, ExportError> {
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
        let tmp = builder.tempfile_in(dir)?;
        Ok(Pending {
            target: target.to_path_buf(),
            tmp: std::io::BufWriter::new(tmp),
        })
    }

    /// The file it will become.
    pub fn target(&self) -> &Path {
        &self.target
    }

    /// Flush, sync and rename the temporary file over the target.
    pub fn persist(self) -> Result<(), ExportError> {
        let tmp = self
            .tmp
            .into_inner()
            .map_err(|e| ExportError::Io(e.into_error()))?;
        tmp.as_file().sync_all()?;
        tmp.persist(&self.target)
            .map_err(|e| ExportError::Io(e.error))?;
        Ok(())
    }
}

impl Write for Pending {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.tmp.write(buf)
    }
    fn write_all(&mut self, buf: &[u8]) -> std::io::Result<()> {
        self.tmp.write_all(buf)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.tmp.flush()
    }
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
