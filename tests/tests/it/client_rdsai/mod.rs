//! The generated `rdsai` client (Alibaba RPC, ACS3) against a local HTTP
//! server: what goes on the wire, how answers and errors decode, pagination
//! and server-sent events, a module per concern. The helpers and imports here
//! are shared by the modules.

mod decoding;
mod errors;
mod pagination;
mod streaming;
mod wire;

use std::time::Duration;

use crate::support::acs3;
use crate::support::seen::Seen;
use crate::support::server::{
    self, AWKWARD, AWKWARD_FORM, acs_config, example, json, only_request, param_i64, param_str,
    received, serving,
};
use futures::StreamExt;
use rdsai::errors::{ChatMessagesErrorCode, GetConversationsErrorCode, GetMessagesErrorCode};
use rdsai::models::{
    ChatMessagesFile, ChatMessagesInputs, ConversationStatus, EventMode, Feedback, FileType,
    ToolApprovalMode, TransferMethod,
};
use wiremock::matchers::{method, query_param, query_param_is_missing};
use wiremock::{Mock, MockServer, ResponseTemplate};

const VERSION: &str = "2025-05-07";

async fn serve(status: u16, body: &str) -> (MockServer, rdsai::Client) {
    let server = serving("POST", "/", status, body).await;
    let client = rdsai::Client::new(acs_config(&server.uri()));
    (server, client)
}

fn assert_rpc(seen: &Seen, uri: &str, action: &str) {
    server::assert_acs_request(seen, uri, "POST", "/", action, VERSION, "rdsai");
}
