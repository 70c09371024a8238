//! `--set KEY=VALUE`: the pairs `start`, `advance` and `set` take, split and checked for
//! repeats before any command reads them.

use std::collections::BTreeMap;

use anyhow::{Result, bail};

use crate::hint::hinted;

/// Parses `KEY=VALUE` pairs, refusing a repeated key.
pub(super) fn split_assignments(pairs: &[String]) -> Result<BTreeMap<String, String>> {
    let mut map = BTreeMap::new();
    for pair in pairs {
        let Some((key, value)) = pair.split_once('=') else {
            return Err(hinted(format!("`{pair}` is not KEY=VALUE"), "write it as `--set name=value`"));
        };
        if map.insert(key.trim().to_string(), value.to_string()).is_some() {
            bail!("`--set {}` is given twice", key.trim());
        }
    }
    Ok(map)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assignments_split_on_the_first_equals_sign() {
        let map = split_assignments(&["note=a=b".into()]).unwrap();
        assert_eq!(map["note"], "a=b");
        assert!(split_assignments(&["x".into()]).is_err());
        assert!(split_assignments(&["x=1".into(), "x=2".into()]).is_err());
    }
}
