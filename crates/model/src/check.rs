//! The registry's rules for an agreement, in one place for every way one enters: the
//! curated loader (`data/` files, problems located by file:line:column) and the web API
//! and forms (problems located by JSON field path). Both render the same [`Problem`]s.
//!
//! Dates are compared with the precision they carry: an order is refused only when it
//! is certainly wrong ("1956" is not before "1956-03-01"). Dates lie in the state
//! system's span, 1816 to the current year; dates that can be set in advance (entry into
//! force, an end, a member's joining or leaving, a suspension) up to
//! [`SCHEDULED_MARGIN`] years past it.

mod parties;

use std::collections::HashSet;
use std::fmt;

use crate::{link, Agreement, Ccode, Membership, PartialDate, Parties, Source, StateIndex, Target};

/// The code readers give a state they could not name (reporting the name where it
/// stands), so that the rest of the document keeps its places and is still checked.
pub const UNNAMED: Ccode = 0;

/// The first year of the Correlates of War state system.
pub const FIRST_YEAR: i32 = crate::coverage::YEARS.first;

/// How many years past the current one a scheduled date may lie: an agreement signed
/// now may enter into force, admit a member or expire on a date already fixed.
pub const SCHEDULED_MARGIN: i32 = 2;

/// One step of a [`FieldPath`]: a named field or a list position.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    Field(&'static str),
    Index(usize),
}

/// Where a problem is in an agreement document, written as the JSON API names it:
/// `members[1].joined`. The empty path is the document itself.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct FieldPath(pub Vec<Step>);

impl FieldPath {
    pub fn field(name: &'static str) -> Self {
        FieldPath(vec![Step::Field(name)])
    }

    /// This path followed by list position `i`.
    pub fn at(&self, i: usize) -> Self {
        self.with(Step::Index(i))
    }

    /// This path followed by field `name`.
    pub fn then(&self, name: &'static str) -> Self {
        self.with(Step::Field(name))
    }

    fn with(&self, step: Step) -> Self {
        let mut steps = self.0.clone();
        steps.push(step);
        FieldPath(steps)
    }
}

impl fmt::Display for FieldPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, step) in self.0.iter().enumerate() {
            match step {
                Step::Field(name) if i == 0 => f.write_str(name)?,
                Step::Field(name) => write!(f, ".{name}")?,
                Step::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// One broken rule: where, and a sentence saying what is wrong and how to fix it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub path: FieldPath,
    pub message: String,
}

/// The years dates may take.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Years {
    /// The current year: the latest for a signature or a consultation.
    pub current: i32,
}

impl Years {
    /// The span for a given current year (tests, reproducible checks).
    pub fn through(current: i32) -> Self {
        Years { current }
    }

    /// The span as of today, by the system clock.
    pub fn now() -> Self {
        let seconds = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        Years::through(crate::date::year_of_unix_time(seconds))
    }

    fn latest(self, when: When) -> i32 {
        match when {
            When::Past => self.current,
            When::Scheduled => self.current + SCHEDULED_MARGIN,
        }
    }
}

/// Whether a date records something that has happened or may be fixed in advance.
#[derive(Clone, Copy)]
enum When {
    Past,
    Scheduled,
}

/// What the rules need besides the agreement: the states that exist and the years.
pub struct Rules<'a> {
    pub index: &'a StateIndex,
    pub years: Years,
}

/// `a` as it may be stored — source addresses normalised ([`link::normalise`]),
/// invocations oldest first — or every rule it breaks.
pub fn agreement(mut a: Agreement, rules: &Rules) -> Result<Agreement, Vec<Problem>> {
    let mut problems = Problems { list: Vec::new(), rules };
    normalise_links(&mut a.sources, &FieldPath::field("sources"), &mut problems);
    problems.agreement(&a);
    if problems.list.is_empty() {
        // Sorted only once checked, so that problems name the positions as they were sent.
        a.invocations.sort_by_key(|v| v.date);
        Ok(a)
    } else {
        Err(problems.list)
    }
}

/// `sources` as they may be stored, or every rule they break, under `path`: the rules of
/// an agreement's sources, for other records that carry sources (exercise series).
pub fn sources(mut sources: Vec<Source>, path: &FieldPath, rules: &Rules) -> Result<Vec<Source>, Vec<Problem>> {
    let mut problems = Problems { list: Vec::new(), rules };
    normalise_links(&mut sources, path, &mut problems);
    problems.sources(&sources, path);
    if problems.list.is_empty() {
        Ok(sources)
    } else {
        Err(problems.list)
    }
}

