//! `/glossary`: every term and code the pages use, in plain words, with where the
//! methods page says how it is computed; and [`term`], the one helper that links a term to
//! its entry at its first use on a page.

use axum::extract::State;
use axum::routing::get;
use axum::Router;
use maud::{html, Markup};

use crate::Shared;

use super::context::first_use;
use super::{page, PageResult};

pub(super) fn routes() -> Router<Shared> {
    Router::new().route("/glossary", get(glossary))
}

pub(super) struct Term {
    pub slug: &'static str,
    pub name: &'static str,
    pub group: &'static str,
    pub text: &'static str,
    /// The section of `/methods` that says how it is computed.
    pub method: Option<&'static str>,
}

const STATES: &str = "States and data";
const AGREEMENTS: &str = "Agreements";
const TIES: &str = "Obligations and ties";
const NETWORK: &str = "Network measures";
const SIMILARITY: &str = "Similarity of alliance portfolios";
const IMPACT: &str = "Event studies (what entering an agreement changed)";
const RECOMMEND: &str = "Recommendations and their back-test";
const CHALLENGES: &str = "Challenges and case studies";

macro_rules! terms {
    ($($slug:literal, $name:literal, $group:ident, $method:expr, $text:literal;)*) => {
        pub(super) const TERMS: &[Term] = &[$(Term { slug: $slug, name: $name, group: $group, text: $text, method: $method }),*];
    };
}

