//! Amazon API Gateway and AWS Lambda client traits with a real (AWS SDK) and an in-memory fake backend.
#![deny(missing_docs)]
