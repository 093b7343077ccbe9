//! `rdsai` pagination: walking pages by the last and the first item's id, and
//! stopping on a repeated cursor.

use super::*;

fn conversations_page(ids: &[&str], has_more: serde_json::Value) -> String {
    let data: Vec<_> = ids.iter().map(|id| serde_json::json!({"Id": id, "Name": format!("conv {id}"), "CreatedAt": 1_764_055_092})).collect();
    serde_json::json!({"RequestId": "r", "Data": data, "HasMore": has_more, "Limit": 2}).to_string()
}

#[tokio::test]
async fn get_conversations_walks_pages_by_last_id() {
    let server = MockServer::start().await;
    let page = |body: String| json(200, &body);
    Mock::given(query_param_is_missing("LastId"))
        .respond_with(page(conversations_page(
            &["c1", "c2"],
            serde_json::json!(true),
        )))
        .mount(&server)
        .await;
    Mock::given(query_param("LastId", "c2"))
        .respond_with(page(conversations_page(
            &["c3", "c4"],
            serde_json::json!("true"),
        )))
        .mount(&server)
        .await;
    Mock::given(query_param("LastId", "c4"))
        .respond_with(page(conversations_page(&["c5"], serde_json::json!(false))))
        .mount(&server)
        .await;
    let client = rdsai::Client::new(acs_config(&server.uri()));
    let items: Vec<_> = client
        .get_conversations()
        .limit(2)
        .into_stream()
        .collect()
        .await;
    let ids: Vec<String> = items
        .into_iter()
        .map(|r| r.expect("page").id.unwrap_or_default())
        .collect();
    assert_eq!(ids, ["c1", "c2", "c3", "c4", "c5"]);

    let seen = received(&server).await;
    let cursors: Vec<Option<String>> = seen
        .iter()
        .map(|s| s.query_map().get("LastId").cloned())
        .collect();
    assert_eq!(
        cursors,
        [None, Some("c2".to_owned()), Some("c4".to_owned())],
        "three requests, then stop"
    );
    for s in &seen {
        assert_eq!(
            s.query_map().get("Limit").map(String::as_str),
            Some("2"),
            "page size kept on every page"
        );
        assert_rpc(s, &server.uri(), "GetConversations");
    }
}

fn messages_page(ids: &[&str], has_more: bool) -> String {
    let data: Vec<_> = ids
        .iter()
        .map(
            |id| serde_json::json!({"Id": id, "ConversationId": "conv", "CreatedAt": "1763986004"}),
        )
        .collect();
    serde_json::json!({"RequestId": "r", "Data": data, "HasMore": has_more, "Limit": 2}).to_string()
}

#[tokio::test]
async fn get_messages_walks_pages_by_first_id() {
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("FirstId"))
        .respond_with(json(200, &messages_page(&["m5", "m6"], true)))
        .mount(&server)
        .await;
    Mock::given(query_param("FirstId", "m5"))
        .respond_with(json(200, &messages_page(&["m3", "m4"], true)))
        .mount(&server)
        .await;
    Mock::given(query_param("FirstId", "m3"))
        .respond_with(json(200, &messages_page(&["m1", "m2"], false)))
        .mount(&server)
        .await;
    let client = rdsai::Client::new(acs_config(&server.uri()));
    let items: Vec<_> = client
        .get_messages()
        .conversation_id("conv")
        .limit(2)
        .into_stream()
        .collect()
        .await;
    let ids: Vec<String> = items
        .into_iter()
        .map(|r| r.expect("page").id.unwrap_or_default())
        .collect();
    assert_eq!(ids, ["m5", "m6", "m3", "m4", "m1", "m2"]);
    let seen = received(&server).await;
    let cursors: Vec<Option<String>> = seen
        .iter()
        .map(|s| s.query_map().get("FirstId").cloned())
        .collect();
    assert_eq!(
        cursors,
        [None, Some("m5".to_owned()), Some("m3".to_owned())]
    );
    assert!(
        seen.iter()
            .all(|s| s.query_map().get("ConversationId").map(String::as_str) == Some("conv"))
    );
}

