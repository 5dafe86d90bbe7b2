//! Names: the declared relations (duplicate relations and columns, unknown types) and
//! every atom of every rule resolved against them (unknown relations, arity).

use std::collections::{BTreeMap, HashMap};

use hydro_runtime::ir::{RelId, RelationKind};
use hydro_runtime::lattice::LatticeTypes;
use hydro_runtime::value::ColumnType;

use super::suggest;
use super::typeexpr::TypeResolver;
use super::RelationInfo;
use crate::diag::{Code, Diagnostic};
use crate::source::Span;
use crate::syntax::ast;

/// One declared column. The type is `None` when the declaration named an unknown type
/// (already reported): checks treat such a column as accepting anything.
pub(super) struct ColumnDef {
    pub name: String,
    pub ty: Option<ColumnType>,
    /// The span of the column's type, where type mismatches point.
    pub ty_span: Span,
    /// The column's type as written, for messages.
    pub ty_text: String,
}

/// One declared relation.
pub(super) struct Relation {
    pub name: String,
    pub kind: RelationKind,
    pub columns: Vec<ColumnDef>,
    /// The span of the relation's name in its declaration.
    pub name_span: Span,
    /// The whole declaration.
    pub span: Span,
    /// The span of `monotone`, when the relation is promised monotone.
    pub monotone: Option<Span>,
}

/// Every declared relation, in declaration order (the first of duplicates wins).
pub(super) struct Schema {
    relations: Vec<Relation>,
    by_name: HashMap<String, RelId>,
    /// The lattice types of the columns (and of values computed by rules, added while
    /// checking types).
    pub lattices: LatticeTypes,
}

impl Schema {
    /// The relation with this id.
    pub fn get(&self, id: RelId) -> &Relation {
        &self.relations[id.index()]
    }

    /// The relation with this name.
    pub fn lookup(&self, name: &str) -> Option<RelId> {
        self.by_name.get(name).copied()
    }

    /// All relations with their ids, in declaration order.
    pub fn iter(&self) -> impl Iterator<Item = (RelId, &Relation)> {
        self.relations
            .iter()
            .enumerate()
            .map(|(i, r)| (RelId(i as u32), r))
    }

    /// The number of relations.
    pub fn len(&self) -> usize {
        self.relations.len()
    }

    /// The relations as the checked program shows them. Only called when no error was
    /// found, so every column's type is known.
    pub fn into_relation_infos(self) -> (Vec<RelationInfo>, LatticeTypes) {
        let relations = self
            .relations
            .into_iter()
            .map(|r| RelationInfo {
                name: r.name,
                kind: r.kind,
                columns: r
                    .columns
                    .into_iter()
                    .map(|c| (c.name, c.ty.unwrap_or(ColumnType::U64)))
                    .collect(),
                span: r.span,
                monotone: r.monotone,
            })
            .collect();
        (relations, self.lattices)
    }
}

/// Collects the extern lattices, reporting duplicates and an `extern` of anything but a
/// lattice.
pub(super) fn declare_externs(
    items: &[&ast::ExternLattice],
    diagnostics: &mut Vec<Diagnostic>,
) -> BTreeMap<String, Span> {
    let mut externs = BTreeMap::new();
    for item in items {
        if item.word.name != "lattice" {
            diagnostics.push(
                Diagnostic::error(
                    Code::Syntax,
                    format!("`extern {}` is not an item", item.word.name),
                    item.word.span,
                    "expected `lattice`",
                )
                .with_help(format!(
                    "declare a lattice type: `extern lattice {};`",
                    item.name.name
                )),
            );
            continue;
        }
        if super::typeexpr::is_builtin(&item.name.name) {
            diagnostics.push(
                Diagnostic::error(
                    Code::DuplicateDeclaration,
                    format!("`{}` is a built-in type", item.name.name),
                    item.name.span,
                    "already a type",
                )
                .with_help("give the extern lattice a name of its own"),
            );
            continue;
        }
        if let Some(first) = externs.get(&item.name.name) {
            diagnostics.push(
                Diagnostic::error(
                    Code::DuplicateDeclaration,
                    format!("lattice `{}` is declared twice", item.name.name),
                    item.name.span,
                    "declared again here",
                )
                .with_label(*first, "first declared here")
                .with_help("remove one of the declarations"),
            );
            continue;
        }
        externs.insert(item.name.name.clone(), item.name.span);
    }
    externs
}

