//! The interpreter: runs a [`Plan`] directly, tick by tick.
//!
//! It owns the relations (flat rows of words, see [`crate::store`]), the strings of
//! the program, and what is scheduled for the next tick. A tick applies the boundary
//! (pending `delete`s, then `@next` inserts), the queued input and, in the first tick,
//! the facts; runs the strata in order, each to its fixpoint; reports the outputs;
//! and empties `input`, `output` and `scratch` relations.
//!
//! A relation whose last column is a lattice merges every tuple into the value it
//! keeps for the tuple's key (see [`super::lattice`]); the rows that merging
//! supersedes are removed when the stratum that wrote them ends.

use std::collections::BTreeMap;
use std::time::Instant;

use super::compile::{compile, Rule, Shape, Stratum};
use super::eval::{Derived, Eval};
use super::lattice::{intern_strings, merge_into, Cx, Heap};
use super::{aggregate, InputError, TickEngine, TickOutput};
use crate::ir::{Plan, RelId, RelationKind, RelationSchema, Timing};
use crate::lattice::{Externs, LatticeTypes};
use crate::store::word::{decode_scalar, encode};
use crate::store::{hash_words, Interner, Relation, Word};
use crate::value::{ColumnType, Const};

/// Runs a [`Plan`] by interpreting it.
pub struct Interpreter {
    plan: Plan,
    strata: Vec<Stratum>,
    db: Database,
    /// Input queued for the next tick, per relation.
    queued: Vec<Relation>,
    /// The number of ticks run so far.
    ticks: u64,
    /// Whether applying the pending `delete`s and `@next` inserts changes anything.
    scheduled: bool,
    /// For each stratum, the versions of the relations it touches when its last run
    /// ended (see [`Interpreter::unchanged_since_last_run`]).
    last_run: Vec<Option<Vec<(u64, usize)>>>,
    /// Whether recursive strata iterate naively (see [`Interpreter::naive`]).
    naive: bool,
    work: Work,
}

/// The relations and what is scheduled for them.
struct Database {
    rels: Vec<Relation>,
    kinds: Vec<RelationKind>,
    /// `@next` tuples, per relation.
    next: Vec<Relation>,
    /// Tuples to `delete`, per relation.
    delete: Vec<Relation>,
    interner: Interner,
    /// The lattice values.
    heap: Heap,
    /// The program's lattice types.
    types: LatticeTypes,
    /// The Rust implementations of the program's extern lattices.
    externs: Externs,
    /// For each relation whose last column is a lattice: the index over its key
    /// columns, which finds a key's current row.
    lattice_keys: Vec<Option<usize>>,
    /// The number of lattice values held after the last collection.
    heap_watermark: usize,
    /// For each relation, whether its lattice column's type holds an extern lattice.
    extern_columns: Vec<bool>,
    /// For each relation, the rows that merging superseded since its last compaction.
    stale: Vec<Relation>,
    /// Whether a rule added a tuple to a table in the current tick.
    table_changed: bool,
}

