//! Small English wording helpers shared by the domain's explanations and the tables.

/// `1 business day`, `3 business days`: the count and the noun, plural unless it is one.
pub fn count(n: impl Into<i64>, noun: &str) -> String {
    let n = n.into();
    if n.abs() == 1 { format!("{n} {noun}") } else { format!("{n} {noun}s") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_is_singular_and_everything_else_plural() {
        assert_eq!(count(1, "business day"), "1 business day");
        assert_eq!(count(0, "day"), "0 days");
        assert_eq!(count(14u32, "calendar day"), "14 calendar days");
        assert_eq!(count(-1, "day"), "-1 day");
    }
}
