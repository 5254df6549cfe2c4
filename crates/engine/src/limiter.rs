//! Client-side pacing under AWS's documented control-plane rates.

use std::time::Duration;
use tokio::sync::Mutex;
use tokio::time::Instant;

/// A class of AWS calls that shares one documented rate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateClass {
    /// `ImportRestApi`: 1 request every 3 seconds.
    Import,
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
    /// The documented interval between two calls.
    pub fn interval(self) -> Duration {
        match self {
            RateClass::Import => Duration::from_secs(3),
            RateClass::Put => Duration::from_secs(1),
            RateClass::Deployment => Duration::from_secs(5),
            RateClass::Lambda => Duration::from_nanos(1_000_000_000 / 15),
            RateClass::GatewayRead => Duration::from_millis(100),
        }
    }
}

/// Spaces calls of each class at its interval (5% wider than documented), multiplied by a scale
/// factor (1.0 = AWS's rates; 0 = no pacing).
#[derive(Debug)]
pub struct Limiter {
    scale: f64,
    next: [Mutex<Option<Instant>>; 5],
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
