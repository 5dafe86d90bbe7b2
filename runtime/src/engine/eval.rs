//! Runs one join pipeline: depth first through its operators over a frame of words,
//! collecting what reaches the head into a buffer of derived rows.
//!
//! Evaluation only reads the relations; the caller inserts the derived rows once the
//! pipeline has run, so a scan's rows cannot change under it. Delta scans read the row
//! range the stratum's previous iteration appended.

use crate::ir::{Timing, Version};
use crate::lattice::AnyValue;
use crate::store::{hash_words, Relation, Word};

use super::compile::{Access, HeadOut, Op, Pipeline, Shape};
use super::expr::holds;
use super::lattice::Cx;

/// How many candidate tuples of a plain head are tested against their relation at a
/// time. Testing them in a tight loop lets the processor overlap the cache misses of
/// many hash-set probes, which dominate evaluation.
const BATCH: usize = 64;

/// Rows produced by a pipeline run, each with its hash.
#[derive(Debug, Default)]
pub(crate) struct Derived {
    /// The rows' words, back to back.
    pub(crate) words: Vec<Word>,
    /// One hash per row.
    pub(crate) hashes: Vec<u64>,
    /// Candidate tuples of a plain head not yet tested against their relation.
    candidates: Vec<Word>,
    /// One hash per candidate.
    candidate_hashes: Vec<u64>,
}

impl Derived {
    /// The number of rows.
    pub(crate) fn len(&self) -> usize {
        self.hashes.len()
    }

    /// Row `i` of rows `width` words wide, with its hash.
    #[inline]
    pub(crate) fn row(&self, i: usize, width: usize) -> (u64, &[Word]) {
        (self.hashes[i], &self.words[i * width..][..width])
    }

    /// Adds a row.
    #[inline]
    pub(crate) fn push(&mut self, hash: u64, row: &[Word]) {
        self.words.extend_from_slice(row);
        self.hashes.push(hash);
    }

    /// Forgets every row, keeping the capacity.
    pub(crate) fn clear(&mut self) {
        self.words.clear();
        self.hashes.clear();
        self.candidates.clear();
        self.candidate_hashes.clear();
    }

    /// Keeps the candidates that `rel` does not hold, and forgets the rest.
    fn settle(&mut self, rel: &Relation) {
        let width = rel.arity();
        for (i, &hash) in self.candidate_hashes.iter().enumerate() {
            let tuple = &self.candidates[i * width..][..width];
            if !rel.contains_hashed(hash, tuple) {
                self.words.extend_from_slice(tuple);
                self.hashes.push(hash);
            }
        }
        self.candidates.clear();
        self.candidate_hashes.clear();
    }
}

/// What a pipeline reads.
pub(crate) struct Eval<'a> {
    /// Every relation, by id.
    pub(crate) rels: &'a [Relation],
    /// The strings and lattice values of the program.
    pub(crate) cx: Cx<'a>,
    /// For each relation, the row range its delta covers in this iteration.
    pub(crate) deltas: &'a [(usize, usize)],
}

