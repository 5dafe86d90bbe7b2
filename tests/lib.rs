//! Shared support for the workspace's integration tests (the tests themselves are the
//! `[[test]]` targets of this crate).
