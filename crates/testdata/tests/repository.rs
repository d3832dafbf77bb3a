//! The repository's documents against the repository: ARCHITECTURE.md's crate graph is
//! the one `cargo metadata` reports, and every repository path the docs and the code name
//! exists.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..").canonicalize().unwrap()
}

/// Each workspace crate (without the `pactbase-` prefix) and the workspace crates it
/// depends on for its code (not tests).
fn crate_graph() -> BTreeMap<String, BTreeSet<String>> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(cargo)
        .args(["metadata", "--format-version", "1", "--no-deps", "--offline"])
        .current_dir(root())
        .output()
        .unwrap();
    assert!(out.status.success(), "cargo metadata: {}", String::from_utf8_lossy(&out.stderr));
    let meta: Value = serde_json::from_slice(&out.stdout).unwrap();
    let short = |name: &str| name.strip_prefix("pactbase-").map(str::to_owned);
    let members: BTreeSet<String> =
        meta["packages"].as_array().unwrap().iter().filter_map(|p| short(p["name"].as_str()?)).collect();
    let mut graph = BTreeMap::new();
    for p in meta["packages"].as_array().unwrap() {
        let Some(name) = short(p["name"].as_str().unwrap()) else { continue };
        let deps = p["dependencies"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|d| d["kind"].is_null())
            .filter_map(|d| short(d["name"].as_str()?))
            .filter(|d| members.contains(d))
            .collect();
        graph.insert(name, deps);
    }
    // Test support is no part of the shipped graph.
    graph.remove("testdata");
    graph
}

fn reaches(graph: &BTreeMap<String, BTreeSet<String>>, from: &str, to: &str) -> bool {
    graph[from].iter().any(|d| d == to || reaches(graph, d, to))
}

/// The graph as ARCHITECTURE.md draws it: crates from the bottom layer up, each with the
/// crates it uses directly, leaving out those it reaches through another.
fn drawn(graph: &BTreeMap<String, BTreeSet<String>>) -> String {
    fn layer(graph: &BTreeMap<String, BTreeSet<String>>, name: &str) -> usize {
        graph[name].iter().map(|d| layer(graph, d) + 1).max().unwrap_or(0)
    }
    let mut names: Vec<&String> = graph.keys().collect();
    names.sort_by_key(|n| (layer(graph, n), n.as_str()));
    let width = names.iter().map(|n| n.len()).max().unwrap_or(0);
    let mut out = String::new();
    for name in names {
        let direct: Vec<&str> = graph[name]
            .iter()
            .filter(|d| !graph[name].iter().any(|other| other != *d && reaches(graph, other, d)))
            .map(String::as_str)
            .collect();
        let line = if direct.is_empty() {
            format!("{name:width$}   (no workspace crate)")
        } else {
            format!("{name:width$} ← {}", direct.join(", "))
        };
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[test]
fn the_architecture_document_draws_the_crate_graph_cargo_reports() {
    let graph = crate_graph();
    assert!(graph["cli"].contains("web") && graph["model"].is_empty(), "{graph:?}");
    let want = drawn(&graph);
    let doc = fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    let start = "<!-- crate graph: checked by crates/testdata/tests/repository.rs -->\n```\n";
    let at = doc.find(start).expect("ARCHITECTURE.md marks its crate graph") + start.len();
    let got = &doc[at..at + doc[at..].find("```").unwrap()];
    assert_eq!(got, want, "ARCHITECTURE.md's crate graph has drifted from Cargo.toml; write instead:\n{want}");
}

/// Backticked or cited repository paths (`crates/…`, `docs/…`, `tools/…`, `data/…`,
/// `.ci/…`, and the top-level documents) in the docs, the code and the tools; not those
/// under a variable (`$data/…`).
fn named_paths(text: &str) -> Vec<String> {
    const TOP: [&str; 5] = ["crates/", "docs/", "tools/", "data/", ".ci/"];
    const FILES: [&str; 3] = ["README.md", "ARCHITECTURE.md", "Cargo.toml"];
    let mut out = Vec::new();
    let is_path_char = |c: char| c.is_ascii_alphanumeric() || "_-./*{}".contains(c);
    let mut rest = text;
    while let Some(i) = TOP.iter().chain(&FILES).filter_map(|p| rest.find(p)).min() {
        let before = rest[..i].chars().next_back();
        let len = rest[i..].find(|c: char| !is_path_char(c)).unwrap_or(rest.len() - i);
        let path = rest[i..i + len].trim_end_matches(['.', ',']);
        // Only paths from the repository's root: not `src/docs/…`, `../shared/data/…`,
        // a URL's path or a word that merely ends like one.
        if before.is_none_or(|c| !is_path_char(c) && !":$".contains(c)) && !path.is_empty() {
            out.push(path.to_owned());
        }
        rest = &rest[i + len.max(1)..];
    }
    out
}

fn exists(root: &Path, path: &str) -> bool {
    // `pages/*`, `tests/{a,b}.rs`, `fixtures/network-<year>.csv`: the folder before the
    // pattern exists.
    let plain = path.split(['*', '{']).next().unwrap().trim_end_matches(['-', '_']);
    root.join(plain).exists() || (plain != path && root.join(plain).parent().is_some_and(Path::exists))
}

fn files(dir: &Path, ext: &str, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        let name = entry.file_name();
        if path.is_dir() && name != "target" && name != "node_modules" && !name.to_string_lossy().starts_with('.') {
            files(&path, ext, out);
        } else if path.extension().is_some_and(|e| e == ext) {
            out.push(path);
        }
    }
}

#[test]
fn the_docs_and_the_code_name_only_files_that_exist() {
    let root = root();
    let mut texts = vec![root.join("README.md"), root.join("ARCHITECTURE.md")];
    files(&root.join("docs"), "md", &mut texts);
    files(&root.join("crates"), "rs", &mut texts);
    files(&root.join("tools"), "py", &mut texts);
    files(&root.join("tools"), "sh", &mut texts);
    let mut missing = Vec::new();
    let mut seen = 0;
    for file in &texts {
        let text = fs::read_to_string(file).unwrap();
        for path in named_paths(&text) {
            seen += 1;
            if !exists(&root, &path) {
                missing.push(format!("{}: `{path}`", file.strip_prefix(&root).unwrap().display()));
            }
        }
    }
    assert!(seen > 100, "found only {seen} paths: is the scan still reading the documents?");
    assert!(missing.is_empty(), "named but not in the repository:\n{}", missing.join("\n"));
}

#[test]
fn paths_are_found_where_they_are_named() {
    let text =
        "see `docs/PANELS.md`, crates/web/src/pages/* and ../shared/data/atop, $data/cow; src/docs/x, README.md.";
    assert_eq!(named_paths(text), ["docs/PANELS.md", "crates/web/src/pages/*", "README.md"]);
}
