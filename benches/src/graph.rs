//! Deterministic input graphs whose results stay in the millions of tuples.
//!
//! A random graph of 10^4 nodes and 5x10^4 edges has a giant strongly connected
//! component and ~10^8 reachable pairs, which measures memory more than evaluation. The
//! shapes here bound the work instead, while keeping recursion deep:
//!
//! - [`closure_graph`]: nodes fall in clusters of consecutive ids; every edge goes from
//!   a node to one of the next `window` nodes of its cluster. Each cluster is a DAG
//!   with long paths (about `cluster / window` rounds of semi-naive evaluation) whose
//!   closure has at most `cluster^2 / 2` pairs.
//! - [`generation_graph`]: nodes fall in layers of `width` consecutive ids; every node
//!   outside the first layer has one tree parent in the layer above (a forest) plus
//!   extra parents, all within `window` positions of its own. Same-generation pairs
//!   stay within a layer, so there are at most `nodes * width` of them, and the
//!   recursion is as deep as there are layers.
//!
//! Generation is seeded with a portable generator (ChaCha8), so a seed names the same
//! graph on every machine and every run.

use std::collections::BTreeSet;

use anyhow::{ensure, Result};
use rand::rngs::ChaCha8Rng;
use rand::{RngExt, SeedableRng};

use crate::Pair;

/// The size and shape of a generated graph.
#[derive(Clone, Copy, Debug)]
pub struct Shape {
    /// The number of nodes (ids `0..nodes`).
    pub nodes: u64,
    /// The number of distinct edges.
    pub edges: u64,
    /// Cluster size (transitive closure) or layer width (same generation).
    pub group: u64,
    /// How far, in ids, an edge may reach.
    pub window: u64,
    /// The generator's seed.
    pub seed: u64,
}

/// The edges of the transitive-closure graph, sorted.
pub fn closure_graph(shape: Shape) -> Result<Vec<Pair>> {
    let Shape {
        nodes,
        edges,
        group: cluster,
        window,
        seed,
    } = shape;
    ensure!(
        cluster >= 2 && window >= 1,
        "clusters need 2 nodes and a window of 1"
    );

    // Every node but the last of its cluster has min(window, nodes left) successors.
    let possible: u64 = (0..nodes)
        .map(|u| window.min(cluster_end(u, cluster, nodes) - u - 1))
        .sum();
    ensure!(
        edges <= possible,
        "{edges} edges do not fit: clusters of {cluster} with window {window} allow {possible}"
    );

    // Draw a source, then a successor within the window and the cluster, until enough
    // distinct edges are drawn.
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut set = BTreeSet::new();
    while (set.len() as u64) < edges {
        let u = rng.random_range(0..nodes);
        let reach = window.min(cluster_end(u, cluster, nodes) - u - 1);
        if reach > 0 {
            set.insert((u, u + rng.random_range(1..=reach)));
        }
    }
    Ok(set.into_iter().collect())
}

/// The `(child, parent)` tuples of the same-generation graph, sorted.
pub fn generation_graph(shape: Shape) -> Result<Vec<Pair>> {
    let Shape {
        nodes,
        edges,
        group: width,
        window,
        seed,
    } = shape;
    ensure!(
        width >= 1 && nodes > width,
        "the layers need a width below the node count"
    );
    let children = nodes - width;
    ensure!(
        edges >= children,
        "{edges} edges cannot give each of the {children} nodes below the first layer a parent"
    );
    let possible: u64 = (width..nodes)
        .map(|c| parent_range(c, width, window).count() as u64)
        .sum();
    ensure!(
        edges <= possible,
        "{edges} edges do not fit: layers of {width} with window {window} allow {possible}"
    );

    // The forest: one tree parent for every node below the first layer.
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut set = BTreeSet::new();
    for child in width..nodes {
        let range = parent_range(child, width, window);
        set.insert((child, rng.random_range(range)));
    }

    // The extra parents, each near the child's position in the layer above.
    while (set.len() as u64) < edges {
        let child = rng.random_range(width..nodes);
        let range = parent_range(child, width, window);
        set.insert((child, rng.random_range(range)));
    }
    Ok(set.into_iter().collect())
}

/// One past the last node of `u`'s cluster.
fn cluster_end(u: u64, cluster: u64, nodes: u64) -> u64 {
    ((u / cluster + 1) * cluster).min(nodes)
}

/// The candidate parents of `child`: the nodes of the layer above within `window`
/// positions of the child's own position.
fn parent_range(child: u64, width: u64, window: u64) -> std::ops::RangeInclusive<u64> {
    let above = child / width - 1;
    let pos = child % width;
    let lo = pos.saturating_sub(window);
    let hi = (pos + window).min(width - 1);
    above * width + lo..=above * width + hi
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(group: u64, window: u64) -> Shape {
        Shape {
            nodes: 1000,
            edges: 5000,
            group,
            window,
            seed: 7,
        }
    }

    #[test]
    fn closure_graph_is_deterministic_and_stays_in_clusters() {
        let a = closure_graph(shape(100, 20)).expect("fits");
        assert_eq!(a, closure_graph(shape(100, 20)).expect("fits"));
        assert_eq!(a.len(), 5000);
        assert!(a
            .iter()
            .all(|&(u, v)| u < v && v - u <= 20 && u / 100 == v / 100));
    }

    #[test]
    fn generation_graph_is_a_forest_plus_extra_parents() {
        let g = generation_graph(shape(50, 5)).expect("fits");
        assert_eq!(g.len(), 5000);
        assert!(g.iter().all(|&(c, p)| c / 50 == p / 50 + 1));
        let with_parent: BTreeSet<u64> = g.iter().map(|&(c, _)| c).collect();
        assert_eq!(with_parent.len(), 950);
    }

    #[test]
    fn too_many_edges_is_an_error() {
        let mut s = shape(10, 2);
        s.edges = 10_000;
        assert!(closure_graph(s).is_err());
        assert!(generation_graph(s).is_err());
    }
}
