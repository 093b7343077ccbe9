//! What `rdsai` requests look like on the wire: RPC encoding, ACS3 signatures
//! (checked by an independent checker), STS tokens, empty values, endpoints.

use super::*;

/// The checker reproduces Alibaba's published V3 worked example (docs/wire.md section 11.1),
/// so a mismatch in the client tests below is the client's fault.
#[test]
fn checker_reproduces_the_official_v3_example() {
    let seen = Seen {
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
    let auth =
        acs3::parse_authorization(seen.header("authorization").unwrap_or_default()).expect("ACS3");
    let canonical = acs3::canonical_request(&seen, &auth.signed_headers);
    assert_eq!(
        acs3::sha256_hex(canonical.as_bytes()),
        "7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259"
    );
    acs3::assert_signed(&seen, "YourAccessKeyId", "YourAccessKeySecret");
    assert_eq!(
        acs3::unix_seconds("2023-10-26T10:22:32Z"),
        Some(1_698_315_752)
    );
    assert_eq!(
        acs3::unix_seconds("2000-02-29T23:59:59Z"),
        Some(951_868_799)
    );
    // Negative control: a tampered query value must change the recomputed signature.
    let mut tampered = seen.clone();
    tampered.query[1].1 = "cn-hangzhou".into();
    let (recomputed, claimed) = acs3::recompute(&tampered, "YourAccessKeySecret");
    assert_ne!(recomputed, claimed);
}

#[tokio::test]
async fn query_values_are_form_encoded_and_signed_decoded() {
    let (server, client) = serve(200, r#"{"RequestId":"r","Data":[],"HasMore":false}"#).await;
    client
        .get_conversations()
        .sort_by(AWKWARD)
        .send()
        .await
        .expect("sent");
    let seen = only_request(&server).await;
    assert_eq!(
        seen.raw_query_value("SortBy"),
        Some(AWKWARD_FORM),
        "raw query: {}",
        seen.raw_query
    );
    assert_eq!(
        seen.query_map().get("SortBy").map(String::as_str),
        Some(AWKWARD)
    );
    assert_rpc(&seen, &server.uri(), "GetConversations");

    // Negative control: the checker notices a changed value.
    let mut tampered = seen.clone();
    for (k, v) in &mut tampered.query {
        if k == "SortBy" {
            v.push('!');
        }
    }
    let (recomputed, claimed) = acs3::recompute(&tampered, server::SECRET);
    assert_ne!(recomputed, claimed, "a tampered query must not verify");
}

#[tokio::test]
async fn empty_optional_parameters_are_not_sent() {
    let (server, client) = serve(200, r#"{"Data":[]}"#).await;
    client.get_conversations().send().await.expect("sent");
    let seen = only_request(&server).await;
    seen.assert_query(&[]);
    assert_rpc(&seen, &server.uri(), "GetConversations");
}

#[tokio::test]
async fn empty_string_values_are_sent_and_signed() {
    let (server, client) = serve(200, r#"{"Data":[]}"#).await;
    client
        .get_conversations()
        .sort_by("")
        .send()
        .await
        .expect("sent");
    let seen = only_request(&server).await;
    assert_eq!(
        seen.raw_query_value("SortBy"),
        Some(""),
        "raw query: {}",
        seen.raw_query
    );
    assert_rpc(&seen, &server.uri(), "GetConversations");
}

#[tokio::test]
async fn sts_token_is_sent_and_signed() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(json(200, r#"{"Data":[]}"#))
        .mount(&server)
        .await;
    let config = wiregen_runtime::Config::builder()
        .access_key(server::KEY_ID, server::SECRET)
        .security_token("CAIS-sts-token/with+odd=chars")
        .endpoint(server.uri())
        .retry(wiregen_runtime::RetryPolicy::none())
        .build();
    rdsai::Client::new(config)
        .get_conversations()
        .send()
        .await
        .expect("sent");
    let seen = only_request(&server).await;
    assert_eq!(
        seen.header("x-acs-security-token"),
        Some("CAIS-sts-token/with+odd=chars")
    );
    let auth =
        acs3::parse_authorization(seen.header("authorization").unwrap_or_default()).expect("ACS3");
    assert!(
        auth.signed_headers
            .iter()
            .any(|h| h == "x-acs-security-token"),
        "the STS token must be signed: {auth:?}"
    );
    assert_rpc(&seen, &server.uri(), "GetConversations");
}

/// Endpoints from regions (docs/wire.md section 1.1): the SDK's six mapped regions use
/// the central endpoint, any other region `rdsai.<region>.aliyuncs.com`.
#[test]
fn region_endpoints() {
    let url = |region: &str| {
        let config = wiregen_runtime::Config::builder()
            .access_key(server::KEY_ID, server::SECRET)
            .region(region)
            .build();
        rdsai::Client::new(config)
            .get_conversations()
            .prepare()
            .map(|p| p.url)
            .unwrap_or_else(|e| panic!("{region}: {e}"))
    };
    for central in ["cn-hangzhou", "cn-beijing", "cn-wulanchabu"] {
        assert_eq!(url(central), "https://rdsai.aliyuncs.com/", "{central}");
    }
    assert_eq!(
        url("ap-southeast-1"),
        "https://rdsai.ap-southeast-1.aliyuncs.com/"
    );
}
