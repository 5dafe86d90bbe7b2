//! The lattice side of typing a rule: comparisons with a `Max`, `Min` or `Bool`
//! value, `x in s`, calls of lattice functions, `d + w` on a lattice, `merge`, the
//! lattice columns of body atoms (never a join key), and the classification of every
//! use of a lattice value for the CALM analysis.

use std::collections::BTreeMap;

use hydro_runtime::value::ColumnType;

use super::{declared_here, Origin, TypedRule, Typer, Why};
use crate::check::calls;
use crate::check::lattice::lift_source;
use crate::check::resolve::ColumnDef;
use crate::check::LatticeRead;
use crate::diag::{Code, Diagnostic};
use crate::source::Span;
use crate::syntax::ast;

impl<'a> Typer<'a> {
    /// Types that calls and `in` give their untyped variable arguments: the element of
    /// a set, the key of a map, the writer of a vector clock.
    pub(super) fn hints(&mut self) -> Vec<(&'a ast::Ident, Origin)> {
        let rule: &'a ast::Rule = self.r.rule;

        // (variable, the set, map or clock whose element it is)
        let mut pairs: Vec<(&'a ast::Ident, &'a ast::Expr)> = Vec::new();
        for literal in &rule.body {
            if let ast::Literal::In {
                elem: ast::Expr::Var(v),
                set,
                ..
            } = literal
            {
                pairs.push((v, set));
            }
        }
        let mut calls = Vec::new();
        rule.for_each_expr(&mut |e| calls_in(e, &mut calls));
        for args in calls {
            if let [first, ast::Expr::Var(v), ..] = args {
                pairs.push((v, first));
            }
        }
        let mut hints = Vec::new();

        // `n = value(a)`, `z = size(s)`: a variable bound to a call takes the call's
        // type (a call's type is not its arguments', so the shared-type groups miss it).
        for literal in &rule.body {
            let Some(sides) = literal.equation() else {
                continue;
            };
            for (target, source) in sides {
                let (ast::Expr::Var(v), ast::Expr::Call { .. }) = (target, source) else {
                    continue;
                };
                if let Some(ty) = self.infer(source) {
                    let what = format!("`{}`", crate::lower::source::print_expr(source));
                    let span = v.span;
                    hints.push((
                        v,
                        Origin {
                            ty,
                            span,
                            what,
                            column: None,
                        },
                    ));
                }
            }
        }

        for (v, from) in pairs {
            let Some(ty) = self
                .infer(from)
                .and_then(|t| crate::check::lattice::element(self.lattices, t))
            else {
                continue;
            };
            let origin = Origin {
                ty,
                span: v.span,
                what: format!("`{}`", crate::lower::source::print_expr(from)),
                column: None,
            };
            hints.push((v, origin));
        }
        hints
    }

    /// Checks `merge(e)`: the column must be a lattice, and `e` a value of it.
    pub(super) fn merge_into(
        &mut self,
        agg: &ast::Aggregate,
        column_ty: ColumnType,
        column: &ColumnDef,
        relation: &str,
    ) -> bool {
        if !matches!(column_ty, ColumnType::Lattice(_)) {
            let ty = self.lattices.display(column_ty).to_string();
            self.diagnostics.push(
                Diagnostic::error(
                    Code::AggregateType,
                    format!(
                        "`merge` needs a lattice column, but `{}` is `{ty}`",
                        column.name
                    ),
                    agg.span,
                    "merges into a column that is not a lattice",
                )
                .with_label(
                    column.ty_span,
                    format!("`{}` of `{relation}` declared here", column.name),
                )
                .with_help(format!(
                    "declare the column as a lattice, such as `{}: Max<{ty}>`, or use `min`/`max`",
                    column.name
                )),
            );
            return false;
        }
        self.expect(&agg.arg, column_ty, &declared_here(column, relation))
    }

    /// A comparison with a lattice side: only `Max`, `Min` and `Bool` values compare,
    /// with their element type (or with a value of their own type).
    pub(super) fn check_lattice_compare(
        &mut self,
        lattice: ColumnType,
        side: &ast::Expr,
        lhs: &ast::Expr,
        rhs: &ast::Expr,
        left: Option<ColumnType>,
        right: Option<ColumnType>,
    ) -> Option<ColumnType> {
        let name = self.lattices.display(lattice).to_string();
        let Some(scalar) = crate::check::lattice::threshold_scalar(self.lattices, lattice) else {
            self.diagnostics.push(
                Diagnostic::error(
                    Code::FunctionArguments,
                    format!("a `{name}` cannot be compared"),
                    side.span(),
                    format!("this is a `{name}`"),
                )
                .with_help(compare_help(self.lattices, lattice)),
            );
            return None;
        };
        let mut ok = true;
        for (expr, ty) in [(lhs, left), (rhs, right)] {
            let expected = if ty == Some(lattice) { lattice } else { scalar };
            let why = Some((side.span(), format!("compared with a `{name}`")));
            ok &= self.expect(expr, expected, &why);
        }
        ok.then_some(scalar)
    }