terms! {
    "ccode", "COW code", STATES, Some("data"), "The Correlates of War project's number for a state: 2 the United States, 20 Canada, 200 the United Kingdom, 220 France, 365 Russia, 710 China, 750 India, 770 Pakistan, 900 Australia, 920 New Zealand. pactbase keeps every state by this code and accepts codes, COW abbreviations, ISO codes and names wherever a state is asked for.";
    "cow-abbreviation", "COW abbreviation", STATES, Some("data"), "The Correlates of War's three-letter name of a state (PAK, USA, UKG for the United Kingdom, GMY for Germany). It differs from the ISO 3166 code for some states.";
    "state-system", "state system", STATES, Some("data"), "The states the Correlates of War counts as members of the international system in a year, from its membership spells (2016 update). States that were members at the end of 2016 are counted as members after it.";
    "registry", "registry", STATES, Some("registry"), "pactbase's own record of defense agreements: parties with their dates, directed obligations, provisions and sources, written from public sources and kept current by editors.";
    "atop", "ATOP", STATES, Some("data"), "Alliance Treaty Obligations and Provisions (version 5.1, 1815–2018): the research dataset of written alliances promising defense, offense, neutrality, nonaggression or consultation, coded member by member.";
    "atopid", "ATOP number", STATES, Some("registry"), "ATOP's identifier of an alliance (atopid). A registry agreement that ATOP codes carries its number; ATOP's other alliances are listed as ATOP codes them.";
    "cinc", "CINC", STATES, Some("data"), "Composite Index of National Capability (Correlates of War National Material Capabilities): a state's share of the system's military expenditure, military personnel, iron and steel, energy use, and total and urban population, averaged.";
    "milex", "military expenditure", STATES, Some("data"), "Spending on the armed forces. The impact studies use the Correlates of War's series (current US$ thousands, on a log scale); case studies use SIPRI's (constant 2017 US$ millions, from 1949).";
    "mme", "MME", STATES, Some("data"), "Multinational Military Exercises (version 7): one record per exercise with its participants, domains and focus; the file covers 1980–2010.";
    "strategic-rivalry", "strategic rivalry", STATES, Some("challenges"), "A pair of states that regard each other as competitors and enemies, as Thompson, Sakuwa and Suhas date them (India and Pakistan since 1947).";
    "missing", "missing (n/a, no data)", STATES, Some("data"), "A value a dataset does not give: a year outside its coverage, a state it does not code. pactbase shows it as missing, never as zero.";
    "mutual-defense-pact", "mutual defense pact", AGREEMENTS, Some("registry"), "An agreement whose parties promise to come to each other's defense if one is attacked.";
    "security-assistance", "security assistance", AGREEMENTS, Some("registry"), "An agreement under which one party supplies another with arms, training, funds or advisers.";
    "exercise-and-training", "exercise and training", AGREEMENTS, Some("registry"), "An agreement or programme of joint exercises or training.";
    "technology-sharing", "technology sharing", AGREEMENTS, Some("registry"), "An agreement to share defense technology or to develop or produce equipment together (defense-industrial cooperation).";
    "regional-defense-alliance", "regional defense alliance", AGREEMENTS, Some("registry"), "A defense alliance of several states of one region, often with a standing organisation (NATO, SEATO, the Baghdad Pact).";
    "intelligence-sharing", "intelligence sharing", AGREEMENTS, Some("registry"), "An arrangement to exchange intelligence, or to protect what is exchanged (Five Eyes, general security of military information agreements).";
    "arms-control", "arms control", AGREEMENTS, Some("registry"), "A treaty that limits, counts or bans weapons.";
    "nonaggression-and-friendship", "nonaggression and friendship", AGREEMENTS, Some("registry"), "A restraint commitment: a treaty of friendship, peace or nonaggression, or a code of conduct, by which states promise not to use force against each other.";
    "in-force", "in force", AGREEMENTS, Some("registry"), "An agreement's status when it binds its parties now. \"In force in a year\": in effect on at least one day of that year.";
    "terminated", "terminated", AGREEMENTS, None, "Status: ended by its parties or by one party's withdrawal.";
    "expired", "expired", AGREEMENTS, None, "Status: ended when its term ran out.";
    "superseded", "superseded", AGREEMENTS, None, "Status: replaced by a later agreement.";
    "suspended", "suspended", AGREEMENTS, None, "Status: not applied for now, without being ended.";
    "signed", "signed", AGREEMENTS, None, "Status: signed but not (yet) in force.";
    "role", "role", AGREEMENTS, Some("registry"), "How a state is party to an agreement: founding (from the start), acceded (joined later), partner or observer (associated, without the members' obligations).";
    "suspension", "suspension", AGREEMENTS, Some("registry"), "A period in which a member's membership, its obligations (toward everyone or named members) or its part in the integrated command were suspended, as the United States suspended its obligations toward New Zealand under ANZUS in 1986.";
    "provisions", "provisions", AGREEMENTS, Some("registry"), "What an agreement provides for, where the sources establish it: foreign bases, an integrated command, military aid, technology transfer, intelligence sharing, joint exercises, arms limits, a standing organisation. Not established is not the same as no.";
    "integrated-command", "integrated command", AGREEMENTS, Some("challenges"), "Members' forces placed under a common command in peace or war (NATO's military structure).";
    "bilateral", "bilateral", AGREEMENTS, None, "Between two states; multilateral: among more.";
    "defense", "defense", TIES, Some("ties"), "ATOP's obligation to come to a partner's military aid if it is attacked.";
    "offense", "offense", TIES, Some("ties"), "ATOP's obligation to join a partner in a war it starts.";
    "neutrality", "neutrality", TIES, Some("ties"), "ATOP's obligation to stay out of a conflict a partner is in (not to help its enemy).";
    "nonaggression", "nonaggression", TIES, Some("ties"), "ATOP's obligation not to attack the partner.";
    "consultation", "consultation", TIES, Some("ties"), "ATOP's obligation to consult the partner in a crisis.";
    "obligation", "directed obligation", TIES, Some("ties"), "What one state owes another under an agreement. Obligations run in a direction: a guarantee by two states of a third binds each guarantor toward the third, not the guarantors toward each other. Conditional: only under the conditions the text sets.";
    "valued-tie", "valued tie", TIES, Some("ties"), "The strength of what one state owes another, on ATOP's scale: 3 defense or offense, 2 neutrality or consultation, 1 nonaggression only, 0 none. Tie out: what the state owes the partner; tie in: what the partner owes it.";
    "ties-source", "ties (both, curated)", TIES, Some("ties"), "Where the alliance ties of an analysis come from. Both: ATOP's alliances to 2018, with the registry's agreements in place of the alliances they code, and after 2018 the registry's agreements alone. Curated: the registry's agreements alone (before ATOP is imported).";
    "alliance-network", "alliance network", NETWORK, Some("network"), "States joined when they share an alliance in effect in a year (level any), or when either owes the other defense or offense (level defense).";
    "degree", "allies (degree)", NETWORK, Some("network"), "The number of states a state is tied to in the network of a year.";
    "eigenvector", "eigenvector centrality", NETWORK, Some("network"), "How central a state is, counting not only its allies but how central they are in turn (0 to 1; computed as networkx does).";
    "betweenness", "betweenness", NETWORK, Some("network"), "The share of shortest paths between other states that pass through a state: how much it bridges otherwise separate groups (0 to 1).";
    "bloc", "bloc", NETWORK, Some("network"), "A group of states more densely tied to each other than to the rest, found by modularity maximisation (the Louvain method). Bloc numbers are labels of one year and do not carry over to another.";
    "modularity", "modularity", NETWORK, Some("network"), "How cleanly the network divides into its blocs: the share of ties within blocs minus what random ties would give (−0.5 to 1; higher is more divided).";
    "ego-network", "ego network", NETWORK, Some("network"), "One state, the states it is tied to, and the ties among them.";
    "portfolio", "alliance portfolio", SIMILARITY, Some("similarity"), "A state's row of valued ties toward every member of the state system in a year, itself included (3).";
    "s-score", "S (Signorino–Ritter)", SIMILARITY, Some("similarity"), "How alike two portfolios are, from −1 (opposite) to 1 (identical): one minus twice the average distance between them. Weighted S counts each position by that state's CINC.";
    "scotts-pi", "Scott's pi", SIMILARITY, Some("similarity"), "Agreement between two portfolios beyond what their pooled distribution of ties would give by chance.";
    "cohens-kappa", "Cohen's kappa", SIMILARITY, Some("similarity"), "Agreement between two portfolios beyond chance, from each state's own distribution of ties, with larger disagreements weighed more (as in the published FPSIM data).";
    "tau-b", "Kendall's tau-b", SIMILARITY, Some("similarity"), "Rank correlation of two portfolios (Bueno de Mesquita's original measure of alliance similarity).";
    "event-study", "event study", IMPACT, Some("impact"), "An estimate of how an outcome moved around an event (a state entering an agreement), compared with states that did not enter.";
    "entry-year", "entry year", IMPACT, Some("impact"), "The first year a state is party to the agreement studied; it counts as treated from then on.";
    "relative-year", "relative year", IMPACT, Some("impact"), "Years since entry: 0 the entry year, −1 the year before (the reference, 0 by construction), 5 five years after.";
    "att", "average effect after entry", IMPACT, Some("impact"), "The average, over the window's years from entry on, of how much more (or less) the outcome changed for the entering state than for the comparison states.";
    "confidence-interval", "95% confidence interval", IMPACT, Some("impact"), "The range that would contain the true effect in 95 of 100 repetitions of the study; drawn as a shaded band. An interval that spans 0 does not show an effect.";
    "never-treated", "never-treated comparison", IMPACT, Some("impact"), "Comparison states that never enter the agreement within the data; not-yet-treated: also states that enter later, until they do.";
    "callaway-santanna", "Callaway & Sant'Anna", IMPACT, Some("impact"), "The default estimator: each entering cohort's change since the year before entry against its comparison states' change over the same years, averaged; robust to entries at different times.";
    "twfe", "two-way fixed effects (TWFE)", IMPACT, Some("impact"), "The classic event-study regression with state and year effects, shown for comparison; biased when effects differ across entry years.";
    "parallel-trends", "parallel trends", IMPACT, Some("impact"), "The assumption that without entry the entering state's outcome would have moved like the comparison states'. Estimates before entry (relative years below −1) are its check.";
    "recommendation", "recommended partner", RECOMMEND, Some("recommendations"), "A state a state does not share an alliance with, ranked by the probability a logistic model gives that the two will form one within ten years, with each feature's contribution.";
    "back-test", "back-test", RECOMMEND, Some("recommendations"), "Checking the model on history: fitted on the years up to T only, does it rank first the pairs that actually allied in the next ten years?";
    "auc", "AUC", RECOMMEND, Some("recommendations"), "The probability that a pair that went on to ally is ranked above one that did not (0.5 is chance, 1 perfect).";
    "precision-at-k", "precision@k", RECOMMEND, Some("recommendations"), "The share of the k best-ranked pairs that went on to ally.";
    "common-neighbours", "common neighbours, Adamic–Adar", RECOMMEND, Some("recommendations"), "The classic link-prediction baselines the model is compared with: the number of common allies, and common allies weighted by how few allies each has.";
    "commitment-conflict", "commitment conflict", CHALLENGES, Some("challenges"), "A state owing defense to both sides of a strategic rivalry while they are rivals.";
    "sovereignty-cost", "sovereignty cost", CHALLENGES, Some("challenges"), "What an agreement asks of a member's sovereignty, from 0 (none) to 1 (high) on four components: foreign bases on its soil, integrated command, subordination of its forces, dependence on aid. The index is the mean of the coded components.";
    "overlapping-commitments", "overlapping commitments", CHALLENGES, Some("challenges"), "Two or more agreements with the same partner in force in the same years.";
    "burden-share", "burden sharing", CHALLENGES, Some("case-studies"), "Each member's share of what the members together spent on their armed forces in a year (SIPRI), among members with a figure that year.";
    "exercise-density", "exercise density", CHALLENGES, Some("case-studies"), "Multinational exercises a member held with at least one fellow member, per member and year (MME, 1980–2010).";
    "cohesion", "cohesion", CHALLENGES, Some("case-studies"), "The share of pairs of members that owe each other defense (both ways) in a year, from every alliance they share.";
}

