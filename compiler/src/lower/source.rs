//! Prints rules back as canonical Hydro source: one space after each comma, spaces
//! around operators, parentheses only where precedence needs them. The plan keeps this
//! text for each rule (for logs and comments in generated code); it also reads well in
//! snapshots and debugging output.

use std::fmt::Write;

use crate::syntax::ast;

/// The canonical source text of a rule (or fact), ending with `.`.
pub fn print_rule(rule: &ast::Rule) -> String {
    let mut out = String::new();
    let head = &rule.head;
    if head.delete.is_some() {
        out.push_str("delete ");
    }
    out.push_str(&head.name.name);
    out.push('(');
    for (i, arg) in head.args.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        match arg {
            ast::HeadArg::Expr(e) => out.push_str(&print_expr(e)),
            ast::HeadArg::Aggregate(agg) => {
                let _ = write!(out, "{}({})", agg.func.name, print_expr(&agg.arg));
            }
        }
    }
    out.push(')');
    if head.next.is_some() {
        out.push_str("@next");
    }
    for (i, literal) in rule.body.iter().enumerate() {
        out.push_str(if i == 0 { " :- " } else { ", " });
        match literal {
            ast::Literal::Atom(atom) => print_atom(&mut out, atom),
            ast::Literal::Negated { atom, .. } => {
                out.push('!');
                print_atom(&mut out, atom);
            }
            ast::Literal::Compare { op, lhs, rhs, .. } => {
                let _ = write!(
                    out,
                    "{} {} {}",
                    print_expr(lhs),
                    op.as_str(),
                    print_expr(rhs)
                );
            }
            ast::Literal::In { elem, set, .. } => {
                let _ = write!(out, "{} in {}", print_expr(elem), print_expr(set));
            }
        }
    }
    out.push('.');
    out
}

fn print_atom(out: &mut String, atom: &ast::Atom) {
    out.push_str(&atom.name.name);
    out.push('(');
    for (i, arg) in atom.args.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push_str(&print_expr(arg));
    }
    out.push(')');
}

/// The canonical source text of an expression.
pub fn print_expr(expr: &ast::Expr) -> String {
    let mut out = String::new();
    write_expr(&mut out, expr, 0);
    out
}

/// Binding strength: `+ -` bind less than `* / %`, which bind less than unary `-`.
fn precedence(expr: &ast::Expr) -> u8 {
    match expr {
        ast::Expr::Binary {
            op: ast::ArithOp::Add | ast::ArithOp::Sub,
            ..
        } => 1,
        ast::Expr::Binary { .. } => 2,
        ast::Expr::Neg(..) => 3,
        _ => 4,
    }
}

/// Writes `expr`, in parentheses if it binds less tightly than `min` requires.
fn write_expr(out: &mut String, expr: &ast::Expr, min: u8) {
    let own = precedence(expr);
    if own < min {
        out.push('(');
    }
    match expr {
        ast::Expr::Var(v) => out.push_str(&v.name),
        ast::Expr::Wildcard(_) => out.push('_'),
        ast::Expr::Lit(lit, _) => write_lit(out, lit),
        ast::Expr::Neg(inner, _) => {
            out.push('-');
            // `- -x` would read as a decrement to some eyes: nest with parentheses.
            let min = if matches!(**inner, ast::Expr::Neg(..)) {
                4
            } else {
                3
            };
            write_expr(out, inner, min);
        }
        // Operators are left-associative: a right operand of equal strength needs
        // parentheses (`a - (b - c)`), a left one does not.
        ast::Expr::Binary { op, lhs, rhs, .. } => {
            write_expr(out, lhs, own);
            let _ = write!(out, " {} ", op.as_str());
            write_expr(out, rhs, own + 1);
        }
        ast::Expr::Call { func, args, .. } => {
            out.push_str(&func.name);
            out.push('(');
            for (i, arg) in args.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_expr(out, arg, 0);
            }
            out.push(')');
        }
    }
    if own < min {
        out.push(')');
    }
}

fn write_lit(out: &mut String, lit: &ast::Lit) {
    match lit {
        ast::Lit::Int(v) => {
            let _ = write!(out, "{v}");
        }
        // `{:?}` keeps a decimal point (`1.0`), so the text reads back as a float.
        ast::Lit::Float(f) => {
            let _ = write!(out, "{f:?}");
        }
        ast::Lit::Bool(b) => {
            let _ = write!(out, "{b}");
        }
        ast::Lit::Str(s) => {
            out.push('"');
            for c in s.chars() {
                match c {
                    '"' => out.push_str("\\\""),
                    '\\' => out.push_str("\\\\"),
                    '\n' => out.push_str("\\n"),
                    '\t' => out.push_str("\\t"),
                    '\r' => out.push_str("\\r"),
                    c => out.push(c),
                }
            }
            out.push('"');
        }
    }
}
