//! Maps read from project files refuse a repeated key. serde's maps keep the last of two
//! silently, and the next write would drop the other with its history; a merge left by
//! hand is where it happens. Refusing while parsing, rather than scanning every file a
//! second time, keeps reading fast; the reader then finds the repeat's line to report.

use std::collections::BTreeMap;
use std::fmt;
use std::marker::PhantomData;

use indexmap::IndexMap;
use serde::de::{Deserialize, Deserializer, Error, MapAccess, Visitor};

/// A map that can tell whether a key is new.
pub(crate) trait UniqueMap<K, V>: Default {
    /// Inserts unless the key is there; false when it was.
    fn insert_new(&mut self, key: K, value: V) -> bool;
}

impl<K: Ord, V> UniqueMap<K, V> for BTreeMap<K, V> {
    fn insert_new(&mut self, key: K, value: V) -> bool {
        match self.entry(key) {
            std::collections::btree_map::Entry::Occupied(_) => false,
            std::collections::btree_map::Entry::Vacant(slot) => {
                slot.insert(value);
                true
            }
        }
    }
}

impl<K: std::hash::Hash + Eq, V> UniqueMap<K, V> for IndexMap<K, V> {
    fn insert_new(&mut self, key: K, value: V) -> bool {
        match self.entry(key) {
            indexmap::map::Entry::Occupied(_) => false,
            indexmap::map::Entry::Vacant(slot) => {
                slot.insert(value);
                true
            }
        }
    }
}

/// `#[serde(deserialize_with = "unique::keys")]`: a map whose keys are unique.
pub(crate) fn keys<'de, D, M, K, V>(deserializer: D) -> Result<M, D::Error>
where
    D: Deserializer<'de>,
    M: UniqueMap<K, V>,
    K: Deserialize<'de> + fmt::Display,
    V: Deserialize<'de>,
{
    struct Keys<M, K, V>(PhantomData<(M, K, V)>);
    impl<'de, M, K, V> Visitor<'de> for Keys<M, K, V>
    where
        M: UniqueMap<K, V>,
        K: Deserialize<'de> + fmt::Display,
        V: Deserialize<'de>,
    {
        type Value = M;

        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a mapping")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut access: A) -> Result<M, A::Error> {
            let mut map = M::default();
            while let Some((key, value)) = access.next_entry::<K, V>()? {
                let shown = key.to_string();
                if !map.insert_new(key, value) {
                    return Err(A::Error::custom(format!(
                        "the key `{shown}` appears twice in the same block"
                    )));
                }
            }
            Ok(map)
        }
    }
    deserializer.deserialize_map(Keys(PhantomData))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Blocks {
        #[serde(deserialize_with = "keys")]
        steps: IndexMap<String, u32>,
    }

    #[test]
    fn a_repeated_key_is_refused_and_order_is_kept() {
        let ok: Blocks = serde_yaml::from_str("steps:\n  b: 1\n  a: 2\n").unwrap();
        assert_eq!(ok.steps.keys().collect::<Vec<_>>(), ["b", "a"]);
        let error = serde_yaml::from_str::<Blocks>("steps:\n  a: 1\n  a: 2\n").unwrap_err().to_string();
        assert!(error.starts_with("steps: the key `a` appears twice in the same block"), "{error}");
    }
}
