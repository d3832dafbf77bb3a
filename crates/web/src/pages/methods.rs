//! `/methods`: how the pages' numbers are made — the data, the ties, the network, the
//! similarity measures, the event studies, the recommendations and their back-test, the
//! challenges and the case studies — for readers who cannot open the repository's docs.

use axum::extract::State;
use axum::routing::get;
use axum::Router;
use maud::html;

use crate::Shared;
use pactbase_model::coverage::{ATOP, MME};

use super::glossary::term;
use super::{page, PageResult};

pub(super) fn routes() -> Router<Shared> {
    Router::new().route("/methods", get(methods))
}

const SECTIONS: [(&str, &str); 10] = [
    ("data", "The data"),
    ("registry", "The registry"),
    ("ties", "Obligations and ties"),
    ("network", "The alliance network"),
    ("similarity", "Similarity of alliance portfolios"),
    ("impact", "What entering an agreement changed: event studies"),
    ("recommendations", "Recommended partners and the back-test"),
    ("arms", "Arms transfers"),
    ("challenges", "Challenges"),
    ("case-studies", "Case studies"),
];

async fn methods(State(state): State<Shared>) -> PageResult {
    page(&state, |_, _| {
        let body = html! {
            h1 { "Methods" }
            p { "How every figure on these pages is made, and from which data. Terms are defined in the " a href="/glossary" { "glossary" } "; the datasets, their versions and how to cite them are on " a href="/data" { "Research datasets" } "." }
            nav.toc aria-label="Sections" { ul { @for (id, title) in SECTIONS { li { a href=(format!("#{id}")) { (title) } } } } }
            section aria-labelledby="data" {
                h2 #data { "The data" }
                p { "States are those of the Correlates of War " (term("state-system")) " (membership spells, 2016 update), identified by their " (term("ccode"))
                    ". States that were members at the end of 2016 are counted as members after it, as the field's standard tools do. Pairs of states are counted in a year only when both were members on a common day of it." }
                p { "The research datasets are imported from their publishers' files, each checked against a pinned SHA-256: " (term("atop")) " 5.1 (alliances " (ATOP) "), COW state system and National Material Capabilities (" (term("cinc")) ", military expenditure), "
                    (term("mme")) " (exercises " (MME) "), SIPRI military expenditure (1949–2018) and Thompson–Sakuwa–Suhas " (term("strategic-rivalry")) "s. Where a dataset does not cover a year or a state, the value is " (term("missing")) ", never 0. Each page ends with the versions it was made from." }
            }
            section aria-labelledby="registry" {
                h2 #registry { "The registry" }
                p { "The " (term("registry")) " records each agreement from public sources: its kinds, dates, status, every party with the dates it joined and left and its " (term("suspension")) "s, its directed obligations and its " (term("provisions"))
                    ", each fact citing a source. Where ATOP codes an agreement, the registry carries its " (term("atopid")) " and replaces ATOP's coding of it in analyses; ATOP's other alliances are listed beside the registry's, named by their members and years. An agreement is in force in a year when it was in effect on at least one day of it." }
            }
            section aria-labelledby="ties" {
                h2 #ties { "Obligations and ties" }
                p { "An obligation is " (term("obligation")) ": state A owes state B " (term("defense")) ", " (term("offense")) ", " (term("neutrality")) ", " (term("nonaggression")) " or " (term("consultation"))
                    ". A guarantee by two states of a third binds each guarantor toward the third only. From obligations, each ordered pair of states has a " (term("valued-tie"))
                    " per year: 3 for defense or offense, 2 for neutrality or consultation, 1 for nonaggression only. A member's suspended obligations count as none for those years." }
                p { "Analyses take their ties from " (term("ties-source")) ": with ATOP imported, ATOP's member-level obligations to 2018 with the registry's agreements in place of the alliances they code; the registry's agreements run on to 2025, so years after 2018 show the registry's agreements alone (ATOP has no data after 2018). Without ATOP, the registry's agreements alone." }
            }
            section aria-labelledby="network" {
                h2 #network { "The alliance network" }
                p { "In each year the " (term("alliance-network")) " joins two states that share an alliance in effect (level any), or of which either owes the other defense or offense (level defense); a tie's weight is the stronger valued tie of the two directions. Choosing a kind keeps the agreements of that kind only, and then ties their parties even where the agreement sets no obligation (intelligence sharing)." }
                p { "Measures are defined as the networkx library defines them, and checked against it: " (term("degree")) ", " (term("eigenvector")) " (power iteration on the adjacency matrix plus the identity), normalised " (term("betweenness"))
                    ", and " (term("bloc")) "s found by maximising " (term("modularity")) " with the Louvain method (seeded, so the same data give the same blocs). A state's " (term("ego-network")) " is drawn from the same ties." }
            }
            section aria-labelledby="similarity" {
                h2 #similarity { "Similarity of alliance portfolios" }
                p { "Each state's " (term("portfolio")) " in a year is its valued tie toward every member of the system, itself included (3). Two portfolios are compared with the measures of the published FPSIM data: "
                    (term("s-score")) " (absolute or squared distances, valued or binary, unweighted or weighted by CINC), " (term("scotts-pi")) ", " (term("cohens-kappa")) " (quadratic weights on the categories the pair uses, as FPSIM computed it) and " (term("tau-b"))
                    ". Identical portfolios score 1; a measure whose denominator is 0 otherwise is left empty. An independent implementation agrees to 1e-9 on a sample of 1,449 dyads." }
            }
            section aria-labelledby="impact" {
                h2 #impact { "What entering an agreement changed: event studies" }
                p { "An " (term("event-study")) " compares how an outcome (log military expenditure, CINC or exercises) moved around a state's " (term("entry-year")) " with how it moved for comparison states over the same years. The default estimator is " (term("callaway-santanna"))
                    ": each cohort's change from the year before entry (" (term("relative-year")) " −1, 0 by construction) minus the comparison states' change, averaged over cohorts. Comparison states are " (term("never-treated")) " by default." }
                p { "Standard errors come from the influence function, clustered by state, without resampling, so results are exactly reproducible; the " (term("confidence-interval")) " is the estimate ± 1.96 standard errors, drawn as a band. With one entering state its own year-to-year noise cannot be separated from the effect, so its variance is borrowed from the comparison states (the page says so). The " (term("att")) " averages the years from entry to the window's end." }
                p { "Read the estimates before entry first: if they already move, the " (term("parallel-trends")) " assumption fails and the effect is not credible. Alliances are negotiated, so states may change course before they sign. A " (term("twfe")) " regression is available for comparison; it is biased when effects differ across entry years." }
            }
            section aria-labelledby="recommendations" {
                h2 #recommendations { "Recommended partners and the back-test" }
                p { "A " (term("recommendation")) " scores every state a state does not share an alliance with in a year, leaving out its strategic rivals and states either side does not recognise, by a logistic regression of \"the pair forms an alliance within 10 years\" on features of that year: common allies (also weighted by rarity, Adamic–Adar, and counted within the subregion and the continent), how many allies each has, shared rivals, joint exercises in the last five years, portfolio similarity, the same subregion, region and continent (UN M49 with the departures security studies make), the share of each one's neighbours already allied with the other, an alliance that lapsed in the last ten years, and, when COW's contiguity data are imported, whether they share a border. It is fitted on the years whose outcomes are all known, with a penalty that keeps it finite; each partner comes with its reasons in words and every feature's contribution." }
                p { "The " (term("back-test")) " fits on the years up to T only and ranks all unallied pairs of T against the alliances actually formed in the next ten years, with " (term("precision-at-k")) " at k = 10 (the list the pages show). Measured on ATOP 5.1, " (term("auc")) " / precision@10: 0.769 / 0.250 (T = 1960), 0.866 / 0.900 (1980), 0.924 / 1.000 (2000). The strongest baselines: a model of geography alone (AUC 0.791, 0.843, 0.901, better than ours in 1960) and " (term("common-neighbours")) " at the top of the list (precision@10 0.818 in 1980, 1.000 in 2000). Ten pairs are few: the gains in precision are within the bootstrap's noise." }
            }
            section aria-labelledby="arms" {
                h2 #arms { "Arms transfers" }
                p { "Arms transfers are SIPRI's deliveries of major conventional arms, in trend-indicator values (TIV, millions): a measure of the military capability transferred, built from the weapons' production costs, not of the price paid, so TIV compares volumes across suppliers and years but not budgets. A blank in SIPRI's tables is no delivery; a 0 is a delivery under 0.5 million. Suppliers that are not states (NATO, rebel groups, \"unknown supplier\") are kept by name." }
                p { "A state's suppliers are shown per five-year period with each one's share and the supplier concentration, the Herfindahl–Hirschman index of the shares (1: a single supplier), and the agreements in force with each supplier at the time (every agreement of the registry and ATOP but the multilateral arms-control treaties). Whether arms followed the agreements is an " (term("event-study")) " over directed dyads: the deliveries, log(1 + TIV), from each supplier that came to share an agreement with the state, against its suppliers that never did, around the first year both were parties." }
            }
            section aria-labelledby="challenges" {
                h2 #challenges { "Challenges" }
                p { "A " (term("commitment-conflict")) " is a state owing defense (or offense) to both sides of a " (term("strategic-rivalry")) " in years they are rivals. A " (term("sovereignty-cost"))
                    " has four components from 0 to 1, taken from ATOP's coding where the agreement has one, else from the registry's provisions: foreign bases on the member's soil, " (term("integrated-command")) ", subordination of its forces, and aid dependence (1 when the state was the weaker party by CINC when it joined a military-aid agreement, 0 when it was the provider). The index is the mean of the coded components; an uncoded component is n/a, not 0. "
                    (term("overlapping-commitments")) " are two or more agreements with the same partner in force in the same years." }
            }
            section aria-labelledby="case-studies" {
                h2 #case-studies { "Case studies" }
                p { "Each case study is assembled from the data: the agreement's memberships, departures and suspensions from the registry; " (term("burden-share"))
                    " from SIPRI (each member's share of what the members with a figure that year spent together; members only, so a state's spending counts only in the years it was a party); "
                    (term("exercise-density")) " from MME (exercises a member held with at least one fellow member, per member-year, " (MME) "); the registry's intelligence-sharing arrangements among members; and "
                    (term("cohesion")) ", the share of member pairs that owe each other defense both ways in a year, from every alliance they share." }
                p { "The comparison with a state (Pakistan by default) reads the same measures over that state and the partners of its agreements in force: whether any of them has an integrated command, its intelligence-sharing arrangements, the exercises it held with those partners per year, and its share of their combined spending." }
            }
        };
        Ok(("Methods".into(), body))
    })
    .await
}
