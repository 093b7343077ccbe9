//! A synthetic spec tree shaped like the real ones, for benchmarks and for
//! measuring what generated crates cost their users.
//!
//! Pure: `synthesize(n, seed)` returns the files (path relative to the spec
//! root, text); writing them is the caller's business. The benchmarks in
//! `codegen/benches` include this file with `#[path]` so they run the very
//! same generator in memory, which is why it depends only on
//! `wiregen_codegen::spec`, `serde_yaml` and `serde_json`.
//!
//! Operations are dealt round-robin to three services, one per protocol
//! (RPC with PascalCase names, ROA with camelCase, REST with snake_case).
//! Every operation has parameters of several kinds (plain scalars, enums,
//! timestamps, JSON-string objects and lists), a nested response with lists,
//! maps, lenient and nullable fields, its own error codes and an example
//! response built from its own types (so examples always match them);
//! pagination of each style and streaming are spread over the operations.
//!
//! `synthesize_rest` writes the plain REST flavour instead: every operation
//! in one REST service, shaped as an OpenAPI 3.0 document can describe it
//! (see `synth/openapi.rs`), so other generators can compile the same API:
//! GET-heavy, JSON bodies on POST, no streaming, no lenient fields and no
//! JSON-string parameters.

use std::collections::BTreeMap;

use serde_json::{Value, json};
use wiregen_codegen::spec::{
    Auth, Constraints, CrateSpec, CursorFrom, Endpoints, EnumValue, ErrorCode, ErrorShape, Example,
    Field, HttpBinding, HttpMethod, OperationSpec, Pagination, Param, ParamLocation, ParamStyle,
    Protocol, ServiceErrors, ServiceSpec, Streaming, TypeDef,
};

/// SplitMix64: a tiny, fully specified generator, so the same seed gives
/// the same tree on every platform and with every dependency version
/// (`rand`'s `StdRng` promises neither).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// A number in `0..n` (`n > 0`).
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// The casing a service uses for its wire names.
#[derive(Clone, Copy)]
enum Case {
    Pascal,
    Camel,
    Snake,
}

impl Case {
    /// Joins `words` in this casing. Pascal case keeps upper-case letters
    /// (`DB` + `instance` + `id` gives `DBInstanceId`, as Alibaba writes it);
    /// the other casings lower-case every word first.
    fn join(self, words: &[&str]) -> String {
        let cap = |w: &str| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_ascii_uppercase().to_string() + c.as_str())
                .unwrap_or_default()
        };
        let lower: Vec<String> = words.iter().map(|w| w.to_ascii_lowercase()).collect();
        match self {
            Case::Pascal => words.iter().map(|w| cap(w)).collect(),
            Case::Camel => lower
                .iter()
                .enumerate()
                .map(|(i, w)| if i == 0 { w.clone() } else { cap(w) })
                .collect(),
            Case::Snake => lower.join("_"),
        }
    }
}

/// One synthetic service: its protocol and conventions.
struct Flavor {
    name: &'static str,
    protocol: Protocol,
    case: Case,
    /// Only what OpenAPI 3.0 describes: no streaming, no lenient fields, no
    /// JSON-string parameters (objects travel in a JSON body instead).
    plain: bool,
}

const FLAVORS: [Flavor; 3] = [
    Flavor {
        name: "synthrpc",
        protocol: Protocol::AlibabaRpc,
        case: Case::Pascal,
        plain: false,
    },
    Flavor {
        name: "synthroa",
        protocol: Protocol::AlibabaRoa,
        case: Case::Camel,
        plain: false,
    },
    Flavor {
        name: "synthrest",
        protocol: Protocol::RestJson,
        case: Case::Snake,
        plain: false,
    },
];

/// The service of `synthesize_rest`.
const PLAIN_REST: Flavor = Flavor {
    name: "synthrest",
    protocol: Protocol::RestJson,
    case: Case::Snake,
    plain: true,
};

const VERBS: [&str; 8] = [
    "Describe", "List", "Create", "Modify", "Delete", "Get", "Query", "Update",
];
const NOUNS: [&str; 8] = [
    "Instance",
    "Conversation",
    "Message",
    "Backup",
    "Account",
    "Database",
    "Task",
    "Bucket",
];