    /// Checks `elem in set`: `set` is a `Set<T>`, `elem` a `T`.
    pub(super) fn check_in(&mut self, elem: &ast::Expr, set: &ast::Expr) {
        // A set built on the spot (`x in set(5)`) takes its element type from `x`.
        let built =
            matches!(set, ast::Expr::Call { func, .. } if calls::is_constructor(&func.name));
        let elem_ty = self
            .infer(elem)
            .filter(|t| !matches!(t, ColumnType::Lattice(_)));
        let set_ty = match (built, elem_ty) {
            (true, Some(t)) => Some(ColumnType::Lattice(
                self.lattices
                    .intern(hydro_runtime::lattice::LatticeType::Set(t)),
            )),
            _ => self.infer(set),
        };
        let element = set_ty.and_then(|t| match t {
            ColumnType::Lattice(id) => match self.lattices.get(id) {
                hydro_runtime::lattice::LatticeType::Set(t) => Some(*t),
                _ => None,
            },
            _ => None,
        });
        let Some(element) = element else {
            let found = set_ty.map_or(
                format!(
                    "`{}`, whose type cannot be told here",
                    crate::lower::source::print_expr(set)
                ),
                |t| format!("`{}`", self.lattices.display(t)),
            );
            self.diagnostics.push(
                Diagnostic::error(
                    Code::FunctionArguments,
                    format!("`in` needs a set, found {found}"),
                    set.span(),
                    "not a `Set`",
                )
                .with_help("`x in s` ranges over the elements of a `Set<T>`; `keys(m)` gives a map's keys as a set"),
            );
            return;
        };
        if let Some(ty) = set_ty {
            self.expect(set, ty, &None);
        }
        self.expect(
            elem,
            element,
            &Some((set.span(), "an element of this set".to_owned())),
        );
    }

    /// `expect` at a lattice type.
    pub(super) fn expect_lattice(&mut self, expr: &ast::Expr, ty: ColumnType, why: &Why) -> bool {
        let found = self.infer(expr);
        if found == Some(ty) {
            let ok = match expr {
                ast::Expr::Binary { lhs, rhs, op, span } => {
                    self.check_lattice_add(*op, lhs, rhs, ty, *span)
                }
                ast::Expr::Call { func, args, span } => {
                    self.check_call(func, args, Some(ty), *span)
                }
                // `-d` reverses the order: no lattice takes it.
                ast::Expr::Neg(_, span) => {
                    let name = self.lattices.display(ty).to_string();
                    self.diagnostics.push(
                        Diagnostic::error(
                            Code::InvalidOperator,
                            format!("`-` is not defined on a `{name}`"),
                            *span,
                            format!("negates a `{name}`"),
                        )
                        .with_help(
                            "negation turns a growing value into a shrinking one; read the raw \
                             number with `value(x)` (not monotone) to negate it",
                        ),
                    );
                    false
                }
                _ => true,
            };
            if ok {
                self.expr_types.insert(expr.span(), ty);
            }
            return ok;
        }
        if let ast::Expr::Call { func, args, span } = expr {
            if calls::is_constructor(&func.name) {
                let ok = self.check_call(func, args, Some(ty), *span);
                if ok {
                    self.expr_types.insert(expr.span(), ty);
                }
                return ok;
            }
        }
        match lift_source(self.lattices, ty) {
            Some(source) if !matches!(found, Some(ColumnType::Lattice(_))) => {
                self.expect(expr, source, why)
            }
            _ => {
                let expected = self.lattices.display(ty).to_string();
                let found = found.map_or("a value".to_owned(), |t| {
                    format!("`{}`", self.lattices.display(t))
                });
                let mut d = Diagnostic::error(
                    Code::TypeMismatch,
                    format!("expected `{expected}`, found {found}"),
                    expr.span(),
                    format!("this is {found}"),
                )
                .with_help(calls::construct_help(self.lattices, ty));
                if let Some((span, label)) = why {
                    d = d.with_label(*span, label.clone());
                }
                self.diagnostics.push(d);
                false
            }
        }
    }

