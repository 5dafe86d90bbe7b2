//! The graph as a Mermaid flowchart: a node shape per relation kind, a subgraph per
//! stratum, negation dashed, points of order in red (by `linkStyle`).

use std::fmt::Write;

use hydro_runtime::ir::RelationKind;

use super::{Graph, Mode, Node};

/// Renders the graph as Mermaid flowchart text (ends with a newline).
pub fn render(graph: &Graph) -> String {
    let mut out = String::from("flowchart LR\n");
    out.push_str(
        "    %% input >x], output ([x]), table [(x)], scratch [x]; \
         dashed: negation; red: point of order\n",
    );
    for node in &graph.loose {
        writeln!(out, "    {}", node_text(node)).expect("writing to a String");
    }
    for cluster in &graph.clusters {
        let n = cluster.stratum;
        writeln!(out, "    subgraph stratum_{n}[\"stratum {n}\"]").expect("writing to a String");
        for node in &cluster.nodes {
            writeln!(out, "        {}", node_text(node)).expect("writing to a String");
        }
        out.push_str("    end\n");
    }
    let id = |rel: hydro_runtime::ir::RelId| {
        let node = graph
            .loose
            .iter()
            .chain(graph.clusters.iter().flat_map(|c| &c.nodes))
            .find(|n| n.rel == rel);
        node.map_or_else(|| format!("r{}", rel.0), |n| format!("r_{}", n.name))
    };
    let mut red = Vec::new();
    for (i, edge) in graph.edges.iter().enumerate() {
        let arrow = if edge.mode == Mode::Negated {
            "-.->"
        } else {
            "-->"
        };
        let label = edge.label();
        let label = if label.is_empty() {
            String::new()
        } else {
            format!("|\"{}\"|", escape(&label))
        };
        writeln!(out, "    {} {arrow}{label} {}", id(edge.from), id(edge.to))
            .expect("writing to a String");
        if edge.point_of_order {
            red.push(i.to_string());
        }
    }
    if !red.is_empty() {
        writeln!(
            out,
            "    linkStyle {} stroke:red,stroke-width:2px,color:red",
            red.join(",")
        )
        .expect("writing to a String");
    }
    out
}

/// `r_name>"name"]` and the other shapes. Ids carry a prefix so that no relation name
/// collides with a Mermaid keyword (`end`, `graph`).
fn node_text(node: &Node) -> String {
    let (open, close) = match node.kind {
        RelationKind::Input => (">", "]"),
        RelationKind::Output => ("([", "])"),
        RelationKind::Table => ("[(", ")]"),
        RelationKind::Scratch => ("[", "]"),
    };
    format!("r_{}{open}\"{}\"{close}", node.name, escape(&node.name))
}

/// Text inside a quoted Mermaid label.
fn escape(text: &str) -> String {
    text.replace('"', "#quot;")
        .replace('<', "#lt;")
        .replace('>', "#gt;")
}
