//! Prepares a plan to run: each rule's join plans become pipelines of operators over a
//! frame of words, with every scan resolved to the way it reads its relation (all
//! rows, one index, or a membership test) and every index it needs created.
//!
//! A rule's frame holds its slots, then a key area for each probing step (where the
//! probe's key is written before hashing), then the head area where the head tuple is
//! assembled: evaluating a rule allocates nothing per tuple.

use crate::ir::{AggFunc, Arg, CmpOp, Head, HeadColumn, JoinPlan, RelationKind, RulePlan};
use crate::ir::{Step, Timing};
use crate::ir::{Stratum as IrStratum, Version};
use crate::store::{Interner, Relation, Word};
use crate::value::ColumnType;

use super::expr::{Compiling, Term};
use super::lattice::{Cx, Heap};
use crate::lattice::LatticeTypes;

/// A stratum ready to run.
#[derive(Debug)]
pub(crate) struct Stratum {
    /// The relations whose same-tick tuples the stratum derives.
    pub(crate) relations: Vec<usize>,
    /// Whether the stratum iterates to a fixpoint.
    pub(crate) recursive: bool,
    /// Its rules.
    pub(crate) rules: Vec<Rule>,
    /// Every relation its rules read (positively or negated) or write, sorted.
    pub(crate) reads: Vec<usize>,
    /// Whether every rule of the stratum writes a table in the same tick, so that a
    /// run over unchanged relations can only re-derive what the tables hold.
    pub(crate) writes_tables_only: bool,
}

/// A rule ready to run.
#[derive(Debug)]
pub(crate) struct Rule {
    /// The rule's source text.
    pub(crate) source: String,
    /// The number of words in the rule's frame.
    pub(crate) frame_len: usize,
    /// What each satisfying assignment produces.
    pub(crate) head: HeadOut,
    /// The plan over every body relation in full.
    pub(crate) full: Pipeline,
    /// The semi-naive variants.
    pub(crate) deltas: Vec<Pipeline>,
}

/// The steps of one join plan.
#[derive(Debug)]
pub(crate) struct Pipeline {
    pub(crate) ops: Vec<Op>,
}

/// One step of a pipeline.
#[derive(Debug)]
pub(crate) enum Op {
    /// For each matching row of `rel` (in `version`), write `binds` and continue.
    Scan {
        rel: usize,
        version: Version,
        access: Access,
        /// `(column, slot)` pairs.
        binds: Vec<(usize, usize)>,
    },
    /// Continue only if no row of `rel` matches.
    Absent { rel: usize, access: Access },
    /// Continue only if the comparison holds.
    Filter {
        op: CmpOp,
        ty: ColumnType,
        lhs: Term,
        rhs: Term,
    },
    /// Evaluate `term` into `slot`; drop the assignment if it fails.
    Let { slot: usize, term: Term },
    /// For each element of the set `set`, write it into `slot` and continue.
    Unnest {
        slot: usize,
        /// The type of the set's elements.
        element: ColumnType,
        set: Term,
    },
}

/// How a scan or negation finds the rows matching its bound columns.
#[derive(Debug)]
pub(crate) enum Access {
    /// No column is bound: every row matches.
    Rows,
    /// Some columns are bound: probe the index `index` with `key`.
    Index { index: usize, key: Key },
    /// Every column is bound, reading every row: look the tuple up in the relation's
    /// set.
    Tuple { key: Key },
}

/// The bound values of a probe, written into `frame[at..at + terms.len()]`.
#[derive(Debug)]
pub(crate) struct Key {
    pub(crate) terms: Vec<Term>,
    pub(crate) at: usize,
}

impl Key {
    /// Writes the key into its area of the frame; false if a term fails.
    #[inline]
    pub(crate) fn write(&self, frame: &mut [Word], cx: &Cx) -> bool {
        for (i, term) in self.terms.iter().enumerate() {
            match term.eval(frame, cx) {
                Some(word) => frame[self.at + i] = word,
                None => return false,
            }
        }
        true
    }

    /// The key's words, once written.
    #[inline]
    pub(crate) fn words<'f>(&self, frame: &'f [Word]) -> &'f [Word] {
        &frame[self.at..self.at + self.terms.len()]
    }
}

