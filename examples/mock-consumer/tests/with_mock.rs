//! The program's tests against `rdsai`'s validating mock: no account, no network.

use std::time::Duration;

use rdsai::mock::Mock;
use rdsai::models::{ChatMessagesResponse, Conversation, GetConversationsResponse};
use wiregen_mock_consumer_example::{ask, conversation_ids};

fn page(ids: &[&str], more: bool) -> GetConversationsResponse {
    let items = ids
        .iter()
        .map(|id| Conversation::new().with_id(id.to_string()));
    GetConversationsResponse::new()
        .with_data(items.collect())
        .with_has_more(more)
}

#[tokio::test]
async fn walks_every_page() {
    let mock = Mock::start().await.unwrap();
    let _ = mock
        .get_conversations()
        .respond(page(&["a", "b"], true))
        .expect(1);
    let _ = mock
        .get_conversations()
        .when("LastId", "b")
        .respond(page(&["c"], false))
        .expect(1);
    assert_eq!(
        conversation_ids(&mock.client()).await.unwrap(),
        ["a", "b", "c"]
    );
}

#[tokio::test]
async fn retries_after_throttling() {
    let mock = Mock::start().await.unwrap();
    let _ = mock
        .get_conversations()
        .throttle(Some(Duration::from_millis(5)))
        .respond(page(&["a"], false))
        .expect(2);
    assert_eq!(conversation_ids(&mock.client()).await.unwrap(), ["a"]);
}

#[tokio::test]
async fn puts_a_streamed_answer_together() {
    let mock = Mock::start().await.unwrap();
    let event = |name: &str, text: Option<&str>| {
        let mut event = ChatMessagesResponse::new();
        event.event = Some(name.into());
        event.answer = text.map(Into::into);
        event
    };
    // A stream ends with `message_end`; one that just stops is reported as truncated.
    let _ = mock.chat_messages().events([
        event("message", Some("Disk ")),
        event("message", Some("is 71% full.")),
        event("message_end", None),
    ]);
    assert_eq!(
        ask(&mock.client(), "How full is rm-1?").await.unwrap(),
        "Disk is 71% full."
    );
}

#[tokio::test]
async fn a_wrong_secret_is_caught() {
    let mock = Mock::start().await.unwrap();
    let config = mock
        .config()
        .access_key(rdsai::runtime::mock::MOCK_ACCESS_KEY_ID, "typo");
    let err = conversation_ids(&rdsai::Client::new(config.build()))
        .await
        .unwrap_err();
    assert_eq!(err.service().unwrap().raw_code, "SignatureDoesNotMatch");
    // The mock says why, in plain words.
    let refused = mock.rejected();
    assert!(
        refused[0].to_string().contains("wrong AccessKey secret"),
        "{}",
        refused[0]
    );
}