/// How an operation walks its pages.
#[derive(Clone, Copy)]
enum Paging {
    None,
    CursorLast,
    CursorFirst,
    Page,
    Token,
}

/// The spec files for `operations` operations dealt over the first
/// `services` services (1 to 3: RPC, then ROA, then REST): `(path relative
/// to the spec root, YAML text)`, sorted by path.
pub fn synthesize(operations: usize, services: usize, seed: u64) -> Vec<(String, String)> {
    synthesize_flavors(
        operations,
        &FLAVORS[..services.clamp(1, FLAVORS.len())],
        seed,
    )
}

/// The spec files of the plain REST flavour: `operations` operations in one
/// REST service (`synthrest`) that an OpenAPI 3.0 document can describe
/// exactly; sorted by path like `synthesize`.
// The codegen benchmarks include this file by `#[path]` and use only
// `synthesize`; `cargo xtask synth --flavor rest` uses this.
#[allow(dead_code)]
pub fn synthesize_rest(operations: usize, seed: u64) -> Vec<(String, String)> {
    synthesize_flavors(operations, &[PLAIN_REST], seed)
}

fn synthesize_flavors(operations: usize, flavors: &[Flavor], seed: u64) -> Vec<(String, String)> {
    let mut rng = Rng(seed);
    let mut files = Vec::new();
    for (s, flavor) in flavors.iter().enumerate() {
        let indexes: Vec<usize> = (s..operations).step_by(flavors.len()).collect();
        if indexes.is_empty() {
            continue;
        }
        files.push((
            format!("{}/service.yaml", flavor.name),
            to_yaml(&service(flavor)),
        ));
        for i in indexes {
            let op = operation(flavor, i, &mut rng);
            files.push((
                format!("{}/operations/{}.yaml", flavor.name, op.operation),
                to_yaml(&op),
            ));
        }
    }
    files.sort();
    files
}

/// YAML as a person would write it: without the members that only restate
/// a default (nulls, empty lists, `false` flags, `style: plain`), so the
/// loader reads files of realistic size.
fn to_yaml<T: serde::Serialize>(value: &T) -> String {
    // The spec types are plain data with string keys: serialising can not fail.
    let mut tree =
        serde_yaml::to_value(value).unwrap_or_else(|e| unreachable!("spec types serialise: {e}"));
    prune_defaults(&mut tree);
    serde_yaml::to_string(&tree).unwrap_or_else(|e| unreachable!("spec types serialise: {e}"))
}

/// Flags whose default is `false` (`idempotent` has none, so it stays).
const FALSE_BY_DEFAULT: [&str; 5] = ["required", "deprecated", "nullable", "lenient", "retryable"];

fn prune_defaults(value: &mut serde_yaml::Value) {
    use serde_yaml::Value as Y;
    match value {
        Y::Mapping(map) => {
            map.retain(|key, member| {
                let key = key.as_str().unwrap_or_default();
                let default = match member {
                    Y::Null => true,
                    Y::Sequence(items) => items.is_empty(),
                    Y::Mapping(members) => members.is_empty(),
                    Y::Bool(false) => FALSE_BY_DEFAULT.contains(&key),
                    Y::String(text) => key == "style" && text == "plain",
                    _ => false,
                };
                !default
            });
            for (_, member) in map.iter_mut() {
                prune_defaults(member);
            }
        }
        Y::Sequence(items) => items.iter_mut().for_each(prune_defaults),
        _ => {}
    }
}

fn code(code: &str, status: Option<u16>, message: &str, retryable: bool) -> ErrorCode {
    ErrorCode {
        code: code.to_owned(),
        status,
        message: Some(message.to_owned()),
        description: None,
        retryable,
    }
}