    /// `d + e` of lattice type: `d` a `Max` or `Min` of a number, `e` its element.
    pub(super) fn check_lattice_add(
        &mut self,
        op: ast::ArithOp,
        lhs: &ast::Expr,
        rhs: &ast::Expr,
        ty: ColumnType,
        span: Span,
    ) -> bool {
        let scalar =
            crate::check::lattice::threshold_scalar(self.lattices, ty).filter(|t| t.is_numeric());
        let (Some(scalar), ast::ArithOp::Add) = (scalar, op) else {
            let name = self.lattices.display(ty).to_string();
            self.diagnostics.push(
                Diagnostic::error(
                    Code::InvalidOperator,
                    format!("`{}` is not defined on a `{name}`", op.as_str()),
                    span,
                    format!("a `{name}` here"),
                )
                .with_help(
                    "a `Max` or `Min` of a number takes `+` with a number (which keeps it \
                     monotone); read the raw number with `value(x)` for other arithmetic",
                ),
            );
            return false;
        };
        let lattice_left = self.infer(lhs) == Some(ty);
        let (lattice_side, scalar_side) = if lattice_left { (lhs, rhs) } else { (rhs, lhs) };
        self.expect(lattice_side, ty, &None) && self.expect(scalar_side, scalar, &None)
    }

    /// Checks a call against the function's signature. `expected` is the type the
    /// position wants (what a constructor builds).
    pub(super) fn check_call(
        &mut self,
        func: &ast::Ident,
        args: &[ast::Expr],
        expected: Option<ColumnType>,
        span: Span,
    ) -> bool {
        let types: Vec<Option<ColumnType>> = args.iter().map(|a| self.infer(a)).collect();
        match calls::arguments(self.lattices, &func.name, &types, expected) {
            Ok(wanted) => {
                let mut ok = true;
                for (i, (arg, ty)) in args.iter().zip(wanted).enumerate() {
                    let name = self.lattices.display(ty).to_string();
                    let role = calls::parameter(&func.name, i);
                    let why = format!("argument {} of `{}` is {role} (`{name}`)", i + 1, func.name);
                    ok &= self.expect(arg, ty, &Some((func.span, why)));
                }
                ok
            }
            Err(problem) => {
                self.diagnostics.push(calls::diagnostic(
                    self.lattices,
                    func,
                    args,
                    &types,
                    span,
                    problem,
                ));
                false
            }
        }
    }
}

