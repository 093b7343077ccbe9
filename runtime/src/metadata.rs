//! [`ResponseMetadata`]: what a successful call says besides its body (HTTP status, headers,
//! request id, attempts), offered by [`Client::send_with_metadata`] and
//! [`Client::send_sse_with_metadata`] so that the common [`Client::send`] stays as light as it
//! was.

use reqwest::header::HeaderMap;
use serde::Deserialize;
use tracing::Instrument as _;

use crate::client::{Exchange, Mode, RawResponse};
use crate::decode::Decode;
use crate::error::{Error, ErrorCode};
use crate::request::Request;
use crate::sse::{BoxStream, SseEvent, SseOptions, events_of, not_a_stream};
use crate::{Client, response};

/// The HTTP side of a successful call.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct ResponseMetadata {
    /// HTTP status of the answer (2xx).
    pub status: u16,
    /// Response headers.
    pub headers: HeaderMap,
    /// How many attempts the call took (1 without retries).
    pub attempts: u32,
    request_id: Option<String>,
}

impl ResponseMetadata {
    /// The service's request id: the `x-acs-request-id` header, else the body's `RequestId`
    /// (or `requestId`, `request_id`); quote it when asking the vendor's support.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The value of header `name`, if present and text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    fn new(status: u16, headers: HeaderMap, attempts: u32, body: Option<&[u8]>) -> Self {
        let from_header = headers
            .get("x-acs-request-id")
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let request_id = from_header.or_else(|| body.and_then(body_request_id));
        ResponseMetadata {
            status,
            headers,
            attempts,
            request_id,
        }
    }
}

/// The request id member of a JSON body, if it has one (unknown members are skipped).
fn body_request_id(body: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct Ids {
        #[serde(rename = "RequestId", alias = "requestId", alias = "request_id")]
        request_id: Option<String>,
    }
    serde_json::from_slice::<Ids>(body).ok()?.request_id
}

impl Client {
    /// [`send`](Client::send), also returning the response's [`ResponseMetadata`].
    pub async fn send_with_metadata<T: Decode, C: ErrorCode>(
        &self,
        req: Request,
    ) -> Result<(T, ResponseMetadata), Error<C>> {
        let (raw, meta) = self.send_raw_with_metadata::<C>(req).await?;
        Ok((response::decode(raw.status, &raw.body, &raw.secrets)?, meta))
    }

    /// [`send_text`](Client::send_text), also returning the response's [`ResponseMetadata`].
    pub async fn send_text_with_metadata<C: ErrorCode>(
        &self,
        req: Request,
    ) -> Result<(String, ResponseMetadata), Error<C>> {
        let (raw, meta) = self.send_raw_with_metadata::<C>(req).await?;
        Ok((
            response::text_body(raw.status, raw.body, &raw.secrets)?,
            meta,
        ))
    }

    /// [`send_bytes`](Client::send_bytes), also returning the response's [`ResponseMetadata`].
    pub async fn send_bytes_with_metadata<C: ErrorCode>(
        &self,
        req: Request,
    ) -> Result<(Vec<u8>, ResponseMetadata), Error<C>> {
        let (raw, meta) = self.send_raw_with_metadata::<C>(req).await?;
        Ok((raw.body, meta))
    }

    /// [`Client::send_raw`] with the metadata taken from the response (the headers move, the
    /// body is only read for a request id when no header carries one).
    async fn send_raw_with_metadata<C: ErrorCode>(
        &self,
        req: Request,
    ) -> Result<(RawResponse, ResponseMetadata), Error<C>> {
        let mut raw = self.send_raw::<C>(req).await?;
        let headers = std::mem::take(&mut raw.headers);
        let meta = ResponseMetadata::new(raw.status, headers, raw.attempts, Some(&raw.body));
        Ok((raw, meta))
    }

    /// [`send_sse`](Client::send_sse), waiting for the response head first and returning its
    /// [`ResponseMetadata`] with the stream of events.
    pub async fn send_sse_with_metadata<T, C>(
        &self,
        req: Request,
        opts: SseOptions,
    ) -> Result<(ResponseMetadata, BoxStream<Result<SseEvent<T>, Error<C>>>), Error<C>>
    where
        T: Decode + Send + 'static,
        C: ErrorCode,
    {
        let span = self.span(&req);
        let limits = self.sse_limits(&req);
        let request_limit = self.request_timeout(&req);
        let (exchange, attempts) = self
            .execute::<C>(&req, Mode::Stream)
            .instrument(span)
            .await?;
        match exchange {
            Exchange::Stream(resp, secrets) => {
                let meta = ResponseMetadata::new(
                    resp.status().as_u16(),
                    resp.headers().clone(),
                    attempts,
                    None,
                );
                Ok((meta, events_of(resp, secrets, opts, limits, request_limit)))
            }
            Exchange::Body { body, secrets, .. } => Err(not_a_stream(&body, &secrets)),
        }
    }
}
