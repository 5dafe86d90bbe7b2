//! "Did you mean ...?": the closest name by edit distance (optimal string alignment:
//! insertions, deletions, substitutions and swaps of neighbours, so `egde` finds
//! `edge`), for misspelled relations, types and aggregates.

use strsim::osa_distance as edit_distance;

/// The candidate closest to `name`, if one is close enough to be a likely misspelling:
/// at most a third of the name's length away (and at least one edit allowed). Ties go
/// to the earlier candidate, so callers pass candidates in declaration order.
pub(super) fn closest<'a>(
    name: &str,
    candidates: impl IntoIterator<Item = &'a str>,
) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(1);
    let mut best: Option<(usize, &str)> = None;
    for candidate in candidates {
        let distance = edit_distance(&name.to_lowercase(), &candidate.to_lowercase());
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_counts_edits() {
        assert_eq!(edit_distance("edge", "edge"), 0);
        assert_eq!(edit_distance("egde", "edge"), 1);
        assert_eq!(edit_distance("edges", "edge"), 1);
        assert_eq!(edit_distance("", "abc"), 3);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
    }

    #[test]
    fn closest_prefers_the_nearest_then_the_first() {
        let names = ["path", "edge", "edges"];
        assert_eq!(closest("edg", names), Some("edge"));
        assert_eq!(closest("pth", names), Some("path"));
        assert_eq!(closest("reachable", names), None);
        assert_eq!(closest("Edge", names), Some("edge"));
        assert_eq!(closest("egde", names), Some("edge"));
        assert_eq!(closest("dege", names), Some("edge"));
    }
}
