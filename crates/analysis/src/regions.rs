//! World regions and subregions of the COW states, for "same region" reasoning (the
//! partnership model's geography until contiguity and capital distance are imported).
//!
//! Source: the United Nations Statistics Division's geoscheme (Standard country or area
//! codes for statistical use, M49, https://unstats.un.org/unsd/methodology/m49/), with
//! three departures that follow how security studies group states:
//!
//! - the Middle East is one subregion: M49's Western Asia without the South Caucasus,
//!   plus Iran (M49: Southern Asia); with North Africa (M49's Northern Africa, Sudan
//!   included) it forms the region "Middle East and North Africa", the Arab League's
//!   and the Gulf's neighbourhood;
//! - the South Caucasus (Armenia, Azerbaijan, Georgia) is a subregion of Europe, beside
//!   Eastern Europe, as COW's own code block (300–399) places it;
//! - Oceania is one subregion (M49 splits Australia and New Zealand, Melanesia,
//!   Micronesia and Polynesia, whose island states ally rarely and mostly with
//!   Australia, New Zealand or the United States).
//!
//! Historical states lie in the subregion of the territory they held (the German states
//! and East Germany in Western Europe, the Two Sicilies in Southern Europe, South Vietnam
//! in Southeast Asia, the Yemens in the Middle East). Cyprus follows COW (Europe) rather
//! than M49 (Western Asia).

use pactbase_model::Ccode;
use serde::Serialize;

/// A continent-scale region.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Region {
    Americas,
    Europe,
    SubSaharanAfrica,
    MiddleEastAndNorthAfrica,
    Asia,
    Oceania,
}

/// A continent: the coarsest level, which continent-wide treaties follow (the African
/// Union's takes in North Africa, the Rio Treaty the whole of the Americas). Unlike COW's
/// code blocks it keeps Oceania apart from Asia, and places Egypt in Africa and the
/// Middle East in Asia.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Continent {
    Americas,
    Europe,
    Africa,
    Asia,
    Oceania,
}

impl Continent {
    pub fn of(ccode: Ccode) -> Option<Continent> {
        Subregion::of(ccode).map(Subregion::continent)
    }
}

/// A subregion, each within one [`Region`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "kebab-case")]
pub enum Subregion {
    NorthAmerica,
    Caribbean,
    CentralAmerica,
    SouthAmerica,
    NorthernEurope,
    WesternEurope,
    SouthernEurope,
    EasternEurope,
    SouthCaucasus,
    WestAfrica,
    MiddleAfrica,
    EastAfrica,
    SouthernAfrica,
    NorthAfrica,
    MiddleEast,
    CentralAsia,
    SouthAsia,
    EastAsia,
    SoutheastAsia,
    Oceania,
}

impl Subregion {
    pub fn region(self) -> Region {
        use Subregion::*;
        match self {
            NorthAmerica | Caribbean | CentralAmerica | SouthAmerica => Region::Americas,
            NorthernEurope | WesternEurope | SouthernEurope | EasternEurope | SouthCaucasus => Region::Europe,
            WestAfrica | MiddleAfrica | EastAfrica | SouthernAfrica => Region::SubSaharanAfrica,
            NorthAfrica | MiddleEast => Region::MiddleEastAndNorthAfrica,
            CentralAsia | SouthAsia | EastAsia | SoutheastAsia => Region::Asia,
            Oceania => Region::Oceania,
        }
    }

    pub fn continent(self) -> Continent {
        use Subregion::*;
        match self.region() {
            Region::Americas => Continent::Americas,
            Region::Europe => Continent::Europe,
            Region::SubSaharanAfrica => Continent::Africa,
            Region::MiddleEastAndNorthAfrica if self == NorthAfrica => Continent::Africa,
            Region::MiddleEastAndNorthAfrica | Region::Asia => Continent::Asia,
            Region::Oceania => Continent::Oceania,
        }
    }

    /// The subregion's name in a sentence ("South Asia").
    pub fn name(self) -> &'static str {
        use Subregion::*;
        match self {
            NorthAmerica => "North America",
            Caribbean => "the Caribbean",
            CentralAmerica => "Central America",
            SouthAmerica => "South America",
            NorthernEurope => "Northern Europe",
            WesternEurope => "Western Europe",
            SouthernEurope => "Southern Europe",
            EasternEurope => "Eastern Europe",
            SouthCaucasus => "the South Caucasus",
            WestAfrica => "West Africa",
            MiddleAfrica => "Middle Africa",
            EastAfrica => "East Africa",
            SouthernAfrica => "Southern Africa",
            NorthAfrica => "North Africa",
            MiddleEast => "the Middle East",
            CentralAsia => "Central Asia",
            SouthAsia => "South Asia",
            EastAsia => "East Asia",
            SoutheastAsia => "Southeast Asia",
            Oceania => "Oceania",
        }
    }

    /// The subregion of a COW state code; `None` for a code outside the COW list.
    pub fn of(ccode: Ccode) -> Option<Subregion> {
        SUBREGIONS.iter().find(|(codes, _)| codes.contains(&ccode)).map(|&(_, s)| s)
    }
}

