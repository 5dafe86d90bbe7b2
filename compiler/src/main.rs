//! The `hydro` command-line interface.

fn main() {}
