//! GraphML and GEXF 1.3 documents of one year's network with its measures, for Gephi,
//! networkx (`read_graphml`, `read_gexf`), igraph and the like.
//!
//! Node ids are COW codes; node attributes are `ccode`, `abbreviation` and `name` (when
//! a label is given), then every measure; edges carry `weight` (the valued tie). Graph-level
//! measures go into GraphML `<data>` of the graph and into the GEXF description.

use std::fmt::Write;

use pactbase_model::markup::escape;
use pactbase_model::Ccode;

use super::{GraphMeasures, NodeMeasures, YearNetwork};

/// How a node is shown: COW abbreviation (the node label) and name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Label {
    pub abbreviation: String,
    pub name: String,
}

/// (attribute name, GraphML type, GEXF type, value) of every node attribute after ccode.
fn node_values(m: &NodeMeasures) -> [(&'static str, &'static str, &'static str, String); 9] {
    [
        ("degree", "int", "integer", m.degree.to_string()),
        ("strength", "double", "double", num(m.strength)),
        ("betweenness", "double", "double", num(m.betweenness)),
        ("closeness", "double", "double", num(m.closeness)),
        ("clustering", "double", "double", num(m.clustering)),
        ("eigenvector", "double", "double", num(m.eigenvector)),
        ("pagerank", "double", "double", num(m.pagerank)),
        ("component", "int", "integer", m.component.to_string()),
        ("bloc", "int", "integer", m.bloc.to_string()),
    ]
}

const PLACEHOLDER: NodeMeasures = NodeMeasures {
    ccode: 0,
    degree: 0,
    strength: 0.0,
    betweenness: 0.0,
    closeness: 0.0,
    clustering: 0.0,
    eigenvector: 0.0,
    pagerank: 0.0,
    component: 0,
    bloc: 0,
};

/// Shortest text that reads back as the same number.
fn num(x: f64) -> String {
    format!("{x:?}")
}

fn check(net: &YearNetwork, nodes: &[NodeMeasures]) {
    assert!(
        nodes.len() == net.nodes.len() && nodes.iter().zip(&net.nodes).all(|(m, &c)| m.ccode == c),
        "node measures must come in the order of the network's nodes"
    );
}

fn summary(graph: &GraphMeasures) -> String {
    let modularity = graph.modularity.map_or("undefined (no edges)".to_string(), |q| format!("{q:.4}"));
    format!(
        "Alliance network {} (level {}): {} states, {} edges, {} components, {} blocs, modularity {}",
        graph.year,
        graph.level.as_str(),
        graph.nodes,
        graph.edges,
        graph.components,
        graph.blocs,
        modularity
    )
}

/// A GraphML document of `net` with its measures (`nodes` in the order of `net.nodes`).
/// `labels` gives the abbreviation and name of a state when known.
pub fn graphml(
    net: &YearNetwork,
    nodes: &[NodeMeasures],
    graph: &GraphMeasures,
    labels: impl Fn(Ccode) -> Option<Label>,
) -> String {
    check(net, nodes);
    let mut out = String::with_capacity(512 + nodes.len() * 700 + net.edges.len() * 80);
    out.push_str(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\" ",
        "xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" ",
        "xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns ",
        "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n",
    ));
    for (id, ty) in
        [("year", "int"), ("level", "string"), ("components", "int"), ("blocs", "int"), ("modularity", "double")]
    {
        let _ = writeln!(out, "  <key id=\"g_{id}\" for=\"graph\" attr.name=\"{id}\" attr.type=\"{ty}\"/>");
    }
    for (id, ty) in [("label", "string"), ("ccode", "int"), ("abbreviation", "string"), ("name", "string")] {
        let _ = writeln!(out, "  <key id=\"{id}\" for=\"node\" attr.name=\"{id}\" attr.type=\"{ty}\"/>");
    }
    for (id, ty, _, _) in node_values(&PLACEHOLDER) {
        let _ = writeln!(out, "  <key id=\"{id}\" for=\"node\" attr.name=\"{id}\" attr.type=\"{ty}\"/>");
    }
    out.push_str("  <key id=\"weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>\n");
    let _ = writeln!(out, "  <graph id=\"alliances-{}-{}\" edgedefault=\"undirected\">", net.year, net.level.as_str());
    let _ = writeln!(out, "    <!-- {} -->", escape(&summary(graph)).replace("--", "- -"));
    let _ = writeln!(out, "    <data key=\"g_year\">{}</data>", graph.year);
    let _ = writeln!(out, "    <data key=\"g_level\">{}</data>", graph.level.as_str());
    let _ = writeln!(out, "    <data key=\"g_components\">{}</data>", graph.components);
    let _ = writeln!(out, "    <data key=\"g_blocs\">{}</data>", graph.blocs);
    if let Some(q) = graph.modularity {
        let _ = writeln!(out, "    <data key=\"g_modularity\">{}</data>", num(q));
    }
    for m in nodes {
        let label = labels(m.ccode);
        let _ = writeln!(out, "    <node id=\"{}\">", m.ccode);
        let shown = label.as_ref().map_or(m.ccode.to_string(), |l| l.abbreviation.clone());
        let _ = writeln!(out, "      <data key=\"label\">{}</data>", escape(&shown));
        let _ = writeln!(out, "      <data key=\"ccode\">{}</data>", m.ccode);
        if let Some(l) = &label {
            let _ = writeln!(out, "      <data key=\"abbreviation\">{}</data>", escape(&l.abbreviation));
            let _ = writeln!(out, "      <data key=\"name\">{}</data>", escape(&l.name));
        }
        for (id, _, _, value) in node_values(m) {
            let _ = writeln!(out, "      <data key=\"{id}\">{value}</data>");
        }
        out.push_str("    </node>\n");
    }
    for &(i, j, w) in &net.edges {
        let _ = writeln!(
            out,
            "    <edge source=\"{}\" target=\"{}\"><data key=\"weight\">{}</data></edge>",
            net.nodes[i],
            net.nodes[j],
            num(w)
        );
    }
    out.push_str("  </graph>\n</graphml>\n");
    out
}

