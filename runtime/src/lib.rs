//! Runtime support for wiregen's generated API clients.
