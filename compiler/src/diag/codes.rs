//! The registry of diagnostic codes. Each code is stable once published: `hydro
//! explain CODE` prints its explanation, and the book lists them all.
//!
//! Numbering: E00xx syntax and loading, E01xx names and declarations, E02xx types,
//! E03xx safety (range restriction), E04xx writes and time, E05xx stratification,
//! E06xx aggregation, E07xx monotonicity promises (the CALM analysis).

macro_rules! codes {
    ($($variant:ident = $id:literal, $title:literal, $explanation:literal;)*) => {
        /// A diagnostic code.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $(
                #[doc = $title]
                $variant,
            )*
        }

        impl Code {
            /// Every code, in numeric order.
            pub const ALL: &'static [Code] = &[$(Code::$variant),*];

            /// The code as written, such as `E0101`.
            pub fn as_str(self) -> &'static str {
                match self { $(Code::$variant => $id,)* }
            }

            /// A one-line summary.
            pub fn title(self) -> &'static str {
                match self { $(Code::$variant => $title,)* }
            }

            /// The long explanation `hydro explain` prints: what the rule is, why, an
            /// example that triggers it, and the fix.
            pub fn explanation(self) -> &'static str {
                match self { $(Code::$variant => $explanation,)* }
            }

            /// Looks a code up by its text (case-insensitive, `E` optional).
            pub fn parse(text: &str) -> Option<Code> {
                let text = text.trim();
                let digits = text.strip_prefix(['E', 'e']).unwrap_or(text);
                Code::ALL.iter().copied().find(|c| &c.as_str()[1..] == digits)
            }
        }
    };
}

