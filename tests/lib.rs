//! Shared support for the workspace's integration tests (the tests themselves are the
//! `[[test]]` targets of this crate): finding the `hydro` binary and the repository.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

/// The repository's root folder.
pub fn repo_root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("tests/ sits in the repository")
}

/// The path of the `hydro` binary of this build, building it first when this test run
/// did not (as when only this crate's tests are run) or when it is older than the test
/// itself (whose build includes the compiler library, so a newer test means the binary
/// may be stale).
pub fn hydro_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        // Test executables live in `<target>/<profile>/deps/`; binaries one level up.
        let exe = std::env::current_exe().expect("the test knows its own path");
        let profile_dir = exe.parent().and_then(Path::parent).expect("target layout");
        let bin = profile_dir.join(format!("hydro{}", std::env::consts::EXE_SUFFIX));
        let modified = |p: &Path| std::fs::metadata(p).and_then(|m| m.modified()).ok();
        let stale = match (modified(&bin), modified(&exe)) {
            (Some(bin_time), Some(exe_time)) => bin_time < exe_time,
            _ => true,
        };
        if stale {
            let release = profile_dir.file_name().is_some_and(|n| n == "release");
            let mut cargo = Command::new(env!("CARGO"));
            cargo.args(["build", "-p", "hydro-compiler", "--bin", "hydro"]);
            if release {
                cargo.arg("--release");
            }
            let status = cargo.current_dir(repo_root()).status().expect("cargo runs");
            assert!(status.success(), "building the hydro binary failed");
        }
        bin
    })
}
