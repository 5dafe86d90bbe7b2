//! The registry of diagnostic codes. Each code is stable once published: `hydro
//! explain CODE` prints its explanation, and the book lists them all.
//!
//! Each entry below names a code's variant, text and title. Its long explanation is
//! plain text in `explanations/CODE.md` beside this file (E0101's is `E0101.md`),
//! compiled in by `include_str!`: what the rule is and why, an erroneous example and
//! the fixed program, each program indented four spaces. `compiler/tests/diagnostics.rs`
//! checks that every erroneous example reports its code and every fixed one compiles.
//!
//! Numbering: E00xx syntax and loading, E01xx names and declarations, E02xx types,
//! E03xx safety (range restriction), E04xx writes and time, E05xx stratification,
//! E06xx aggregation, E07xx monotonicity promises (the CALM analysis).

macro_rules! codes {
    ($($variant:ident = $id:literal, $title:literal;)*) => {
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
                match self {
                    $(Code::$variant => include_str!(concat!("explanations/", $id, ".md")),)*
                }
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
    Syntax = "E0001", "syntax error";
    UnterminatedString = "E0002", "unterminated string literal";
    UnterminatedComment = "E0003", "unterminated block comment";
    InvalidLiteral = "E0004", "invalid literal";
    ImportNotFound = "E0005", "imported file cannot be read";
    UnknownRelation = "E0101", "unknown relation";
    DuplicateDeclaration = "E0102", "relation declared twice";
    ArityMismatch = "E0103", "wrong number of arguments";
    DuplicateColumn = "E0104", "column declared twice";
    DuplicateModule = "E0106", "module named twice in a file";
    UnknownType = "E0201", "unknown type";
    TypeMismatch = "E0202", "type mismatch";
    ConflictingVariableTypes = "E0203", "variable used at two types";
    InvalidOperator = "E0204", "operator not defined for type";
    ConstantArithmetic = "E0205", "constant arithmetic fails";
    LatticeNotLast = "E0206", "lattice column is not the last column";
    LatticeInKey = "E0207", "lattice value used as a key";
    UnknownFunction = "E0208", "unknown function";
    FunctionArguments = "E0209", "wrong arguments to a lattice function";
    UnboundHeadVariable = "E0301", "head variable not bound by the body";
    UnboundNegatedVariable = "E0302", "variable under negation not bound";
    UnboundComparisonVariable = "E0303", "variable in comparison not bound";
    WildcardInHead = "E0304", "wildcard in head";
    NonGroundFact = "E0305", "fact with variables";
    WildcardInExpression = "E0306", "wildcard in an expression";
    WriteToInput = "E0401", "rule writes an input relation";
    DeleteFromNonTable = "E0402", "delete from a relation that is not a table";
    TimedFact = "E0403", "fact with `@next` or `delete`";
    NegationInCycle = "E0501", "negation in a recursive cycle";
    AggregationInCycle = "E0502", "aggregation in a recursive cycle";
    NonMonotoneInCycle = "E0503", "non-monotone read of a lattice in a recursive cycle";
    UnknownAggregate = "E0601", "unknown aggregate";
    UngroupableAggregate = "E0602", "aggregate cannot be grouped";
    AggregateType = "E0603", "aggregate over the wrong type";
    BrokenMonotonePromise = "E0701", "non-monotone construct reaches a relation promised monotone";
    BrokenMonotoneModule = "E0702", "non-monotone rule in a module promised monotone";
}
