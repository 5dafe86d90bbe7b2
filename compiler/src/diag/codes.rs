//! The registry of diagnostic codes. Each code is stable once published: `hydro
//! explain CODE` prints its explanation, and the book lists them all.
//!
//! Numbering: E00xx syntax and loading, E01xx names and declarations, E02xx types,
//! E03xx safety (range restriction), E04xx writes and time, E05xx stratification,
//! E06xx aggregation.

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
        "The parser met a token it did not expect.";
    UnterminatedString = "E0002", "unterminated string literal",
        "A string literal has no closing quote.";
    UnterminatedComment = "E0003", "unterminated block comment",
        "A block comment has no closing `*/`.";
    InvalidLiteral = "E0004", "invalid literal",
        "A number does not fit its type, or a string escape is not recognised.";
    ImportNotFound = "E0005", "imported file cannot be read",
        "An `import` names a file that does not exist or cannot be read.";
    UnknownRelation = "E0101", "unknown relation",
        "A rule or fact uses a relation that no declaration introduces.";
    DuplicateDeclaration = "E0102", "relation declared twice",
        "Two declarations introduce the same relation name.";
    ArityMismatch = "E0103", "wrong number of arguments",
        "An atom has a different number of arguments than its relation has columns.";
    DuplicateColumn = "E0104", "column declared twice",
        "A declaration names the same column twice.";
    UnknownType = "E0201", "unknown type",
        "A column's type is not one of the language's types.";
    TypeMismatch = "E0202", "type mismatch",
        "A value's type differs from the type its position requires.";
    ConflictingVariableTypes = "E0203", "variable used at two types",
        "One variable appears in columns or expressions of different types.";
    InvalidOperator = "E0204", "operator not defined for type",
        "Arithmetic is defined on numbers only, and negation on signed numbers.";
    ConstantArithmetic = "E0205", "constant arithmetic fails",
        "A fact's constant expression overflows or divides by zero.";
    UnboundHeadVariable = "E0301", "head variable not bound by the body",
        "A variable in the head does not occur in a positive body atom or binding.";
    UnboundNegatedVariable = "E0302", "variable under negation not bound",
        "A variable in a negated atom does not occur in a positive body atom.";
    UnboundComparisonVariable = "E0303", "variable in comparison not bound",
        "A variable in a comparison or arithmetic does not occur in a positive atom.";
    WildcardInHead = "E0304", "wildcard in head",
        "A head cannot contain `_`: every column of a derived tuple needs a value.";
    NonGroundFact = "E0305", "fact with variables",
        "A fact (a rule without body) can contain only constants.";
    WildcardInExpression = "E0306", "wildcard in an expression",
        "`_` stands for any value in a body atom; it has no value in an expression.";
    WriteToInput = "E0401", "rule writes an input relation",
        "Input relations are filled from outside only.";
    DeleteFromNonTable = "E0402", "delete from a relation that is not a table",
        "Only tables keep tuples across ticks, so only tables can be deleted from.";
    TimedFact = "E0403", "fact with `@next` or `delete`",
        "Facts hold from the first tick; they cannot be scheduled or deleted.";
    NegationInCycle = "E0501", "negation in a recursive cycle",
        "A relation depends on itself through negation, so it has no stratification.";
    AggregationInCycle = "E0502", "aggregation in a recursive cycle",
        "A relation depends on itself through an aggregate, so it has no stratification.";
    UnknownAggregate = "E0601", "unknown aggregate",
        "The aggregates are count, sum, min and max.";
    UngroupableAggregate = "E0602", "aggregate cannot be grouped",
        "An aggregate appears where it cannot be computed per group.";
    AggregateType = "E0603", "aggregate over the wrong type",
        "sum needs a numeric argument; count's column must be u64.";
}
