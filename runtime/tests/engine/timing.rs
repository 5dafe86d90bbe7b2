//! A rough timing of transitive closure on a generated graph, to run by hand in
//! release mode; it asserts only that the engine agrees with itself across shapes.
//! The benchmarks that compare engines live in the workspace's `benches/`.

use std::time::Instant;

use crate::joins::{closure_of, Shape};

/// A pseudo-random graph of `edges` edges over `nodes` nodes (a fixed LCG, so every
/// run times the same graph).
fn graph(nodes: u64, edges: usize) -> Vec<(u64, u64)> {
    let mut state: u64 = 42;
    let mut next = || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % nodes
    };
    (0..edges).map(|_| (next(), next())).collect()
}

#[test]
#[ignore = "timing only: cargo test --release -p hydro-runtime --test engine timing -- --ignored --nocapture"]
fn timing_transitive_closure() {
    for (nodes, edges) in [(1_000, 3_000), (10_000, 12_000)] {
        let graph = graph(nodes, edges);
        let mut sizes = Vec::new();
        for shape in [Shape::Left, Shape::Right] {
            let started = Instant::now();
            let closure = closure_of(shape, &graph);
            let elapsed = started.elapsed();
            eprintln!(
                "tc {shape:?}: {nodes} nodes, {edges} edges -> {} tuples in {elapsed:?}",
                closure.len()
            );
            sizes.push(closure.len());
        }
        assert!(sizes.windows(2).all(|w| w[0] == w[1]));
    }
}