fn service(flavor: &Flavor) -> ServiceSpec {
    let name = flavor.name;
    let (api_version, auth, shapes, codes) = match flavor.protocol {
        Protocol::AlibabaRpc => (
            Some("2025-05-07".to_owned()),
            Auth::Acs3HmacSha256,
            vec![ErrorShape::Alibaba],
            vec![
                code(
                    "Throttling.User",
                    Some(429),
                    "Request was denied due to user flow control.",
                    true,
                ),
                code(
                    "InvalidParameter",
                    Some(400),
                    "The parameter is invalid.",
                    false,
                ),
            ],
        ),
        Protocol::AlibabaRoa => (
            Some("20240611".to_owned()),
            Auth::Acs3HmacSha256,
            vec![ErrorShape::Alibaba, ErrorShape::SuccessEnvelope],
            vec![code(
                "Throttling.User",
                Some(429),
                "Request was denied due to user flow control.",
                true,
            )],
        ),
        Protocol::RestJson => (
            None,
            Auth::Bearer {
                env: format!("{}_API_KEY", name.to_ascii_uppercase()),
            },
            vec![ErrorShape::CodeMessage],
            vec![
                code("40000", None, "Parameter error", false),
                code("40127", None, "Developer authentication failed", false),
            ],
        ),
    };
    ServiceSpec {
        service: name.to_owned(),
        title: format!("Synthetic {name} service"),
        description: Some(format!(
            "Generated by `cargo xtask synth` to measure the compiler on {name}-shaped specs."
        )),
        krate: CrateSpec {
            name: name.to_owned(),
            version: "0.1.0".to_owned(),
        },
        protocol: flavor.protocol,
        api_version,
        endpoints: Endpoints {
            default: format!("https://{name}.example.com"),
            regions: BTreeMap::from([(
                "cn-hangzhou".to_owned(),
                format!("https://{name}.example.com"),
            )]),
            region_template: Some(format!("https://{name}.{{region}}.example.com")),
        },
        auth,
        errors: ServiceErrors { shapes, codes },
        types: shared_types(flavor),
        provenance: Vec::new(),
    }
}

/// Types every operation of a service may use, declared in `service.yaml`.
fn shared_types(flavor: &Flavor) -> BTreeMap<String, TypeDef> {
    BTreeMap::from([
        (
            "Tag".to_owned(),
            object(vec![
                field(flavor, &["key"], "string", true),
                field(flavor, &["value"], "string", false),
            ]),
        ),
        ("SortOrder".to_owned(), enumeration(&["ASC", "DESC"])),
    ])
}

fn object(fields: Vec<Field>) -> TypeDef {
    TypeDef {
        description: Some("A synthetic object.".to_owned()),
        deprecated: false,
        fields: Some(fields),
        values: None,
    }
}

fn enumeration(values: &[&str]) -> TypeDef {
    TypeDef {
        description: Some("A synthetic open enum.".to_owned()),
        deprecated: false,
        fields: None,
        values: Some(
            values
                .iter()
                .map(|v| EnumValue {
                    value: (*v).to_owned(),
                    description: Some(format!("The {v} value.")),
                    deprecated: false,
                })
                .collect(),
        ),
    }
}

fn field(flavor: &Flavor, words: &[&str], ty: &str, required: bool) -> Field {
    Field {
        name: flavor.case.join(words),
        ty: ty.to_owned(),
        required,
        nullable: false,
        lenient: false,
        aliases: Vec::new(),
        deprecated: false,
        description: Some(format!("The {}.", words.join(" "))),
        example: None,
    }
}

/// Marks `f` lenient (numbers and booleans may travel as text), except in
/// the plain flavour, which has only strictly typed fields.
fn lenient(flavor: &Flavor, mut f: Field) -> Field {
    f.lenient = !flavor.plain;
    f
}

fn nullable(mut f: Field) -> Field {
    f.nullable = true;
    f
}

fn param(
    flavor: &Flavor,
    words: &[&str],
    location: ParamLocation,
    ty: &str,
    required: bool,
) -> Param {
    Param {
        name: flavor.case.join(words),
        location,
        ty: ty.to_owned(),
        style: ParamStyle::Plain,
        required,
        deprecated: false,
        description: Some(format!("The {}.", words.join(" "))),
        constraints: None,
        example: None,
    }
}

/// The names of one synthetic operation and of the types it declares.
struct OpNames {
    name: String,
    item: String,
    detail: String,
    status: String,
    filter: String,
    response: String,
    event: String,
    /// The noun its name and path are built from, lower-case.
    noun: String,
}