codes! {
    Syntax = "E0001", "syntax error",
        r#"The parser met a token it did not expect: a missing `.` at the end of a rule,
a missing `;` after a declaration or an import, an unbalanced parenthesis, or
a keyword where a name belongs. The message lists the tokens that could come
next.

Erroneous example:

    input edge(src: u64, dst: u64)
    path(x, y) :- edge(x, y)

Fixed (a declaration ends with `;`, a rule with `.`):

    input edge(src: u64, dst: u64);
    output path(src: u64, dst: u64);
    path(x, y) :- edge(x, y).
"#;
    UnterminatedString = "E0002", "unterminated string literal",
        r#"A string literal opens with `"` and has no closing `"` before the end of the
file. A quote inside a string is written `\"`.

Erroneous example:

    input person(name: string);
    person("Ada).

Fixed:

    input person(name: string);
    person("Ada").
"#;
    UnterminatedComment = "E0003", "unterminated block comment",
        r#"A block comment opens with `/*` and has no closing `*/` before the end of the
file, so everything after it would be ignored.

Erroneous example:

    /* the graph's edges
    input edge(src: u64, dst: u64);

Fixed:

    /* the graph's edges */
    input edge(src: u64, dst: u64);
"#;
    InvalidLiteral = "E0004", "invalid literal",
        r#"A literal cannot be read as the value it must be: an integer larger than the
type of its column allows (`u64` holds up to 18446744073709551615, `i64` from
-9223372036854775808 to 9223372036854775807), a malformed number, or an
escape sequence in a string that is not recognised.

Erroneous example:

    table balance(account: u64, amount: i64);
    balance(1, 9300000000000000000).

Fixed (a column type that holds the value):

    table balance(account: u64, amount: u64);
    balance(1, 9300000000000000000).
"#;
    ImportNotFound = "E0005", "imported file cannot be read",
        r#"An `import` names a file that does not exist or cannot be read. Import paths
are relative to the directory of the file that contains the `import`, not to
the directory `hydro` runs in. Each file is loaded once, however many files
import it.

Erroneous example (in `app/main.hydro`, with the graph in `app/lib/graph.hydro`):

    import "graph.hydro";

Fixed:

    import "lib/graph.hydro";
"#;
    UnknownRelation = "E0101", "unknown relation",
        r#"A rule or fact uses a relation that no declaration introduces. Every relation
is declared once, with its kind and typed columns, in the program or in a file
it imports; declarations may come before or after the rules that use them.
The help suggests the most similar declared name when one is close enough
(by edit distance, ignoring case, a swap of two adjacent letters counting as
one edit); otherwise it suggests a declaration to add, with column types
guessed from the rule.

Erroneous example:

    input edge(src: u64, dst: u64);
    output path(src: u64, dst: u64);
    path(x, y) :- edges(x, y).

Fixed (use the declared name, or declare the relation):

    input edge(src: u64, dst: u64);
    output path(src: u64, dst: u64);
    path(x, y) :- edge(x, y).
"#;
    DuplicateDeclaration = "E0102", "relation declared twice",
        r#"Two declarations introduce the same relation name, in one file or across
imported files. A relation has one kind and one list of columns, so it is
declared exactly once; rules are checked against the first declaration.

Erroneous example:

    input edge(src: u64, dst: u64);
    table edge(src: u64, dst: u64);

Fixed (keep one declaration, or rename one relation):

    input edge(src: u64, dst: u64);
    table known_edge(src: u64, dst: u64);
"#;
    ArityMismatch = "E0103", "wrong number of arguments",
        r#"An atom, a head or a fact has a different number of arguments than its
relation has columns. Every argument fills one column, in order; write `_` for
a column whose value does not matter in a body atom.

Erroneous example:

    input edge(src: u64, dst: u64, weight: u64);
    output reach(src: u64, dst: u64);
    reach(x, y) :- edge(x, y).

Fixed:

    input edge(src: u64, dst: u64, weight: u64);
    output reach(src: u64, dst: u64);
    reach(x, y) :- edge(x, y, _).
"#;
    DuplicateColumn = "E0104", "column declared twice",
        r#"A declaration names the same column twice. Column names document what each
position holds and appear in messages, so each column of a relation needs its
own name.

Erroneous example:

    input edge(node: u64, node: u64);

Fixed:

    input edge(src: u64, dst: u64);
"#;
    DuplicateModule = "E0106", "module named twice in a file",
        r#"A file has two `module` items. A file is one module: its `module NAME;`
item names it, and `monotone module NAME;` promises that every rule of the
file is monotone. A second name would leave it unclear which one holds and
whether the promise covers the file, so only the first is kept.

Erroneous example:

    module graph;
    monotone module paths;
    input edge(src: u64, dst: u64);

Fixed:

    monotone module graph;
    input edge(src: u64, dst: u64);
"#;
    UnknownType = "E0201", "unknown type",
        r#"A column's type is not one of the language's types: the scalars `bool`,
`u64`, `i64`, `f64` and `string`, the built-in lattices (`Max<T>`, `Min<T>`,
`Bool`, `Set<T>`, `Map<K, L>`, `Lww<T>`, `VClock`, `Causal<T>`, `Pair<A, B>`,
`DomPair<A, B>`, `Counter`, `PnCounter`) and lattices declared with
`extern lattice`. Common names from other languages (`int`, `float`,
`String`) are not aliases; the message suggests the Hydro spelling. Elements
and keys of lattices are scalars; a map's values and a pair's halves are
lattices.

Erroneous example:

    input person(name: String, age: int);

Fixed:

    input person(name: string, age: i64);
"#;
    TypeMismatch = "E0202", "type mismatch",
        r#"A value's type differs from the type its position requires. A column fixes
the type of every argument written in it; the two sides of a comparison have
one type; arithmetic never mixes types and there are no implicit
conversions. Integer literals adapt to `u64`, `i64` or `f64`; a float literal
such as `2.5` is only an `f64`; a negative number is never a `u64`.

Erroneous example:

    input reading(sensor: string, value: f64);
    output high(sensor: string);
    high(s) :- reading(s, v), v > "10".

Fixed:

    input reading(sensor: string, value: f64);
    output high(sensor: string);
    high(s) :- reading(s, v), v > 10.
"#;
    ConflictingVariableTypes = "E0203", "variable used at two types",
        r#"One variable occupies columns of different types. A variable has exactly one
type, taken from the columns it occupies in the rule's atoms, so joining a
`u64` column with a `string` column through the same variable can never
match. The message points at both places and both declarations.

Erroneous example:

    input user(id: u64, name: string);
    input login(name: string, at: u64);
    output active(id: u64);
    active(id) :- user(id, _), login(id, _).

Fixed (join on the column the two relations share):

    input user(id: u64, name: string);
    input login(name: string, at: u64);
    output active(id: u64);
    active(id) :- user(id, n), login(n, _).
"#;
    InvalidOperator = "E0204", "operator not defined for type",
        r#"An operator is applied to a type that does not define it. Arithmetic
(`+ - * / %`) is defined on `u64`, `i64` and `f64` only; unary minus on `i64`
and `f64` only, since a `u64` has no negative values. Strings and booleans
have no arithmetic.

Erroneous example:

    input stock(item: string, count: u64);
    output short(item: string, missing: u64);
    short(i, m) :- stock(i, c), m = -c.

Fixed (use a signed column, or subtract in the unsigned type):

    input stock(item: string, count: i64);
    output short(item: string, missing: i64);
    short(i, m) :- stock(i, c), m = -c.
"#;
    ConstantArithmetic = "E0205", "constant arithmetic fails",
        r#"A fact's value is a constant expression that cannot be computed in its
column's type: it overflows, goes below zero in a `u64`, or divides by zero.
Facts are computed while checking, so the program is rejected rather than
the fact silently dropped (as a rule's failed arithmetic would be).

Erroneous example:

    table limit(name: string, value: u64);
    limit("low", 10 - 20).

Fixed:

    table limit(name: string, value: i64);
    limit("low", 10 - 20).
"#;
    UnboundHeadVariable = "E0301", "head variable not bound by the body",
        r#"A variable in the head does not occur in a positive body atom, nor is it
bound by `v = expression` over bound variables. Every tuple a rule derives
needs a value for each column, and only positive atoms and bindings supply
values: a negated atom or a comparison only tests them. (This is Datalog's
range restriction, which keeps every derived relation finite.)

Erroneous example:

    input edge(src: u64, dst: u64);
    output out(src: u64, dst: u64);
    out(x, y) :- edge(x, _).

Fixed:

    input edge(src: u64, dst: u64);
    output out(src: u64, dst: u64);
    out(x, y) :- edge(x, y).
"#;
    UnboundNegatedVariable = "E0302", "variable under negation not bound",
        r#"A variable in a negated atom does not occur in a positive atom of the body.
`!r(x)` asks whether one particular `x` is absent from `r`; it cannot list the
infinitely many values that are absent. Bind the variable in a positive atom
first, or write `_` when any value of that column will do.

Erroneous example:

    input node(id: u64);
    input edge(src: u64, dst: u64);
    output sink(id: u64);
    sink(x) :- node(x), !edge(x, y).

Fixed:

    input node(id: u64);
    input edge(src: u64, dst: u64);
    output sink(id: u64);
    sink(x) :- node(x), !edge(x, _).
"#;
    UnboundComparisonVariable = "E0303", "variable in comparison not bound",
        r#"A variable in a comparison or in arithmetic is not bound. Comparisons and
arithmetic compute with values that positive atoms supplied; they do not
search for values. Only `v = expression` binds, and only its variable side,
when the expression's variables are bound (bindings may chain:
`y = x + 1, z = y * 2`).

Erroneous example:

    input price(item: string, cents: u64);
    output cheap(item: string);
    cheap(i) :- price(i, p), q < 100.

Fixed:

    input price(item: string, cents: u64);
    output cheap(item: string);
    cheap(i) :- price(i, p), p < 100.
"#;
    WildcardInHead = "E0304", "wildcard in head",
        r#"A head (or a fact) contains `_`. In a body atom `_` means "any value", but a
derived tuple must hold one definite value in every column, so the head has
nothing to put there. Use a variable bound by the body, or a constant.

Erroneous example:

    input edge(src: u64, dst: u64);
    output source(id: u64, dst: u64);
    source(x, _) :- edge(x, _).

Fixed (derive only the columns that have a value):

    input edge(src: u64, dst: u64);
    output source(id: u64);
    source(x) :- edge(x, _).
"#;
    NonGroundFact = "E0305", "fact with variables",
        r#"A fact (a head with no body) contains a variable. A fact holds exactly as
written, and a variable with no body to bind it has no value. Write the
constant itself, or turn the fact into a rule whose body binds the variables.
(A wildcard `_` in a fact is E0304.)

Erroneous example:

    input node(id: u64);
    table root(id: u64);
    root(x).

Fixed:

    input node(id: u64);
    table root(id: u64);
    root(0).
"#;
    WildcardInExpression = "E0306", "wildcard in an expression",
        r#"`_` appears inside an expression (arithmetic or a comparison). A wildcard
stands for "any value" only as a whole argument of a body atom; in an
expression there is no value to compute with. Name the value with a variable
bound by a positive atom.

Erroneous example:

    input edge(src: u64, dst: u64);
    output forward(src: u64);
    forward(x) :- edge(x, _), _ > x.

Fixed:

    input edge(src: u64, dst: u64);
    output forward(src: u64);
    forward(x) :- edge(x, y), y > x.
"#;
    WriteToInput = "E0401", "rule writes an input relation",
        r#"A rule's head is an `input` relation, as a plain head, with `@next`, or with
`delete` (so a `delete` from an input is this error, not E0402). Inputs are
filled from outside at the start of each tick and are never derived, so that
what a program received stays apart from what it concluded. Derive into
another relation, or declare the relation as a `table` (or `scratch`) if the
program itself fills it.

Erroneous example:

    input edge(src: u64, dst: u64);
    edge(y, x) :- edge(x, y).

Fixed:

    input edge(src: u64, dst: u64);
    output link(a: u64, b: u64);
    link(x, y) :- edge(x, y).
    link(y, x) :- edge(x, y).
"#;
    DeleteFromNonTable = "E0402", "delete from a relation that is not a table",
        r#"A `delete` rule targets an `output` or `scratch` relation. Outputs and scratch
relations are emptied at the end of every tick anyway, so only tables, whose
tuples persist across ticks, can be deleted from. A deletion takes effect at
the start of the next tick. (A `delete` from an `input` is E0401, like every
rule that writes an input.)

Erroneous example:

    input done(job: u64);
    scratch pending(job: u64);
    delete pending(j) :- done(j).

Fixed:

    input done(job: u64);
    table pending(job: u64);
    delete pending(j) :- done(j).
"#;
    TimedFact = "E0403", "fact with `@next` or `delete`",
        r#"A fact carries `@next` or `delete`. Facts hold from the first tick (and, in a
table, persist from there); there is no earlier tick to schedule them from,
and nothing to delete at start. Write the fact plainly, or write a rule whose
body says when the insertion or deletion happens.

Erroneous example:

    table seen(node: u64);
    delete seen(1).

Fixed:

    input forget(node: u64);
    table seen(node: u64);
    seen(1).
    delete seen(x) :- forget(x).
"#;
    LatticeNotLast = "E0206", "lattice column is not the last column",
        r#"A relation with a lattice column holds one lattice value per key, and its
key is every column before the lattice. So a lattice column must come last,
and a relation has at most one.

Erroneous example:

    table dist(d: Min<u64>, node: u64);

Fixed:

    table dist(node: u64, d: Min<u64>);
"#;
    LatticeInKey = "E0207", "lattice value used as a key",
        r#"A lattice value from a body atom was used where values must be equal: as
a constant or an expression in the lattice column of an atom, or a variable
bound by a lattice column and used again in another atom. A lattice value
grows while the program runs, so an equality with it is a raw read that the
compiler cannot keep monotone; read the value through an operation instead
(`size(s) >= 3`, `contains(s, x)`, `d < 10`).

Erroneous example:

    table best(k: string, v: Max<u64>);
    input probe(k: string, v: Max<u64>);
    output same(k: string);
    same(k) :- best(k, v), probe(k, v).

Fixed:

    table best(k: string, v: Max<u64>);
    input probe(k: string, v: u64);
    output reached(k: string);
    reached(k) :- best(k, v), probe(k, w), v >= w.
"#;
    UnknownFunction = "E0208", "unknown function",
        r#"An expression calls a function the language does not have. The functions
are the lattice operations (`value`, `size`, `contains`, `get`, `keys`,
`total`, `timestamp`, `first`, `second`, `clock`, `values`) and constructors
(`set`, `map`, `lww`, `vclock`, `causal`, `counter`, `pncounter`, `pair`,
`dompair`). In a head, `name(x)` with another name is an aggregate.

Erroneous example:

    table votes(p: string, s: Set<string>);
    output big(p: string);
    big(p) :- votes(p, s), length(s) >= 3.

Fixed:

    table votes(p: string, s: Set<string>);
    output big(p: string);
    big(p) :- votes(p, s), size(s) >= 3.
"#;
    FunctionArguments = "E0209", "wrong arguments to a lattice function",
        r#"A lattice function was called with the wrong number or types of
arguments, or a lattice value was used where the language has no meaning
for it (compared with `<` when it is a set, or added to). The message lists
what the function accepts.

Erroneous example:

    table votes(p: string, s: Set<string>);
    output big(p: string);
    big(p) :- votes(p, s), size(s, p) >= 3.

Fixed:

    table votes(p: string, s: Set<string>);
    output big(p: string);
    big(p) :- votes(p, s), size(s) >= 3.
"#;
    NegationInCycle = "E0501", "negation in a recursive cycle",
        r#"A relation depends on itself through a negated atom, so the program has no
stratification: `!r(x)` needs all of `r` before it can answer, but computing
`r` needs the answer. The message names the cycle (`a -> b` means a rule
deriving `b` reads `a`) and points at every rule on it. Negate a relation
computed before the cycle, or break the cycle in time: derive into a table
with `@next`, so that the negation reads the previous tick's tuples.

Erroneous example:

    input node(id: u64);
    output even(id: u64);
    scratch odd(id: u64);
    even(x) :- node(x), !odd(x).
    odd(x) :- node(x), !even(x).

Fixed (a relation computed outside the cycle):

    input node(id: u64);
    input parity(id: u64, even: bool);
    output even(id: u64);
    even(x) :- node(x), parity(x, true).
"#;
    AggregationInCycle = "E0502", "aggregation in a recursive cycle",
        r#"A relation depends on itself through an aggregate. An aggregate summarises a
complete group, but in a cycle the group is still growing while the
aggregate is computed. Aggregate over relations computed before the cycle,
or derive with `@next` into a table so that each tick aggregates the
previous tick's tuples.

Erroneous example:

    input edge(src: u64, dst: u64, w: u64);
    output dist(node: u64, d: u64);
    dist(y, min(w)) :- edge(0, y, w).
    dist(y, min(d + w)) :- dist(x, d), edge(x, y, w).

Fixed (recurse over all path lengths, aggregate once after the cycle):

    input edge(src: u64, dst: u64, w: u64);
    scratch len(node: u64, d: u64);
    output dist(node: u64, d: u64);
    len(y, w) :- edge(0, y, w).
    len(y, d + w) :- len(x, d), edge(x, y, w), d < 1000.
    dist(y, min(d)) :- len(y, d).

Fixed (a `Min` lattice, which may be recursive: it merges as it grows):

    input edge(src: u64, dst: u64, w: u64);
    table dist(node: u64, d: Min<u64>);
    dist(y, w) :- edge(0, y, w).
    dist(y, d + w) :- dist(x, d), edge(x, y, w).
"#;
    NonMonotoneInCycle = "E0503", "non-monotone read of a lattice in a recursive cycle",
        r#"A rule reads a lattice value in a way that is not monotone (its raw value
with `value(x)`, a comparison that is not a threshold, `values(c)`), and the
relation it reads depends on the rule's own head. A raw read needs the
final value, but in a cycle the value is still growing. Read through a
monotone operation or a threshold (`d < 10` on a `Min`, `d >= 10` on a
`Max`, `size(s) >= 3`), or read the value after the cycle.

