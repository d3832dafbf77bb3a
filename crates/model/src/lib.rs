//! The registry's vocabulary: states, agreements, memberships and directed obligations.
//!
//! This crate does no I/O. Every other crate speaks in these types; states are always
//! identified by their Correlates of War code ([`Ccode`]) once data has been read.

mod agreement;
pub mod arms;
pub mod check;
pub mod coverage;
mod date;
mod exercise;
pub mod input;
pub mod link;
pub mod markup;
mod obligation;
mod recognition;
mod region;
pub mod research;
mod state;
pub mod years;

pub use agreement::{
    Agreement, AgreementKind, AtopException, AtopField, Invocation, InvocationOutcome, Membership, NonStateParty,
    PartyCoverage, Provisions, Reservation, ReservationEffect, Role, Signatory, Source, Standing, Status, Suspension,
    SuspensionScope,
};
pub use date::{year_of_unix_time, DateError, PartialDate};
pub use exercise::{Domain, ExerciseSeries, Focus};
pub use obligation::{DirectedObligation, Obligation, ObligationType, Parties, Target};
pub use recognition::NonRecognition;
pub use region::Region;
pub use state::{Ccode, Spell, State, StateIndex, UnknownState};
pub use years::YearSpan;

/// Parses a kebab-case vocabulary word (kinds, statuses, roles...) the way the data files
/// and the command line spell it, listing the accepted words when it fails.
pub trait Vocabulary: Sized + Copy + 'static {
    const ALL: &'static [Self];
    fn as_str(self) -> &'static str;

    fn parse(word: &str) -> Result<Self, String> {
        Self::ALL.iter().copied().find(|v| v.as_str().eq_ignore_ascii_case(word)).ok_or_else(|| {
            let words: Vec<_> = Self::ALL.iter().map(|v| v.as_str()).collect();
            format!("unknown value `{word}`; expected one of: {}", words.join(", "))
        })
    }
}

/// Implements [`Vocabulary`], `Display` and string serde for a fieldless enum.
macro_rules! vocabulary {
    ($ty:ident { $($variant:ident = $word:literal),+ $(,)? }) => {
        impl $crate::Vocabulary for $ty {
            const ALL: &'static [Self] = &[$($ty::$variant),+];
            fn as_str(self) -> &'static str {
                match self { $($ty::$variant => $word),+ }
            }
        }
        impl std::fmt::Display for $ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str($crate::Vocabulary::as_str(*self))
            }
        }
        impl std::str::FromStr for $ty {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, String> {
                <$ty as $crate::Vocabulary>::parse(s)
            }
        }
        impl serde::Serialize for $ty {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str($crate::Vocabulary::as_str(*self))
            }
        }
        impl<'de> serde::Deserialize<'de> for $ty {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                let word = <std::borrow::Cow<'de, str>>::deserialize(d)?;
                <$ty as $crate::Vocabulary>::parse(&word).map_err(serde::de::Error::custom)
            }
        }
        #[cfg(feature = "openapi")]
        impl utoipa::PartialSchema for $ty {
            fn schema() -> utoipa::openapi::RefOr<utoipa::openapi::schema::Schema> {
                utoipa::openapi::schema::ObjectBuilder::new()
                    .schema_type(utoipa::openapi::schema::Type::String)
                    .enum_values(Some([$($word),+]))
                    .into()
            }
        }
        #[cfg(feature = "openapi")]
        impl utoipa::ToSchema for $ty {}
    };
}
pub(crate) use vocabulary;