impl OpNames {
    fn new(i: usize) -> Self {
        let noun = NOUNS[(i / VERBS.len()) % NOUNS.len()];
        let name = format!("{}{noun}{i:04}", VERBS[i % VERBS.len()]);
        OpNames {
            item: format!("{name}Item"),
            detail: format!("{name}Detail"),
            status: format!("{name}Status"),
            filter: format!("{name}Filter"),
            response: format!("{name}Response"),
            event: format!("{name}Event"),
            noun: noun.to_ascii_lowercase(),
            name,
        }
    }
}

fn operation(flavor: &Flavor, i: usize, rng: &mut Rng) -> OperationSpec {
    let names = OpNames::new(i);
    let paging = match i % 6 {
        1 => Paging::CursorLast,
        2 => Paging::CursorFirst,
        3 => Paging::Page,
        4 if !matches!(flavor.protocol, Protocol::RestJson) => Paging::Token,
        _ => Paging::None,
    };
    // Streaming on RPC and REST operations now and then, never with paging.
    let streaming = !flavor.plain
        && matches!(paging, Paging::None)
        && !matches!(flavor.protocol, Protocol::AlibabaRoa)
        && i.is_multiple_of(12);

    let mut types = item_types(flavor, &names, rng);
    let mut params = Vec::new();
    let http = http_binding(flavor, i, &names, streaming, &mut params);
    scalar_params(flavor, i, &names, &mut params);
    let post = http.as_ref().is_some_and(|h| h.method == HttpMethod::Post);
    object_params(flavor, &names, post, rng, &mut params, &mut types);
    if rng.chance(30) {
        params.push(param(
            flavor,
            &["trace", "id"],
            ParamLocation::Header,
            "string",
            false,
        ));
    }
    let (response_fields, pagination) =
        paging_spec(flavor, paging, &names, &mut params, &mut types);
    let streaming = streaming.then(|| event_stream(flavor, &names, &mut types));
    types.insert(names.response.clone(), object(response_fields));
    let errors = error_codes(flavor, i);
    let examples = vec![example(
        flavor,
        &names,
        &params,
        &types,
        streaming.is_some(),
    )];

    OperationSpec {
        operation: names.name.clone(),
        summary: format!("Synthetic operation {i}."),
        description: Some(format!(
            "{} exercises the generator; it talks to no real service.",
            names.name
        )),
        renamed_from: None,
        deprecated: i % 50 == 49,
        http,
        idempotent: !matches!(VERBS[i % VERBS.len()], "Create" | "Delete"),
        params,
        response: names.response,
        streaming,
        pagination,
        errors,
        types,
        examples,
        provenance: Vec::new(),
        doc_fixes: Vec::new(),
        group: None,
        imported: None,
    }
}

/// The item (every field kind, including lenient, nullable and keyword names), its detail,
/// its status enum and the filter object.
fn item_types(flavor: &Flavor, names: &OpNames, rng: &mut Rng) -> BTreeMap<String, TypeDef> {
    let mut types = BTreeMap::new();
    let mut item_fields = vec![
        field(flavor, &["id"], "string", true),
        field(flavor, &["name"], "string", false),
        lenient(flavor, field(flavor, &["created", "at"], "int64", false)),
        field(flavor, &["status"], &names.status, false),
        field(flavor, &["type"], "string", false),
        nullable(field(flavor, &["description"], "string", false)),
        field(flavor, &["tags"], "list<Tag>", false),
        field(flavor, &["labels"], "map<string>", false),
        field(flavor, &["detail"], &names.detail, false),
        field(flavor, &["recent", "chat", "time"], "timestamp_ms", false),
        field(flavor, &["updated", "at"], "timestamp_s", false),
        field(flavor, &["cost"], "float64", false),
        field(flavor, &["extra"], "json", false),
    ];
    for extra in 0..rng.below(6) {
        item_fields.push(lenient(
            flavor,
            field(
                flavor,
                &["count", ["a", "b", "c", "d", "e", "f"][extra]],
                "int32",
                false,
            ),
        ));
    }
    types.insert(names.item.clone(), object(item_fields));
    types.insert(
        names.detail.clone(),
        object(vec![
            field(flavor, &["DB", "instance", "id"], "string", false),
            lenient(flavor, field(flavor, &["enabled"], "bool", false)),
            field(flavor, &["sizes"], "list<int64>", false),
        ]),
    );
    types.insert(
        names.status.clone(),
        enumeration(&["idle", "running", "pending_approval"]),
    );
    types.insert(
        names.filter.clone(),
        object(vec![
            field(flavor, &["region", "id"], "string", false),
            field(flavor, &["model", "id"], "string", false),
            field(flavor, &["language"], "string", false),
        ]),
    );
    types
}