fn normalise_links(sources: &mut [Source], path: &FieldPath, problems: &mut Problems) {
    for (i, s) in sources.iter_mut().enumerate() {
        if let Some(url) = &mut s.url {
            match link::normalise(url) {
                Ok(normalised) => *url = normalised,
                Err(message) => problems.push(path.at(i).then("url"), message),
            }
        }
    }
}

/// True for `nato`, `five-eyes`, `atop-3180`: lowercase letters, digits and inner dashes.
pub fn is_slug(id: &str) -> bool {
    !id.is_empty()
        && id.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

struct Problems<'r> {
    list: Vec<Problem>,
    rules: &'r Rules<'r>,
}

impl Problems<'_> {
    fn push(&mut self, path: FieldPath, message: impl Into<String>) {
        self.list.push(Problem { path, message: message.into() });
    }

    fn agreement(&mut self, a: &Agreement) {
        let field = FieldPath::field;
        if !is_slug(&a.id) {
            self.push(field("id"), "ids are lowercase letters, digits and '-'");
        } else if a.id.starts_with("atop-") {
            self.push(field("id"), "ids `atop-…` are reserved for ATOP's alliances");
        }
        if a.name.trim().is_empty() {
            self.push(field("name"), "a name is required");
        }
        if a.kinds.is_empty() {
            self.push(field("kinds"), "at least one kind is required");
        }
        if a.summary.trim().is_empty() {
            self.push(field("summary"), "a summary is required");
        }
        self.dates(a);
        self.sources(&a.sources, &field("sources"));
        self.members(a);
        self.signatories(a);
        self.non_state_parties(a);
        self.obligations(a);
        self.reservations(a);
        self.invocations(a);
        for (i, e) in a.atop_exceptions.iter().enumerate() {
            let at = field("atop_exceptions").at(i);
            if a.atopid.is_none() {
                self.push(at.clone(), "ATOP exceptions need an `atopid`");
            }
            self.state(at.then("ccode"), e.ccode);
        }
    }

    /// `date` within the years it may take.
    fn in_span(&mut self, path: FieldPath, date: &PartialDate, when: When) {
        let latest = self.rules.years.latest(when);
        if !(FIRST_YEAR..=latest).contains(&date.year) {
            let why = match when {
                When::Past => "this year",
                When::Scheduled => "a date fixed in advance, at most a couple of years from now",
            };
            self.push(
                path,
                format!("{date} is outside {FIRST_YEAR}–{latest}: from the state system's start (1816) to {why}"),
            );
        }
    }

    /// Refuses `later` when it certainly comes before `earlier`.
    fn in_order(&mut self, path: FieldPath, earlier: &PartialDate, later: &PartialDate, message: impl Into<String>) {
        if earlier.certainly_after(later) {
            self.push(path, message);
        }
    }

    fn dates(&mut self, a: &Agreement) {
        let field = FieldPath::field;
        self.in_span(field("signed"), &a.signed, When::Past);
        if let Some(in_force) = &a.in_force {
            self.in_span(field("in_force"), in_force, When::Scheduled);
            self.in_order(
                field("in_force"),
                &a.signed,
                in_force,
                format!("the agreement enters into force ({in_force}) before it was signed ({})", a.signed),
            );
        }
        if let Some(ended) = &a.ended {
            self.in_span(field("ended"), ended, When::Scheduled);
            self.in_order(field("ended"), &a.signed, ended, "the agreement ends before it was signed");
            if let Some(in_force) = &a.in_force {
                let message = format!("the agreement ends ({ended}) before it entered into force ({in_force})");
                self.in_order(field("ended"), in_force, ended, message);
            }
        }
    }

    fn sources(&mut self, sources: &[Source], path: &FieldPath) {
        if sources.is_empty() {
            self.push(path.clone(), "every fact needs a source: at least one source is required");
        }
        let mut keys = HashSet::new();
        for (i, s) in sources.iter().enumerate() {
            let at = path.at(i);
            if s.key.trim().is_empty() {
                self.push(at.then("key"), "a source needs a key");
            } else if !keys.insert(s.key.as_str()) {
                self.push(at.then("key"), format!("`{}` is used by another source", s.key));
            }
            if s.title.trim().is_empty() {
                self.push(at.then("title"), "a source needs a title");
            }
            if s.publisher.trim().is_empty() {
                self.push(at.then("publisher"), "a source needs a publisher");
            }
            if s.url.is_none() && s.reference.is_none() {
                self.push(at.then("url"), "a source needs a `url` or a document `reference`");
            }
            if let Some(consulted) = &s.consulted {
                self.in_span(at.then("consulted"), consulted, When::Past);
            }
        }
    }

    fn state(&mut self, path: FieldPath, ccode: Ccode) {
        if self.rules.index.get(ccode).is_none() {
            self.push(path, format!("{ccode} is not a COW state code pactbase knows"));
        }
    }

    /// A `source` field citing one of the agreement's sources by key.
    fn cite(&mut self, path: FieldPath, key: &str, sources: &[Source]) {
        // With no sources at all, that is the one problem to report.
        if !sources.is_empty() && !sources.iter().any(|s| s.key == key) {
            let known: Vec<&str> = sources.iter().map(|s| s.key.as_str()).collect();
            self.push(path, format!("`{key}` is not one of this agreement's source keys ({})", known.join(", ")));
        }
    }

    fn members(&mut self, a: &Agreement) {
        let members = FieldPath::field("members");
        if a.members.is_empty() {
            self.push(members.clone(), "an agreement needs its parties as members");
        }
        for (i, m) in a.members.iter().enumerate() {
            let at = members.at(i);
            self.state(at.then("ccode"), m.ccode);
            self.membership_dates(a, m, &at);
            self.cite(at.then("source"), &m.source, &a.sources);
            for (j, s) in m.suspensions.iter().enumerate() {
                let sat = at.then("suspensions").at(j);
                self.in_span(sat.then("from"), &s.from, When::Scheduled);
                self.in_order(sat.then("from"), &m.joined, &s.from, "the suspension starts before the member joined");
                if let Some(left) = &m.left {
                    self.in_order(sat.then("from"), &s.from, left, "the suspension starts after the member left");
                }
                if let Some(to) = &s.to {
                    self.in_span(sat.then("to"), to, When::Scheduled);
                    self.in_order(sat.then("to"), &s.from, to, "the suspension ends before it starts");
                    if let Some(left) = &m.left {
                        self.in_order(sat.then("to"), to, left, "the suspension ends after the member left");
                    }
                }
                for (k, &c) in s.toward.iter().enumerate() {
                    self.state(sat.then("toward").at(k), c);
                }
                self.cite(sat.then("source"), &s.source, &a.sources);
            }
        }
        self.overlapping_memberships(a);
    }

    fn membership_dates(&mut self, a: &Agreement, m: &Membership, at: &FieldPath) {
        self.in_span(at.then("joined"), &m.joined, When::Scheduled);
        let early = a.signed.certainly_after(&m.joined);
        match &m.before_signature {
            None if early => self.push(
                at.then("joined"),
                format!(
                    "the member joins ({}) before the agreement was signed ({}); if it applied the agreement earlier \
                     (provisionally or retroactively), say so, with the source, in `before_signature`",
                    m.joined, a.signed
                ),
            ),
            Some(_) if !early => self.push(
                at.then("before_signature"),
                format!(
                    "explains an early start, but the member joins ({}) no earlier than the signature ({})",
                    m.joined, a.signed
                ),
            ),
            Some(why) if why.trim().is_empty() => {
                self.push(at.then("before_signature"), "say why the member is a party before the signature")
            }
            _ => {}
        }
        if let Some(ended) = &a.ended {
            self.in_order(
                at.then("joined"),
                &m.joined,
                ended,
                format!("the member joins after the agreement ended ({ended})"),
            );
        }
        if let Some(signed) = &m.signed {
            self.in_span(at.then("signed"), signed, When::Past);
            self.in_order(
                at.then("signed"),
                signed,
                &m.joined,
                "a member signs before it is bound (or omits `signed`)",
            );
            let message = format!("the member signs ({signed}) before the agreement was signed ({})", a.signed);
            self.in_order(at.then("signed"), &a.signed, signed, message);
        }
        if let Some(left) = &m.left {
            self.in_span(at.then("left"), left, When::Scheduled);
            self.in_order(at.then("left"), &m.joined, left, "the member leaves before it joined");
            if let Some(ended) = &a.ended {
                self.in_order(
                    at.then("left"),
                    left,
                    ended,
                    format!("the member leaves after the agreement ended ({ended})"),
                );
            }
        }
    }

    /// A state may be a member more than once (it left and came back), never twice at the
    /// same time: the same state twice is a duplicate.
    fn overlapping_memberships(&mut self, a: &Agreement) {
        let mut order: Vec<usize> = (0..a.members.len()).collect();
        order.sort_by_key(|&i| (a.members[i].ccode, a.members[i].joined.earliest()));
        for pair in order.windows(2) {
            let (first, second) = (&a.members[pair[0]], &a.members[pair[1]]);
            if first.ccode != second.ccode {
                continue;
            }
            let overlaps = match &first.left {
                None => true,
                Some(left) => left.certainly_after(&second.joined),
            };
            if overlaps {
                let until = first.left.map_or_else(|| "on".to_owned(), |l| format!("until {l}"));
                self.push(
                    FieldPath::field("members").at(pair[1]).then("ccode"),
                    format!(
                        "{} is already a member from {} {until} (members[{}]); a return after leaving is a new \
                         membership that starts after `left`",
                        self.rules.index.label(second.ccode),
                        first.joined,
                        pair[0]
                    ),
                );
            }
        }
    }

    /// `ccode` must be one of the agreement's members (`why` says why). When a member
    /// could not be named ([`UNNAMED`]), that is reported where the name stands and not
    /// again by everything that cites the member.
    fn party(&mut self, path: FieldPath, a: &Agreement, ccode: Ccode, why: &str) {
        let unnamed_member = a.members.iter().any(|m| m.ccode == UNNAMED);
        if !unnamed_member && !a.members.iter().any(|m| m.ccode == ccode) {
            let label = self.rules.index.label(ccode);
            self.push(path, format!("{label} is not a member of this agreement; {why}"));
        }
    }

    fn obligations(&mut self, a: &Agreement) {
        for (i, o) in a.obligations.iter().enumerate() {
            let at = FieldPath::field("obligations").at(i);
            match &o.from {
                Parties::States(list) if list.is_empty() => {
                    self.push(at.then("from"), "name the members that hold it, or \"all\"")
                }
                Parties::States(list) => {
                    for (k, &c) in list.iter().enumerate() {
                        self.party(at.then("from").at(k), a, c, "only members hold obligations");
                    }
                }
                Parties::All => {}
            }
            match &o.toward {
                Target::States(list) if list.is_empty() => {
                    self.push(at.then("toward"), "name the states it runs toward, or \"all\" or \"third-party\"")
                }
                Target::States(list) => {
                    for (k, &c) in list.iter().enumerate() {
                        self.state(at.then("toward").at(k), c);
                    }
                }
                Target::All | Target::ThirdParty => {}
            }
            self.cite(at.then("source"), &o.source, &a.sources);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use proptest::prelude::*;

    use super::*;
    use crate::{
        AgreementKind, AtopException, AtopField, Invocation, InvocationOutcome, NonStateParty, Obligation,
        ObligationType, PartyCoverage, Provisions, Reservation, ReservationEffect, Role, Signatory, Spell, State,
        Status, Suspension, SuspensionScope,
    };

    const NOW: i32 = 2026;

    fn index() -> StateIndex {
        let state = |ccode, abb: &str| State {
            ccode,
            abb: abb.into(),
            iso3: None,
            name: abb.into(),
            aliases: vec![],
            spells: vec![Spell { start: PartialDate::year(1816), end: None }],
        };
        StateIndex::new(vec![state(2, "USA"), state(900, "AUL"), state(920, "NEW")])
    }

    fn date(text: &str) -> PartialDate {
        PartialDate::parse(text).unwrap()
    }

    fn member(ccode: Ccode, joined: &str) -> Membership {
        Membership {
            ccode,
            joined: date(joined),
            signed: None,
            left: None,
            role: Role::Founding,
            source: "treaty".into(),
            note: None,
            suspensions: vec![],
            before_signature: None,
        }
    }

    fn anzus() -> Agreement {
        Agreement {
            id: "anzus".into(),
            name: "Security Treaty between Australia, New Zealand and the United States".into(),
            short_names: vec!["ANZUS".into()],
            kinds: vec![AgreementKind::MutualDefensePact],
            signed: date("1951-09-01"),
            in_force: Some(date("1952-04-29")),
            ended: None,
            status: Status::InForce,
            region: "Pacific".into(),
            depositary: None,
            atopid: Some(3205),
            summary: "Each party would act to meet a common danger.".into(),
            text: None,
            provisions: Provisions::default(),
            sources: vec![Source {
                key: "treaty".into(),
                title: "ANZUS Treaty".into(),
                publisher: "Australian Treaty Series".into(),
                url: Some("https://www.austlii.edu.au/au/other/dfat/treaties/1952/2.html".into()),
                reference: None,
                consulted: Some(date("2026-11-29")),
            }],
            party_coverage: PartyCoverage::Complete,
            members: vec![member(2, "1952-04-29"), member(900, "1952-04-29"), member(920, "1952-04-29")],
            signatories: vec![],
            non_state_parties: vec![],
            obligations: vec![Obligation {
                kind: ObligationType::Defense,
                from: Parties::All,
                toward: Target::All,
                conditional: false,
                article: Some("Art. IV".into()),
                note: None,
                source: "treaty".into(),
            }],
            reservations: vec![],
            invocations: vec![],
            atop_exceptions: vec![],
        }
    }

    fn problems(a: Agreement) -> Vec<(String, String)> {
        let index = index();
        match agreement(a, &Rules { index: &index, years: Years::through(NOW) }) {
            Ok(_) => vec![],
            Err(list) => list.into_iter().map(|p| (p.path.to_string(), p.message)).collect(),
        }
    }

    fn paths(a: Agreement) -> Vec<String> {
        problems(a).into_iter().map(|(p, _)| p).collect()
    }

    #[test]
    fn a_valid_agreement_passes_with_its_links_normalised() {
        let mut a = anzus();
        a.sources[0].url = Some("doi:10.1080/03050620208434".into());
        let index = index();
        let stored = agreement(a, &Rules { index: &index, years: Years::through(NOW) }).unwrap();
        assert_eq!(stored.sources[0].url.as_deref(), Some("https://doi.org/10.1080/03050620208434"));
    }

    #[test]
    fn paths_are_written_as_the_json_api_names_them() {
        let path = FieldPath::field("members").at(1).then("suspensions").at(0).then("to");
        assert_eq!(path.to_string(), "members[1].suspensions[0].to");
        assert_eq!(FieldPath::default().to_string(), "");
    }

    /// The reproductions of issue 20 item 7: dates out of the state system's span.
    #[test]
    fn dates_outside_the_state_system_are_refused_where_they_stand() {
        for signed in ["0000", "0001", "1066", "2999"] {
            let mut a = anzus();
            a.signed = date(signed);
            assert!(paths(a).contains(&"signed".to_owned()), "signed {signed}");
        }
        for joined in ["0001", "9999"] {
            let mut a = anzus();
            a.members[1].joined = date(joined);
            assert!(paths(a).contains(&"members[1].joined".to_owned()), "joined {joined}");
        }
        let mut a = anzus();
        a.signed = date("2027");
        a.in_force = Some(date("2028-01"));
        a.members.iter_mut().for_each(|m| m.joined = date("2028-01"));
        assert_eq!(paths(a), ["signed"], "a signature cannot lie ahead; an entry into force can");
        let mut a = anzus();
        a.sources[0].consulted = Some(date("2030-01-01"));
        assert_eq!(paths(a), ["sources[0].consulted"]);
    }

    /// Issue 20 item 7: entry into force before signature and members joining before it.
    #[test]
    fn dates_out_of_order_are_refused() {
        let mut a = anzus();
        a.in_force = Some(date("1950"));
        a.members[0].joined = date("1950-06");
        let got = problems(a);
        assert_eq!(got.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(), ["in_force", "members[0].joined"]);
        assert!(got[1].1.contains("before_signature"), "{}", got[1].1);

        let mut a = anzus();
        a.ended = Some(date("1952-01"));
        assert_eq!(paths(a), ["ended", "members[0].joined", "members[1].joined", "members[2].joined"]);

        let mut a = anzus();
        a.ended = Some(date("1990"));
        a.members[2].left = Some(date("1991"));
        assert_eq!(paths(a), ["members[2].left"]);

        // Precision is respected: "1951" may be the signature's day.
        let mut a = anzus();
        a.members[0].joined = date("1951");
        a.in_force = Some(date("1951"));
        assert!(paths(a).is_empty());
    }

    #[test]
    fn an_early_start_is_accepted_only_with_its_reason() {
        let mut a = anzus();
        a.members[0].joined = date("1950");
        a.members[0].before_signature = Some("Applied provisionally from 1950 by an exchange of notes.".into());
        assert!(paths(a.clone()).is_empty());
        a.members[0].before_signature = Some(" ".into());
        assert_eq!(paths(a.clone()), ["members[0].before_signature"]);
        a.members[0].joined = date("1952");
        a.members[0].before_signature = Some("Provisionally applied.".into());
        assert_eq!(paths(a), ["members[0].before_signature"], "an exception must describe a real difference");
    }

    #[test]
    fn suspensions_lie_within_their_membership() {
        let suspension = |from: &str, to: Option<&str>| Suspension {
            from: date(from),
            to: to.map(date),
            scope: SuspensionScope::Obligations,
            toward: vec![920],
            note: None,
            source: "treaty".into(),
        };
        let mut a = anzus();
        a.members[0].left = Some(date("2000"));
        a.members[0].suspensions = vec![
            suspension("1986-08-11", Some("1999")),
            suspension("1940", None),
            suspension("2001", None),
            suspension("1990", Some("2005")),
            suspension("1990", Some("1980")),
        ];
        assert_eq!(
            paths(a),
            [
                "members[0].suspensions[1].from",
                "members[0].suspensions[2].from",
                "members[0].suspensions[3].to",
                "members[0].suspensions[4].to",
            ]
        );
    }

    /// Issue 20 item 7: the same state twice.
    #[test]
    fn duplicate_members_are_refused_and_returns_accepted() {
        let mut a = anzus();
        a.members.push(member(900, "1960"));
        let got = problems(a);
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, "members[3].ccode");
        assert!(got[0].1.starts_with("AUL is already a member from 1952-04-29 on (members[1])"), "{}", got[0].1);

        let mut a = anzus();
        a.members[1].left = Some(date("1960"));
        a.members.push(member(900, "1960"));
        assert!(paths(a.clone()).is_empty(), "leaving in 1960 and returning in 1960 may not overlap");
        a.members[3].joined = date("1959");
        assert_eq!(paths(a), ["members[3].ccode"]);
    }

    #[test]
    fn every_structural_rule_names_its_field() {
        let mut a = anzus();
        a.id = "atop-3205".into();
        a.name = " ".into();
        a.kinds.clear();
        a.summary.clear();
        a.sources.push(Source {
            key: "treaty".into(),
            title: "".into(),
            publisher: "".into(),
            url: None,
            reference: None,
            consulted: None,
        });
        a.sources[0].url = Some("javascript:alert(1)".into());
        a.members[1].ccode = 999;
        a.members[2].source = "nowhere".into();
        a.obligations[0].from = Parties::States(vec![2, 640]);
        a.obligations[0].toward = Target::States(vec![]);
        a.atopid = None;
        a.atop_exceptions.push(AtopException {
            ccode: 920,
            field: AtopField::Left,
            ours: "1986".into(),
            atop: "ongoing".into(),
            reason: "r".into(),
        });
        assert_eq!(
            paths(a),
            [
                "sources[0].url",
                "id",
                "name",
                "kinds",
                "summary",
                "sources[1].key",
                "sources[1].title",
                "sources[1].publisher",
                "sources[1].url",
                "members[1].ccode",
                "members[2].source",
                "obligations[0].from[1]",
                "obligations[0].toward",
                "atop_exceptions[0]",
            ]
        );
        let mut a = anzus();
        a.sources.clear();
        a.members.clear();
        assert_eq!(paths(a), ["sources", "members"], "no citation errors without any source to cite");
    }

    fn invocation(when: &str, by: Ccode) -> Invocation {
        Invocation {
            date: date(when),
            by,
            against: vec![],
            obligation: ObligationType::Defense,
            article: Some("Art. IV".into()),
            outcome: InvocationOutcome::Honoured,
            note: "Invoked after the September 11 attacks.".into(),
            source: "treaty".into(),
        }
    }

    /// The rules of the registry's invocations: by a member, after the signature, against
    /// states that exist, with a note, kept oldest first.
    #[test]
    fn invocations_are_by_members_after_the_signature_and_stored_oldest_first() {
        let mut a = anzus();
        a.invocations = vec![invocation("2001-09-14", 900), invocation("1965", 2)];
        let index = index();
        let stored = agreement(a.clone(), &Rules { index: &index, years: Years::through(NOW) }).unwrap();
        assert_eq!(stored.invocations.iter().map(|v| v.date.year).collect::<Vec<_>>(), [1965, 2001]);

        a.invocations[0].by = 200;
        a.invocations[0].against = vec![920, 640];
        a.invocations[0].note = " ".into();
        a.invocations[0].source = "memo".into();
        a.invocations[1].date = date("1950");
        let got = problems(a);
        let found: Vec<&str> = got.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            found,
            [
                "invocations[0].by",
                "invocations[0].against[1]",
                "invocations[0].note",
                "invocations[0].source",
                "invocations[1].date",
            ],
            "problems name the positions as sent, not as sorted"
        );
        assert_eq!(got[0].1, "200 is not a member of this agreement; only a party can invoke the agreement");

        let mut a = anzus();
        a.invocations = vec![invocation("2030", 2)];
        assert_eq!(paths(a), ["invocations[0].date"], "an invocation has happened");
    }

    #[test]
    fn reservations_are_made_by_members_and_say_what_they_reserve() {
        let mut a = anzus();
        a.reservations = vec![Reservation {
            ccode: 2,
            article: Some("Art. IV".into()),
            effect: ReservationEffect::Limits,
            text: "Only an armed attack in the Pacific area.".into(),
            source: "treaty".into(),
        }];
        assert!(paths(a.clone()).is_empty());
        a.members.remove(0);
        a.reservations[0].text.clear();
        assert_eq!(paths(a.clone()), ["reservations[0].ccode", "reservations[0].text"]);
        a.members[0].ccode = UNNAMED;
        assert_eq!(
            paths(a),
            ["members[0].ccode", "reservations[0].text"],
            "a member that cannot be named is reported once, not again by what cites it"
        );
    }

    #[test]
    fn signatories_are_not_members_and_sign_after_the_agreement() {
        let signatory =
            |ccode, signed: &str| Signatory { ccode, signed: date(signed), source: "treaty".into(), note: None };
        let mut a = anzus();
        a.members.truncate(2);
        a.signatories = vec![signatory(920, "1951-09-01")];
        assert!(paths(a.clone()).is_empty());
        a.signatories.push(signatory(920, "1952"));
        a.signatories.push(signatory(900, "1951-09-01"));
        a.signatories.push(signatory(640, "1950"));
        let got = problems(a.clone());
        assert_eq!(
            got.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(),
            ["signatories[1].ccode", "signatories[2].ccode", "signatories[3].ccode", "signatories[3].signed"]
        );
        assert_eq!(got[0].1, "NEW is listed twice");
        assert_eq!(got[1].1, "AUL is a member: give its signature as the member's `signed`");
        // A state that left may have signed again without being bound.
        a.signatories.truncate(1);
        a.members[1].left = Some(date("1986"));
        a.signatories[0].ccode = 900;
        assert!(paths(a).is_empty());
    }

    #[test]
    fn members_sign_before_they_are_bound_and_after_the_agreement() {
        let mut a = anzus();
        a.members[0].signed = Some(date("1951-09-01"));
        assert!(paths(a.clone()).is_empty());
        a.members[0].signed = Some(date("1953"));
        assert_eq!(
            problems(a.clone())[0],
            ("members[0].signed".into(), "a member signs before it is bound (or omits `signed`)".into())
        );
        a.members[0].signed = Some(date("1950"));
        assert_eq!(paths(a.clone()), ["members[0].signed"]);
        a.members[0].signed = Some(date("1800"));
        assert_eq!(paths(a).len(), 2, "out of span and before the agreement");
    }

    #[test]
    fn non_state_parties_are_named_dated_and_not_states() {
        let party = |name: &str| NonStateParty {
            name: name.into(),
            signed: None,
            joined: Some(date("2005-09-06")),
            left: None,
            source: "treaty".into(),
            note: None,
        };
        let mut a = anzus();
        a.non_state_parties = vec![party("Cook Islands")];
        assert!(paths(a.clone()).is_empty());
        a.non_state_parties.push(party("AUL"));
        a.non_state_parties.push(party(" "));
        a.non_state_parties.push(NonStateParty { joined: None, ..party("Niue") });
        a.non_state_parties.push(NonStateParty {
            signed: Some(date("2006")),
            left: Some(date("2004")),
            ..party("Holy See")
        });
        let got = problems(a);
        assert_eq!(
            got.iter().map(|(p, _)| p.as_str()).collect::<Vec<_>>(),
            [
                "non_state_parties[1].name",
                "non_state_parties[2].name",
                "non_state_parties[3].joined",
                "non_state_parties[4].signed",
                "non_state_parties[4].left",
            ]
        );
        assert_eq!(got[0].1, "AUL is a COW state (AUL): list it among the members");
    }

    fn partial_date() -> impl Strategy<Value = PartialDate> {
        (prop_oneof![0i32..=9999, 1800i32..=2040], proptest::option::of(1u8..=12), 1u8..=28)
            .prop_map(|(year, month, day)| PartialDate { year, month, day: month.and(Some(day)) })
    }

    /// The first and last days a date can denote, as the rules' oracle.
    fn days(d: &PartialDate) -> ((i32, u8, u8), (i32, u8, u8)) {
        (d.earliest(), d.latest())
    }

    proptest! {
        /// Whatever dates an agreement carries, exactly the fields whose date is out of span
        /// or certainly out of order are refused.
        #[test]
        fn date_problems_are_exactly_the_broken_rules(
            signed in partial_date(),
            in_force in proptest::option::of(partial_date()),
            ended in proptest::option::of(partial_date()),
            joined in partial_date(),
            left in proptest::option::of(partial_date()),
        ) {
            let mut a = anzus();
            a.signed = signed;
            a.in_force = in_force;
            a.ended = ended;
            a.members.truncate(2);
            a.members[0].joined = signed;
            a.members[1].joined = joined;
            a.members[1].left = left;
            let before = |x: &PartialDate, y: &PartialDate| days(x).0 > days(y).1; // y certainly before x
            let out = |d: &PartialDate, latest: i32| d.year < 1816 || d.year > latest;
            let mut want = BTreeSet::new();
            if out(&signed, NOW) { want.insert("signed"); }
            if let Some(f) = &in_force {
                if out(f, NOW + 2) || before(&signed, f) { want.insert("in_force"); }
            }
            if let Some(e) = &ended {
                if out(e, NOW + 2) || before(&signed, e) || in_force.is_some_and(|f| before(&f, e)) { want.insert("ended"); }
                if before(&signed, e) { want.insert("members[0].joined"); }
            }
            if out(&signed, NOW + 2) { want.insert("members[0].joined"); }
            if out(&joined, NOW + 2) || before(&signed, &joined) || ended.is_some_and(|e| before(&joined, &e)) {
                want.insert("members[1].joined");
            }
            if let Some(l) = &left {
                if out(l, NOW + 2) || before(&joined, l) || ended.is_some_and(|e| before(l, &e)) {
                    want.insert("members[1].left");
                }
            }
            let got: BTreeSet<String> = paths(a).into_iter().collect();
            let want: BTreeSet<String> = want.into_iter().map(str::to_owned).collect();
            prop_assert_eq!(got, want);
        }

        /// A stored agreement's dates are always in span and in order.
        #[test]
        fn accepted_dates_are_in_span_and_in_order(
            signed in partial_date(),
            in_force in proptest::option::of(partial_date()),
            joined in partial_date(),
        ) {
            let mut a = anzus();
            a.signed = signed;
            a.in_force = in_force;
            a.members[2].joined = joined;
            let index = index();
            if let Ok(a) = agreement(a, &Rules { index: &index, years: Years::through(NOW) }) {
                prop_assert!((1816..=NOW).contains(&a.signed.year));
                prop_assert!(a.in_force.is_none_or(|f| !a.signed.certainly_after(&f)));
                prop_assert!(a.members.iter().all(|m| (1816..=NOW + 2).contains(&m.joined.year) && !a.signed.certainly_after(&m.joined)));
            }
        }
    }
}