impl Eval<'_> {
    /// Runs `pipeline`, pushing into `out` the head row of every assignment that
    /// survives it. Plain `Now` heads skip tuples their relation already holds (tested
    /// in batches).
    pub(crate) fn run(
        &self,
        pipeline: &Pipeline,
        head: &HeadOut,
        frame: &mut [Word],
        out: &mut Derived,
    ) {
        self.step(&pipeline.ops, head, frame, out);
        out.settle(&self.rels[head.rel]);
    }

    /// The rows of `rel` a scan in `version` reads.
    #[inline]
    fn range(&self, rel: usize, version: Version) -> (usize, usize) {
        match version {
            Version::Full => (0, self.rels[rel].len()),
            Version::Delta => self.deltas[rel],
        }
    }

    /// Runs `ops[0]` and, for each assignment it lets through, the rest of `ops`;
    /// past the last operator, emits the head.
    fn step(&self, ops: &[Op], head: &HeadOut, frame: &mut [Word], out: &mut Derived) {
        let Some((op, rest)) = ops.split_first() else {
            self.emit(head, frame, out);
            return;
        };
        // The innermost loop emits directly instead of recursing once per tuple.
        let last = rest.is_empty();
        match op {
            Op::Scan {
                rel,
                version,
                access,
                binds,
            } => {
                let relation = &self.rels[*rel];
                let (lo, hi) = self.range(*rel, *version);
                match access {
                    // No bound column: every row in range matches.
                    Access::Rows => {
                        for id in lo..hi {
                            let row = relation.row(id);
                            for &(column, slot) in binds {
                                frame[slot] = row[column];
                            }
                            match last {
                                true => self.emit(head, frame, out),
                                false => self.step(rest, head, frame, out),
                            }
                        }
                    }

                    // Bound columns: the rows in range under the key, a cut of its
                    // posting list (which is in row order).
                    Access::Index { index, key } => {
                        if !key.write(frame, &self.cx) {
                            return;
                        }
                        let words = key.words(frame);
                        let postings =
                            relation.lookup(*index, hash_words(words.iter().copied()), words);
                        let start = match lo {
                            0 => 0,
                            _ => postings.partition_point(|&id| (id as usize) < lo),
                        };
                        let end = match hi == relation.len() {
                            true => postings.len(),
                            false => postings.partition_point(|&id| (id as usize) < hi),
                        };
                        for &id in &postings[start..end] {
                            let row = relation.row(id as usize);
                            for &(column, slot) in binds {
                                frame[slot] = row[column];
                            }
                            match last {
                                true => self.emit(head, frame, out),
                                false => self.step(rest, head, frame, out),
                            }
                        }
                    }

                    // Every column bound, reading the whole relation (which no insert
                    // changes during a run): a membership test.
                    Access::Tuple { key } => {
                        if !key.write(frame, &self.cx) {
                            return;
                        }
                        let words = key.words(frame);
                        let hash = hash_words(words.iter().copied());
                        if relation.contains_hashed(hash, words) {
                            self.step(rest, head, frame, out);
                        }
                    }
                }
            }

            // `!rel(args)`: the relation is complete (a lower stratum), read in full.
            Op::Absent { rel, access } => {
                let relation = &self.rels[*rel];
                let present = match access {
                    Access::Rows => !relation.is_empty(),
                    Access::Index { index, key } => {
                        if !key.write(frame, &self.cx) {
                            return;
                        }
                        let words = key.words(frame);
                        let hash = hash_words(words.iter().copied());
                        !relation.lookup(*index, hash, words).is_empty()
                    }
                    Access::Tuple { key } => {
                        if !key.write(frame, &self.cx) {
                            return;
                        }
                        let words = key.words(frame);
                        let hash = hash_words(words.iter().copied());
                        relation.contains_hashed(hash, words)
                    }
                };
                if !present {
                    self.step(rest, head, frame, out);
                }
            }

            Op::Filter { op, ty, lhs, rhs } => {
                let (Some(a), Some(b)) = (lhs.eval(frame, &self.cx), rhs.eval(frame, &self.cx))
                else {
                    return;
                };
                if holds(*op, *ty, a, b, self.cx.interner) {
                    self.step(rest, head, frame, out);
                }
            }

            // `slot = term`: a failed computation drops the assignment.
            Op::Let { slot, term } => {
                if let Some(word) = term.eval(frame, &self.cx) {
                    frame[*slot] = word;
                    self.step(rest, head, frame, out);
                }
            }

            // `x in s`: one assignment per element of the set.
            Op::Unnest { slot, element, set } => {
                let Some(word) = set.eval(frame, &self.cx) else {
                    return;
                };
                let set = self.cx.heap.get(word);
                for value in set.elements() {
                    let Some(word) = self.cx.word(AnyValue::Scalar(value.clone())) else {
                        continue;
                    };
                    debug_assert_eq!(value.ty(), *element);
                    frame[*slot] = word;
                    self.step(rest, head, frame, out);
                }
            }
        }
    }

    /// Assembles the head row of the current assignment and collects it.
    #[inline(always)]
    fn emit(&self, head: &HeadOut, frame: &mut [Word], out: &mut Derived) {
        let at = head.at;
        match &head.shape {
            Shape::Tuple(terms) => {
                for (i, term) in terms.iter().enumerate() {
                    match term.eval(frame, &self.cx) {
                        Some(word) => frame[at + i] = word,
                        None => return,
                    }
                }
                let tuple = &frame[at..at + terms.len()];
                let hash = hash_words(tuple.iter().copied());
                if head.timing != Timing::Now {
                    out.push(hash, tuple);
                    return;
                }
                out.candidates.extend_from_slice(tuple);
                out.candidate_hashes.push(hash);
                if out.candidate_hashes.len() == BATCH {
                    out.settle(&self.rels[head.rel]);
                }
            }

            // An assignment row: the distinct slots (which identify the assignment),
            // then the group key and the aggregated arguments it determines.
            Shape::Aggregate(aggregate) => {
                let mut i = at;
                for &slot in &aggregate.distinct {
                    frame[i] = frame[slot];
                    i += 1;
                }
                for term in aggregate
                    .keys
                    .iter()
                    .chain(aggregate.aggregates.iter().map(|a| &a.arg))
                {
                    match term.eval(frame, &self.cx) {
                        Some(word) => frame[i] = word,
                        None => return,
                    }
                    i += 1;
                }
                let row = &frame[at..i];
                out.push(hash_words(row.iter().copied()), row);
            }
        }
    }
}