/// Method and path (RPC has neither), with the path's parameter pushed onto `params`.
fn http_binding(
    flavor: &Flavor,
    i: usize,
    names: &OpNames,
    streaming: bool,
    params: &mut Vec<Param>,
) -> Option<HttpBinding> {
    if matches!(flavor.protocol, Protocol::AlibabaRpc) {
        return None;
    }
    let noun = &names.noun;
    let id = flavor.case.join(&[noun, "id"]);
    params.push(param(
        flavor,
        &[noun, "id"],
        ParamLocation::Path,
        "string",
        true,
    ));
    let method = if streaming {
        HttpMethod::Post
    } else if flavor.plain {
        // GET-heavy, as the conversation APIs are.
        match i % 8 {
            1 | 5 => HttpMethod::Post,
            7 => HttpMethod::Delete,
            _ => HttpMethod::Get,
        }
    } else {
        [
            HttpMethod::Get,
            HttpMethod::Post,
            HttpMethod::Put,
            HttpMethod::Delete,
        ][i % 4]
    };
    Some(HttpBinding {
        method,
        path: format!("/api/v1/{noun}s/{{{id}}}/op{i:04}"),
    })
}

/// Plain scalars, the status enum, a shared enum, timestamps and numbers, in the query.
fn scalar_params(flavor: &Flavor, i: usize, names: &OpNames, params: &mut Vec<Param>) {
    let query: [(&[&str], &str, bool); 7] = [
        (&["workspace", "id"], "string", i.is_multiple_of(2)),
        (&["status"], &names.status, false),
        (&["order"], "SortOrder", false),
        (&["dry", "run"], "bool", false),
        (&["start", "time"], "timestamp_ms", false),
        (&["ratio"], "float64", false),
        (&["owner", "id"], "int64", false),
    ];
    for (words, ty, required) in query {
        params.push(param(flavor, words, ParamLocation::Query, ty, required));
    }
}

/// Objects and lists: JSON strings in the query, or (plain flavour) members of the JSON body
/// of POST requests; without a body the filter type goes unused, so it is dropped.
fn object_params(
    flavor: &Flavor,
    names: &OpNames,
    post: bool,
    rng: &mut Rng,
    params: &mut Vec<Param>,
    types: &mut BTreeMap<String, TypeDef>,
) {
    let mut objects = vec![param(
        flavor,
        &["filter"],
        ParamLocation::Query,
        &names.filter,
        false,
    )];
    if rng.chance(50) {
        objects.push(param(
            flavor,
            &["tags"],
            ParamLocation::Query,
            "list<Tag>",
            false,
        ));
    }
    if flavor.plain && post {
        objects.insert(
            0,
            param(flavor, &["name"], ParamLocation::Body, "string", true),
        );
    }
    for mut p in objects {
        if !flavor.plain {
            p.style = ParamStyle::JsonString;
            params.push(p);
        } else if post {
            p.location = ParamLocation::Body;
            params.push(p);
        }
    }
    if flavor.plain && !post {
        // Only POST has a body to carry it; an unused type is a warning.
        types.remove(&names.filter);
    }
}

