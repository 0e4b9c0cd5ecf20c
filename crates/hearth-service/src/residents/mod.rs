//! Residents' own way in: signing in with GOV.UK One Login, linking that account to their
//! record with a code staff give them, the session that follows, and what the resident's pages
//! show (their homes, for reporting a repair).

mod homes;
mod linking;
pub mod one_login;
mod sessions;

pub use homes::ResidentHome;
pub use linking::{
    IssuedLinkCode, LINK_CODE_DAYS, LINK_CODE_PURPOSE, LINK_CODE_TEMPLATE, LinkCodeDelivery,
};
pub use one_login::{OneLogin, OneLoginSettings};
pub use sessions::{
    RESIDENT_SESSION_MINUTES, ResidentSessionState, ResidentSignedIn, SIGN_IN_MINUTES, SignInStart,
};
