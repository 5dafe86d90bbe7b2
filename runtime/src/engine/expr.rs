//! Terms: expressions compiled to read slots of a frame of words, with the checked
//! arithmetic and typed comparisons of the language.
//!
//! Integer arithmetic is checked: an overflow or a division by zero yields `None`,
//! which drops the assignment being evaluated. Float arithmetic never fails except
//! where it would produce NaN, which Hydro values never hold.

use std::cmp::Ordering;

use crate::ir::{ArithOp, CmpOp, Expr};
use crate::lattice::{LatticeType, LatticeTypes};
use crate::store::word::{encode, float_word, Interner};
use crate::store::Word;
use crate::value::{ColumnType, Const};

use super::lattice::{intern_strings, Cx, Heap, LatticeTerm};

/// What compiling terms needs: where constants get their words, and the types of the
/// rule's slots (to type the arguments of lattice terms).
pub(crate) struct Compiling<'a> {
    pub(crate) interner: &'a mut Interner,
    pub(crate) heap: &'a Heap,
    pub(crate) types: &'a LatticeTypes,
    pub(crate) slots: &'a [ColumnType],
}

impl Compiling<'_> {
    /// The word of a constant.
    fn constant(&mut self, value: &Const) -> Word {
        match value {
            Const::Lattice { value, .. } => {
                intern_strings(value, self.interner);
                self.heap.intern_pinned((**value).clone())
            }
            scalar => encode(scalar, self.interner).unwrap_or_default(),
        }
    }

    /// The type of an IR expression's value.
    fn type_of(&self, expr: &Expr) -> ColumnType {
        match expr {
            Expr::Slot(slot) => self
                .slots
                .get(*slot as usize)
                .copied()
                .unwrap_or(ColumnType::U64),
            Expr::Const(value) => value.ty(),
            Expr::Neg { ty, .. } | Expr::Binary { ty, .. } | Expr::Call { ty, .. } => *ty,
            Expr::Construct { ty, .. } | Expr::Lift { ty, .. } => ColumnType::Lattice(*ty),
        }
    }
}

/// An expression over the slots of a frame.
#[derive(Clone, Debug)]
pub(crate) enum Term {
    /// The word in a slot.
    Slot(usize),
    /// A constant word.
    Const(Word),
    /// `-arg` of type `ty`.
    Neg { ty: ColumnType, arg: Box<Term> },
    /// `lhs op rhs`, both of type `ty`.
    Binary {
        op: ArithOp,
        ty: ColumnType,
        lhs: Box<Term>,
        rhs: Box<Term>,
    },
    /// A computation with lattice values.
    Lattice(Box<LatticeTerm>),
}

impl Term {
    /// Compiles an IR expression, interning its string constants and lattice values.
    pub(crate) fn compile(expr: &Expr, cx: &mut Compiling) -> Term {
        let lattice = |term: LatticeTerm| Term::Lattice(Box::new(term));
        let all = |args: &[Expr], cx: &mut Compiling| -> Vec<Term> {
            args.iter().map(|a| Term::compile(a, cx)).collect()
        };
        match expr {
            Expr::Slot(slot) => Term::Slot(*slot as usize),
            Expr::Const(value) => Term::Const(cx.constant(value)),
            Expr::Neg { ty, arg } => Term::Neg {
                ty: *ty,
                arg: Box::new(Term::compile(arg, cx)),
            },
            Expr::Binary {
                op: _,
                ty: ty @ ColumnType::Lattice(id),
                lhs,
                rhs,
            } => {
                let element = match cx.types.get(*id) {
                    LatticeType::Max(t) | LatticeType::Min(t) => *t,
                    _ => *ty,
                };
                lattice(LatticeTerm::Add {
                    ty: *id,
                    element,
                    lhs: Term::compile(lhs, cx),
                    rhs: Term::compile(rhs, cx),
                })
            }
            Expr::Binary { op, ty, lhs, rhs } => Term::Binary {
                op: *op,
                ty: *ty,
                lhs: Box::new(Term::compile(lhs, cx)),
                rhs: Box::new(Term::compile(rhs, cx)),
            },
            Expr::Call {
                op,
                args,
                arg_types,
                ty,
            } => lattice(LatticeTerm::Call {
                op: *op,
                args: all(args, cx),
                arg_types: arg_types.clone(),
                ty: *ty,
            }),
            Expr::Construct { ctor, args, ty } => {
                let arg_types = args.iter().map(|a| cx.type_of(a)).collect();
                lattice(LatticeTerm::Construct {
                    ctor: *ctor,
                    args: all(args, cx),
                    arg_types,
                    ty: *ty,
                })
            }
            Expr::Lift { ty, arg } => {
                let scalar = cx.type_of(arg);
                lattice(LatticeTerm::Lift {
                    ty: *ty,
                    scalar,
                    arg: Term::compile(arg, cx),
                })
            }
        }
    }

    /// The term's value in `frame`, or `None` when its arithmetic fails.
    #[inline(always)]
    pub(crate) fn eval(&self, frame: &[Word], cx: &Cx) -> Option<Word> {
        // Most terms are a slot: read it without a call.
        match self {
            Term::Slot(slot) => Some(frame[*slot]),
            _ => self.eval_compound(frame, cx),
        }
    }