Erroneous example:

    input edge(src: u64, dst: u64, w: u64);
    table dist(node: u64, d: Min<u64>);
    dist(0, 0).
    dist(y, value(d) + w) :- dist(x, d), edge(x, y, w).

Fixed:

    input edge(src: u64, dst: u64, w: u64);
    table dist(node: u64, d: Min<u64>);
    dist(0, 0).
    dist(y, d + w) :- dist(x, d), edge(x, y, w).
"#;
    UnknownAggregate = "E0601", "unknown aggregate",
        r#"A head calls an aggregate that does not exist. The aggregates are `count`
(the number of distinct satisfying assignments of the body, a `u64`), `sum`
(of a numeric argument), `min` and `max` (of any type). An average is a sum
divided by a count, computed in a second rule.

Erroneous example:

    input score(player: string, points: u64);
    output best(player: string, points: u64);
    best(p, maximum(s)) :- score(p, s).

Fixed:

    input score(player: string, points: u64);
    output best(player: string, points: u64);
    best(p, max(s)) :- score(p, s).
"#;
    UngroupableAggregate = "E0602", "aggregate cannot be grouped",
        r#"An aggregate appears where it cannot be computed per group, or a relation
with an aggregate is derived by more than one rule. An aggregate groups by
the head's other arguments over the satisfying assignments of the body, so it
needs a body (not a fact), a value to aggregate (not `_`), and a head
computed in the tick (not a `delete`). Each group's value comes from one
aggregate over one body, so a relation with an aggregate is derived by that
one rule: no second aggregating rule and no plain rule may derive it. To
aggregate over tuples from several places, union the bodies in a `scratch`
relation first, then aggregate over it in one rule.

