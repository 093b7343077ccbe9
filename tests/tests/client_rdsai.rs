//! The generated `rdsai` client against a local HTTP server.

mod support;

use support::acs3;

/// The checker reproduces Alibaba's published V3 worked example (api-facts 11.1),
/// so a mismatch in the client tests below is the client's fault.
#[test]
fn checker_reproduces_the_official_v3_example() {
    let seen = support::seen::Seen {
        method: "POST".into(),
        path: "/".into(),
        raw_query: String::new(),
        query: vec![
            ("ImageId".into(), "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd".into()),
            ("RegionId".into(), "cn-shanghai".into()),
        ],
        headers: [
            ("host", "ecs.cn-shanghai.aliyuncs.com"),
            ("x-acs-action", "RunInstances"),
            ("x-acs-content-sha256", acs3::EMPTY_SHA256),
            ("x-acs-date", "2023-10-26T10:22:32Z"),
            ("x-acs-signature-nonce", "3156853299f313e23d1673dc12e1703d"),
            ("x-acs-version", "2014-05-26"),
            ("authorization", "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect(),
        body: Vec::new(),
    };
    let auth = acs3::parse_authorization(seen.header("authorization").unwrap_or_default()).expect("ACS3");
    let canonical = acs3::canonical_request(&seen, &auth.signed_headers);
    assert_eq!(acs3::sha256_hex(canonical.as_bytes()), "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259");
    acs3::assert_signed(&seen, "YourAccessKeyId", "YourAccessKeySecret");
    // Negative control: a tampered query value must change the recomputed signature.
    let mut tampered = seen.clone();
    tampered.query[1].1 = "cn-hangzhou".into();
    let (recomputed, claimed) = acs3::recompute(&tampered, "YourAccessKeySecret");
    assert_ne!(recomputed, claimed);
}
