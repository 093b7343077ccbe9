//! The program under test: two things a user's code does with `rdsai`.

use rdsai::futures::{StreamExt as _, TryStreamExt as _};

/// The ids of every conversation, walking all pages.
///
/// # Errors
///
/// When a page fails.
pub async fn conversation_ids(
    client: &rdsai::Client,
) -> Result<Vec<String>, rdsai::Error<rdsai::errors::GetConversationsErrorCode>> {
    let conversations: Vec<_> = client
        .get_conversations()
        .limit(100)
        .into_stream()
        .try_collect()
        .await?;
    Ok(conversations.into_iter().filter_map(|c| c.id).collect())
}

/// The assistant's whole answer to `question`, put together from its streamed events.
///
/// # Errors
///
/// When the call or an event fails.
pub async fn ask(
    client: &rdsai::Client,
    question: &str,
) -> Result<String, rdsai::Error<rdsai::errors::ChatMessagesErrorCode>> {
    let mut events = Box::pin(client.chat_messages(question).stream());
    let mut answer = String::new();
    while let Some(event) = events.next().await {
        if let Some(part) = event?.data.answer {
            answer.push_str(&part);
        }
    }
    Ok(answer)
}
