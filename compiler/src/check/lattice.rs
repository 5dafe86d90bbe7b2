//! What the checker knows about lattice values: which scalars lift into which lattice,
//! what an operation's second argument is, which comparisons are threshold tests, and
//! how each use of a lattice value bound from a body atom is classified for the CALM
//! analysis (morphism, monotone, or a raw read). Calls are typed in `calls`.

use std::collections::BTreeMap;

use hydro_runtime::ir::{CmpOp, RelId};
use hydro_runtime::lattice::dynamic::is_upward_closed;
use hydro_runtime::lattice::{LatticeType, LatticeTypes, Monotonicity, Operation};
use hydro_runtime::value::{ColumnType, Const};

use super::LatticeRead;
use crate::source::Span;
use crate::syntax::ast;

/// The scalar type a lattice takes by lifting (`u64` into `Max<u64>`, `string` into
/// `Set<string>` as a singleton), if it takes one.
pub(crate) fn lift_source(lattices: &LatticeTypes, ty: ColumnType) -> Option<ColumnType> {
    let ColumnType::Lattice(id) = ty else {
        return None;
    };
    match lattices.get(id) {
        LatticeType::Max(t) | LatticeType::Min(t) | LatticeType::Set(t) => Some(*t),
        LatticeType::Bool => Some(ColumnType::Bool),
        _ => None,
    }
}

/// The type of a `Set`'s elements, a `Map`'s keys or a `VClock`'s writers: what an
/// operation's second argument (or `x in s`'s element) is.
pub(crate) fn element(lattices: &LatticeTypes, ty: ColumnType) -> Option<ColumnType> {
    let ColumnType::Lattice(id) = ty else {
        return None;
    };
    match lattices.get(id) {
        LatticeType::Set(t) | LatticeType::Map(t, _) => Some(*t),
        LatticeType::VClock => Some(ColumnType::String),
        _ => None,
    }
}

/// The scalar a threshold test compares a lattice value with: the element of a `Max`
/// or `Min`, the `bool` of a `Bool`.
pub(super) fn threshold_scalar(lattices: &LatticeTypes, ty: ColumnType) -> Option<ColumnType> {
    let ColumnType::Lattice(id) = ty else {
        return None;
    };
    match lattices.get(id) {
        LatticeType::Max(t) | LatticeType::Min(t) => Some(*t),
        LatticeType::Bool => Some(ColumnType::Bool),
        _ => None,
    }
}

/// Whether `lattice op other` (or `other op lattice` when `!lattice_left`) holds of
/// every value above one it holds of: a threshold test, which stays true as the
/// lattice grows.
pub(super) fn is_threshold(
    lattices: &LatticeTypes,
    ty: ColumnType,
    op: CmpOp,
    lattice_left: bool,
    other: &ast::Expr,
) -> bool {
    let ColumnType::Lattice(id) = ty else {
        return false;
    };
    // Only a `Bool` equality depends on the constant (`b = true`).
    let constant = match other {
        ast::Expr::Lit(ast::Lit::Bool(b), _) => Some(Const::Bool(*b)),
        _ => None,
    };
    is_upward_closed(lattices.get(id), op, lattice_left, constant.as_ref())
}

/// The weaker of two classes: composing a morphism with a monotone function gives a
/// monotone function; anything composed with a raw read is a raw read.
pub(super) fn compose(a: Monotonicity, b: Monotonicity) -> Monotonicity {
    a.max(b)
}

/// A lattice value flowing out of an expression: which variable it came from, and how
/// the expression has treated it so far.
#[derive(Clone)]
struct Flow {
    var: String,
    class: Monotonicity,
    /// The call that made the flow non-monotone (`values(c)`), for the reason.
    raw: Option<String>,
}

/// Classifies every use of a lattice variable bound by a body atom.
pub(super) struct Reads<'a> {
    pub lattices: &'a LatticeTypes,
    /// The type of every expression, by span.
    pub expr_types: &'a BTreeMap<Span, ColumnType>,
    /// The relation each lattice variable was read from.
    pub sources: BTreeMap<String, RelId>,
    /// Variables bound by `z = e` to a lattice value computed by `e`: a use of `z` is a
    /// use of `e`.
    pub aliases: BTreeMap<String, &'a ast::Expr>,
    pub reads: Vec<LatticeRead>,
}

