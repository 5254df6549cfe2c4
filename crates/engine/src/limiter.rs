//! Client-side pacing under AWS's documented control-plane rates.

use std::time::Duration;
use tokio::sync::Mutex;
use tokio::time::Instant;

/// A class of AWS calls that shares one documented rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateClass {
    /// `ImportRestApi` of a regional or private API: 1 request every 3 seconds.
    Import,
    /// `ImportRestApi` of an edge-optimized API: 1 request every 30 seconds.
    ImportEdge,
    /// `PutRestApi`: 1 request per second.
    Put,
    /// `CreateDeployment`: 1 request every 5 seconds.
    Deployment,
    /// Lambda control plane: 15 requests per second.
    Lambda,
    /// Other API Gateway reads: 10 per second.
    GatewayRead,
}

impl RateClass {
    /// The documented interval between two calls ([`lambda_sync_aws::limits`]).
    pub fn interval(self) -> Duration {
        use lambda_sync_aws::limits;
        match self {
            RateClass::Import => limits::IMPORT_REST_API_INTERVAL,
            RateClass::ImportEdge => limits::IMPORT_REST_API_EDGE_INTERVAL,
            RateClass::Put => limits::PUT_REST_API_INTERVAL,
            RateClass::Deployment => limits::CREATE_DEPLOYMENT_INTERVAL,
            RateClass::Lambda => Duration::from_secs(1) / limits::LAMBDA_CONTROL_PLANE_PER_SECOND,
            RateClass::GatewayRead => Duration::from_secs(1) / limits::GATEWAY_READS_PER_SECOND,
        }
    }

    /// The class of an `ImportRestApi` of an API of this endpoint type.
    pub fn import(endpoint_type: lambda_sync_aws::EndpointType) -> RateClass {
        match endpoint_type {
            lambda_sync_aws::EndpointType::Edge => RateClass::ImportEdge,
            _ => RateClass::Import,
        }
    }
}

/// Spaces calls of each class at its interval (5% wider than documented), multiplied by a scale
/// factor (1.0 = AWS's rates; 0 = no pacing).
#[derive(Debug)]
pub struct Limiter {
    scale: f64,
    next: [Mutex<Option<Instant>>; 6],
}

impl Limiter {
    /// A limiter at `scale` times AWS's intervals.
    pub fn new(scale: f64) -> Limiter {
        Limiter {
            scale: if scale.is_finite() && scale > 0.0 {
                scale
            } else {
                0.0
            },
            next: Default::default(),
        }
    }

    fn slot(class: RateClass) -> usize {
        match class {
            RateClass::Import => 0,
            RateClass::Put => 1,
            RateClass::Deployment => 2,
            RateClass::Lambda => 3,
            RateClass::GatewayRead => 4,
            RateClass::ImportEdge => 5,
        }
    }

    /// The scaled interval of a class, with a 5% margin so that timer jitter never pushes two
    /// calls closer than the documented rate.
    pub fn interval(&self, class: RateClass) -> Duration {
        class.interval().mul_f64(self.scale * 1.05)
    }

    /// Waits for this call's turn.
    pub async fn acquire(&self, class: RateClass) {
        if self.scale == 0.0 {
            return;
        }
        let interval = self.interval(class);
        let at = {
            let mut next = self.next[Self::slot(class)].lock().await;
            let now = Instant::now();
            let at = match *next {
                Some(n) if n > now => n,
                _ => now,
            };
            *next = Some(at + interval);
            at
        };
        tokio::time::sleep_until(at).await;
    }
}