Erroneous example:

    input shop_sale(item: string, amount: u64);
    input web_sale(item: string, amount: u64);
    output revenue(item: string, total: u64);
    revenue(i, sum(a)) :- shop_sale(i, a).
    revenue(i, sum(a)) :- web_sale(i, a).

Fixed (union first; the channel keeps equal sales from both places apart):

    input shop_sale(item: string, amount: u64);
    input web_sale(item: string, amount: u64);
    output revenue(item: string, total: u64);
    scratch sale(channel: string, item: string, amount: u64);
    sale("shop", i, a) :- shop_sale(i, a).
    sale("web", i, a) :- web_sale(i, a).
    revenue(i, sum(a)) :- sale(c, i, a).
"#;
    AggregateType = "E0603", "aggregate over the wrong type",
        r#"An aggregate does not fit the types around it. `count` yields a `u64`, so its
column must be `u64`; `sum` needs a numeric argument (`u64`, `i64` or `f64`)
and yields its type; `min` and `max` accept any type and yield it. The column
an aggregate fills must have the type the aggregate yields.

Erroneous example:

    input visit(page: string, user: string);
    output visitors(page: string, n: i64);
    visitors(p, count(u)) :- visit(p, u).

Fixed:

    input visit(page: string, user: string);
    output visitors(page: string, n: u64);
    visitors(p, count(u)) :- visit(p, u).
