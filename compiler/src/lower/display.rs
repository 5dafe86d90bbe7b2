//! Renders a [`Plan`] as text: what snapshot tests compare and what a person reads
//! when debugging the planner.
//!
//! Slots print as `$0`, `$1`, ...; in a scan, `$2=` binds slot 2 from the column, `_`
//! matches anything, and any other argument is the value the column must equal.
//! Constants print with their type (`3u64`, `-1i64`, `2.5f64`, `"text"`, `true`).

use std::fmt::Write;

use hydro_runtime::ir::{Arg, Expr, HeadColumn, JoinPlan, Plan, RelId, Step, Timing, Version};
use hydro_runtime::value::Const;

/// The whole plan as text, one line per relation, fact, rule header and step.
pub fn render_plan(plan: &Plan) -> String {
    let name = |rel: RelId| rel_name(plan, rel);
    let mut out = String::new();

    for (i, rel) in plan.relations.iter().enumerate() {
        let columns: Vec<String> = rel
            .columns
            .iter()
            .map(|c| format!("{}: {}", c.name, c.ty))
            .collect();
        let _ = writeln!(
            out,
            "relation r{i} {} {}({})",
            rel.kind.keyword(),
            rel.name,
            columns.join(", ")
        );
    }
    for fact in &plan.facts {
        let values: Vec<String> = fact.values.iter().map(constant).collect();
        let _ = writeln!(out, "fact {}({})", name(fact.rel), values.join(", "));
    }

    for (i, stratum) in plan.strata.iter().enumerate() {
        let relations: Vec<&str> = stratum.relations.iter().map(|&r| name(r)).collect();
        let _ = writeln!(
            out,
            "stratum {i}{} [{}]",
            if stratum.recursive { " recursive" } else { "" },
            relations.join(", ")
        );
        for rule in &stratum.rules {
            let _ = writeln!(out, "  rule {}", rule.source);
            out.push_str("    slots");
            for (slot, ty) in rule.slots.iter().enumerate() {
                let _ = write!(out, "{} ${slot}: {ty}", if slot == 0 { "" } else { "," });
            }
            out.push('\n');
            let columns: Vec<String> = rule.head.columns.iter().map(head_column).collect();
            let timing = match rule.head.timing {
                Timing::Now => "",
                Timing::Next => "@next",
                Timing::Delete => " (delete)",
            };
            let _ = write!(
                out,
                "    head {}({}){timing}",
                name(rule.head.rel),
                columns.join(", ")
            );
            if !rule.head.distinct.is_empty() {
                let slots: Vec<String> =
                    rule.head.distinct.iter().map(|s| format!("${s}")).collect();
                let _ = write!(out, " distinct [{}]", slots.join(", "));
            }
            out.push('\n');
            write_join(&mut out, plan, "full", &rule.full);
            for (d, delta) in rule.deltas.iter().enumerate() {
                write_join(&mut out, plan, &format!("delta {d}"), delta);
            }
        }
    }
    out
}

fn rel_name(plan: &Plan, rel: RelId) -> &str {
    plan.relations
        .get(rel.index())
        .map_or("<unknown>", |r| r.name.as_str())
}

fn write_join(out: &mut String, plan: &Plan, label: &str, join: &JoinPlan) {
    let name = |rel: RelId| rel_name(plan, rel);
    let _ = writeln!(out, "    {label}:");
    for step in &join.steps {
        let text = match step {
            Step::Scan { rel, version, args } => {
                let delta = if *version == Version::Delta {
                    " delta"
                } else {
                    ""
                };
                format!("scan{delta} {}({})", name(*rel), args_text(args))
            }
            Step::Absent { rel, args } => format!("absent {}({})", name(*rel), args_text(args)),
            Step::Filter { op, ty, lhs, rhs } => {
                format!("filter {} {} {} : {ty}", expr(lhs), op.as_str(), expr(rhs))
            }
            Step::Let { slot, expr: value } => format!("let ${slot} = {}", expr(value)),
            Step::Unnest { slot, set } => format!("unnest ${slot} in {}", expr(set)),
        };
        let _ = writeln!(out, "      {text}");
    }
}

fn args_text(args: &[Arg]) -> String {
    let args: Vec<String> = args
        .iter()
        .map(|a| match a {
            Arg::Bind(slot) => format!("${slot}="),
            Arg::Eq(e) => expr(e),
            Arg::Any => "_".to_owned(),
        })
        .collect();
    args.join(", ")
}

fn head_column(column: &HeadColumn) -> String {
    match column {
        HeadColumn::Value(e) => expr(e),
        HeadColumn::Aggregate { func, ty, arg } => {
            format!("{}({} : {ty})", func.name(), expr(arg))
        }
    }
}

fn expr(e: &Expr) -> String {
    match e {
        Expr::Slot(slot) => format!("${slot}"),
        Expr::Const(c) => constant(c),
        Expr::Neg { ty, arg } => format!("neg.{ty}({})", expr(arg)),
        Expr::Binary { op, ty, lhs, rhs } => {
            format!("({} {}.{ty} {})", expr(lhs), op.as_str(), expr(rhs))
        }
        Expr::Call { op, args, .. } => format!("{}({})", op.name(), exprs(args)),
        Expr::Construct { ctor, args, ty } => {
            format!("{}.lattice{}({})", ctor.name(), ty.0, exprs(args))
        }
        Expr::Lift { ty, arg } => format!("lift.lattice{}({})", ty.0, expr(arg)),
    }
}

fn exprs(args: &[Expr]) -> String {
    args.iter().map(expr).collect::<Vec<_>>().join(", ")
}

fn constant(c: &Const) -> String {
    match c {
        Const::String(s) => format!("{s:?}"),
        Const::F64(f) => format!("{f:?}f64"),
        Const::Bool(b) => b.to_string(),
        other => format!("{other}{}", other.ty()),
    }
}
