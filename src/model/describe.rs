//! Rules → plain Chinese sentences.