/// The head of a rule ready to run.
#[derive(Debug)]
pub(crate) struct HeadOut {
    /// The relation written.
    pub(crate) rel: usize,
    /// When the tuples take effect.
    pub(crate) timing: Timing,
    /// Where the head's words are assembled in the frame.
    pub(crate) at: usize,
    /// Plain or aggregating.
    pub(crate) shape: Shape,
}

/// What a head makes of one assignment.
#[derive(Debug)]
pub(crate) enum Shape {
    /// One tuple, a term per column.
    Tuple(Vec<Term>),
    /// A row for the aggregation: the distinct slots, the group key, the arguments.
    Aggregate(AggregateHead),
}

/// An aggregating head.
#[derive(Debug)]
pub(crate) struct AggregateHead {
    /// The slots whose distinct values are the assignments aggregated over.
    pub(crate) distinct: Vec<usize>,
    /// The group key: the head's plain columns, in order.
    pub(crate) keys: Vec<Term>,
    /// The aggregates, in head order.
    pub(crate) aggregates: Vec<Aggregate>,
    /// For each head column, where its value comes from.
    pub(crate) columns: Vec<Column>,
}

/// One aggregate of a head.
#[derive(Debug)]
pub(crate) struct Aggregate {
    pub(crate) func: AggFunc,
    pub(crate) ty: ColumnType,
    pub(crate) arg: Term,
}

/// Where a column of an aggregating head takes its value.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Column {
    /// The group key's `i`-th word.
    Key(usize),
    /// The `i`-th aggregate's result.
    Aggregate(usize),
}

impl AggregateHead {
    /// The width of an assignment row: distinct slots, group key, arguments.
    pub(crate) fn row_width(&self) -> usize {
        self.distinct.len() + self.keys.len() + self.aggregates.len()
    }
}

/// Compiles the strata of a plan, creating in `rels` every index their scans use.
pub(crate) fn compile(
    strata: &[IrStratum],
    kinds: &[RelationKind],
    rels: &mut [Relation],
    values: (&mut Interner, &Heap, &LatticeTypes),
) -> Vec<Stratum> {
    let (interner, heap, types) = values;
    strata
        .iter()
        .map(|stratum| Stratum {
            relations: stratum.relations.iter().map(|r| r.index()).collect(),
            recursive: stratum.recursive,
            rules: stratum
                .rules
                .iter()
                .map(|rule| compile_rule(rule, rels, (&mut *interner, heap, types)))
                .collect(),
            reads: relations_touched(stratum),
            writes_tables_only: stratum.rules.iter().all(|r| {
                r.head.timing == Timing::Now && kinds[r.head.rel.index()] == RelationKind::Table
            }),
        })
        .collect()
}

/// Every relation the stratum's rules read or write, sorted and without repeats.
fn relations_touched(stratum: &IrStratum) -> Vec<usize> {
    let mut touched: Vec<usize> = stratum
        .rules
        .iter()
        .flat_map(|rule| {
            let body = rule.full.steps.iter().filter_map(|step| match step {
                Step::Scan { rel, .. } | Step::Absent { rel, .. } => Some(rel.index()),
                Step::Filter { .. } | Step::Let { .. } | Step::Unnest { .. } => None,
            });
            body.chain([rule.head.rel.index()])
        })
        .collect();
    touched.sort_unstable();
    touched.dedup();
    touched
}

/// Lays out one rule's frame and compiles its plans and head.
fn compile_rule(
    rule: &RulePlan,
    rels: &mut [Relation],
    values: (&mut Interner, &Heap, &LatticeTypes),
) -> Rule {
    let (interner, heap, types) = values;
    let mut frame = Frame {
        len: rule.slots.len(),
        rels,
        terms: Compiling {
            interner,
            heap,
            types,
            slots: &rule.slots,
        },
    };
    let full = frame.pipeline(&rule.full);
    let deltas = rule
        .deltas
        .iter()
        .map(|plan| frame.pipeline(plan))
        .collect();
    let head = frame.head(&rule.head);
    Rule {
        source: rule.source.clone(),
        frame_len: frame.len,
        head,
        full,
        deltas,
    }
}

/// The state of laying out one rule's frame.
struct Frame<'a> {
    /// The words allocated so far.
    len: usize,
    rels: &'a mut [Relation],
    terms: Compiling<'a>,
}

