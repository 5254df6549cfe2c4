//! Reading a Lambda invocation URI: the one parser of the workspace (the binder, the local
//! runner and the export read integrations with it; [`invocation_uri`](crate::invocation_uri)
//! writes them).

/// A Lambda invocation URI taken apart:
/// `arn:PARTITION:apigateway:REGION:lambda:path/2015-03-31/functions/FUNCTION_ARN/invocations`,
/// where `FUNCTION_ARN` is `arn:PARTITION:lambda:REGION:ACCOUNT:function:NAME[:QUALIFIER]`.
///
/// ```
/// use lambda_sync_integration::LambdaUri;
/// let uri = "arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:addPet:live/invocations";
/// let parsed = LambdaUri::parse(uri).unwrap();
/// assert_eq!(parsed.function_name, "addPet");
/// assert_eq!(parsed.qualifier.as_deref(), Some("live"));
/// assert_eq!(parsed.function_arn, "arn:aws:lambda:eu-west-1:123456789012:function:addPet:live");
/// // Stage variables are resolved only at call time: nothing to read here.
/// assert_eq!(LambdaUri::parse(&uri.replace("addPet:live", "${stageVariables.fn}")), None);
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LambdaUri {
    /// The function's ARN as written, qualifier included.
    pub function_arn: String,
    /// The function's name.
    pub function_name: String,
    /// The version or alias after the name, if any.
    pub qualifier: Option<String>,
}

impl LambdaUri {
    /// Reads `uri`; `None` when it is not a Lambda invocation URI, names no function, or uses
    /// variables (`${stageVariables.fn}`), which only API Gateway resolves, at call time.
    pub fn parse(uri: &str) -> Option<LambdaUri> {
        if uri.contains("${") {
            return None;
        }
        let (service, rest) = uri.split_once(":lambda:path/")?;
        if !service.starts_with("arn:") || !service.contains(":apigateway:") {
            return None;
        }
        let function_arn = rest
            .split_once("/functions/")?
            .1
            .strip_suffix("/invocations")?;
        let (arn_head, spec) = function_arn.split_once(":function:")?;
        if !arn_head.starts_with("arn:") || !arn_head.contains(":lambda:") {
            return None;
        }
        let (name, qualifier) = match spec.split_once(':') {
            Some((name, qualifier)) => (name, Some(qualifier)),
            None => (spec, None),
        };
        let plain = |s: &str| !s.is_empty() && !s.contains(['/', ':', '$']);
        if !plain(name) || qualifier.is_some_and(|q| !plain(q)) {
            return None;
        }
        Some(LambdaUri {
            function_arn: function_arn.to_string(),
            function_name: name.to_string(),
            qualifier: qualifier.map(str::to_string),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const URI: &str = "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:addPet/invocations";

    #[track_caller]
    fn check(uri: &str, want: Option<(&str, Option<&str>)>) {
        let got = LambdaUri::parse(uri);
        assert_eq!(
            got.as_ref()
                .map(|u| (u.function_name.as_str(), u.qualifier.as_deref())),
            want,
            "{uri}"
        );
    }

    #[test]
    fn uris() {
        check(URI, Some(("addPet", None)));
        check(
            &URI.replace("addPet/", "addPet:live/"),
            Some(("addPet", Some("live"))),
        );
        check(
            &URI.replace("addPet/", "addPet:7/"),
            Some(("addPet", Some("7"))),
        );
        check(
            &URI.replace("arn:aws:", "arn:aws-us-gov:")
                .replace("us-east-1", "us-gov-west-1"),
            Some(("addPet", None)),
        );
        assert_eq!(
            LambdaUri::parse(URI).unwrap().function_arn,
            "arn:aws:lambda:us-east-1:123456789012:function:addPet"
        );
        // Not Lambda invocation URIs, or nothing to read.
        check("http://example.com/pets", None);
        check("", None);
        check(&URI.replace("addPet", "${stageVariables.fn}"), None);
        check(
            &URI.replace("function:addPet", "${stageVariables.arn}"),
            None,
        );
        check(&URI.replace("/invocations", ""), None);
        check(&URI.replace("/invocations", "/invocations/x"), None);
        check(&URI.replace("function:addPet", "function:"), None);
        check(&URI.replace("addPet/", "addPet:/"), None);
        check(&URI.replace("addPet/", "addPet:a:b/"), None);
        check(&URI.replace(":apigateway:", ":s3:"), None);
        check(
            "arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/addPet/invocations",
            None,
        );
    }
}
