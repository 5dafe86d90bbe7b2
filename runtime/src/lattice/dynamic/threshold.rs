//! Threshold tests: comparisons of a lattice value that stay true as the value grows.
//!
//! A comparison `x op c` of a lattice value `x` is monotone when the set of values that
//! pass it is upward closed in the lattice order: once `x` passes, every larger `x`
//! passes too. For the chains:
//!
//! - `Max<T>`: `x >= c` and `x > c`;
//! - `Min<T>`: `x <= c` and `x < c` (its lattice order reverses `T`'s);
//! - `Bool`: `x = true`, and the forms that mean the same (`x != false`, `x > false`)
//!   or pass every value (`x >= false`).
//!
//! The mirrored forms (`c <= x`) count the same. Any other comparison of a `Max`, `Min`
//! or `Bool` value is a raw read (non-monotone); comparing other lattice values directly
//! is a type error, so none of their comparisons is a threshold.

use crate::ir::CmpOp;
use crate::lattice::{LatticeType, Monotonicity};
use crate::value::Const;

/// Whether the comparison passes an upward-closed set of values of the lattice `ty`.
///
/// `lattice_on_left` says whether the lattice value is the left operand (`x >= c`) or
/// the right one (`c <= x`). `constant` is the other operand when it is a constant; a
/// `Bool` equality is a threshold only against the constant `true` (`!=` against
/// `false`).
pub fn is_upward_closed(
    ty: &LatticeType,
    op: CmpOp,
    lattice_on_left: bool,
    constant: Option<&Const>,
) -> bool {
    // `c op x` is `x op' c` with the operator mirrored.
    let op = if lattice_on_left { op } else { mirror(op) };
    match ty {
        LatticeType::Max(_) => matches!(op, CmpOp::Ge | CmpOp::Gt),
        LatticeType::Min(_) => matches!(op, CmpOp::Le | CmpOp::Lt),
        LatticeType::Bool => match op {
            CmpOp::Ge | CmpOp::Gt => true,
            CmpOp::Eq => constant == Some(&Const::Bool(true)),
            CmpOp::Ne => constant == Some(&Const::Bool(false)),
            CmpOp::Le | CmpOp::Lt => false,
        },
        _ => false,
    }
}

/// The CALM class of the comparison: monotone for a threshold test (see
/// [`is_upward_closed`]), non-monotone otherwise (a raw read).
pub fn threshold(
    ty: &LatticeType,
    op: CmpOp,
    lattice_on_left: bool,
    constant: Option<&Const>,
) -> Monotonicity {
    if is_upward_closed(ty, op, lattice_on_left, constant) {
        Monotonicity::Monotone
    } else {
        Monotonicity::NonMonotone
    }
}

/// The operator with its operands swapped: `a < b` iff `b > a`.
fn mirror(op: CmpOp) -> CmpOp {
    match op {
        CmpOp::Lt => CmpOp::Gt,
        CmpOp::Le => CmpOp::Ge,
        CmpOp::Gt => CmpOp::Lt,
        CmpOp::Ge => CmpOp::Le,
        CmpOp::Eq | CmpOp::Ne => op,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::ColumnType;

    /// Checks the classification against the definition: for every pair of values
    /// `a ≤ b` of a small chain, a test passing `a` passes `b`.
    #[test]
    fn thresholds_are_exactly_the_upward_closed_tests() {
        let ops = [
            CmpOp::Eq,
            CmpOp::Ne,
            CmpOp::Lt,
            CmpOp::Le,
            CmpOp::Gt,
            CmpOp::Ge,
        ];
        let numbers: Vec<Const> = (0..4).map(Const::U64).collect();
        let bools = vec![Const::Bool(false), Const::Bool(true)];
        let cases = [
            (LatticeType::Max(ColumnType::U64), numbers.clone(), false),
            (LatticeType::Min(ColumnType::U64), numbers, true),
            (LatticeType::Bool, bools, false),
        ];
        for (ty, values, reversed) in cases {
            // The lattice order: the values' order, reversed for `Min`.
            let le = |a: &Const, b: &Const| if reversed { b <= a } else { a <= b };
            for op in ops {
                for left in [true, false] {
                    for c in &values {
                        let passes = |x: &Const| {
                            let (l, r) = if left { (x, c) } else { (c, x) };
                            match op {
                                CmpOp::Eq => l == r,
                                CmpOp::Ne => l != r,
                                CmpOp::Lt => l < r,
                                CmpOp::Le => l <= r,
                                CmpOp::Gt => l > r,
                                CmpOp::Ge => l >= r,
                            }
                        };
                        let closed = values
                            .iter()
                            .all(|a| values.iter().all(|b| !le(a, b) || !passes(a) || passes(b)));
                        let claimed = is_upward_closed(&ty, op, left, Some(c));
                        // A claimed threshold must be upward closed for every constant.
                        assert!(!claimed || closed, "{ty:?} {op:?} {c:?} left={left}");
                    }
                }
            }
        }
        let max = LatticeType::Max(ColumnType::I64);
        assert_eq!(
            threshold(&max, CmpOp::Le, false, None),
            Monotonicity::Monotone
        );
        assert_eq!(
            threshold(&max, CmpOp::Le, true, None),
            Monotonicity::NonMonotone
        );
        let t = Const::Bool(true);
        assert!(is_upward_closed(
            &LatticeType::Bool,
            CmpOp::Eq,
            false,
            Some(&t)
        ));
        assert!(!is_upward_closed(&LatticeType::Bool, CmpOp::Eq, true, None));
        let set = LatticeType::Set(ColumnType::U64);
        assert!(!is_upward_closed(&set, CmpOp::Ge, true, None));
    }
}