"#;
    BrokenMonotonePromise = "E0701", "non-monotone construct reaches a relation promised monotone",
        r#"A relation declared `monotone` (`monotone output total(...);`, any kind) is
derived, directly or through other relations, by a rule with a non-monotone
construct: a negation, an aggregate (`count`, `sum`, `min`, `max`), a
`delete`, or a raw read of a lattice value (`value(d)`, a threshold test in
the wrong direction). A monotone relation only grows as its inputs grow, so
what it holds stays true however late the rest of the input arrives: by the
CALM theorem it needs no coordination. A non-monotone construct upstream
breaks that, and the promise says it must not happen.

The diagnostic points at the construct and labels each step of the path from
it to the promise: the rule that derives the first relation, each rule that
reads one relation to derive the next, and the promise last.

Fix it by moving the construct downstream of the promised relation (promise
only what only grows), by using a lattice instead (a `Set<T>` column with
`size(s) >= n` rather than `count`, a `Max<T>` column rather than `max`, a
threshold `d >= c` rather than `value(d)`), or by dropping the promise.

Erroneous example:

    input request(id: u64);
    input cancel(id: u64);
    monotone output accepted(id: u64);
    accepted(r) :- request(r), !cancel(r).

Fixed (promise the part that only grows; negate after it):

    input request(id: u64);
    input cancel(id: u64);
    monotone output requested(id: u64);
    output accepted(id: u64);
    requested(r) :- request(r).
    accepted(r) :- requested(r), !cancel(r).
"#;
    BrokenMonotoneModule = "E0702", "non-monotone rule in a module promised monotone",
        r#"A file that begins with `monotone module NAME;` promises that every rule in
it is monotone, and one of its rules has a non-monotone construct: a
negation, an aggregate (`count`, `sum`, `min`, `max`), a `delete`, or a raw
read of a lattice value (`value(d)`, a threshold test in the wrong
direction). Rules of other files are not covered by the promise, even when
they derive relations this file reads.

Fix it by moving the rule to a file without the promise (which may import
this one), by using a lattice instead (a `Set<T>` column with `size(s) >= n`
rather than `count`, a `Max<T>` column rather than `max`), or by dropping
`monotone` from the module item.

Erroneous example:

    monotone module inventory;
    input stock(item: string, n: u64);
    output total(item: string, n: u64);
    total(i, sum(n)) :- stock(i, n).

Fixed (no promise for a module that sums):

    module inventory;
    input stock(item: string, n: u64);
    output total(item: string, n: u64);
    total(i, sum(n)) :- stock(i, n).
"#;
}
