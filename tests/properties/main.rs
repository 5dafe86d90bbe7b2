//! Property tests of the whole pipeline (compiler front end, checker, lowering and the
//! interpreter) on random stratified programs over `u64`, `i64` or `string` columns.
//!
//! - [`agreement`]: the engine computes what a small, obviously correct reference
//!   evaluator ([`reference`]) computes, on random programs and inputs, in one tick
//!   and over several ticks with tables, `@next` and `delete`.
//! - [`cli`]: `hydro run`, reading facts files and writing output files, agrees with
//!   the reference too.
//! - [`metamorphic`]: shuffling rule order and body literal order (and declarations
//!   and facts) and renaming variables bijectively never changes the engine's outputs.
//!
//! Case counts are small by default so that CI runs this in seconds; for a longer run,
//! `PROPTEST_CASES=5000 cargo test -p hydro-tests --test properties` (about a minute).
//! A failing case prints the program as Hydro text and its input as facts, shrunk.

mod agreement;
mod cli;
mod engine;
mod generate;
#[cfg(test)]
mod generate_tests;
mod metamorphic;
mod program;
mod reference;
#[cfg(test)]
mod reference_tests;

use proptest::test_runner::Config;

/// Cases per property unless `PROPTEST_CASES` says otherwise.
const DEFAULT_CASES: u32 = 96;

/// The configuration of every property here: bounded cases, and no regression files
/// written into the source tree (a failure found is turned into a named test instead).
pub fn config() -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(DEFAULT_CASES);
    // Shrink far enough for a readable counterexample, but bound the time: a failure
    // that hangs the engine costs the time limit at every step (the environment's
    // PROPTEST_MAX_SHRINK_* settings win).
    let default = Config::default();
    let set = |name: &str| std::env::var(name).is_ok();
    Config {
        cases,
        failure_persistence: None,
        max_shrink_iters: if set("PROPTEST_MAX_SHRINK_ITERS") {
            default.max_shrink_iters
        } else {
            10_000
        },
        max_shrink_time: if set("PROPTEST_MAX_SHRINK_TIME") {
            default.max_shrink_time
        } else {
            120_000
        },
        ..default
    }
}
