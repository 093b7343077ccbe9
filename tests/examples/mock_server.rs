//! The server behind `cargo xtask mock --service NAME [--port N]`: one generated crate's
//! validating mock on 127.0.0.1, serving until stopped and printing each request it checked.
//!
//! It accepts the credentials a client reads from the environment
//! (`ALIBABA_CLOUD_ACCESS_KEY_ID`, `ALIBABA_CLOUD_ACCESS_KEY_SECRET`, optionally
//! `ALIBABA_CLOUD_SECURITY_TOKEN`, and the bearer key variable of a Bearer service such as
//! altatech's `ALTATECH_API_KEY`), else the mock's defaults, which it prints.

use std::process::ExitCode;
use std::time::Duration;

use wiregen_runtime::AuthScheme;
use wiregen_runtime::mock::{MockServer, MockService};

fn usage() -> ExitCode {
    eprintln!("usage: mock_server --service rdsai|aicontent|altatech [--port N]");
    ExitCode::from(2)
}

#[tokio::main]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut service = None;
    let mut port = 0u16;
    let mut i = 0;
    while i < args.len() {
        match (args[i].as_str(), args.get(i + 1)) {
            ("--service", Some(v)) => service = Some(v.clone()),
            ("--port", Some(v)) => match v.parse() {
                Ok(p) => port = p,
                Err(_) => return usage(),
            },
            _ => return usage(),
        }
        i += 2;
    }
    let table: &'static MockService = match service.as_deref() {
        Some("rdsai") => &rdsai::mock::SERVICE,
        Some("aicontent") => &aicontent::mock::SERVICE,
        Some("altatech") => &altatech::mock::SERVICE,
        Some(other) => {
            eprintln!("no service `{other}`: rdsai, aicontent or altatech");
            return ExitCode::from(2);
        }
        None => return usage(),
    };
    let mut builder = MockServer::builder(table).port(port);
    let env = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    if let (Some(id), Some(secret)) = (
        env("ALIBABA_CLOUD_ACCESS_KEY_ID"),
        env("ALIBABA_CLOUD_ACCESS_KEY_SECRET"),
    ) {
        builder = builder.access_key(id, secret);
    }
    if let Some(token) = env("ALIBABA_CLOUD_SECURITY_TOKEN") {
        builder = builder.security_token(token);
    }
    if let AuthScheme::Bearer { env: var } = table.info.auth
        && let Some(key) = env(var)
    {
        builder = builder.bearer(key);
    }
    let server = match builder.start().await {
        Ok(s) => s,
        Err(err) => {
            eprintln!("could not listen on 127.0.0.1:{port}: {err}");
            return ExitCode::FAILURE;
        }
    };
    let creds = server.credentials();
    println!("mock of {} listening on {}", table.info.name, server.uri());
    match table.info.auth {
        AuthScheme::Bearer { env: var } => println!(
            "accepts bearer key {:?} (set {var} to change it)",
            creds.bearer.as_deref().unwrap_or_default()
        ),
        _ => println!(
            "accepts AccessKey id {:?} with secret {:?} (set ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET to change them)",
            creds.access_key_id, creds.access_key_secret
        ),
    }
    println!(
        "operations: {}",
        table
            .operations
            .iter()
            .map(|o| o.name)
            .collect::<Vec<_>>()
            .join(", ")
    );
    let mut printed = 0;
    loop {
        tokio::time::sleep(Duration::from_millis(100)).await;
        let log = server.requests();
        for request in &log[printed..] {
            println!("{request}");
        }
        printed = log.len();
    }
}
