//! Credentials: API tokens and passwords (creation, hashing, verification).

pub mod password;
pub mod token;