/// The response's fields, the pagination, and the parameters and types paging needs.
fn paging_spec(
    flavor: &Flavor,
    paging: Paging,
    names: &OpNames,
    params: &mut Vec<Param>,
    types: &mut BTreeMap<String, TypeDef>,
) -> (Vec<Field>, Option<Pagination>) {
    let case = flavor.case;
    let item = &names.item;
    let mut response_fields = vec![field(flavor, &["request", "id"], "string", false)];
    let limit = || {
        let mut p = param(flavor, &["limit"], ParamLocation::Query, "int32", false);
        p.constraints = Some(Constraints {
            min: Some(1.0),
            max: Some(100.0),
            max_length: None,
        });
        p
    };
    let pagination = match paging {
        Paging::None => {
            response_fields.push(field(flavor, &["data"], &format!("list<{item}>"), false));
            None
        }
        Paging::CursorLast | Paging::CursorFirst => {
            let (cursor, from) = match paging {
                Paging::CursorLast => (["last", "id"], CursorFrom::LastItem),
                _ => (["first", "id"], CursorFrom::FirstItem),
            };
            params.push(param(
                flavor,
                &cursor,
                ParamLocation::Query,
                "string",
                false,
            ));
            params.push(limit());
            response_fields.push(field(flavor, &["data"], &format!("list<{item}>"), false));
            response_fields.push(lenient(
                flavor,
                field(flavor, &["has", "more"], "bool", false),
            ));
            response_fields.push(field(flavor, &["limit"], "int32", false));
            Some(Pagination::Cursor {
                items: case.join(&["data"]),
                cursor_param: case.join(&cursor),
                cursor_from: from,
                cursor_field: case.join(&["id"]),
                has_more: case.join(&["has", "more"]),
            })
        }
        Paging::Page | Paging::Token => {
            let page = format!("{}Page", names.name);
            let (pagination, page_fields) = page_object(flavor, paging, item, params, limit);
            types.insert(page.clone(), object(page_fields));
            response_fields.push(field(flavor, &["data"], &page, false));
            Some(pagination)
        }
    };
    (response_fields, pagination)
}

/// Page-number and token paging: the `data` object holding the list, and its pagination.
fn page_object(
    flavor: &Flavor,
    paging: Paging,
    item: &str,
    params: &mut Vec<Param>,
    limit: impl Fn() -> Param,
) -> (Pagination, Vec<Field>) {
    let case = flavor.case;
    let mut page_fields = vec![
        field(flavor, &["list"], &format!("list<{item}>"), false),
        lenient(flavor, field(flavor, &["total"], "int32", false)),
        lenient(flavor, field(flavor, &["max", "result"], "string", false)),
    ];
    let data = case.join(&["data"]);
    let pagination = if matches!(paging, Paging::Page) {
        params.push(param(
            flavor,
            &["page", "index"],
            ParamLocation::Query,
            "int32",
            false,
        ));
        params.push(limit());
        Pagination::Page {
            items: format!("{data}.{}", case.join(&["list"])),
            page_param: case.join(&["page", "index"]),
            size_param: case.join(&["limit"]),
            total: Some(format!("{data}.{}", case.join(&["total"]))),
        }
    } else {
        params.push(param(
            flavor,
            &["next", "token"],
            ParamLocation::Query,
            "string",
            false,
        ));
        page_fields.push(field(flavor, &["next", "token"], "string", false));
        Pagination::Token {
            items: format!("{data}.{}", case.join(&["list"])),
            token_param: case.join(&["next", "token"]),
            next_token: format!("{data}.{}", case.join(&["next", "token"])),
        }
    };
    (pagination, page_fields)
}

/// Server-sent events: the event type (with an alias and a lenient field) and the roles of
/// its event names.
fn event_stream(
    flavor: &Flavor,
    names: &OpNames,
    types: &mut BTreeMap<String, TypeDef>,
) -> Streaming {
    let case = flavor.case;
    let mut conversation = field(flavor, &["conversation", "id"], "string", false);
    conversation.aliases = vec![Case::Snake.join(&["conversation", "id"])]
        .into_iter()
        .filter(|a| *a != conversation.name)
        .collect();
    types.insert(
        names.event.clone(),
        object(vec![
            field(flavor, &["event"], "string", false),
            field(flavor, &["answer"], "string", false),
            conversation,
            lenient(flavor, field(flavor, &["created", "at"], "int64", false)),
        ]),
    );
    Streaming {
        event: names.event.clone(),
        event_name_field: Some(case.join(&["event"])),
        error_events: vec!["error".to_owned()],
        terminal_events: vec!["message_end".to_owned()],
        ignored_events: vec!["ping".to_owned()],
    }
}