impl Reads<'_> {
    fn record(&mut self, flows: Vec<Flow>, class: Monotonicity, span: Span, what: &str) {
        for flow in flows {
            if let Some(&rel) = self.sources.get(&flow.var) {
                // A flow made non-monotone by a call inside says so: that call is the
                // reason, whatever reads its result.
                let what = match &flow.raw {
                    Some(call) => format!("`{call}` reads the raw value of `{}`", flow.var),
                    None => what.replace("{var}", &flow.var),
                };
                self.reads.push(LatticeRead {
                    rel,
                    span,
                    what,
                    class: compose(flow.class, class),
                });
            }
        }
    }

    /// A lattice value merged into a head column.
    pub fn head(&mut self, expr: &ast::Expr, relation: &str) {
        let flows = self.flows(expr);
        let what = format!("`{{var}}` flows into `{relation}`, which merges it");
        self.record(flows, Monotonicity::Morphism, expr.span(), &what);
    }

    /// A comparison, a threshold test when `threshold`.
    pub fn compare(
        &mut self,
        lhs: &ast::Expr,
        rhs: &ast::Expr,
        threshold: bool,
        span: Span,
        text: &str,
    ) {
        let mut flows = self.flows(lhs);
        flows.extend(self.flows(rhs));
        let (class, what) = match threshold {
            true => (Monotonicity::Monotone, format!("threshold test `{text}`")),
            false => (
                Monotonicity::NonMonotone,
                format!("`{text}` reads the raw value of `{{var}}` (not a threshold)"),
            ),
        };
        self.record(flows, class, span, &what);
    }

    /// `elem in set`.
    pub fn member(&mut self, elem: &ast::Expr, set: &ast::Expr, span: Span) {
        let mut flows = self.flows(set);
        flows.extend(self.flows(elem));
        self.record(flows, Monotonicity::Morphism, span, "membership in `{var}`");
    }

    /// A scalar expression: lattice values reach it only through calls that return
    /// scalars, which record their own reads.
    pub fn scalar(&mut self, expr: &ast::Expr) {
        let flows = self.flows(expr);
        self.record(
            flows,
            Monotonicity::NonMonotone,
            expr.span(),
            "raw read of `{var}`",
        );
    }

    /// The lattice values an expression passes on, recording reads where a call turns
    /// one into a scalar.
    fn flows(&mut self, expr: &ast::Expr) -> Vec<Flow> {
        match expr {
            ast::Expr::Var(v) if self.aliases.contains_key(&v.name) => {
                let aliased = self.aliases[&v.name];
                self.flows(aliased)
            }
            ast::Expr::Var(v) => match self.expr_types.get(&v.span) {
                Some(ColumnType::Lattice(_)) => vec![Flow {
                    var: v.name.clone(),
                    class: Monotonicity::Morphism,
                    raw: None,
                }],
                _ => Vec::new(),
            },
            ast::Expr::Wildcard(_) | ast::Expr::Lit(..) => Vec::new(),
            ast::Expr::Neg(inner, _) => self.flows(inner),
            // `d + w` on a `Max` or `Min`: order-preserving in `d`.
            ast::Expr::Binary { lhs, rhs, .. } => {
                let mut flows = self.flows(lhs);
                flows.extend(self.flows(rhs));
                for flow in &mut flows {
                    flow.class = compose(flow.class, Monotonicity::Monotone);
                }
                flows
            }
            ast::Expr::Call { func, args, span } => {
                let mut flows = Vec::new();
                for arg in args {
                    flows.extend(self.flows(arg));
                }
                let class = call_class(self.lattices, self.expr_types, func, args);
                let returns_lattice =
                    matches!(self.expr_types.get(span), Some(ColumnType::Lattice(_)));
                let text = crate::lower::source::print_expr(expr);
                if returns_lattice {
                    for flow in &mut flows {
                        flow.class = compose(flow.class, class);
                        if class == Monotonicity::NonMonotone && flow.raw.is_none() {
                            flow.raw = Some(text.clone());
                        }
                    }
                    return flows;
                }
                let what = match class {
                    Monotonicity::NonMonotone => {
                        format!("`{text}` reads the raw value of `{{var}}`")
                    }
                    _ => format!("`{text}` of `{{var}}`"),
                };
                self.record(flows, class, *span, &what);
                Vec::new()
            }
        }
    }
}

/// The class of a call: an operation's own, and monotone for a constructor (whose
/// result grows with its lattice arguments).
fn call_class(
    lattices: &LatticeTypes,
    expr_types: &BTreeMap<Span, ColumnType>,
    func: &ast::Ident,
    args: &[ast::Expr],
) -> Monotonicity {
    let Some(op) = Operation::from_name(&func.name) else {
        return Monotonicity::Monotone;
    };
    let types: Option<Vec<ColumnType>> = args
        .iter()
        .map(|a| expr_types.get(&a.span()).copied())
        .collect();
    let mut scratch = lattices.clone();
    types
        .and_then(|t| op.signature(&t, &mut scratch))
        .map_or(Monotonicity::NonMonotone, |s| s.class)
}
