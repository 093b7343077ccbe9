//! Which drift findings are deliberate differences of the curated spec:
//! the ones its `doc_fixes` record (each with its reason), the choices the
//! metadata does not publish (prose, decoding, pagination, ...), and region
//! endpoints the curated region template already gives.

use super::LeftOut;
use crate::diff::{Finding, Rule};
use crate::spec::Endpoints;

/// One `doc_fixes` entry of a curated operation.
#[derive(Debug, Clone, Copy)]
pub struct Fix<'a> {
    /// The operation recording it.
    pub operation: &'a str,
    /// What it fixes (`params.Limit.type`, `types.Message.fields`).
    pub target: &'a str,
    /// What the spec says instead; for a whole list (`fields`, `errors`),
    /// the items the spec adds or leaves out are named here.
    pub fixed: &'a str,
}

impl Fix<'_> {
    /// Whether the fix records the difference `f` reports. Type targets
    /// (`types.X...`) are the service's types, whose findings are reported
    /// under `<service>/types/X`; a fix of a whole list (fields, params,
    /// values, errors) covers only the items its `fixed` text names, so an
    /// unrecorded field or code still shows.
    fn covers(&self, f: &Finding, service: &str) -> bool {
        let place = match self.target.strip_prefix("types.") {
            Some(rest) => format!("{service}/types/{}", rest.replace('.', "/")),
            None => format!(
                "{service}/operations/{}/{}",
                self.operation,
                self.target.replace('.', "/")
            ),
        };
        // A fix of a description covers the prose only, so a retype of the
        // same parameter still shows; a fix of a type, requiredness or style
        // covers every finding about the item, as does a fix of its limits.
        if let Some(item) = place.strip_suffix("/description") {
            return f.rule == Rule::DescriptionChanged && f.location == item;
        }
        let place = ["/required", "/type", "/style", "/constraints"]
            .iter()
            .fold(place.as_str(), |p, s| p.trim_end_matches(s));
        let Some(rest) = f.location.strip_prefix(place) else {
            return false;
        };
        if !(rest.is_empty() || rest.starts_with('/')) {
            return false; // `params/Limit` is not `params/LimitRate`
        }
        let whole_list = ["/fields", "/params", "/values", "/errors"]
            .iter()
            .any(|s| place.ends_with(s));
        if !whole_list {
            return true;
        }
        let item = rest.trim_start_matches('/').split('/').next().unwrap_or("");
        self.fixed
            .split(|c: char| !(c.is_alphanumeric() || c == '_'))
            .any(|word| !item.is_empty() && word == item)
    }
}