pub(super) fn find(slug: &str) -> Option<&'static Term> {
    TERMS.iter().find(|t| t.slug == slug)
}

/// `text` linked to the glossary entry of `slug` the first time the page uses it (the
/// definition on hover); plain text afterwards, and for words without an entry.
pub(super) fn term_as(slug: &str, text: &str) -> Markup {
    match find(slug) {
        Some(t) if first_use(t.slug) => {
            html! { a.term href=(format!("/glossary#{}", t.slug)) title=(t.text) { (text) } }
        }
        _ => html! { (text) },
    }
}

/// A term under its glossary name.
pub(super) fn term(slug: &str) -> Markup {
    term_as(slug, find(slug).map_or(slug, |t| t.name))
}

async fn glossary(State(state): State<Shared>) -> PageResult {
    page(&state, |_, _| {
        let mut groups: Vec<&str> = TERMS.iter().map(|t| t.group).collect();
        groups.dedup();
        let body = html! {
            h1 { "Glossary" }
            p { "The terms, codes and measures the pages use. Each links here where a page first uses it; "
                a href="/methods" { "Methods" } " says how each measure is computed and from which data." }
            nav.toc aria-label="Groups" { ul { @for g in &groups { li { a href=(format!("#{}", anchor(g))) { (g) } } } } }
            @for g in &groups {
                section aria-labelledby=(anchor(g)) {
                    h2 id=(anchor(g)) { (g) }
                    dl.glossary {
                        @for t in TERMS.iter().filter(|t| t.group == *g) {
                            dt id=(t.slug) { (t.name) }
                            dd { (t.text) @if let Some(m) = t.method { " " a href=(format!("/methods#{m}")) { "How it is computed" } } }
                        }
                    }
                }
            }
        };
        Ok(("Glossary".into(), body))
    })
    .await
}

