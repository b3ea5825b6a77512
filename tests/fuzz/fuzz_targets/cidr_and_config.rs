//! Configuration and CIDR parsing: any `mcpcp.toml` text and any `MCPCP_*` values load as a
//! valid configuration or fail with an error (never a panic), and any CIDR text an operator
//! types is accepted in normal form or refused.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    // First line: a CIDR and an environment value; the rest: the configuration file.
    let (first, file) = text.split_once('\n').unwrap_or((text, ""));
    if let Ok(net) = mcpcp::ops::server::parse_cidr(first) {
        assert_eq!(mcpcp::ops::server::parse_cidr(&net.to_string()).ok(), Some(net));
    }
    let dir = std::env::temp_dir().join(format!("mcpcp-fuzz-{}", std::process::id()));
    let _ = std::fs::create_dir_all(&dir);
    let path = dir.join("mcpcp.toml");
    if std::fs::write(&path, file).is_err() {
        return;
    }
    let flags = mcpcp::config::Flags { config: Some(path), data_dir: Some(dir.clone()), ..Default::default() };
    let value = first.to_string();
    let env = move |key: &str| match key {
        "MCPCP_LISTEN" | "MCPCP_TRUSTED_PROXIES" | "MCPCP_MAX_CONNECTIONS" | "MCPCP_LOG_LEVEL" => Some(value.clone()),
        _ => None,
    };
    let _ = mcpcp::config::Loaded::load(&flags, &env);
});