/// Why a finding is a deliberate difference of the curated spec, if it is.
pub fn deliberate(f: &Finding, service: &str, fixes: &[Fix<'_>]) -> Option<String> {
    if let Some(fix) = fixes.iter().find(|fix| fix.covers(f, service)) {
        return Some(format!(
            "doc_fixes of `{}`: `{}`",
            fix.operation, fix.target
        ));
    }
    let reason = match f.rule {
        Rule::DescriptionChanged => "prose: curated text rewrites the published one",
        Rule::FieldDecodingChanged => {
            "decoding choices (lenient, aliases) the metadata does not publish"
        }
        Rule::PaginationRemoved | Rule::PaginationChanged => {
            "pagination the metadata does not publish"
        }
        Rule::StreamingChanged => {
            "stream events (terminal, error, ignored) the metadata does not publish"
        }
        Rule::ErrorRetryabilityChanged => "retryability the metadata does not publish",
        Rule::OperationIdempotencyChanged => "idempotency the metadata does not publish",
        Rule::ResponseFieldBecameOptional
        | Rule::ResponseFieldBecameRequired
        | Rule::ResponseFieldBecameNullable
        | Rule::ResponseFieldBecameNonNullable
        | Rule::RequestFieldBecameNullable
        | Rule::RequestFieldBecameNonNullable => {
            "presence and nullability of fields, which the metadata does not publish (drafts make every field optional)"
        }
        Rule::TypeKindChanged
        | Rule::RequestParamRetyped
        | Rule::RequestFieldRetyped
        | Rule::ResponseFieldRetyped
            if is_curated_open_enum(f) =>
        {
            "an open enum the curated spec declares where the metadata says string"
        }
        _ => return None,
    };
    Some(reason.to_owned())
}

/// A named type in the curated spec where the metadata says string: the
/// curated spec's own open enums (values the metadata does not list). The
/// other way round (the metadata lists values, the curated spec keeps a
/// string) is a choice the spec must record.
fn is_curated_open_enum(f: &Finding) -> bool {
    let named = |t: &str| t.chars().next().is_some_and(|c| c.is_ascii_uppercase());
    matches!(
        (f.before.as_deref(), f.after.as_deref()),
        (Some(curated), Some("string")) if named(curated)
    )
}

/// Reason for the region endpoints folded into the curated template.
const TEMPLATE_REASON: &str = "region endpoints the curated `region_template` gives (the SDK's `regional` rule; the metadata lists regions one by one)";

/// Upstream's region endpoints that the curated region template gives
/// verbatim are folded into the template (the metadata publishes regions,
/// not the rule), so only a region whose endpoint differs is drift. Returns
/// what was folded, as left-out differences.
pub fn fold_endpoints(
    service: &str,
    curated: &Endpoints,
    upstream: &mut Endpoints,
) -> Vec<LeftOut> {
    let Some(template) = &curated.region_template else {
        return Vec::new();
    };
    if upstream.region_template.is_some() {
        return Vec::new();
    }
    upstream.region_template = Some(template.clone());
    let mut left_out = vec![LeftOut {
        rule: Rule::EndpointRemoved.id(),
        location: format!("{service}/endpoints/region_template"),
        reason: TEMPLATE_REASON.to_owned(),
    }];
    upstream.regions.retain(|region, url| {
        let given =
            !curated.regions.contains_key(region) && *url == template.replace("{region}", region);
        if given {
            left_out.push(LeftOut {
                rule: Rule::EndpointAdded.id(),
                location: format!("{service}/endpoints/regions/{region}"),
                reason: TEMPLATE_REASON.to_owned(),
            });
        }
        !given
    });
    left_out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::Impact;

    fn finding(rule: Rule, location: &str) -> Finding {
        Finding {
            service: "rdsai".into(),
            rule,
            location: location.into(),
            message: String::new(),
            wire: Impact::Breaking,
            rust: Impact::Breaking,
            before: None,
            after: None,
            operations: Vec::new(),
        }
    }

    const FIXES: &[Fix<'static>] = &[
        Fix {
            operation: "GetMessages",
            target: "types.Message.fields",
            fixed: "also GenerationStatus, StreamKey",
        },
        Fix {
            operation: "GetMessages",
            target: "params.Limit.type",
            fixed: "int32",
        },
    ];

    #[test]
    fn a_fix_of_a_whole_list_covers_only_the_items_it_names() {
        let named = finding(
            Rule::ResponseFieldRemoved,
            "rdsai/types/Message/fields/StreamKey",
        );
        let unnamed = finding(
            Rule::ResponseFieldRemoved,
            "rdsai/types/Message/fields/Events",
        );
        assert!(deliberate(&named, "rdsai", FIXES).is_some());
        assert_eq!(deliberate(&unnamed, "rdsai", FIXES), None);
    }

    #[test]
    fn a_fix_covers_its_own_parameter_not_one_sharing_a_prefix() {
        let own = finding(
            Rule::RequestParamRetyped,
            "rdsai/operations/GetMessages/params/Limit",
        );
        let other = finding(
            Rule::RequestParamRetyped,
            "rdsai/operations/GetMessages/params/LimitRate",
        );
        assert_eq!(
            deliberate(&own, "rdsai", FIXES).as_deref(),
            Some("doc_fixes of `GetMessages`: `params.Limit.type`")
        );
        assert_eq!(deliberate(&other, "rdsai", FIXES), None);
    }

    #[test]
    fn a_fix_of_a_description_covers_the_prose_only() {
        let fixes = [Fix {
            operation: "ChatMessages",
            target: "params.Query.description",
            fixed: "The query content.",
        }];
        let at = "rdsai/operations/ChatMessages/params/Query";
        let prose = finding(Rule::DescriptionChanged, at);
        let retype = finding(Rule::RequestParamRetyped, at);
        assert!(deliberate(&prose, "rdsai", &fixes).is_some());
        assert_eq!(deliberate(&retype, "rdsai", &fixes), None);
    }

    #[test]
    fn only_the_curated_side_may_be_the_open_enum() {
        let mut curated_enum = finding(Rule::ResponseFieldRetyped, "rdsai/types/M/fields/F");
        (curated_enum.before, curated_enum.after) =
            (Some("Feedback".into()), Some("string".into()));
        let mut upstream_enum = curated_enum.clone();
        (upstream_enum.before, upstream_enum.after) =
            (Some("string".into()), Some("Format".into()));
        assert!(deliberate(&curated_enum, "rdsai", &[]).is_some());
        assert_eq!(deliberate(&upstream_enum, "rdsai", &[]), None);
    }

    #[test]
    fn region_endpoints_the_template_gives_are_folded_others_stay() {
        let curated = Endpoints {
            default: "https://rdsai.aliyuncs.com".into(),
            regions: [(
                "cn-hangzhou".to_owned(),
                "https://rdsai.aliyuncs.com".to_owned(),
            )]
            .into(),
            region_template: Some("https://rdsai.{region}.aliyuncs.com".into()),
        };
        let mut upstream = Endpoints {
            default: "https://rdsai.aliyuncs.com".into(),
            regions: [
                ("cn-hangzhou", "https://rdsai.aliyuncs.com"),
                ("us-west-1", "https://rdsai.us-west-1.aliyuncs.com"),
                ("eu-central-1", "https://rdsai-eu.example.com"),
            ]
            .map(|(r, u)| (r.to_owned(), u.to_owned()))
            .into(),
            region_template: None,
        };
        let left_out = fold_endpoints("rdsai", &curated, &mut upstream);
        let places: Vec<&str> = left_out.iter().map(|l| l.location.as_str()).collect();
        assert_eq!(
            places,
            [
                "rdsai/endpoints/region_template",
                "rdsai/endpoints/regions/us-west-1"
            ]
        );
        assert_eq!(upstream.region_template, curated.region_template);
        let kept: Vec<&str> = upstream.regions.keys().map(String::as_str).collect();
        assert_eq!(kept, ["cn-hangzhou", "eu-central-1"]);
    }
}
