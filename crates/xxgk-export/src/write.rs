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
    let tmp = dir.join(format!(".{name}.{}.tmp", std::process::id()));
    let result = (|| {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(bytes)?;
        f.sync_all()?;
        std::fs::rename(&tmp, target)
    })();
    if result.is_err() {
        std::fs::remove_file(&tmp).ok();
    }
    result.map_err(ExportError::from)
}