/// The operation's own error codes, in the protocol's style.
fn error_codes(flavor: &Flavor, i: usize) -> Vec<ErrorCode> {
    match flavor.protocol {
        Protocol::RestJson => vec![code(
            &format!("4{:04}", 1000 + i % 9000),
            None,
            "Not found",
            false,
        )],
        _ => vec![
            code(
                &format!("{}.NotFound", NOUNS[(i / VERBS.len()) % NOUNS.len()]),
                Some(404),
                "The resource does not exist.",
                false,
            ),
            code(
                &format!("Op{i:04}.Conflict"),
                Some(409),
                "The resource is busy.",
                true,
            ),
        ],
    }
}

/// The one example: required and path parameters, a response built from the operation's own
/// types (so it always matches them) and, when streaming, a few events.
fn example(
    flavor: &Flavor,
    names: &OpNames,
    params: &[Param],
    types: &BTreeMap<String, TypeDef>,
    streaming: bool,
) -> Example {
    let case = flavor.case;
    let mut request = BTreeMap::new();
    for p in params
        .iter()
        .filter(|p| p.required || p.location == ParamLocation::Path)
    {
        request.insert(p.name.clone(), json!(format!("{}-1", p.name)));
    }
    let shared = shared_types(flavor);
    let samples = Samples {
        types: [types, &shared],
    };
    let body = samples.value(&names.response, 0);
    let events = streaming.then(|| {
        let mut text = String::from("event: ping\ndata: {}\n\n");
        for (n, name) in ["message", "message", "message_end"].iter().enumerate() {
            let mut data = samples.value(&names.event, 0);
            if let Some(obj) = data.as_object_mut() {
                obj.insert(case.join(&["event"]), json!(name));
            }
            text.push_str(&format!("id: {}\ndata: {data}\n\n", n + 1));
        }
        text
    });
    Example {
        name: "basic".to_owned(),
        source: None,
        request,
        status: None,
        response: Some(body.to_string()),
        events,
    }
}

/// Builds example JSON that matches a type, from the operation's types plus
/// the services' shared ones.
struct Samples<'a> {
    types: [&'a BTreeMap<String, TypeDef>; 2],
}

impl Samples<'_> {
    fn value(&self, ty: &str, depth: usize) -> Value {
        if let Some(inner) = ty.strip_prefix("list<").and_then(|t| t.strip_suffix('>')) {
            return if depth > 3 {
                json!([])
            } else {
                json!([self.value(inner, depth + 1), self.value(inner, depth + 1)])
            };
        }
        if let Some(inner) = ty.strip_prefix("map<").and_then(|t| t.strip_suffix('>')) {
            return json!({ "k1": self.value(inner, depth + 1) });
        }
        match ty {
            "string" => json!("text"),
            "bool" => json!(true),
            "int32" => json!(7),
            "int64" | "timestamp_s" => json!(1_700_000_000_i64),
            "timestamp_ms" => json!(1_700_000_000_000_i64),
            "float64" => json!(1.5),
            "json" => json!({ "any": [1, "two"] }),
            named => match self.types.iter().find_map(|t| t.get(named)) {
                Some(TypeDef {
                    values: Some(values),
                    ..
                }) => json!(values.first().map(|v| v.value.clone()).unwrap_or_default()),
                Some(TypeDef {
                    fields: Some(fields),
                    ..
                }) => {
                    let mut obj = serde_json::Map::new();
                    for f in fields {
                        let value = self.value(&f.ty, depth + 1);
                        // Lenient numbers and booleans travel as text, as the real services do.
                        let value = match value {
                            Value::Number(_) | Value::Bool(_) if f.lenient => {
                                Value::String(value.to_string())
                            }
                            other => other,
                        };
                        obj.insert(f.name.clone(), value);
                    }
                    Value::Object(obj)
                }
                _ => Value::Null,
            },
        }
    }
}