impl Typer<'_> {
    /// A lattice column of a body atom holds a fresh variable or `_`: a lattice value is
    /// never a join key, nor compared for equality inside an atom.
    pub(super) fn check_lattice_keys(&mut self) {
        self.check_lattice_delete();
        let rule = self.r.rule;
        let mut seen: BTreeMap<&str, Span> = BTreeMap::new();
        let mut atom_vars: Vec<(&ast::Ident, bool)> = Vec::new();
        for (i, literal) in rule.body.iter().enumerate() {
            let (ast::Literal::Atom(atom) | ast::Literal::Negated { atom, .. }) = literal else {
                continue;
            };
            let negated = matches!(literal, ast::Literal::Negated { .. });
            for (j, arg) in atom.args.iter().enumerate() {
                let lattice = self
                    .column(i, j)
                    .is_some_and(|(c, _)| matches!(c.ty, Some(ColumnType::Lattice(_))));
                match arg {
                    // A variable in the lattice column of a negated atom is reported below.
                    ast::Expr::Var(_) if lattice && negated => {}
                    ast::Expr::Var(v) => atom_vars.push((v, lattice)),
                    ast::Expr::Wildcard(_) => {}
                    other if lattice => self.diagnostics.push(lattice_in_key(
                        other.span(),
                        "a lattice column matched against a value",
                    )),
                    _ => {}
                }
                if let (true, true, ast::Expr::Var(v)) = (lattice, negated, arg) {
                    self.diagnostics.push(lattice_in_key(
                        v.span,
                        "a negated atom compares its lattice column with this variable",
                    ));
                }
            }
        }
        for (v, lattice) in &atom_vars {
            let uses = atom_vars.iter().filter(|(w, _)| w.name == v.name).count();
            if *lattice && uses > 1 && !seen.contains_key(v.name.as_str()) {
                seen.insert(&v.name, v.span);
                let other = atom_vars
                    .iter()
                    .find(|(w, _)| w.name == v.name && w.span != v.span)
                    .map(|(w, _)| w.span);
                let mut d = lattice_in_key(v.span, "bound by a lattice column");
                if let Some(other) = other {
                    d = d.with_label(other, "and used again here, which joins on it");
                }
                self.diagnostics.push(d);
            }
        }
    }

    /// A `delete` removes a lattice relation's tuple only when it names the key's
    /// current value exactly, so its lattice column must be a variable bound to that
    /// value: the lattice column of a positive atom of the same relation. Anything else
    /// (`delete tags(p, "rust")`) could only match by accident.
    fn check_lattice_delete(&mut self) {
        let rule = self.r.rule;
        let (Some(_), Some(rel)) = (rule.head.delete, self.r.head_rel) else {
            return;
        };
        let columns = &self.schema.get(rel).columns;
        let Some(last) = columns.len().checked_sub(1) else {
            return;
        };
        if !matches!(columns[last].ty, Some(ColumnType::Lattice(_))) {
            return;
        }
        let Some(ast::HeadArg::Expr(arg)) = rule.head.args.get(last) else {
            return;
        };
        let current = rule.body.iter().zip(&self.r.body_rels).any(|(literal, body_rel)| {
            let ast::Literal::Atom(atom) = literal else {
                return false;
            };
            let same = *body_rel == Some(rel);
            let binds = matches!((atom.args.get(last), arg), (Some(ast::Expr::Var(a)), ast::Expr::Var(b)) if a.name == b.name);
            same && binds
        });
        if current {
            return;
        }
        let relation = &rule.head.name.name;
        let mut key: Vec<String> = rule.head.args[..last]
            .iter()
            .map(|a| match a {
                ast::HeadArg::Expr(e) => crate::lower::source::print_expr(e),
                ast::HeadArg::Aggregate(_) => "_".to_owned(),
            })
            .collect();
        key.push("v".to_owned());
        let atom = format!("{relation}({})", key.join(", "));
        self.diagnostics.push(
            lattice_in_key(arg.span(), "not the key's current value").with_help(format!(
                "a `delete` removes a key's tuple only when it names the current value: \
                 bind it from the relation, `delete {atom} :- ..., {atom}.` (a lattice \
                 value cannot shrink any other way)"
            )),
        );
    }

    /// Classifies every use of a lattice value bound by a positive body atom.
    pub(super) fn lattice_reads(&self, typed: &TypedRule) -> Vec<LatticeRead> {
        let rule = self.r.rule;
        let mut reads = crate::check::lattice::Reads {
            lattices: self.lattices,
            expr_types: &typed.expr_types,
            sources: BTreeMap::new(),
            aliases: BTreeMap::new(),
            reads: Vec::new(),
        };
        let mut atom_bound = std::collections::BTreeSet::new();
        for (i, literal) in rule.body.iter().enumerate() {
            let ast::Literal::Atom(atom) = literal else {
                continue;
            };
            for (j, arg) in atom.args.iter().enumerate() {
                let lattice = self
                    .column(i, j)
                    .is_some_and(|(c, _)| matches!(c.ty, Some(ColumnType::Lattice(_))));
                if let ast::Expr::Var(v) = arg {
                    atom_bound.insert(v.name.as_str());
                }
                if let (true, ast::Expr::Var(v), Some(rel)) = (lattice, arg, self.r.body_rels[i]) {
                    reads.sources.insert(v.name.clone(), rel);
                }
            }
        }
        if reads.sources.is_empty() {
            return Vec::new();
        }

        // `z = size(s)` with `z` bound nowhere else names the lattice value: uses of `z`
        // are uses of `size(s)`, and the binding itself reads nothing.
        let mut bindings = std::collections::BTreeSet::new();
        for (i, literal) in rule.body.iter().enumerate() {
            let Some(sides) = literal.equation() else {
                continue;
            };
            for (target, source) in sides {
                let ast::Expr::Var(v) = target else { continue };
                let lattice = matches!(self.vars.get(&v.name), Some(o) if matches!(o.ty, ColumnType::Lattice(_)));
                let fresh = !atom_bound.contains(v.name.as_str())
                    && !reads.aliases.contains_key(&v.name)
                    && !matches!(source, ast::Expr::Var(_));
                if lattice && fresh {
                    reads.aliases.insert(v.name.clone(), source);
                    bindings.insert(i);
                    break;
                }
            }
        }

        for (i, literal) in rule.body.iter().enumerate() {
            if bindings.contains(&i) {
                continue;
            }
            match literal {
                ast::Literal::Atom(_) | ast::Literal::Negated { .. } => {}
                ast::Literal::Compare {
                    op,
                    op_span,
                    lhs,
                    rhs,
                    span,
                } => {
                    let (l, r) = (
                        typed.expr_types.get(&lhs.span()),
                        typed.expr_types.get(&rhs.span()),
                    );
                    let threshold = match (l, r) {
                        (Some(t @ ColumnType::Lattice(_)), Some(ColumnType::Lattice(_))) => {
                            // Two lattice values compared: never a threshold.
                            let _ = t;
                            false
                        }
                        (Some(t @ ColumnType::Lattice(_)), _) => {
                            crate::check::lattice::is_threshold(self.lattices, *t, *op, true, rhs)
                        }
                        (_, Some(t @ ColumnType::Lattice(_))) => {
                            crate::check::lattice::is_threshold(self.lattices, *t, *op, false, lhs)
                        }
                        _ => false,
                    };
                    // A bare call (`contains(s, x)`, `!contains(s, x)`) reads as written; its
                    // implied `= true` has an empty span.
                    let lhs_text = crate::lower::source::print_expr(lhs);
                    let text = match (op_span.start == op_span.end, rhs) {
                        (true, ast::Expr::Lit(ast::Lit::Bool(false), _)) => format!("!{lhs_text}"),
                        (true, _) => lhs_text,
                        _ => format!(
                            "{lhs_text} {} {}",
                            op.as_str(),
                            crate::lower::source::print_expr(rhs)
                        ),
                    };
                    reads.compare(lhs, rhs, threshold, *span, &text);
                }
                ast::Literal::In { elem, set, span } => reads.member(elem, set, *span),
            }
        }
        let head = &rule.head;
        for arg in &head.args {
            match arg {
                ast::HeadArg::Expr(e) => reads.head(e, &head.name.name),
                ast::HeadArg::Aggregate(agg) if agg.is_merge() => {
                    reads.head(&agg.arg, &head.name.name)
                }
                ast::HeadArg::Aggregate(agg) => reads.scalar(&agg.arg),
            }
        }
        reads.reads.sort_by_key(|r| r.span);
        reads.reads
    }
}

