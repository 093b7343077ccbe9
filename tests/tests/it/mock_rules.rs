//! Typed rules of a generated crate's mock: sequences (pages, failures then success), errors,
//! server-sent events, parameter matching, delays, expectations.

use std::time::{Duration, Instant};

use rdsai::futures::{StreamExt as _, TryStreamExt as _};
use rdsai::models::{ChatMessagesResponse, Conversation, GetConversationsResponse};

use super::mock_walk::within;

fn conversation(id: &str) -> Conversation {
    Conversation::new().with_id(id.to_owned())
}

fn page(ids: &[&str], more: bool) -> GetConversationsResponse {
    GetConversationsResponse::new()
        .with_data(ids.iter().map(|id| conversation(id)).collect())
        .with_has_more(more)
}

#[tokio::test]
async fn a_page_walk_follows_the_cursor_through_the_rules() {
    let mock = rdsai::mock::Mock::start().await.expect("mock");
    let _first = mock
        .get_conversations()
        .respond(page(&["a", "b"], true))
        .expect(1);
    // Newer rules win: the second page only for the cursor of the first.
    let _second = mock
        .get_conversations()
        .when("LastId", "b")
        .respond(page(&["c"], false))
        .expect(1);
    let items: Vec<Conversation> = within(
        mock.client()
            .get_conversations()
            .limit(2)
            .into_stream()
            .try_collect(),
    )
    .await
    .expect("walk");
    let ids: Vec<_> = items.iter().filter_map(|c| c.id.as_deref()).collect();
    assert_eq!(ids, ["a", "b", "c"]);
}

#[tokio::test]
async fn a_throttled_call_is_retried_and_then_answered() {
    let mock = rdsai::mock::Mock::start().await.expect("mock");
    let rule = mock
        .get_conversations()
        .throttle(Some(Duration::from_millis(10)))
        .respond(page(&["a"], false))
        .expect(2);
    let answer = within(mock.client().get_conversations().send_with_metadata())
        .await
        .expect("answered after a retry");
    assert_eq!(answer.1.attempts, 2);
    assert_eq!(rule.calls(), 2);
    let log = mock.requests();
    assert_eq!(
        log[0].outcome,
        wiregen_runtime::mock::Outcome::Answered { status: 400 }
    );
}

#[tokio::test]
async fn errors_are_typed_with_the_operations_codes() {
    let mock = rdsai::mock::Mock::start().await.expect("mock");
    let _ = mock.chat_messages_task_stop().fail(
        400,
        <rdsai::errors::ChatMessagesTaskStopErrorCode as rdsai::ErrorCode>::from_code(
            "InvalidParameter",
        ),
        "The provided parameter is invalid.",
    );
    let err = within(mock.client().chat_messages_task_stop("task-1").send())
        .await
        .expect_err("fails");
    let service = err.service().expect("service error");
    assert_eq!(service.raw_code, "InvalidParameter");
    assert_eq!(service.status, 400);
    assert!(
        service.request_id.is_some(),
        "Alibaba's body has a RequestId"
    );
}

#[tokio::test]
async fn streaming_operations_answer_typed_events() {
    let mock = rdsai::mock::Mock::start().await.expect("mock");
    let mut message = ChatMessagesResponse::new();
    message.event = Some("message".into());
    message.answer = Some("hello".into());
    let mut end = ChatMessagesResponse::new();
    end.event = Some("message_end".into());
    let _ = mock.chat_messages().events([message, end]).expect(1);
    let events: Vec<_> = within(
        mock.client()
            .chat_messages("hi")
            .stream()
            .collect::<Vec<_>>(),
    )
    .await;
    let answers: Vec<_> = events
        .into_iter()
        .map(|e| e.expect("event").data.answer)
        .collect();
    assert_eq!(answers, [Some("hello".to_owned()), None]);
}

#[tokio::test]
async fn a_delay_holds_the_answer_back() {
    let mock = rdsai::mock::Mock::start().await.expect("mock");
    let _ = mock
        .get_conversations()
        .delay(Duration::from_millis(300))
        .respond(page(&[], false));
    let started = Instant::now();
    within(mock.client().get_conversations().send())
        .await
        .expect("answered");
    assert!(started.elapsed() >= Duration::from_millis(300));
}

#[tokio::test]
async fn unmet_expectations_fail_when_the_mock_is_dropped() {
    let mock = rdsai::mock::Mock::start().await.expect("mock");
    let _ = mock.get_messages().expect(1);
    assert_eq!(
        mock.verify(),
        Err("rule for GetMessages expected 1 call(s), got 0".to_owned())
    );
    let dropped = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| drop(mock)));
    let message = dropped.expect_err("panics on drop");
    let text = message
        .downcast_ref::<String>()
        .cloned()
        .unwrap_or_default();
    assert!(text.contains("expected 1 call(s), got 0"), "{text}");
}
