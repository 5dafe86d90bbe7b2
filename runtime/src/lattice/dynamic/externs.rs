//! Lattices implemented in Rust and declared in Hydro with `extern lattice NAME;`.
//!
//! The interpreter does not know an extern lattice's Rust type: it holds each value as
//! its canonical JSON text ([`ExternValue`]) and merges through the [`ExternLattice`]
//! registered under the lattice's name in an [`Externs`] registry. [`Externs::register`]
//! adapts any serializable [`Merge`] type.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use serde::de::DeserializeOwned;
use serde::Serialize;
use serde_json::Value as Json;

use super::LatticeError;
use crate::lattice::{Bottom, Merge};

/// A lattice implemented outside the interpreter, working on JSON values.
///
/// Implementations must keep [`Merge`]'s laws on the values they accept.
pub trait ExternLattice: Send + Sync {
    /// Merges `other` into `into`; returns whether `into` grew, or why the values cannot
    /// be merged (for example, one does not decode as the lattice's type).
    fn merge(&self, into: &mut Json, other: Json) -> Result<bool, String>;

    /// The least value, if the lattice has one.
    fn bottom(&self) -> Option<Json>;

    /// Whether `value` is a value of the lattice (by default, any JSON value is).
    fn check(&self, value: &Json) -> Result<(), String> {
        let _ = value;
        Ok(())
    }
}

/// The adapter of a Rust [`Merge`] type: decodes both sides, merges, encodes.
struct Typed<T> {
    bottom: Option<Json>,
    ty: PhantomData<fn() -> T>,
}

impl<T> Typed<T>
where
    T: Merge + Serialize + DeserializeOwned,
{
    fn decode(value: Json) -> Result<T, String> {
        serde_json::from_value(value).map_err(|err| err.to_string())
    }
}

impl<T> ExternLattice for Typed<T>
where
    T: Merge + Serialize + DeserializeOwned,
{
    fn merge(&self, into: &mut Json, other: Json) -> Result<bool, String> {
        let mut mine = Self::decode(into.clone())?;
        let grew = mine.merge(Self::decode(other)?);
        *into = serde_json::to_value(&mine).map_err(|err| err.to_string())?;
        Ok(grew)
    }

    fn bottom(&self) -> Option<Json> {
        self.bottom.clone()
    }

    fn check(&self, value: &Json) -> Result<(), String> {
        Self::decode(value.clone()).map(drop)
    }
}

/// The extern lattices known to an interpreter, by the name declared in Hydro.
#[derive(Default)]
pub struct Externs {
    lattices: BTreeMap<String, Box<dyn ExternLattice>>,
}

impl Externs {
    /// No extern lattices.
    pub fn new() -> Externs {
        Externs::default()
    }

    /// Registers `lattice` under `name`, replacing any lattice registered before.
    pub fn insert(&mut self, name: impl Into<String>, lattice: impl ExternLattice + 'static) {
        self.lattices.insert(name.into(), Box::new(lattice));
    }

    /// Registers the Rust lattice `T` under `name`; its values travel as `T`'s JSON
    /// encoding. The lattice has no bottom here: see [`Externs::register_with_bottom`].
    pub fn register<T>(&mut self, name: impl Into<String>)
    where
        T: Merge + Serialize + DeserializeOwned + 'static,
    {
        let lattice = Typed::<T> {
            bottom: None,
            ty: PhantomData,
        };
        self.insert(name, lattice);
    }

    /// [`Externs::register`] for a lattice with a bottom. Fails if the bottom does not
    /// encode as JSON.
    pub fn register_with_bottom<T>(&mut self, name: impl Into<String>) -> Result<(), LatticeError>
    where
        T: Merge + Bottom + Serialize + DeserializeOwned + 'static,
    {
        let name = name.into();
        let bottom = serde_json::to_value(T::bottom()).map_err(|err| LatticeError::Extern {
            lattice: name.clone(),
            message: err.to_string(),
        })?;
        let lattice = Typed::<T> {
            bottom: Some(bottom),
            ty: PhantomData,
        };
        self.insert(name, lattice);
        Ok(())
    }

    /// The lattice registered under `name`.
    pub fn get(&self, name: &str) -> Option<&dyn ExternLattice> {
        self.lattices.get(name).map(|lattice| &**lattice)
    }

    /// The names of the registered lattices, in ascending order.
    pub fn names(&self) -> impl Iterator<Item = &str> {
        self.lattices.keys().map(String::as_str)
    }

    /// The lattice registered under `name`, or the error that names the missing one.
    pub(crate) fn require(&self, name: &str) -> Result<&dyn ExternLattice, LatticeError> {
        self.get(name)
            .ok_or_else(|| LatticeError::UnregisteredExtern(name.to_owned()))
    }
}

impl fmt::Debug for Externs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set().entries(self.lattices.keys()).finish()
    }
}

/// A value of an extern lattice: the lattice's name and the value's canonical JSON text
/// (compact, object keys in ascending order), which makes equal values equal text.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct ExternValue {
    lattice: String,
    json: String,
}