impl Frame<'_> {
    /// Allocates `width` words of the frame; returns where they start.
    fn allocate(&mut self, width: usize) -> usize {
        let at = self.len;
        self.len += width;
        at
    }

    fn term(&mut self, expr: &crate::ir::Expr) -> Term {
        Term::compile(expr, &mut self.terms)
    }

    fn pipeline(&mut self, plan: &JoinPlan) -> Pipeline {
        let ops = plan.steps.iter().map(|step| self.op(step)).collect();
        Pipeline { ops }
    }

    fn op(&mut self, step: &Step) -> Op {
        match step {
            Step::Scan { rel, version, args } => {
                let binds = args
                    .iter()
                    .enumerate()
                    .filter_map(|(column, arg)| match arg {
                        Arg::Bind(slot) => Some((column, *slot as usize)),
                        Arg::Eq(_) | Arg::Any => None,
                    })
                    .collect();
                Op::Scan {
                    rel: rel.index(),
                    version: *version,
                    access: self.access(rel.index(), *version, args),
                    binds,
                }
            }
            Step::Absent { rel, args } => Op::Absent {
                rel: rel.index(),
                access: self.access(rel.index(), Version::Full, args),
            },
            Step::Filter { op, ty, lhs, rhs } => Op::Filter {
                op: *op,
                ty: *ty,
                lhs: self.term(lhs),
                rhs: self.term(rhs),
            },
            Step::Let { slot, expr } => Op::Let {
                slot: *slot as usize,
                term: self.term(expr),
            },
            Step::Unnest { slot, set } => Op::Unnest {
                slot: *slot as usize,
                element: self
                    .terms
                    .slots
                    .get(*slot as usize)
                    .copied()
                    .unwrap_or(ColumnType::U64),
                set: self.term(set),
            },
        }
    }

    /// Chooses how a scan over `rel` in `version` with `args` finds its rows: the
    /// columns with [`Arg::Eq`] form the key of the index that serves it. A full scan
    /// with every column bound is a membership test; a delta scan needs row ids to cut
    /// its range, which only an index has.
    fn access(&mut self, rel: usize, version: Version, args: &[Arg]) -> Access {
        let mut columns = Vec::new();
        let mut terms = Vec::new();
        for (column, arg) in args.iter().enumerate() {
            if let Arg::Eq(expr) = arg {
                columns.push(column);
                terms.push(self.term(expr));
            }
        }
        if columns.len() == args.len() && version == Version::Full {
            let at = self.allocate(terms.len());
            return Access::Tuple {
                key: Key { terms, at },
            };
        }
        if columns.is_empty() {
            return Access::Rows;
        }
        let index = self.rels[rel].ensure_index(&columns);
        let at = self.allocate(terms.len());
        Access::Index {
            index,
            key: Key { terms, at },
        }
    }

    fn head(&mut self, head: &Head) -> HeadOut {
        let shape = if head.is_aggregate() {
            let mut keys = Vec::new();
            let mut aggregates = Vec::new();
            let mut columns = Vec::new();
            for column in &head.columns {
                match column {
                    HeadColumn::Value(expr) => {
                        columns.push(Column::Key(keys.len()));
                        keys.push(self.term(expr));
                    }
                    HeadColumn::Aggregate { func, ty, arg } => {
                        columns.push(Column::Aggregate(aggregates.len()));
                        let arg = self.term(arg);
                        aggregates.push(Aggregate {
                            func: *func,
                            ty: *ty,
                            arg,
                        });
                    }
                }
            }
            Shape::Aggregate(AggregateHead {
                distinct: head.distinct.iter().map(|&s| s as usize).collect(),
                keys,
                aggregates,
                columns,
            })
        } else {
            let terms = head
                .columns
                .iter()
                .map(|column| match column {
                    HeadColumn::Value(expr) => self.term(expr),
                    HeadColumn::Aggregate { .. } => unreachable!("the head does not aggregate"),
                })
                .collect();
            Shape::Tuple(terms)
        };
        let width = match &shape {
            Shape::Tuple(terms) => terms.len(),
            Shape::Aggregate(aggregate) => aggregate.row_width(),
        };
        HeadOut {
            rel: head.rel.index(),
            timing: head.timing,
            at: self.allocate(width),
            shape,
        }
    }
}