/// Collects the declarations, reporting duplicate relations, duplicate columns, unknown
/// types and lattice columns that are not last.
pub(super) fn declare(
    decls: &[&ast::Decl],
    externs: &BTreeMap<String, Span>,
    diagnostics: &mut Vec<Diagnostic>,
) -> Schema {
    let mut schema = Schema {
        relations: Vec::new(),
        by_name: HashMap::new(),
        lattices: LatticeTypes::new(),
    };
    for decl in decls {
        let mut types = TypeResolver {
            lattices: &mut schema.lattices,
            externs,
        };
        let columns = declare_columns(decl, &mut types, diagnostics);

        // A second declaration of a name is reported and otherwise ignored: rules are
        // checked against the first.
        if let Some(first) = schema.lookup(&decl.name.name) {
            let first = schema.get(first);
            diagnostics.push(
                Diagnostic::error(
                    Code::DuplicateDeclaration,
                    format!("relation `{}` is declared twice", decl.name.name),
                    decl.name.span,
                    "declared again here",
                )
                .with_label(first.name_span, "first declared here")
                .with_help("remove one of the declarations, or rename one of the relations"),
            );
            continue;
        }
        let id = RelId(schema.relations.len() as u32);
        schema.by_name.insert(decl.name.name.clone(), id);
        schema.relations.push(Relation {
            name: decl.name.name.clone(),
            kind: decl.kind,
            columns,
            name_span: decl.name.span,
            span: decl.span,
            monotone: decl.monotone,
        });
    }
    schema
}

/// The columns of one declaration, reporting duplicate names, unknown types and lattice
/// columns that are not last.
fn declare_columns(
    decl: &ast::Decl,
    types: &mut TypeResolver,
    diagnostics: &mut Vec<Diagnostic>,
) -> Vec<ColumnDef> {
    let mut columns: Vec<ColumnDef> = Vec::new();
    for (i, column) in decl.columns.iter().enumerate() {
        if let Some(j) = decl.columns[..i]
            .iter()
            .position(|c| c.name.name == column.name.name)
        {
            diagnostics.push(
                Diagnostic::error(
                    Code::DuplicateColumn,
                    format!(
                        "column `{}` is declared twice in `{}`",
                        column.name.name, decl.name.name
                    ),
                    column.name.span,
                    "declared again here",
                )
                .with_label(decl.columns[j].name.span, "first declared here")
                .with_help("give every column of a relation its own name"),
            );
        }
        let ty = types.resolve(&column.ty, diagnostics);
        let last = i + 1 == decl.columns.len();
        if matches!(ty, Some(ColumnType::Lattice(_))) && !last {
            let key: Vec<&str> = decl
                .columns
                .iter()
                .enumerate()
                .filter(|&(j, _)| j != i)
                .map(|(_, c)| c.name.name.as_str())
                .collect();
            diagnostics.push(
                Diagnostic::error(
                    Code::LatticeNotLast,
                    format!(
                        "lattice column `{}` of `{}` is not the last column",
                        column.name.name, decl.name.name
                    ),
                    column.span,
                    "a lattice column",
                )
                .with_note(
                    "a relation holds one lattice value per key, and the key is every column \
                     before the last",
                )
                .with_help(format!(
                    "move `{}` to the end: key columns `{}` first",
                    column.name.name,
                    key.join(", ")
                )),
            );
        }
        columns.push(ColumnDef {
            name: column.name.name.clone(),
            ty,
            ty_span: column.ty.span,
            ty_text: super::typeexpr::text(&column.ty),
        });
    }
    columns
}

/// A rule (or fact) with its relations resolved.
pub(super) struct ResolvedRule<'a> {
    /// The rule as parsed.
    pub rule: &'a ast::Rule,
    /// The head's relation, if declared and of the right arity.
    pub head_rel: Option<RelId>,
    /// For each body literal: the relation of an atom (plain or negated), if declared
    /// and of the right arity; `None` for comparisons.
    pub body_rels: Vec<Option<RelId>>,
    /// Whether every atom resolved with the right arity.
    complete: bool,
}

impl ResolvedRule<'_> {
    /// Whether every atom of the rule names a declared relation with the right arity:
    /// the checks that need columns run only then.
    pub fn complete(&self) -> bool {
        self.complete
    }
}

/// Resolves the head and every body atom of a rule, reporting unknown relations and
/// arity mismatches.
pub(super) fn resolve_rule<'a>(
    schema: &Schema,
    rule: &'a ast::Rule,
    diagnostics: &mut Vec<Diagnostic>,
) -> ResolvedRule<'a> {
    let mut complete = true;
    let head_arity = rule.head.args.len();
    let head_rel = resolve_atom(
        schema,
        rule,
        None,
        &rule.head.name,
        head_arity,
        rule.head.span,
    );
    let head_rel = head_rel.map_err(|d| diagnostics.push(*d)).ok();
    complete &= head_rel.is_some();
    let mut body_rels = Vec::with_capacity(rule.body.len());
    for literal in &rule.body {
        let atom = match literal {
            ast::Literal::Atom(atom) | ast::Literal::Negated { atom, .. } => atom,
            ast::Literal::Compare { .. } | ast::Literal::In { .. } => {
                body_rels.push(None);
                continue;
            }
        };
        let rel = resolve_atom(
            schema,
            rule,
            Some(atom),
            &atom.name,
            atom.args.len(),
            atom.span,
        );
        let rel = rel.map_err(|d| diagnostics.push(*d)).ok();
        complete &= rel.is_some();
        body_rels.push(rel);
    }
    ResolvedRule {
        rule,
        head_rel,
        body_rels,
        complete,
    }
}