    /// The value of a term that is not a bare slot.
    fn eval_compound(&self, frame: &[Word], cx: &Cx) -> Option<Word> {
        match self {
            Term::Slot(slot) => Some(frame[*slot]),
            Term::Const(word) => Some(*word),
            Term::Neg { ty, arg } => negate(*ty, arg.eval(frame, cx)?),
            Term::Binary { op, ty, lhs, rhs } => {
                arithmetic(*op, *ty, lhs.eval(frame, cx)?, rhs.eval(frame, cx)?)
            }
            Term::Lattice(term) => term.eval(frame, cx),
        }
    }
}

/// `-a` for a value of type `ty`.
fn negate(ty: ColumnType, a: Word) -> Option<Word> {
    match ty {
        ColumnType::I64 => (a as i64).checked_neg().map(|v| v as Word),
        ColumnType::F64 => Some(float_word(-f64::from_bits(a))),
        // Only signed numbers negate; the checker rejects the rest.
        ColumnType::U64 | ColumnType::Bool | ColumnType::String | ColumnType::Lattice(_) => None,
    }
}

/// `a op b` for two values of type `ty`.
pub(crate) fn arithmetic(op: ArithOp, ty: ColumnType, a: Word, b: Word) -> Option<Word> {
    match ty {
        ColumnType::U64 => match op {
            ArithOp::Add => a.checked_add(b),
            ArithOp::Sub => a.checked_sub(b),
            ArithOp::Mul => a.checked_mul(b),
            ArithOp::Div => a.checked_div(b),
            ArithOp::Rem => a.checked_rem(b),
        },
        ColumnType::I64 => {
            let (a, b) = (a as i64, b as i64);
            let value = match op {
                ArithOp::Add => a.checked_add(b),
                ArithOp::Sub => a.checked_sub(b),
                ArithOp::Mul => a.checked_mul(b),
                ArithOp::Div => a.checked_div(b),
                // `i64::MIN % -1` is 0, though `checked_rem` calls it an overflow.
                ArithOp::Rem => (b != 0).then(|| a.wrapping_rem(b)),
            };
            value.map(|v| v as Word)
        }
        ColumnType::F64 => {
            let (a, b) = (f64::from_bits(a), f64::from_bits(b));
            let value = match op {
                ArithOp::Add => a + b,
                ArithOp::Sub => a - b,
                ArithOp::Mul => a * b,
                ArithOp::Div => a / b,
                ArithOp::Rem => a % b,
            };
            // Floats stay finite, as in facts files: an infinite or NaN result drops
            // the assignment like an integer overflow.
            value.is_finite().then(|| float_word(value))
        }
        // Arithmetic is defined on numbers only; the checker rejects the rest.
        ColumnType::Bool | ColumnType::String | ColumnType::Lattice(_) => None,
    }
}

/// Whether `a op b` holds for two values of type `ty`.
#[inline]
pub(crate) fn holds(op: CmpOp, ty: ColumnType, a: Word, b: Word, interner: &Interner) -> bool {
    // Equal values have equal words (floats are normalised, strings interned); only
    // orderings need the type.
    let order = || crate::store::word::compare(ty, a, b, interner);
    match op {
        CmpOp::Eq => a == b,
        CmpOp::Ne => a != b,
        CmpOp::Lt => order() == Ordering::Less,
        CmpOp::Le => order() != Ordering::Greater,
        CmpOp::Gt => order() == Ordering::Greater,
        CmpOp::Ge => order() != Ordering::Less,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_arithmetic_is_checked() {
        assert_eq!(arithmetic(ArithOp::Add, ColumnType::U64, u64::MAX, 1), None);
        assert_eq!(arithmetic(ArithOp::Sub, ColumnType::U64, 1, 2), None);
        assert_eq!(arithmetic(ArithOp::Div, ColumnType::U64, 1, 0), None);
        assert_eq!(arithmetic(ArithOp::Rem, ColumnType::I64, 1, 0), None);
        let min = i64::MIN as Word;
        assert_eq!(
            arithmetic(ArithOp::Div, ColumnType::I64, min, -1i64 as Word),
            None
        );
        assert_eq!(negate(ColumnType::I64, min), None);
        let seven = arithmetic(ArithOp::Div, ColumnType::I64, -15i64 as Word, 2);
        assert_eq!(seven, Some(-7i64 as Word), "division truncates toward zero");
    }

    #[test]
    fn float_arithmetic_never_yields_nan_or_negative_zero() {
        let zero = float_word(0.0);
        assert_eq!(arithmetic(ArithOp::Div, ColumnType::F64, zero, zero), None);
        let neg = arithmetic(ArithOp::Mul, ColumnType::F64, float_word(-1.0), zero);
        assert_eq!(neg, Some(zero));
        let half = arithmetic(
            ArithOp::Div,
            ColumnType::F64,
            float_word(1.0),
            float_word(2.0),
        );
        assert_eq!(half, Some(float_word(0.5)));
    }

    #[test]
    fn comparisons_use_the_type() {
        let interner = Interner::default();
        let minus_one = -1i64 as Word;
        assert!(holds(CmpOp::Lt, ColumnType::I64, minus_one, 0, &interner));
        assert!(holds(CmpOp::Gt, ColumnType::U64, minus_one, 0, &interner));
        let (a, b) = (float_word(-2.5), float_word(1.0));
        assert!(holds(CmpOp::Le, ColumnType::F64, a, b, &interner));
        assert!(holds(CmpOp::Ne, ColumnType::F64, a, b, &interner));
    }
}
