//! The peers: the same two programs written for the `ascent` and `crepe` crates.
//!
//! Each function takes the input tuples and returns an [`Outcome`] (the number of
//! derived tuples, and the results to drop once the clock stops); the caller times it. Both crates build their indexes inside `run`, so the timed span
//! covers the same work as Hydro's `run_ticks` on already-pushed inputs.

use crate::{Outcome, Pair};

mod ascent_tc {
    use ascent::ascent;

    ascent! {
        /// Transitive closure in ascent.
        pub struct Closure;
        relation edge(u64, u64);
        relation path(u64, u64);
        path(x, y) <-- edge(x, y);
        path(x, z) <-- path(x, y), edge(y, z);
    }
}

mod ascent_sg {
    use ascent::ascent;

    ascent! {
        /// Same generation in ascent.
        pub struct Generation;
        relation parent(u64, u64);
        relation sg(u64, u64);
        sg(x, y) <-- parent(x, p), parent(y, p), if x != y;
        sg(x, y) <-- parent(x, a), sg(a, b), parent(y, b);
    }
}

mod crepe_tc {
    use crepe::crepe;

    crepe! {
        @input
        pub struct Edge(pub u64, pub u64);

        @output
        pub struct Path(pub u64, pub u64);

        Path(x, y) <- Edge(x, y);
        Path(x, z) <- Path(x, y), Edge(y, z);
    }
}

mod crepe_sg {
    use crepe::crepe;

    crepe! {
        @input
        pub struct Parent(pub u64, pub u64);

        @output
        pub struct Sg(pub u64, pub u64);

        Sg(x, y) <- Parent(x, p), Parent(y, p), (x != y);
        Sg(x, y) <- Parent(x, a), Sg(a, b), Parent(y, b);
    }
}

/// Transitive closure with ascent; returns the `path` tuples.
pub fn ascent_closure(edges: Vec<Pair>) -> Outcome {
    let mut program = ascent_tc::Closure::default();
    program.edge = edges;
    program.run();
    Outcome::new(program.path.len(), program)
}

/// Same generation with ascent; returns the `sg` tuples.
pub fn ascent_generation(parents: Vec<Pair>) -> Outcome {
    let mut program = ascent_sg::Generation::default();
    program.parent = parents;
    program.run();
    Outcome::new(program.sg.len(), program)
}

/// Transitive closure with crepe; returns the `Path` tuples.
pub fn crepe_closure(edges: Vec<Pair>) -> Outcome {
    let mut runtime = crepe_tc::Crepe::new();
    runtime.extend(edges.into_iter().map(|(a, b)| crepe_tc::Edge(a, b)));
    let (paths,) = runtime.run();
    Outcome::new(paths.len(), paths)
}

/// Same generation with crepe; returns the `Sg` tuples.
pub fn crepe_generation(parents: Vec<Pair>) -> Outcome {
    let mut runtime = crepe_sg::Crepe::new();
    runtime.extend(parents.into_iter().map(|(a, b)| crepe_sg::Parent(a, b)));
    let (sgs,) = runtime.run();
    Outcome::new(sgs.len(), sgs)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn peers_agree_on_a_small_closure() {
        // A chain 0 -> 1 -> 2 -> 3 and a cycle 4 <-> 5: 6 + 4 pairs.
        let edges = vec![(0, 1), (1, 2), (2, 3), (4, 5), (5, 4)];
        assert_eq!(ascent_closure(edges.clone()).tuples, 10);
        assert_eq!(crepe_closure(edges).tuples, 10);
    }

    #[test]
    fn peers_agree_on_a_small_generation() {
        // 1 and 2 are children of 0; 3 of 1 and 4 of 2: sg = {1,2}^2 and {3,4}^2 off
        // the diagonal.
        let parents = vec![(1, 0), (2, 0), (3, 1), (4, 2)];
        assert_eq!(ascent_generation(parents.clone()).tuples, 4);
        assert_eq!(crepe_generation(parents).tuples, 4);
    }
}