/// Resolves one atom (the head when `atom` is `None`).
fn resolve_atom(
    schema: &Schema,
    rule: &ast::Rule,
    atom: Option<&ast::Atom>,
    name: &ast::Ident,
    arity: usize,
    span: Span,
) -> Result<RelId, Box<Diagnostic>> {
    let Some(id) = schema.lookup(&name.name) else {
        return Err(Box::new(unknown_relation(schema, rule, atom, name, arity)));
    };
    let relation = schema.get(id);
    if relation.columns.len() == arity {
        return Ok(id);
    }
    let columns: Vec<&str> = relation.columns.iter().map(|c| c.name.as_str()).collect();
    Err(Box::new(
        Diagnostic::error(
            Code::ArityMismatch,
            format!(
                "`{}` has {} but {} given",
                relation.name,
                plural(columns.len(), "column"),
                plural(arity, "argument"),
            ),
            span,
            format!("{} here", plural(arity, "argument")),
        )
        .with_label(
            relation.span,
            format!(
                "`{}` declared with {}",
                relation.name,
                plural(columns.len(), "column")
            ),
        )
        .with_help(format!(
            "write one argument per column: `{}({})`",
            relation.name,
            columns.join(", ")
        )),
    ))
}

/// "1 column", "3 arguments".
pub(super) fn plural(n: usize, word: &str) -> String {
    if n == 1 {
        format!("1 {word}")
    } else {
        format!("{n} {word}s")
    }
}

/// The diagnostic for an undeclared relation: a close declared name if there is one,
/// else the declaration to add, with column types guessed from the rule.
fn unknown_relation(
    schema: &Schema,
    rule: &ast::Rule,
    atom: Option<&ast::Atom>,
    name: &ast::Ident,
    arity: usize,
) -> Diagnostic {
    let diagnostic = Diagnostic::error(
        Code::UnknownRelation,
        format!("unknown relation `{}`", name.name),
        name.span,
        "not declared",
    );
    let names = schema.iter().map(|(_, r)| r.name.as_str());
    if let Some(close) = suggest::closest(&name.name, names) {
        let id = schema.lookup(close).unwrap_or(RelId(0));
        return diagnostic
            .with_label(
                schema.get(id).name_span,
                format!("`{close}` is declared here"),
            )
            .with_help(format!("did you mean `{close}`?"));
    }
    let args: Vec<&ast::Expr> = match atom {
        Some(atom) => atom.args.iter().collect(),
        None => rule
            .head
            .args
            .iter()
            .map(|a| match a {
                ast::HeadArg::Expr(e) => e,
                ast::HeadArg::Aggregate(agg) => &agg.arg,
            })
            .collect(),
    };
    debug_assert_eq!(args.len(), arity);
    let kind = match atom {
        Some(_) => "input",
        None if rule.body.is_empty() => "table",
        None => "output",
    };
    let mut names: Vec<String> = Vec::new();
    let mut columns = Vec::new();
    for (i, arg) in args.iter().enumerate() {
        let column = match arg {
            ast::Expr::Var(v) if !names.contains(&v.name) => v.name.clone(),
            _ => format!("c{}", i + 1),
        };
        let ty = guess_type(schema, rule, arg).unwrap_or(ColumnType::U64);
        columns.push(format!("{column}: {ty}"));
        names.push(column);
    }
    diagnostic.with_help(format!(
        "declare it: `{kind} {}({});`",
        name.name,
        columns.join(", ")
    ))
}

/// The type an argument most likely has: a literal's own type, or the type of a column
/// the same variable occupies in a declared relation of the rule.
fn guess_type(schema: &Schema, rule: &ast::Rule, arg: &ast::Expr) -> Option<ColumnType> {
    match arg {
        ast::Expr::Lit(ast::Lit::Str(_), _) => Some(ColumnType::String),
        ast::Expr::Lit(ast::Lit::Bool(_), _) => Some(ColumnType::Bool),
        ast::Expr::Lit(ast::Lit::Float(_), _) => Some(ColumnType::F64),
        ast::Expr::Var(v) => {
            // Every atom of the rule, the head included, as (relation, arguments).
            let head_args: Vec<&ast::Expr> = rule
                .head
                .args
                .iter()
                .filter_map(|a| match a {
                    ast::HeadArg::Expr(e) => Some(e),
                    ast::HeadArg::Aggregate(_) => None,
                })
                .collect();
            let mut atoms = vec![(&rule.head.name.name, head_args)];
            for literal in &rule.body {
                if let ast::Literal::Atom(atom) | ast::Literal::Negated { atom, .. } = literal {
                    atoms.push((&atom.name.name, atom.args.iter().collect()));
                }
            }
            atoms.into_iter().find_map(|(name, args)| {
                let relation = schema.get(schema.lookup(name)?);
                if relation.columns.len() != args.len() {
                    return None;
                }
                args.iter()
                    .zip(&relation.columns)
                    .find_map(|(a, c)| match a {
                        ast::Expr::Var(w) if w.name == v.name => c.ty,
                        _ => None,
                    })
            })
        }
        _ => None,
    }
}
