//! Hearth's use cases. Every rule about records lives here: validation against the clock,
//! reference checks, versions, imports and demo data. Adapters (HTTP, CLI) call these and
//! nothing else.

mod audit;
pub mod demo;
mod error;
pub mod import;
mod records;
mod register;

pub use audit::AuditVerification;
pub use error::ServiceError;

pub use register::{RegisterSource, load_register_file};

use hearth_core::clock::Clock;
use hearth_core::register::Register;
use hearth_store::Store;
use std::sync::Arc;

pub type Result<T, E = ServiceError> = std::result::Result<T, E>;

/// The application: a store, the register in force, and the clock.
#[derive(Clone)]
pub struct Hearth {
    store: Arc<dyn Store>,
    register: Arc<Register>,
    clock: Arc<dyn Clock>,
}

impl Hearth {
    pub fn new(store: Arc<dyn Store>, register: Arc<Register>, clock: Arc<dyn Clock>) -> Self {
        Self {
            store,
            register,
            clock,
        }
    }

    pub fn register(&self) -> &Register {
        &self.register
    }

    pub fn store(&self) -> &Arc<dyn Store> {
        &self.store
    }

    pub fn clock(&self) -> &Arc<dyn Clock> {
        &self.clock
    }

    /// The current time at the precision records are stored with.
    pub fn now(&self) -> jiff::Timestamp {
        hearth_core::clock::stored_precision(self.clock.now())
    }

    /// Today's date in the UK, for date-of-birth and tenancy checks.
    pub fn today(&self) -> jiff::civil::Date {
        let london = jiff::tz::TimeZone::get("Europe/London").unwrap_or(jiff::tz::TimeZone::UTC);
        self.clock.now().to_zoned(london).date()
    }
}
