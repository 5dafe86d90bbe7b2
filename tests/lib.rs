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

/// The path of the `hydro` binary of this build, after asking cargo to bring it up to
/// date (a no-op taking a fraction of a second when it is, and the only sure way not to
/// test a stale binary when only this crate's tests were rebuilt).
pub fn hydro_bin() -> &'static Path {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| {
        // Test executables live in `<target>/<profile>/deps/`; binaries one level up.
        let exe = std::env::current_exe().expect("the test knows its own path");
        let profile_dir = exe.parent().and_then(Path::parent).expect("target layout");
        let mut cargo = Command::new(env!("CARGO"));
        cargo.args(["build", "--quiet", "-p", "hydro-compiler", "--bin", "hydro"]);
        if profile_dir.file_name().is_some_and(|n| n == "release") {
            cargo.arg("--release");
        }
        let status = cargo.current_dir(repo_root()).status().expect("cargo runs");
        assert!(status.success(), "building the hydro binary failed");
        let bin = profile_dir.join(format!("hydro{}", std::env::consts::EXE_SUFFIX));
        bin
    })
}