/// A GEXF 1.3 document (Gephi 0.9.3 and later) of `net` with its measures (`nodes` in the
/// order of `net.nodes`). `labels` gives the abbreviation and name of a state when known.
pub fn gexf(
    net: &YearNetwork,
    nodes: &[NodeMeasures],
    graph: &GraphMeasures,
    labels: impl Fn(Ccode) -> Option<Label>,
) -> String {
    check(net, nodes);
    let mut out = String::with_capacity(512 + nodes.len() * 800 + net.edges.len() * 80);
    out.push_str(concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<gexf xmlns=\"http://gexf.net/1.3\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\" ",
        "xsi:schemaLocation=\"http://gexf.net/1.3 http://gexf.net/1.3/gexf.xsd\" version=\"1.3\">\n",
        "  <meta>\n",
        "    <creator>pactbase</creator>\n",
    ));
    let _ = writeln!(out, "    <description>{}</description>", escape(&summary(graph)));
    out.push_str(
        "  </meta>\n  <graph mode=\"static\" defaultedgetype=\"undirected\">\n    <attributes class=\"node\">\n",
    );
    for (id, ty) in [("ccode", "integer"), ("abbreviation", "string"), ("name", "string")] {
        let _ = writeln!(out, "      <attribute id=\"{id}\" title=\"{id}\" type=\"{ty}\"/>");
    }
    for (id, _, ty, _) in node_values(&PLACEHOLDER) {
        let _ = writeln!(out, "      <attribute id=\"{id}\" title=\"{id}\" type=\"{ty}\"/>");
    }
    out.push_str("    </attributes>\n    <nodes>\n");
    for m in nodes {
        let label = labels(m.ccode);
        let shown = label.as_ref().map_or(m.ccode.to_string(), |l| l.abbreviation.clone());
        let _ = writeln!(out, "      <node id=\"{}\" label=\"{}\">", m.ccode, escape(&shown));
        out.push_str("        <attvalues>\n");
        let _ = writeln!(out, "          <attvalue for=\"ccode\" value=\"{}\"/>", m.ccode);
        if let Some(l) = &label {
            let _ = writeln!(out, "          <attvalue for=\"abbreviation\" value=\"{}\"/>", escape(&l.abbreviation));
            let _ = writeln!(out, "          <attvalue for=\"name\" value=\"{}\"/>", escape(&l.name));
        }
        for (id, _, _, value) in node_values(m) {
            let _ = writeln!(out, "          <attvalue for=\"{id}\" value=\"{value}\"/>");
        }
        out.push_str("        </attvalues>\n      </node>\n");
    }
    out.push_str("    </nodes>\n    <edges>\n");
    for (k, &(i, j, w)) in net.edges.iter().enumerate() {
        let _ = writeln!(
            out,
            "      <edge id=\"{k}\" source=\"{}\" target=\"{}\" weight=\"{}\"/>",
            net.nodes[i],
            net.nodes[j],
            num(w)
        );
    }
    out.push_str("    </edges>\n  </graph>\n</gexf>\n");
    out
}
