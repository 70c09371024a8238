//! Small English wording helpers shared by the domain's explanations and the tables.

/// `1 business day`, `3 business days`: the count and the noun, plural unless it is one.
pub(crate) fn count(n: impl Into<i64>, noun: &str) -> String {
    let n = n.into();
    if n.abs() == 1 { format!("{n} {noun}") } else { format!("{n} {noun}s") }
}

/// `a`, `a and b`, `a, b and c`: a list as a sentence says it.
pub(crate) fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [only] => only.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_join_with_commas_and_a_final_and() {
        let items = |n: usize| {
            ["3.1", "3.3", "phase II"][..n].iter().map(std::string::ToString::to_string).collect::<Vec<_>>()
        };
        assert_eq!(list(&items(0)), "");
        assert_eq!(list(&items(1)), "3.1");
        assert_eq!(list(&items(2)), "3.1 and 3.3");
        assert_eq!(list(&items(3)), "3.1, 3.3 and phase II");
    }

    #[test]
    fn one_is_singular_and_everything_else_plural() {
        assert_eq!(count(1, "business day"), "1 business day");
        assert_eq!(count(0, "day"), "0 days");
        assert_eq!(count(14u32, "calendar day"), "14 calendar days");
        assert_eq!(count(-1, "day"), "-1 day");
    }
}