#[tokio::test]
async fn a_repeated_cursor_stops_the_walk_with_an_error() {
    let server = MockServer::start().await;
    Mock::given(query_param_is_missing("LastId"))
        .respond_with(json(
            200,
            &conversations_page(&["c1", "c2"], serde_json::json!(true)),
        ))
        .mount(&server)
        .await;
    // A broken server that answers every cursor with the same page.
    Mock::given(query_param("LastId", "c2"))
        .respond_with(json(
            200,
            &conversations_page(&["c1", "c2"], serde_json::json!(true)),
        ))
        .mount(&server)
        .await;
    let client = rdsai::Client::new(acs_config(&server.uri()));
    let items: Vec<_> = client
        .get_conversations()
        .into_stream()
        .take(20)
        .collect()
        .await;
    let errors = items.iter().filter(|r| r.is_err()).count();
    assert_eq!(errors, 1, "the walk ends with one error: {items:?}");
    assert!(matches!(
        items.last(),
        Some(Err(wiregen_runtime::Error::Stream(e)))
            if matches!(e.as_ref(), wiregen_runtime::StreamError::PaginationLoop { .. })
    ));
    assert!(received(&server).await.len() <= 3, "no endless requests");
}

#[tokio::test]
async fn get_conversations_pages_come_whole_with_their_metadata_and_cursor() {
    let server = MockServer::start().await;
    // Each page names its own request id: the first in the header, the others in the body.
    let body = |ids: &[&str], more: bool, request_id: &str| {
        let mut page: serde_json::Value =
            serde_json::from_str(&conversations_page(ids, serde_json::json!(more))).unwrap();
        page["RequestId"] = serde_json::json!(request_id);
        page.to_string()
    };
    Mock::given(query_param_is_missing("LastId"))
        .respond_with(
            json(200, &body(&["c1", "c2"], true, "body-1"))
                .insert_header("x-acs-request-id", "header-1"),
        )
        .mount(&server)
        .await;
    Mock::given(query_param("LastId", "c2"))
        .respond_with(json(200, &body(&["c3", "c4"], true, "body-2")))
        .mount(&server)
        .await;
    Mock::given(query_param("LastId", "c4"))
        .respond_with(json(200, &body(&["c5"], false, "body-3")))
        .mount(&server)
        .await;
    let client = rdsai::Client::new(acs_config(&server.uri()));
    let pages: Vec<_> = client
        .get_conversations()
        .limit(2)
        .into_pages()
        .collect()
        .await;
    let seen: Vec<_> = pages
        .into_iter()
        .map(|page| {
            let page = page.expect("page");
            let ids: Vec<String> = page
                .response
                .data
                .clone()
                .unwrap_or_default()
                .into_iter()
                .map(|c| c.id.unwrap_or_default())
                .collect();
            (
                page.number,
                page.key.clone(),
                page.metadata.request_id().map(str::to_owned),
                page.response.has_more,
                ids,
            )
        })
        .collect();
    use wiregen_runtime::paginate::PageKey;
    assert_eq!(
        seen,
        [
            (
                1,
                PageKey::Start,
                Some("header-1".to_owned()),
                Some(true),
                vec!["c1".to_owned(), "c2".to_owned()]
            ),
            (
                2,
                PageKey::Cursor("c2".to_owned()),
                Some("body-2".to_owned()),
                Some(true),
                vec!["c3".to_owned(), "c4".to_owned()]
            ),
            (
                3,
                PageKey::Cursor("c4".to_owned()),
                Some("body-3".to_owned()),
                Some(false),
                vec!["c5".to_owned()]
            ),
        ]
    );
    assert_eq!(
        received(&server).await.len(),
        3,
        "three requests, then stop"
    );
}
