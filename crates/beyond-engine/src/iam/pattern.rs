//! Wildcard matching as IAM does it: `*` matches any run of characters (including none) and `?`
//! matches exactly one. Iterative, so arbitrary patterns cannot exhaust the stack.

/// Whether `text` matches `pattern`, where `*` matches any run of characters and `?` one
/// character. With `ignore_case` both sides are compared lower-cased (action names).
///
/// # Examples
///
/// ```
/// use lambdascape_beyond_engine::iam::wildcard_match;
///
/// assert!(wildcard_match("sts:Assume*", "STS:AssumeRole", true));
/// assert!(wildcard_match("arn:aws:iam::222222222222:role/*", "arn:aws:iam::222222222222:role/x", false));
/// assert!(!wildcard_match("s3:Get?bject", "s3:GetObjects", true));
/// ```
pub fn wildcard_match(pattern: &str, text: &str, ignore_case: bool) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = if ignore_case {
        (pattern.to_lowercase().chars().collect(), text.to_lowercase().chars().collect())
    } else {
        (pattern.chars().collect(), text.chars().collect())
    };
    let (mut pi, mut ti) = (0usize, 0usize);
    // Position of the last `*` seen and the text position it currently stands for.
    let mut star: Option<usize> = None;
    let mut mark = 0usize;
    while ti < t.len() {
        let pc = p.get(pi).copied();
        let tc = t.get(ti).copied();
        if pc.is_some() && (pc == Some('?') || pc == tc) && pc != Some('*') {
            pi += 1;
            ti += 1;
        } else if pc == Some('*') {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            // Let the last `*` swallow one more character and retry from there.
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    while p.get(pi) == Some(&'*') {
        pi += 1;
    }
    pi == p.len()
}

/// `ArnLike`/`ArnEquals` matching: each of the six colon-separated parts of the ARN is matched
/// separately (case-sensitively), so a `*` never spans a colon except inside the last part.
/// A bare `*` pattern matches any value.
pub fn arn_match(pattern: &str, arn: &str) -> bool {
    if pattern == "*" {
        return true;
    }
    let p: Vec<&str> = pattern.splitn(6, ':').collect();
    let a: Vec<&str> = arn.splitn(6, ':').collect();
    p.len() == 6 && a.len() == 6 && p.iter().zip(a.iter()).all(|(p, a)| wildcard_match(p, a, false))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stars_and_question_marks() {
        assert!(wildcard_match("*", "", false));
        assert!(wildcard_match("*", "anything", false));
        assert!(wildcard_match("a*b*c", "aXXbYYc", false));
        assert!(!wildcard_match("a*b*c", "aXXbYY", false));
        assert!(wildcard_match("s3:Get?bject", "s3:GetObject", false));
        assert!(!wildcard_match("s3:Get?bject", "s3:Getbject", false));
        assert!(!wildcard_match("", "x", false));
        assert!(wildcard_match("**", "x", false));
    }

    #[test]
    fn case_rules() {
        assert!(wildcard_match("STS:assumerole", "sts:AssumeRole", true));
        assert!(!wildcard_match("role/Admin", "role/admin", false));
    }

    #[test]
    fn arn_parts_are_matched_separately() {
        assert!(arn_match("arn:aws:iam::*:role/x", "arn:aws:iam::111111111111:role/x"));
        assert!(!arn_match("arn:aws:iam::1*", "arn:aws:iam::111111111111:role/x"));
        assert!(arn_match("arn:aws:iam::1*:*", "arn:aws:iam::111111111111:role/x"));
        assert!(!arn_match("arn:aws:iam::*:role/x", "not-an-arn"));
    }
}
