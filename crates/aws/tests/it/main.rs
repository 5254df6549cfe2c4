//! Integration tests of lambda-sync-aws.
