//! Alibaba Cloud's published ACS3-HMAC-SHA256 worked example (docs/wire.md section 11.1),
//! reproduced byte for byte, step by step and through `Client::prepare_at`.

use std::time::{Duration, UNIX_EPOCH};

use wiregen_runtime::encode::canonical_query;
use wiregen_runtime::sign;
use wiregen_runtime::{
    AuthScheme, Client, Config, ErrorShape, Method, OperationInfo, Protocol, ServiceInfo,
};

const CANONICAL: &str = "POST
/
ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai
host:ecs.cn-shanghai.aliyuncs.com
x-acs-action:RunInstances
x-acs-content-sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
x-acs-date:2023-10-26T10:22:32Z
x-acs-signature-nonce:3156853299f313e23d1673dc12e1703d
x-acs-version:2014-05-26

host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version
e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

const STRING_TO_SIGN: &str =
    "ACS3-HMAC-SHA256\n7ea06492da5221eba5297e897ce16e55f964061054b7695beedaac1145b1e259";
const SIGNATURE: &str = "06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0";
const AUTHORIZATION: &str = "ACS3-HMAC-SHA256 Credential=YourAccessKeyId,SignedHeaders=host;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-signature-nonce;x-acs-version,Signature=06563a9e1b43f5dfe96b81484da74bceab24a1d853912eee15083a6f0f3283c0";

const NONCE: &str = "3156853299f313e23d1673dc12e1703d";
/// 2023-10-26T10:22:32Z
const DATE_SECS: u64 = 1_698_315_752;

#[test]
fn published_example_step_by_step() {
    let query = canonical_query(&[
        ("RegionId", "cn-shanghai"),
        (
            "ImageId",
            "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd",
        ),
    ]);
    let payload = sign::sha256_hex(b"");
    let canonical = sign::canonical_request(
        "POST",
        "/",
        &query,
        &[
            ("x-acs-version", "2014-05-26"),
            ("x-acs-signature-nonce", NONCE),
            ("host", "ecs.cn-shanghai.aliyuncs.com"),
            ("x-acs-action", "RunInstances"),
            ("x-acs-date", "2023-10-26T10:22:32Z"),
            ("x-acs-content-sha256", &payload),
        ],
        &payload,
    );
    assert_eq!(canonical.text, CANONICAL);
    let sts = sign::string_to_sign(&canonical.text);
    assert_eq!(sts, STRING_TO_SIGN);
    let sig = sign::signature("YourAccessKeySecret", &sts);
    assert_eq!(sig, SIGNATURE);
    assert_eq!(
        sign::authorization("YourAccessKeyId", &canonical.signed_headers, &sig),
        AUTHORIZATION
    );
}

static ECS: ServiceInfo = ServiceInfo {
    name: "ecs",
    protocol: Protocol::AlibabaRpc,
    api_version: Some("2014-05-26"),
    default_endpoint: "https://ecs.cn-shanghai.aliyuncs.com",
    regional_endpoints: &[],
    region_template: None,
    auth: AuthScheme::Acs3HmacSha256,
    error_shapes: &[ErrorShape::Alibaba],
    user_agent: "ecs-test/0.0.0",
};

static RUN_INSTANCES: OperationInfo = OperationInfo {
    name: "RunInstances",
    method: Method::Post,
    path: "/",
    idempotent: false,
};

#[test]
fn published_example_through_the_client() {
    let client = Client::new(
        &ECS,
        Config::builder()
            .access_key("YourAccessKeyId", "YourAccessKeySecret")
            .build(),
    );
    let mut req = client.request(&RUN_INSTANCES);
    req.query(
        "ImageId",
        "win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd",
    )
    .query("RegionId", "cn-shanghai");
    let p = client
        .prepare_at(&req, UNIX_EPOCH + Duration::from_secs(DATE_SECS), NONCE)
        .expect("prepare");
    assert_eq!(p.method, Method::Post);
    assert_eq!(
        p.url,
        "https://ecs.cn-shanghai.aliyuncs.com/?ImageId=win2019_1809_x64_dtc_zh-cn_40G_alibase_20230811.vhd&RegionId=cn-shanghai"
    );
    assert_eq!(p.header("authorization"), Some(AUTHORIZATION));
    assert_eq!(p.header("x-acs-date"), Some("2023-10-26T10:22:32Z"));
    assert_eq!(p.header("host"), Some("ecs.cn-shanghai.aliyuncs.com"));
    assert!(p.body.is_empty());
}

#[test]
fn sts_adds_signed_token_headers() {
    let config = Config::builder()
        .security_token("tok")
        .access_key("YourAccessKeyId", "YourAccessKeySecret")
        .build();
    let client = Client::new(&ECS, config);
    let p = client
        .prepare(client.request(&RUN_INSTANCES))
        .expect("prepare");
    assert_eq!(p.header("x-acs-security-token"), Some("tok"));
    assert_eq!(p.header("x-acs-accesskey-id"), Some("YourAccessKeyId"));
    let auth = p.header("authorization").expect("authorization");
    assert!(auth.contains(
        "SignedHeaders=host;x-acs-accesskey-id;x-acs-action;x-acs-content-sha256;x-acs-date;x-acs-security-token;x-acs-signature-nonce;x-acs-version,"
    ));
}