fn anchor(group: &str) -> String {
    group.split(|c: char| !c.is_alphanumeric()).find(|w| !w.is_empty()).unwrap_or("g").to_lowercase()
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use pactbase_model::{AgreementKind, ObligationType, Status, Vocabulary};

    use super::*;

    #[test]
    fn slugs_are_unique_and_cover_the_vocabularies_the_pages_print() {
        let slugs: HashSet<&str> = TERMS.iter().map(|t| t.slug).collect();
        assert_eq!(slugs.len(), TERMS.len());
        let words = AgreementKind::ALL
            .iter()
            .map(|k| k.as_str())
            .chain(ObligationType::ALL.iter().map(|o| o.as_str()))
            .chain(Status::ALL.iter().map(|s| s.as_str()));
        for word in words {
            assert!(slugs.contains(word), "no glossary entry for `{word}`");
        }
        let groups: HashSet<String> = TERMS.iter().map(|t| anchor(t.group)).collect();
        assert!(groups.iter().all(|g| !slugs.contains(g.as_str())), "group anchors clash with terms: {groups:?}");
    }

    /// Every `term("…")` and `term_as("…"` in the pages names an entry.
    #[test]
    fn every_term_the_pages_link_exists() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/pages");
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.ends_with("glossary.rs") {
                continue;
            }
            let text = std::fs::read_to_string(&path).unwrap();
            for call in ["term(\"", "term_as(\""] {
                for (at, _) in text.match_indices(call) {
                    let slug = text[at + call.len()..].split('"').next().unwrap();
                    assert!(find(slug).is_some(), "{}: no glossary entry `{slug}`", path.display());
                }
            }
        }
    }
}