impl Region {
    pub fn name(self) -> &'static str {
        match self {
            Region::Americas => "the Americas",
            Region::Europe => "Europe",
            Region::SubSaharanAfrica => "sub-Saharan Africa",
            Region::MiddleEastAndNorthAfrica => "the Middle East and North Africa",
            Region::Asia => "Asia",
            Region::Oceania => "Oceania",
        }
    }

    pub fn of(ccode: Ccode) -> Option<Region> {
        Subregion::of(ccode).map(Subregion::region)
    }
}

/// Every COW state code (states2016) by subregion.
const SUBREGIONS: &[(&[Ccode], Subregion)] = &[
    (&[2, 20], Subregion::NorthAmerica),
    (&[31, 40, 41, 42, 51, 52, 53, 54, 55, 56, 57, 58, 60], Subregion::Caribbean),
    (&[70, 80, 90, 91, 92, 93, 94, 95], Subregion::CentralAmerica),
    (&[100, 101, 110, 115, 130, 135, 140, 145, 150, 155, 160, 165], Subregion::SouthAmerica),
    (&[200, 205, 366, 367, 368, 375, 380, 385, 390, 395], Subregion::NorthernEurope),
    (
        &[210, 211, 212, 220, 221, 223, 225, 240, 245, 255, 260, 265, 267, 269, 271, 273, 275, 280, 300, 305],
        Subregion::WesternEurope,
    ),
    (
        &[230, 232, 235, 325, 327, 329, 331, 332, 335, 337, 338, 339, 341, 343, 344, 345, 346, 347, 349, 350, 352],
        Subregion::SouthernEurope,
    ),
    (&[290, 310, 315, 316, 317, 355, 359, 360, 365, 369, 370], Subregion::EasternEurope),
    (&[371, 372, 373], Subregion::SouthCaucasus),
    (&[402, 404, 420, 432, 433, 434, 435, 436, 437, 438, 439, 450, 451, 452, 461, 475], Subregion::WestAfrica),
    (&[403, 411, 471, 481, 482, 483, 484, 490, 540], Subregion::MiddleAfrica),
    (
        &[500, 501, 510, 511, 516, 517, 520, 522, 530, 531, 541, 551, 552, 553, 580, 581, 590, 591, 626],
        Subregion::EastAfrica,
    ),
    (&[560, 565, 570, 571, 572], Subregion::SouthernAfrica),
    (&[600, 615, 616, 620, 625, 651], Subregion::NorthAfrica),
    (&[630, 640, 645, 652, 660, 663, 666, 670, 678, 679, 680, 690, 692, 694, 696, 698], Subregion::MiddleEast),
    (&[701, 702, 703, 704, 705], Subregion::CentralAsia),
    (&[700, 750, 760, 770, 771, 780, 781, 790], Subregion::SouthAsia),
    (&[710, 712, 713, 730, 731, 732, 740], Subregion::EastAsia),
    (&[775, 800, 811, 812, 816, 817, 820, 830, 835, 840, 850, 860], Subregion::SoutheastAsia),
    (&[900, 910, 920, 935, 940, 946, 947, 950, 955, 970, 983, 986, 987, 990], Subregion::Oceania),
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_has_one_subregion() {
        let mut codes: Vec<Ccode> = SUBREGIONS.iter().flat_map(|(c, _)| c.iter().copied()).collect();
        let n = codes.len();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), n, "a code listed twice");
        // Every state of the curated list (COW states2016) is placed.
        let states = include_str!("../../../data/states.csv");
        for line in states.lines().skip(1) {
            let ccode: Ccode = line.split(',').next().unwrap().parse().unwrap();
            assert!(Subregion::of(ccode).is_some(), "{line}");
        }
        assert_eq!(codes.len(), states.lines().count() - 1);
    }

    #[test]
    fn regions_separate_what_cow_lumps_together() {
        use Subregion::*;
        let of = |c| Subregion::of(c).unwrap();
        assert_eq!([of(770), of(750), of(700)], [SouthAsia; 3]);
        assert_eq!([of(713), of(950), of(990), of(701)], [EastAsia, Oceania, Oceania, CentralAsia]);
        assert_eq!([of(630), of(651), of(670)], [MiddleEast, NorthAfrica, MiddleEast]);
        assert_eq!(Region::of(651), Region::of(670));
        assert_ne!(Region::of(770), Region::of(950));
        assert_eq!(
            [Continent::of(651), Continent::of(600), Continent::of(670)],
            [Some(Continent::Africa), Some(Continent::Africa), Some(Continent::Asia)]
        );
        assert_ne!(Continent::of(770), Continent::of(950));
        assert_eq!(pactbase_model::Region::of(770), pactbase_model::Region::of(950));
    }
}