impl ExternValue {
    /// The value `value` of the extern lattice `lattice`.
    pub fn new(lattice: impl Into<String>, value: &Json) -> ExternValue {
        ExternValue {
            lattice: lattice.into(),
            json: canonical(value).to_string(),
        }
    }

    /// The value of the extern lattice `lattice` that encodes the Rust value `value`.
    pub fn from_typed<T: Serialize>(
        lattice: impl Into<String>,
        value: &T,
    ) -> Result<ExternValue, LatticeError> {
        let lattice = lattice.into();
        match serde_json::to_value(value) {
            Ok(json) => Ok(ExternValue::new(lattice, &json)),
            Err(err) => Err(LatticeError::Extern {
                lattice,
                message: err.to_string(),
            }),
        }
    }

    /// The name of the extern lattice.
    pub fn lattice(&self) -> &str {
        &self.lattice
    }

    /// The canonical JSON text.
    pub fn json(&self) -> &str {
        &self.json
    }

    /// The value as a JSON tree.
    pub fn to_json(&self) -> Result<Json, LatticeError> {
        serde_json::from_str(&self.json).map_err(|err| self.error(err.to_string()))
    }

    /// The value decoded as the Rust type `T`.
    pub fn to_typed<T: DeserializeOwned>(&self) -> Result<T, LatticeError> {
        serde_json::from_str(&self.json).map_err(|err| self.error(err.to_string()))
    }

    /// Merges `other` into `self` through the lattice registered in `externs`.
    pub fn merge(&mut self, other: ExternValue, externs: &Externs) -> Result<bool, LatticeError> {
        if self.lattice != other.lattice {
            return Err(LatticeError::Mismatch {
                into: format!("extern {}", self.lattice),
                from: format!("extern {}", other.lattice),
            });
        }
        let lattice = externs.require(&self.lattice)?;
        let mut merged = self.to_json()?;
        lattice
            .merge(&mut merged, other.to_json()?)
            .map_err(|message| self.error(message))?;

        // Growth is judged on the canonical text, so that it agrees with equality.
        let json = canonical(&merged).to_string();
        let grew = json != self.json;
        self.json = json;
        Ok(grew)
    }

    /// Checks the value against the lattice registered in `externs`.
    pub fn check(&self, externs: &Externs) -> Result<(), LatticeError> {
        let lattice = externs.require(&self.lattice)?;
        lattice
            .check(&self.to_json()?)
            .map_err(|message| self.error(message))
    }

    fn error(&self, message: String) -> LatticeError {
        LatticeError::Extern {
            lattice: self.lattice.clone(),
            message,
        }
    }
}

/// `value` with the keys of every object in ascending order, whatever order the JSON
/// map type keeps.
pub(crate) fn canonical(value: &Json) -> Json {
    match value {
        Json::Array(items) => Json::Array(items.iter().map(canonical).collect()),
        Json::Object(entries) => {
            let mut sorted: Vec<_> = entries.iter().collect();
            sorted.sort_by(|a, b| a.0.cmp(b.0));
            let entries = sorted
                .into_iter()
                .map(|(key, value)| (key.clone(), canonical(value)))
                .collect();
            Json::Object(entries)
        }
        scalar => scalar.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lattice::{Max, Set};

    #[test]
    fn registered_types_merge_as_json() {
        let mut externs = Externs::new();
        externs.register_with_bottom::<Set<u64>>("Ids").unwrap();
        externs.register::<Max<u64>>("Hi");
        assert_eq!(externs.names().collect::<Vec<_>>(), ["Hi", "Ids"]);

        let mut ids = ExternValue::from_typed("Ids", &Set::from_iter([1u64, 3])).unwrap();
        let more = ExternValue::from_typed("Ids", &Set::singleton(2u64)).unwrap();
        assert_eq!(ids.merge(more.clone(), &externs), Ok(true));
        assert_eq!(ids.merge(more, &externs), Ok(false));
        assert_eq!(ids.json(), "[1,2,3]");
        assert_eq!(ids.to_typed::<Set<u64>>().unwrap().len(), 3);

        let bad = ExternValue::new("Ids", &serde_json::json!({"not": "a set"}));
        assert!(matches!(
            bad.check(&externs),
            Err(LatticeError::Extern { .. })
        ));
        assert!(ids.merge(bad, &externs).is_err());
        let hi = ExternValue::from_typed("Hi", &Max::new(1u64)).unwrap();
        assert!(ids.merge(hi, &externs).is_err());
        let unknown = ExternValue::new("Nope", &Json::Null);
        assert_eq!(
            unknown.check(&externs),
            Err(LatticeError::UnregisteredExtern("Nope".into()))
        );
    }

    #[test]
    fn canonical_text_sorts_keys() {
        let value = serde_json::json!({"b": [{"z": 1, "a": 2}], "a": null});
        assert_eq!(
            ExternValue::new("X", &value).json(),
            r#"{"a":null,"b":[{"a":2,"z":1}]}"#
        );
    }
}
