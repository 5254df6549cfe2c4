//! Lambda resource policies as API Gateway meets them when it invokes a function.

use lambda_sync_aws::PolicyStatement;

/// Whether a statement of `statements` allows `apigateway.amazonaws.com` to call
/// `lambda:InvokeFunction` from `source_arn`: the principal is API Gateway's (or `*`), the action
/// `lambda:InvokeFunction` (or `lambda:*`, `*`), and the statement's `AWS:SourceArn` condition,
/// if any, matches as IAM's `ArnLike` does (`*` any run of characters, `?` one character,
/// case-sensitive).
pub(crate) fn allows(statements: &[PolicyStatement], source_arn: &str) -> bool {
    statements.iter().any(|s| {
        let principal = s
            .principal
            .as_deref()
            .is_none_or(|p| p == "*" || p == "apigateway.amazonaws.com");
        let action = s
            .action
            .as_deref()
            .is_none_or(|a| matches!(a, "lambda:InvokeFunction" | "lambda:*" | "*"));
        let arn = s
            .source_arn
            .as_deref()
            .is_none_or(|pattern| arn_like(pattern, source_arn));
        principal && action && arn
    })
}

/// IAM's `ArnLike`: each of the six colon-separated parts matched on its own with `*` and `?`
/// wildcards (the resource part, the sixth, keeps its colons).
pub(crate) fn arn_like(pattern: &str, arn: &str) -> bool {
    let p: Vec<&str> = pattern.splitn(6, ':').collect();
    let a: Vec<&str> = arn.splitn(6, ':').collect();
    p.len() == a.len() && p.iter().zip(&a).all(|(p, a)| wildcard(p, a))
}

/// `*` matches any run (also empty), `?` exactly one character.
fn wildcard(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    let (mut pi, mut ti) = (0, 0);
    let mut star: Option<(usize, usize)> = None;
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some((pi, ti));
            pi += 1;
        } else if let Some((sp, st)) = star {
            pi = sp + 1;
            ti = st + 1;
            star = Some((sp, st + 1));
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|&c| c == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn check(pattern: &str, arn: &str, expect: bool) {
        assert_eq!(arn_like(pattern, arn), expect, "{pattern} vs {arn}");
    }

    #[test]
    fn arn_like_as_iam() {
        let base = "arn:aws:execute-api:us-east-1:123456789012";
        let m = format!("{base}:abc/local/GET/v2/pet/7");
        check(&format!("{base}:abc/*/GET/v2/pet/*"), &m, true);
        check(&format!("{base}:abc/*/GET/pet/*"), &m, false);
        check(&format!("{base}:abc/*/*/*"), &m, true);
        check(&format!("{base}:xyz/*/*/*"), &m, false);
        check(&format!("{base}:abc/*/POST/v2/pet/*"), &m, false);
        check(&format!("{base}:abc/*/GET/v2/pet/?"), &m, true);
        check(&format!("{base}:abc/*/GET/v2/pet/??"), &m, false);
        check(
            &format!("{base}:abc/*/GET/"),
            &format!("{base}:abc/local/GET/"),
            true,
        );
        // `*` in one ARN part does not reach into the next.
        check(
            "arn:aws:execute-api:*:abc/*",
            &format!("{base}:abc/x"),
            false,
        );
        check(
            "arn:aws:execute-api:*:*:abc/*",
            &format!("{base}:abc/x"),
            true,
        );
    }

    #[test]
    fn statements() {
        let s = |principal: &str, arn: Option<&str>| PolicyStatement {
            sid: "s".into(),
            action: Some("lambda:InvokeFunction".into()),
            principal: Some(principal.into()),
            source_arn: arn.map(str::to_string),
        };
        let m = "arn:aws:execute-api:us-east-1:1:abc/local/GET/pets";
        assert!(!allows(&[], m));
        assert!(allows(&[s("apigateway.amazonaws.com", None)], m));
        assert!(!allows(&[s("s3.amazonaws.com", None)], m));
        assert!(allows(
            &[
                s(
                    "apigateway.amazonaws.com",
                    Some("arn:aws:execute-api:us-east-1:1:zzz/*")
                ),
                s(
                    "apigateway.amazonaws.com",
                    Some("arn:aws:execute-api:us-east-1:1:abc/*")
                ),
            ],
            m
        ));
    }
}
