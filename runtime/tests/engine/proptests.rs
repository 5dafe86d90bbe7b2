//! Property test: semi-naive evaluation of transitive closure, in every rule shape,
//! agrees with a naive fixpoint on random graphs.

use proptest::prelude::*;

use crate::joins::{closure_of, naive_closure, Shape};

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn semi_naive_closure_matches_naive(
        edges in proptest::collection::vec((0u64..12, 0u64..12), 0..40)
    ) {
        let expected = naive_closure(&edges);
        for shape in [Shape::Left, Shape::Right, Shape::Doubling] {
            prop_assert_eq!(&closure_of(shape, &edges), &expected, "{:?}", shape);
        }
    }
}