impl Database {
    /// What evaluating lattice terms reads.
    fn cx(&self) -> Cx<'_> {
        Cx {
            interner: &self.interner,
            heap: &self.heap,
            types: &self.types,
            externs: &self.externs,
        }
    }

    /// Inserts tuples into `rel` (merging, for a lattice relation); returns how many
    /// rows were added.
    fn insert<'t>(&mut self, rel: usize, tuples: impl Iterator<Item = &'t [Word]>) -> usize {
        let Some(key_index) = self.lattice_keys[rel] else {
            return tuples.map(|t| usize::from(self.rels[rel].insert(t))).sum();
        };
        let cx = Cx {
            interner: &self.interner,
            heap: &self.heap,
            types: &self.types,
            externs: &self.externs,
        };
        let tuples = tuples.map(<[Word]>::to_vec);
        let before = self.rels[rel].len();
        let stale = &mut self.stale[rel];
        let new = merge_into(&mut self.rels[rel], key_index, stale, tuples, &cx);

        // A merge can make a string no rule has seen (an extern value's new text): give
        // it a word before a rule reads it. Only extern lattices make new text.
        let relation = &self.rels[rel];
        let extern_text = self.extern_columns[rel];
        for id in (before..relation.len()).filter(|_| extern_text) {
            let word = relation.row(id)[relation.arity() - 1];
            intern_strings(&self.heap.get(word), &mut self.interner);
        }
        new
    }

    /// [`Interpreter::boundary_changes`] for the lattice table `rel`: whether some key's
    /// value differs once the boundary is applied to it: its deletion (of exactly its
    /// current value), then its `@next` values merged in. An `@next` value that the
    /// current one already covers changes nothing.
    fn lattice_boundary_changes(&self, rel: usize, key_index: usize) -> bool {
        let (current, next, delete) = (&self.rels[rel], &self.next[rel], &self.delete[rel]);
        let key_len = current.arity() - 1;

        // The `@next` values of every key the boundary touches, by key.
        let mut touched: BTreeMap<&[Word], Vec<Word>> = BTreeMap::new();
        for t in delete.tuples() {
            touched.entry(&t[..key_len]).or_default();
        }
        for t in next.tuples() {
            touched.entry(&t[..key_len]).or_default().push(t[key_len]);
        }

        touched.into_iter().any(|(key, arriving)| {
            let hash = hash_words(key.iter().copied());
            let old = current
                .lookup(key_index, hash, key)
                .last()
                .map(|&id| current.row(id as usize)[key_len]);
            let kept = old.filter(|&word| !delete.contains(&[key, &[word]].concat()));
            let mut value = kept.map(|word| (*self.heap.get(word)).clone());
            for word in arriving {
                let arriving = (*self.heap.get(word)).clone();
                match &mut value {
                    Some(merged) => {
                        if merged.merge(arriving, &self.externs).is_err() {
                            return true;
                        }
                    }
                    None => value = Some(arriving),
                }
            }
            let old = old.map(|word| self.heap.get(word));
            value.as_ref() != old.as_deref()
        })
    }

    /// Frees the lattice values that no row holds, once the heap has grown enough since
    /// the last collection to be worth the pass over every lattice row.
    fn collect_lattices(&mut self) {
        let held = self.heap.len();
        if held < self.heap_watermark.max(1024) * 2 {
            return;
        }
        let lattice_rels = self
            .lattice_keys
            .iter()
            .enumerate()
            .filter(|(_, k)| k.is_some());
        let mut live = Vec::new();
        for (rel, _) in lattice_rels {
            for relation in [&self.rels[rel], &self.next[rel], &self.delete[rel]] {
                let last = relation.arity() - 1;
                live.extend(relation.tuples().map(|t| t[last]));
            }
        }
        let freed = self.heap.collect(live);
        self.heap_watermark = self.heap.len();
        tracing::debug!(held, freed, "lattice values collected");
    }

    /// Removes the rows that merging superseded.
    fn compact(&mut self) {
        for (rel, stale) in self.rels.iter_mut().zip(&mut self.stale) {
            if !stale.is_empty() {
                rel.remove_all(stale);
                stale.clear();
            }
        }
    }
}

/// Buffers reused by every rule run.
#[derive(Default)]
struct Work {
    frame: Vec<Word>,
    derived: Derived,
    folded: Derived,
    /// For each relation, the row range of its delta in the current iteration.
    deltas: Vec<(usize, usize)>,
}

impl Interpreter {
    /// Prepares a plan to run: creates its relations and the indexes its scans use.
    pub fn new(plan: Plan) -> Interpreter {
        Interpreter::with_externs(plan, Externs::default())
    }

    /// Prepares a plan whose extern lattices are implemented by `externs`.
    pub fn with_externs(plan: Plan, externs: Externs) -> Interpreter {
        let empty = |plan: &Plan| -> Vec<Relation> {
            plan.relations
                .iter()
                .map(|r| Relation::new(r.arity()))
                .collect()
        };
        let mut db = Database {
            rels: empty(&plan),
            kinds: plan.relations.iter().map(|r| r.kind).collect(),
            next: empty(&plan),
            delete: empty(&plan),
            interner: Interner::default(),
            heap: Heap::default(),
            types: plan.lattices.clone(),
            externs,
            lattice_keys: Vec::new(),
            extern_columns: Vec::new(),
            heap_watermark: 0,
            stale: empty(&plan),
            table_changed: false,
        };
        let values = (&mut db.interner, &db.heap, &db.types);
        let strata = compile(&plan.strata, &db.kinds, &mut db.rels, values);
        for (rel, schema) in db.rels.iter_mut().zip(&plan.relations) {
            let lattice = matches!(
                schema.columns.last().map(|c| c.ty),
                Some(ColumnType::Lattice(_))
            );
            let key: Vec<usize> = (0..schema.arity().saturating_sub(1)).collect();
            db.lattice_keys
                .push(lattice.then(|| rel.ensure_index(&key)));
            let holds_extern = match schema.columns.last().map(|c| c.ty) {
                Some(ColumnType::Lattice(id)) => db.types.contains_extern(id),
                _ => false,
            };
            db.extern_columns.push(holds_extern);
        }
        let last_run = vec![None; strata.len()];
        let work = Work {
            deltas: vec![(0, 0); plan.relations.len()],
            ..Work::default()
        };
        Interpreter {
            queued: empty(&plan),
            plan,
            strata,
            db,
            ticks: 0,
            scheduled: false,
            last_run,
            naive: false,
            work,
        }
    }

