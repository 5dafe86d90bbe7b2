//! The CALM report as text: a table of relations, a table of rules with their
//! non-monotone constructs, and a summary line.
//!
//! Places in the program's own file are written `line:column`; places in imported files
//! `file:line:column`.

use super::report::{CalmReport, ConstructReport, RelationReport, Site};

/// Renders the report as aligned text tables (no trailing spaces, ends with a newline).
pub fn render_text(report: &CalmReport) -> String {
    let mut out = format!("CALM report for `{}`\n", report.file);
    let at = |site: &Site| {
        if site.file == report.file {
            format!("{}:{}", site.line, site.column)
        } else {
            format!("{}:{}:{}", site.file, site.line, site.column)
        }
    };

    // Relations: one row each.
    out.push_str("\nrelations\n");
    let mut rows = vec![row(&["name", "kind", "monotone", "async-fed", "reason"])];
    for r in &report.relations {
        rows.push(vec![
            r.name.clone(),
            kind(r),
            yes_no(r.monotone).to_owned(),
            if r.async_source {
                "source".to_owned()
            } else {
                yes_no(r.async_fed).to_owned()
            },
            relation_reason(r, &at),
        ]);
    }
    table(&mut out, &rows, &[]);

    // Rules: one row each, then one line per construct and for inherited reads.
    out.push_str("\nrules\n");
    let mut rows = vec![row(&["at", "monotone", "rule"])];
    let mut details: Vec<(usize, Vec<String>)> = Vec::new();
    for rule in &report.rules {
        rows.push(vec![
            at(&rule.at),
            yes_no(rule.monotone).to_owned(),
            rule.text.clone(),
        ]);
        let mut lines: Vec<String> = rule
            .constructs
            .iter()
            .map(|c| construct_line(c, &report.relations, &at))
            .collect();
        if !rule.reads_non_monotone.is_empty() {
            lines.push(format!(
                "reads non-monotone {}",
                quoted(&rule.reads_non_monotone)
            ));
        }
        details.push((rows.len() - 1, lines));
    }
    table(&mut out, &rows, &details);

    let s = &report.summary;
    out.push_str(&format!(
        "\nsummary: rules monotone {}/{}, relations monotone {}/{}, outputs monotone {}/{}, \
         points of order {}\n",
        s.monotone_rules,
        s.rules,
        s.monotone_relations,
        s.relations,
        s.monotone_outputs,
        s.outputs,
        s.points_of_order
    ));
    out
}

fn row(cells: &[&str]) -> Vec<String> {
    cells.iter().map(|c| (*c).to_owned()).collect()
}

fn yes_no(b: bool) -> &'static str {
    if b {
        "yes"
    } else {
        "no"
    }
}

/// The kind as declared, with `monotone` when promised.
fn kind(r: &RelationReport) -> String {
    if r.promised_monotone {
        format!("monotone {}", r.kind)
    } else {
        r.kind.clone()
    }
}

/// `negation of `edge` at 7:23, point of order, via lonely`
fn relation_reason(r: &RelationReport, at: &dyn Fn(&Site) -> String) -> String {
    let Some(reason) = &r.reason else {
        return String::new();
    };
    let c = &reason.construct;
    let mut text = format!("{} at {}", c.reason, at(&c.at));
    if c.point_of_order {
        text.push_str(", point of order");
    }
    if reason.path.len() > 1 {
        let via = &reason.path[..reason.path.len() - 1];
        text.push_str(&format!(", via {}", via.join(" -> ")));
    }
    text
}

/// `7:23 negation of `edge`: point of order, `edge` is async-fed`
fn construct_line(
    c: &ConstructReport,
    relations: &[RelationReport],
    at: &dyn Fn(&Site) -> String,
) -> String {
    let fed: Vec<String> = c
        .reads
        .iter()
        .filter(|name| relations.iter().any(|r| &r.name == *name && r.async_fed))
        .cloned()
        .collect();
    let verdict = match fed.len() {
        0 => "not a point of order, reads nothing async-fed".to_owned(),
        1 => format!("point of order, {} is async-fed", quoted(&fed)),
        _ => format!("point of order, {} are async-fed", quoted(&fed)),
    };
    format!("{} {}: {verdict}", at(&c.at), c.reason)
}

/// `` `a`, `b` ``
fn quoted(names: &[String]) -> String {
    names
        .iter()
        .map(|n| format!("`{n}`"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Writes `rows` indented by two spaces with columns aligned (the last unpadded),
/// and after row `i` of `details` its lines, indented under the second column.
fn table(out: &mut String, rows: &[Vec<String>], details: &[(usize, Vec<String>)]) {
    let columns = rows.iter().map(Vec::len).max().unwrap_or(0);
    let widths: Vec<usize> = (0..columns)
        .map(|c| {
            rows.iter()
                .filter_map(|r| r.get(c))
                .map(|cell| cell.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    for (i, row) in rows.iter().enumerate() {
        let mut line = String::from("  ");
        for (c, cell) in row.iter().enumerate() {
            line.push_str(cell);
            if c + 1 < row.len() {
                let pad = widths[c] - cell.chars().count() + 2;
                line.extend(std::iter::repeat_n(' ', pad));
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
        let indent = 2 + widths.first().map_or(0, |w| w + 2);
        for (_, lines) in details.iter().filter(|(r, _)| *r == i) {
            for text in lines {
                out.extend(std::iter::repeat_n(' ', indent));
                out.push_str("- ");
                out.push_str(text);
                out.push('\n');
            }
        }
    }
}
