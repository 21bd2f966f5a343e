//! Files that hold personal data are private to the user running kadian: directories it
//! creates are 0700 and files 0600 on unix (Windows keeps the profile's own ACLs: the data dir
//! is under the user's AppData).

use std::fs::{File, OpenOptions};
use std::io;
use std::path::Path;

/// Creates a directory and its missing parents, private (0700) on unix.
pub fn create_dir(path: &Path) -> io::Result<()> {
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut b, 0o700);
    b.create(path)
}

/// Options for a new file readable by the user only (0600 on unix).
pub fn options() -> OpenOptions {
    let mut o = OpenOptions::new();
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut o, 0o600);
    o
}

/// Creates (truncating) a private file for writing.
pub fn create(path: &Path) -> io::Result<File> {
    options().write(true).create(true).truncate(true).open(path)
}

/// Makes an existing file (or a directory and all it holds) private: files 0600, dirs 0700.
/// For files made by code we do not control (sled's, the XLSX writer's).
pub fn restrict(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let meta = std::fs::metadata(path)?;
        if meta.is_dir() {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o700))?;
            for e in std::fs::read_dir(path)? {
                restrict(&e?.path())?;
            }
        } else {
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
        }
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}