    /// Switches recursive strata to naive evaluation: every iteration runs every rule
    /// over the relations in full, until an iteration adds nothing. Slow, and the
    /// reference that semi-naive evaluation is tested against.
    pub fn naive(mut self) -> Interpreter {
        self.naive = true;
        self
    }

    /// Checks a tuple against the columns of `rel` and encodes it.
    fn encode_tuple(&mut self, rel: RelId, tuple: &[Const]) -> Result<Vec<Word>, InputError> {
        let schema = &self.plan.relations[rel.index()];
        if tuple.len() != schema.arity() {
            return Err(InputError::Arity {
                rel: schema.name.clone(),
                expected: schema.arity(),
                found: tuple.len(),
            });
        }
        for (column, (value, declared)) in tuple.iter().zip(&schema.columns).enumerate() {
            // A lattice value must also have the shape its type names (a `Const` of a
            // lattice type can hold any lattice value).
            let shaped = match value {
                Const::Lattice { ty, value } => value.has_type(*ty, &self.db.types),
                _ => true,
            };
            if value.ty() != declared.ty || !shaped {
                return Err(InputError::Type {
                    rel: schema.name.clone(),
                    column,
                    expected: declared.ty,
                    found: value.ty(),
                });
            }
        }
        let db = &mut self.db;
        let words = tuple.iter().map(|value| match value {
            Const::Lattice { value, .. } => {
                intern_strings(value, &mut db.interner);
                db.heap.intern((**value).clone())
            }
            scalar => encode(scalar, &mut db.interner).unwrap_or_default(),
        });
        Ok(words.collect())
    }

    /// Inserts the program's facts; returns how many there were.
    fn apply_facts(&mut self) -> usize {
        let facts = std::mem::take(&mut self.plan.facts);
        for fact in &facts {
            match self.encode_tuple(fact.rel, &fact.values) {
                Ok(tuple) => {
                    self.db
                        .insert(fact.rel.index(), std::iter::once(&tuple[..]));
                }
                Err(error) => tracing::warn!(%error, "fact skipped"),
            }
        }
        let count = facts.len();
        self.plan.facts = facts;
        self.db.compact();
        count
    }

    /// Moves the queued input into the input relations; true if there was any.
    fn apply_input(&mut self) -> bool {
        let mut arrived = false;
        for (rel, queued) in self.queued.iter_mut().enumerate() {
            arrived |= !queued.is_empty();
            self.db.insert(rel, queued.tuples());
            queued.clear();
        }
        self.db.compact();
        arrived
    }

    /// Runs one stratum to its fixpoint; returns the iterations run and the tuples
    /// derived.
    fn run_stratum(&mut self, index: usize) -> (usize, usize) {
        let stratum = &self.strata[index];
        let (db, work) = (&mut self.db, &mut self.work);

        // "The plan that reads every body relation in full: run once when the stratum
        // starts." Rows present now are covered by it; the first delta is what it adds.
        let mut starts: Vec<usize> = stratum
            .relations
            .iter()
            .map(|&r| db.rels[r].len())
            .collect();
        let mut derived = 0;
        for rule in &stratum.rules {
            derived += run_rule(rule, Variant::Full, db, work);
        }
        let mut iterations = 1;
        if !stratum.recursive {
            return (iterations, derived);
        }

        // Naive iteration: the full plans again, until they add nothing.
        if self.naive {
            loop {
                let mut new = 0;
                for rule in &stratum.rules {
                    new += run_rule(rule, Variant::Full, db, work);
                }
                if new == 0 {
                    return (iterations, derived);
                }
                derived += new;
                iterations += 1;
            }
        }

        // Semi-naive iteration: iteration k's delta is what iteration k-1 appended;
        // every variant reads one atom in delta and the rest in full, until no
        // relation of the stratum grows.
        loop {
            let mut grew = false;
            for (start, &rel) in starts.iter_mut().zip(&stratum.relations) {
                let end = db.rels[rel].len();
                work.deltas[rel] = (*start, end);
                grew |= end > *start;
                *start = end;
            }
            if !grew {
                break;
            }
            iterations += 1;
            for rule in &stratum.rules {
                // Aggregates read completed lower strata only: their one full run is
                // final.
                if matches!(rule.head.shape, Shape::Aggregate(_)) {
                    continue;
                }
                for variant in 0..rule.deltas.len() {
                    derived += run_rule(rule, Variant::Delta(variant), db, work);
                }
            }
        }
        for &rel in &stratum.relations {
            work.deltas[rel] = (0, 0);
        }
        (iterations, derived)
    }

