//! Step and phase conditions (`when:`): which variables decide whether a step applies.
//!
//! The grammar is small on purpose, so a reviewer reads it at a glance:
//! `ofc`, `not secutix_format`, `type == defect`, `service != business`, joined by `and`.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::value::Value;

/// One test on one variable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Test {
    IsTrue(String),
    IsFalse(String),
    Equals(String, String),
    Differs(String, String),
}

/// A checked condition: every test must hold.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Condition {
    pub tests: Vec<Test>,
}

impl Test {
    /// The variable this test reads.
    pub fn variable(&self) -> &str {
        match self {
            Test::IsTrue(v) | Test::IsFalse(v) | Test::Equals(v, _) | Test::Differs(v, _) => v,
        }
    }
}

impl Condition {
    /// Parses the text of a `when:`; the error says what was expected.
    pub fn parse(text: &str) -> Result<Condition, String> {
        let tests = text.split(" and ").map(parse_test).collect::<Result<Vec<_>, _>>()?;
        Ok(Condition { tests })
    }

    /// Whether the condition holds; `None` while a variable it reads has no value yet.
    pub fn evaluate<'a>(&self, lookup: impl Fn(&str) -> Option<&'a Value>) -> Option<bool> {
        let mut all = true;
        for test in &self.tests {
            let value = lookup(test.variable())?;
            all &= match test {
                Test::IsTrue(_) => value.as_bool() == Some(true),
                Test::IsFalse(_) => value.as_bool() == Some(false),
                Test::Equals(_, expected) => value.matches(expected),
                Test::Differs(_, expected) => !value.matches(expected),
            };
        }
        Some(all)
    }
}

fn parse_test(text: &str) -> Result<Test, String> {
    let text = text.trim();
    let name_ok = |name: &str| is_variable_name(name).then(|| name.to_string());
    let bad = || {
        format!(
            "cannot read the condition `{text}`: expected `NAME`, `not NAME`, `NAME == VALUE` or `NAME != VALUE`"
        )
    };
    for (operator, make) in [("==", Test::Equals as fn(String, String) -> Test), ("!=", Test::Differs)] {
        if let Some((left, right)) = text.split_once(operator) {
            let (name, value) = (left.trim(), right.trim());
            return match name_ok(name) {
                Some(name) if !value.is_empty() => Ok(make(name, value.to_string())),
                _ => Err(bad()),
            };
        }
    }
    if let Some(name) = text.strip_prefix("not ") {
        return name_ok(name.trim()).map(Test::IsFalse).ok_or_else(bad);
    }
    name_ok(text).map(Test::IsTrue).ok_or_else(bad)
}

/// Variable names: a letter or `_`, then letters, digits or `_` (`J`, `due_date`).
pub(crate) fn is_variable_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl fmt::Display for Test {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Test::IsTrue(v) => write!(f, "{v}"),
            Test::IsFalse(v) => write!(f, "not {v}"),
            Test::Equals(v, x) => write!(f, "{v} == {x}"),
            Test::Differs(v, x) => write!(f, "{v} != {x}"),
        }
    }
}

impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.tests.iter().map(Test::to_string).collect();
        f.write_str(&parts.join(" and "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_each_form() {
        let condition = Condition::parse("ofc and not secutix_format and type == defect").unwrap();
        assert_eq!(
            condition.tests,
            vec![
                Test::IsTrue("ofc".into()),
                Test::IsFalse("secutix_format".into()),
                Test::Equals("type".into(), "defect".into())
            ]
        );
        assert_eq!(condition.to_string(), "ofc and not secutix_format and type == defect");
    }

    #[test]
    fn refuses_what_it_cannot_read() {
        assert!(Condition::parse("ofc or dimo").is_err());
        assert!(Condition::parse("type ==").is_err());
    }

    #[test]
    fn unknown_until_every_variable_has_a_value() {
        let condition = Condition::parse("type == defect and urgent").unwrap();
        let defect = Value::Choice("defect".into());
        let yes = Value::Bool(true);
        assert_eq!(condition.evaluate(|n| (n == "type").then_some(&defect)), None);
        assert_eq!(condition.evaluate(|n| Some(if n == "type" { &defect } else { &yes })), Some(true));
    }
}
