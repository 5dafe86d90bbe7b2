//! Walking a lattice value's scalars: the elements of a set (what `x in s` ranges
//! over), and every scalar inside a value (so that the engine can give each string a
//! word before any rule reads it).

use super::LatticeValue;
use crate::value::Const;

impl LatticeValue {
    /// The elements of a `Set`, in order; nothing for the other lattices.
    pub fn elements(&self) -> impl Iterator<Item = &Const> {
        let set = match self {
            LatticeValue::Set(s) => Some(s.iter()),
            _ => None,
        };
        set.into_iter().flatten()
    }

    /// Calls `f` on every scalar the value holds: elements, keys, writers, values (and
    /// an extern value's JSON text, which `value(x)` reads).
    pub fn for_each_scalar(&self, f: &mut dyn FnMut(&Const)) {
        let mut writer = |w: &String| f(&Const::String(w.clone()));
        match self {
            LatticeValue::Max(m) => f(m.get()),
            LatticeValue::Min(m) => f(m.get()),
            LatticeValue::Bool(_) => {}
            // `value(x)` of an extern lattice is its JSON text.
            LatticeValue::Extern(e) => f(&Const::String(e.json().to_owned())),
            LatticeValue::Set(s) => s.iter().for_each(f),
            LatticeValue::Map(m) => {
                for (key, value) in m.iter() {
                    f(key);
                    value.for_each_scalar(f);
                }
            }
            LatticeValue::Lww(l) => {
                writer(l.writer());
                f(l.value());
            }
            LatticeValue::VClock(c) => c.iter().for_each(|(w, _)| writer(w)),
            LatticeValue::Causal(c) => {
                for (clock, _) in c.versions() {
                    clock.iter().for_each(|(w, _)| writer(w));
                }
                c.versions().for_each(|(_, value)| f(value));
            }
            LatticeValue::Pair(p) => {
                p.first().for_each_scalar(f);
                p.second().for_each_scalar(f);
            }
            LatticeValue::DomPair(p) => {
                p.first().for_each_scalar(f);
                p.second().for_each_scalar(f);
            }
            LatticeValue::Counter(c) => c.iter().for_each(|(w, _)| writer(w)),
            LatticeValue::PnCounter(c) => {
                c.increments().iter().for_each(|(w, _)| writer(w));
                c.decrements().iter().for_each(|(w, _)| writer(w));
            }
        }
    }
}