    /// The versions of the relations stratum `index` touches.
    fn versions(&self, index: usize) -> Vec<(u64, usize)> {
        let touched = &self.strata[index].reads;
        touched
            .iter()
            .map(|&rel| self.db.rels[rel].version())
            .collect()
    }

    /// Whether running stratum `index` can derive nothing new: it writes only tables
    /// in the same tick, and no relation it reads or writes changed since its last
    /// run ended. Evaluation is a function of those relations, so such a run would
    /// re-derive exactly the tuples its tables already hold.
    fn unchanged_since_last_run(&self, index: usize) -> bool {
        self.strata[index].writes_tables_only
            && self.last_run[index]
                .as_ref()
                .is_some_and(|seen| *seen == self.versions(index))
    }

    /// Whether applying the pending `delete`s and then the `@next` inserts would
    /// change a relation. A scheduled tuple a table already holds changes nothing, nor
    /// does deleting a tuple it lacks (or re-inserts at the same boundary).
    fn boundary_changes(&self) -> bool {
        let db = &self.db;
        (0..db.rels.len()).any(|rel| {
            let (next, delete, current) = (&db.next[rel], &db.delete[rel], &db.rels[rel]);
            if db.kinds[rel] != RelationKind::Table {
                // Only tables keep tuples across the boundary: every `@next` tuple
                // is new there, and there is nothing to delete.
                return !next.is_empty();
            }
            if let Some(key_index) = db.lattice_keys[rel] {
                return db.lattice_boundary_changes(rel, key_index);
            }
            next.tuples().any(|t| !current.contains(t))
                || delete
                    .tuples()
                    .any(|t| current.contains(t) && !next.contains(t))
        })
    }

    /// Applies the boundary: pending `delete`s first, then pending `@next` inserts.
    fn apply_boundary(&mut self) {
        let db = &mut self.db;
        for rel in 0..db.rels.len() {
            if !db.delete[rel].is_empty() {
                db.rels[rel].remove_all(&db.delete[rel]);
                db.delete[rel].clear();
            }
            let next = std::mem::replace(&mut db.next[rel], Relation::new(0));
            db.insert(rel, next.tuples());
            db.next[rel] = next;
            db.next[rel].clear();
        }
        db.compact();
    }

    /// The tuples of every non-empty `output` relation, decoded.
    fn outputs(&self) -> Vec<(RelId, Vec<Vec<Const>>)> {
        let mut outputs = Vec::new();
        for (id, schema) in self.plan.relations.iter().enumerate() {
            let rel = &self.db.rels[id];
            if schema.kind != RelationKind::Output || rel.is_empty() {
                continue;
            }
            let tuples = rel
                .tuples()
                .map(|tuple| {
                    let columns = tuple.iter().zip(&schema.columns);
                    columns
                        .map(|(&word, column)| match column.ty {
                            ColumnType::Lattice(ty) => Const::Lattice {
                                ty,
                                value: Box::new((*self.db.heap.get(word)).clone()),
                            },
                            scalar => decode_scalar(scalar, word, &self.db.interner),
                        })
                        .collect()
                })
                .collect();
            outputs.push((RelId(id as u32), tuples));
        }
        outputs
    }
}

/// Which of a rule's plans to run.
#[derive(Clone, Copy, Debug)]
enum Variant {
    Full,
    Delta(usize),
}

