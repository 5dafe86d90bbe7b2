//! The graph in Graphviz dot: a node shape per relation kind, a cluster per stratum,
//! negation dashed, points of order in red.

use std::fmt::Write;

use hydro_runtime::ir::RelationKind;

use super::{Graph, Mode, Node};

/// Renders the graph as a dot `digraph` (ends with a newline).
pub fn render(graph: &Graph) -> String {
    let mut out = String::from("digraph hydro {\n    rankdir=LR;\n");
    out.push_str(
        "    // input invhouse, output house, table cylinder, scratch box; \
         dashed: negation; red: point of order\n",
    );
    for node in &graph.loose {
        writeln!(out, "    {}", node_text(node)).expect("writing to a String");
    }
    for cluster in &graph.clusters {
        let n = cluster.stratum;
        writeln!(out, "    subgraph cluster_{n} {{").expect("writing to a String");
        writeln!(out, "        label=\"stratum {n}\";").expect("writing to a String");
        for node in &cluster.nodes {
            writeln!(out, "        {}", node_text(node)).expect("writing to a String");
        }
        out.push_str("    }\n");
    }
    let name = |rel: hydro_runtime::ir::RelId| {
        graph
            .loose
            .iter()
            .chain(graph.clusters.iter().flat_map(|c| &c.nodes))
            .find(|n| n.rel == rel)
            .map_or_else(|| format!("r{}", rel.0), |n| format!("r_{}", n.name))
    };
    for edge in &graph.edges {
        let mut attributes = Vec::new();
        let label = edge.label();
        if !label.is_empty() {
            attributes.push(format!("label=\"{}\"", escape(&label)));
        }
        if edge.mode == Mode::Negated {
            attributes.push("style=dashed".to_owned());
        }
        if edge.point_of_order {
            attributes.push("color=red, fontcolor=red, penwidth=2".to_owned());
        }
        let attributes = if attributes.is_empty() {
            String::new()
        } else {
            format!(" [{}]", attributes.join(", "))
        };
        writeln!(
            out,
            "    {} -> {}{attributes};",
            name(edge.from),
            name(edge.to)
        )
        .expect("writing to a String");
    }
    out.push_str("}\n");
    out
}

/// `r_name [label="name", shape=box];`
fn node_text(node: &Node) -> String {
    let shape = match node.kind {
        RelationKind::Input => "invhouse",
        RelationKind::Output => "house",
        RelationKind::Table => "cylinder",
        RelationKind::Scratch => "box",
    };
    format!(
        "r_{} [label=\"{}\", shape={shape}];",
        node.name,
        escape(&node.name)
    )
}

/// Text inside a quoted dot string.
fn escape(text: &str) -> String {
    text.replace('\\', "\\\\").replace('"', "\\\"")
}