/// E0207 at `span`.
fn lattice_in_key(span: Span, label: &str) -> Diagnostic {
    Diagnostic::error(
        Code::LatticeInKey,
        "a lattice value cannot be matched for equality",
        span,
        label.to_owned(),
    )
    .with_help(
        "bind the lattice column to a fresh variable (or `_`) and read it with a threshold \
         (`d >= 10` on a `Max`, `d <= 10` on a `Min`) or an operation (`contains(s, x)`)",
    )
}

/// The argument lists of every call in `expr`, outermost first.
pub(super) fn calls_in<'e>(expr: &'e ast::Expr, calls: &mut Vec<&'e [ast::Expr]>) {
    match expr {
        ast::Expr::Call { args, .. } => {
            calls.push(args);
            for arg in args {
                calls_in(arg, calls);
            }
        }
        ast::Expr::Neg(inner, _) => calls_in(inner, calls),
        ast::Expr::Binary { lhs, rhs, .. } => {
            calls_in(lhs, calls);
            calls_in(rhs, calls);
        }
        ast::Expr::Var(_) | ast::Expr::Wildcard(_) | ast::Expr::Lit(..) => {}
    }
}

/// What to compare instead of a lattice value that does not compare.
fn compare_help(lattices: &hydro_runtime::lattice::LatticeTypes, ty: ColumnType) -> String {
    use hydro_runtime::lattice::LatticeType;
    let ColumnType::Lattice(id) = ty else {
        return String::new();
    };
    let read = match lattices.get(id) {
        LatticeType::Set(_) => "its size or a membership: `size(s) >= 3`, `contains(s, x)`",
        LatticeType::Map(..) => "its size or a key's value: `size(m) >= 3`, `get(m, k) >= 1`",
        LatticeType::Lww(_) => "its timestamp, `timestamp(r) >= 10`, or its raw `value(r)`",
        LatticeType::VClock => "a writer's counter: `get(c, \"w\") >= 2`",
        LatticeType::Causal(_) => "its clock: `get(clock(c), \"w\") >= 2`",
        LatticeType::Pair(..) | LatticeType::DomPair(..) => "a half: `first(p) >= 1`",
        LatticeType::Counter => "its total: `total(c) >= 100`",
        LatticeType::PnCounter | LatticeType::Extern(_) => "its raw `value(c)`",
        LatticeType::Max(_) | LatticeType::Min(_) | LatticeType::Bool => "its element",
    };
    format!("compare what an operation reads from it: {read}")
}