/// Runs one plan of `rule` and commits what its head derives; returns the number of
/// new tuples (for `@next` and `delete` heads: newly scheduled ones).
fn run_rule(rule: &Rule, variant: Variant, db: &mut Database, work: &mut Work) -> usize {
    let pipeline = match variant {
        Variant::Full => &rule.full,
        Variant::Delta(variant) => &rule.deltas[variant],
    };
    work.frame.clear();
    work.frame.resize(rule.frame_len, 0);
    work.derived.clear();
    let eval = Eval {
        rels: &db.rels,
        cx: db.cx(),
        deltas: &work.deltas,
    };
    eval.run(pipeline, &rule.head, &mut work.frame, &mut work.derived);
    let head = &rule.head;
    let tuples = match &head.shape {
        Shape::Tuple(_) => &work.derived,
        Shape::Aggregate(aggregate) => {
            work.folded.clear();
            aggregate::fold(aggregate, &work.derived, &db.interner, &mut work.folded);
            &work.folded
        }
    };

    // Commit: a plain head inserts now, `@next` and `delete` heads schedule.
    let width = db.rels[head.rel].arity();
    let mut new = 0;
    if head.timing == Timing::Now && db.lattice_keys[head.rel].is_some() {
        let rows = (0..tuples.len()).map(|i| tuples.row(i, width).1);
        new = db.insert(head.rel, rows);
    } else {
        let target = match head.timing {
            Timing::Now => &mut db.rels[head.rel],
            Timing::Next => &mut db.next[head.rel],
            Timing::Delete => &mut db.delete[head.rel],
        };
        for i in 0..tuples.len() {
            let (hash, tuple) = tuples.row(i, width);
            new += usize::from(target.insert_hashed(hash, tuple));
        }
    }
    if head.timing == Timing::Now && db.kinds[head.rel] == RelationKind::Table && new > 0 {
        db.table_changed = true;
    }
    tracing::trace!(rule = %rule.source, ?variant, candidates = tuples.len(), new, "rule run");
    new
}

impl TickEngine for Interpreter {
    fn relations(&self) -> &[RelationSchema] {
        &self.plan.relations
    }

    fn push_input(&mut self, rel: RelId, tuple: Vec<Const>) -> Result<(), InputError> {
        let Some(schema) = self.plan.relations.get(rel.index()) else {
            return Err(InputError::NotAnInput(format!("#{}", rel.0)));
        };
        if schema.kind != RelationKind::Input {
            return Err(InputError::NotAnInput(schema.name.clone()));
        }
        let words = self.encode_tuple(rel, &tuple)?;
        self.queued[rel.index()].insert(&words);
        Ok(())
    }

    fn tick(&mut self) -> TickOutput {
        let started = Instant::now();
        self.ticks += 1;
        let tick = self.ticks;

        // (1) The boundary, then this tick's input and, in the first tick, the facts.
        let scheduled_in = self.scheduled;
        self.apply_boundary();
        let input = self.apply_input();
        let facts = if tick == 1 { self.apply_facts() } else { 0 };
        self.db.table_changed = false;

        // (2) Each stratum to its fixpoint, in order.
        let mut derived = 0;
        for index in 0..self.strata.len() {
            if self.unchanged_since_last_run(index) {
                tracing::debug!(
                    tick,
                    stratum = index,
                    "stratum skipped: nothing it reads changed"
                );
                continue;
            }
            let stratum_started = Instant::now();
            let (iterations, new) = self.run_stratum(index);
            self.db.compact();
            self.last_run[index] = Some(self.versions(index));
            derived += new;
            tracing::debug!(
                tick,
                stratum = index,
                iterations,
                new,
                elapsed_us = stratum_started.elapsed().as_micros() as u64,
                "stratum done"
            );
        }

        // (3) Report the outputs; decide quiescence before anything is emptied.
        let outputs = self.outputs();
        self.scheduled = self.boundary_changes();
        let quiescent =
            !scheduled_in && !input && facts == 0 && !self.db.table_changed && !self.scheduled;

        // (4) Empty the relations that live for one tick, and free the lattice values
        // no relation holds any more.
        for (rel, kind) in self.db.rels.iter_mut().zip(&self.db.kinds) {
            if !kind.persists() {
                rel.clear();
            }
        }
        self.db.collect_lattices();
        tracing::info!(
            tick,
            derived,
            output_tuples = outputs.iter().map(|(_, t)| t.len()).sum::<usize>(),
            quiescent,
            elapsed_us = started.elapsed().as_micros() as u64,
            "tick done"
        );
        TickOutput { outputs, quiescent }
    }
}
