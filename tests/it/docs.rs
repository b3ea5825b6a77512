//! Generated documentation kept in the repository: the man pages under `packaging/man/`, the
//! configuration reference and the JSON Schemas of `--output json`. `UPDATE_EXPECT=1` rewrites
//! them; without it a stale file fails its test.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Compares `generated` with the committed files in `dir` (those whose names `ours` accepts),
/// or rewrites them under `UPDATE_EXPECT=1`. Committed files no longer generated are stale too.
fn check_generated(dir: &Path, ours: impl Fn(&str) -> bool, generated: &BTreeMap<String, Vec<u8>>, how: &str) {
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    std::fs::create_dir_all(dir).unwrap();
    let committed: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|name| ours(name))
        .collect();
    for name in &committed {
        if !generated.contains_key(name) {
            if update {
                std::fs::remove_file(dir.join(name)).unwrap();
            } else {
                panic!("{} is no longer generated: run `{how}` and commit the result", dir.join(name).display());
            }
        }
    }
    for (name, bytes) in generated {
        let path = dir.join(name);
        if update {
            std::fs::write(&path, bytes).unwrap();
            continue;
        }
        let old = std::fs::read(&path).unwrap_or_default();
        assert!(&old == bytes, "{} is stale: run `{how}` and commit the result", path.display());
    }
}

/// One man page per command and subcommand, rendered from the clap definition.
fn man_pages() -> BTreeMap<String, Vec<u8>> {
    fn walk(cmd: clap::Command, out: &mut BTreeMap<String, Vec<u8>>) {
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()).cloned() {
            walk(sub, out);
        }
        let man = clap_mangen::Man::new(cmd).manual("mcpcp manual");
        let mut page = Vec::new();
        man.render(&mut page).unwrap();
        out.insert(man.get_filename(), page);
    }
    use clap::CommandFactory;
    let mut cmd = mcpcp::cli::Cli::command().disable_help_subcommand(true);
    cmd.build();
    let mut out = BTreeMap::new();
    walk(cmd, &mut out);
    out
}

/// The committed man pages match the CLI. `UPDATE_EXPECT=1` rewrites them.
#[test]
fn man_pages_are_up_to_date() {
    let pages = man_pages();
    assert!(pages.contains_key("mcpcp.1") && pages.contains_key("mcpcp-server-create.1"), "{:?}", pages.keys());
    check_generated(
        &root().join("packaging/man"),
        |name| name.ends_with(".1"),
        &pages,
        "UPDATE_EXPECT=1 cargo test --test it man_pages",
    );
}

