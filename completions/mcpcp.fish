# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_mcpcp_global_optspecs
    string join \n data-dir= config= o/output= remote= admin-token-file= remote-ca= h/help V/version
end

function __fish_mcpcp_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_mcpcp_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_mcpcp_using_subcommand
    set -l cmd (__fish_mcpcp_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c mcpcp -n "__fish_mcpcp_needs_command" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_needs_command" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_needs_command" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_needs_command" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_needs_command" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_needs_command" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_needs_command" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_needs_command" -f -a "serve" -d 'Run the gateway: every enabled server at /mcp/NAME'
complete -c mcpcp -n "__fish_mcpcp_needs_command" -f -a "server" -d 'Upstream MCP servers exposed by the gateway'
complete -c mcpcp -n "__fish_mcpcp_needs_command" -f -a "tool" -d 'The tools of a server, and which are offered'
complete -c mcpcp -n "__fish_mcpcp_needs_command" -f -a "token" -d 'Server-scoped API tokens'
complete -c mcpcp -n "__fish_mcpcp_needs_command" -f -a "user" -d 'End users'
complete -c mcpcp -n "__fish_mcpcp_needs_command" -f -a "group" -d 'Groups of users, and the servers they grant'
complete -c mcpcp -n "__fish_mcpcp_needs_command" -f -a "key" -d 'The keys that sign the identity JWTs upstreams are given (`server identity --forward jwt`)'
complete -c mcpcp -n "__fish_mcpcp_needs_command" -f -a "sso" -d 'Single sign-on through an external OpenID Connect provider'
complete -c mcpcp -n "__fish_mcpcp_needs_command" -f -a "logs" -d 'The activity log: every request the gateway received'
complete -c mcpcp -n "__fish_mcpcp_needs_command" -f -a "admin" -d 'Administrators other than the person at the machine, their roles and API tokens'
complete -c mcpcp -n "__fish_mcpcp_needs_command" -f -a "role" -d 'Admin roles: sets of permissions, built-in and custom'
complete -c mcpcp -n "__fish_mcpcp_needs_command" -f -a "audit" -d 'The audit trail of administrative changes'
complete -c mcpcp -n "__fish_mcpcp_needs_command" -f -a "siem" -d 'Stream the activity log and the audit trail to SIEMs (syslog, Splunk HEC, HTTP, OTLP)'
complete -c mcpcp -n "__fish_mcpcp_needs_command" -f -a "config" -d 'The process configuration'
complete -c mcpcp -n "__fish_mcpcp_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c mcpcp -n "__fish_mcpcp_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand serve" -l listen -d 'Address to listen on [env: MCPCP_LISTEN] [default: 127.0.0.1:7330]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand serve" -l public-url -d 'The externally visible base URL, used in every discovery document [env: MCPCP_PUBLIC_URL]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand serve" -l tls-cert -d 'TLS certificate chain (PEM) [env: MCPCP_TLS_CERT]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand serve" -l tls-key -d 'TLS private key (PEM) [env: MCPCP_TLS_KEY]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand serve" -l metrics-listen -d 'Also serve the Prometheus metrics at /metrics on this address [env: MCPCP_METRICS_LISTEN] [default: off]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand serve" -l admin-listen -d 'Serve the admin API (/api/v1) on this address instead of the main listener [env: MCPCP_ADMIN_LISTEN] [default: the main listener]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand serve" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand serve" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand serve" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand serve" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand serve" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand serve" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand serve" -l tls-self-signed -d 'Serve TLS with a self-signed certificate kept in the data directory'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand serve" -l insecure-http -d 'Allow plain HTTP on a non-loopback address (only behind a TLS-terminating proxy)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand serve" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and not __fish_seen_subcommand_from create list show connections connect disconnect rename delete enable disable capture limits upstream-auth identity refresh tool ip help" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and not __fish_seen_subcommand_from create list show connections connect disconnect rename delete enable disable capture limits upstream-auth identity refresh tool ip help" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and not __fish_seen_subcommand_from create list show connections connect disconnect rename delete enable disable capture limits upstream-auth identity refresh tool ip help" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and not __fish_seen_subcommand_from create list show connections connect disconnect rename delete enable disable capture limits upstream-auth identity refresh tool ip help" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and not __fish_seen_subcommand_from create list show connections connect disconnect rename delete enable disable capture limits upstream-auth identity refresh tool ip help" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and not __fish_seen_subcommand_from create list show connections connect disconnect rename delete enable disable capture limits upstream-auth identity refresh tool ip help" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and not __fish_seen_subcommand_from create list show connections connect disconnect rename delete enable disable capture limits upstream-auth identity refresh tool ip help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and not __fish_seen_subcommand_from create list show connections connect disconnect rename delete enable disable capture limits upstream-auth identity refresh tool ip help" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and not __fish_seen_subcommand_from create list show connections connect disconnect rename delete enable disable capture limits upstream-auth identity refresh tool ip help" -f -a "create" -d 'Register an upstream MCP server (or compose one from other servers\' tools, or turn a REST API\'s OpenAPI document into tools), exposed at /mcp/NAME'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and not __fish_seen_subcommand_from create list show connections connect disconnect rename delete enable disable capture limits upstream-auth identity refresh tool ip help" -f -a "list" -d 'List servers'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and not __fish_seen_subcommand_from create list show connections connect disconnect rename delete enable disable capture limits upstream-auth identity refresh tool ip help" -f -a "show" -d 'Show one server with its tools, tokens and groups'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and not __fish_seen_subcommand_from create list show connections connect disconnect rename delete enable disable capture limits upstream-auth identity refresh tool ip help" -f -a "connections" -d 'The upstream accounts linked for a server (per user, and its shared one); never tokens'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and not __fish_seen_subcommand_from create list show connections connect disconnect rename delete enable disable capture limits upstream-auth identity refresh tool ip help" -f -a "connect" -d 'Authorize the server\'s shared upstream connection in your browser (used by its API tokens)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and not __fish_seen_subcommand_from create list show connections connect disconnect rename delete enable disable capture limits upstream-auth identity refresh tool ip help" -f -a "disconnect" -d 'Remove the server\'s shared upstream connection (its API tokens are refused until a new one)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and not __fish_seen_subcommand_from create list show connections connect disconnect rename delete enable disable capture limits upstream-auth identity refresh tool ip help" -f -a "rename" -d 'Rename a server (its URL path changes with it)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and not __fish_seen_subcommand_from create list show connections connect disconnect rename delete enable disable capture limits upstream-auth identity refresh tool ip help" -f -a "delete" -d 'Delete a server with its tools, tokens and group grants'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and not __fish_seen_subcommand_from create list show connections connect disconnect rename delete enable disable capture limits upstream-auth identity refresh tool ip help" -f -a "enable" -d 'Enable a disabled server'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and not __fish_seen_subcommand_from create list show connections connect disconnect rename delete enable disable capture limits upstream-auth identity refresh tool ip help" -f -a "disable" -d 'Disable a server: clients are refused until it is enabled'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and not __fish_seen_subcommand_from create list show connections connect disconnect rename delete enable disable capture limits upstream-auth identity refresh tool ip help" -f -a "capture" -d 'Set what the activity log keeps of the server\'s requests'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and not __fish_seen_subcommand_from create list show connections connect disconnect rename delete enable disable capture limits upstream-auth identity refresh tool ip help" -f -a "limits" -d 'Rate limits and usage quotas on tools/call; no flags shows them'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and not __fish_seen_subcommand_from create list show connections connect disconnect rename delete enable disable capture limits upstream-auth identity refresh tool ip help" -f -a "upstream-auth" -d 'How the gateway authenticates to the upstream: none, or static headers (an API key)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and not __fish_seen_subcommand_from create list show connections connect disconnect rename delete enable disable capture limits upstream-auth identity refresh tool ip help" -f -a "identity" -d 'What the upstream is told about each caller: headers, a signed JWT, _meta; no flags shows it'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and not __fish_seen_subcommand_from create list show connections connect disconnect rename delete enable disable capture limits upstream-auth identity refresh tool ip help" -f -a "refresh" -d 'Read an OpenAPI server\'s document again: shows what changed, applies it with --yes'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and not __fish_seen_subcommand_from create list show connections connect disconnect rename delete enable disable capture limits upstream-auth identity refresh tool ip help" -f -a "tool" -d 'The tools of a composed server: other servers\' tools, renamed, re-described, arguments fixed or hidden'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and not __fish_seen_subcommand_from create list show connections connect disconnect rename delete enable disable capture limits upstream-auth identity refresh tool ip help" -f -a "ip" -d 'Client address rules: deny wins; a non-empty allow list admits only its ranges'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and not __fish_seen_subcommand_from create list show connections connect disconnect rename delete enable disable capture limits upstream-auth identity refresh tool ip help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from create" -l url -d 'A remote MCP server (Streamable HTTP, falling back to HTTP+SSE)' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from create" -l command -d 'A local MCP server started as a process speaking stdio, e.g. "npx -y @modelcontextprotocol/server-everything"' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from create" -l openapi -d 'A REST API: its OpenAPI 3.0/3.1 document (JSON), a file or an http(s) URL; its operations become the tools' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from create" -l base-url -d 'With --openapi: the API\'s base URL (http or https), which operation paths are appended to' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from create" -l operations -d 'With --openapi: import only these operations (operationIds, comma separated)' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from create" -l tag -d 'With --openapi: import only the operations with this tag' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from create" -l env -d 'An environment variable for the process (repeatable); values are encrypted at rest' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from create" -l auth -d 'How clients authenticate' -r -f -a "api-token\t'Server-scoped API tokens (`mcpcp token create`)'
password\t'Users sign in with username and password (mcpcp is the OAuth authorization server)'
sso\t'Users sign in through the configured OIDC identity provider'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from create" -l description -d 'What the server is for' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from create" -l capture -d 'What the activity log keeps: full (with inputs and outputs), metadata, or off' -r -f -a "full\t'Every request with its inputs and outputs (redacted, size-capped)'
metadata\t'Every request without inputs and outputs'
off\t'No activity records'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from create" -l upstream-auth -d 'How the gateway authenticates to the upstream: none, or header (the --header values with every request)' -r -f -a "none\t'No credential of the gateway\'s own (a client\'s credential is never forwarded)'
header\t'Static headers set by an administrator (`--header NAME --value-stdin`): one shared credential, such as an API key or a bearer token'
oauth\t'Each user signs in at the upstream\'s authorization server (linking their account the first time); calls carry that user\'s token'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from create" -l header -d 'A header for the upstream (repeatable), e.g. Authorization or X-Api-Key; its value comes from standard input (--value-stdin) and is encrypted at rest' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from create" -l client-id -d 'With --upstream-auth oauth: mcpcp\'s client id at the upstream\'s authorization server (a pre-registered app); without it mcpcp names itself by its client ID metadata document or registers itself there' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from create" -l scopes -d 'The scopes to ask for, space separated [default: what the upstream advertises]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from create" -l authorization-url -d 'The authorization endpoint, for an upstream that publishes no metadata (with --token-url and --client-id)' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from create" -l token-url -d 'The token endpoint (with --authorization-url)' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from create" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from create" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from create" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from create" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from create" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from create" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from create" -l composed -d 'No upstream of its own: its tools are picked from other servers with `server tool add`'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from create" -l skip-unsupported -d 'With --openapi: import what is supported and list what was skipped, instead of refusing'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from create" -l value-stdin -d 'Read the --header values from standard input: one line each, in the order of the flags'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from create" -l client-secret-stdin -d 'Read that client\'s secret from standard input (its first line)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from list" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from list" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from list" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from list" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from list" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from show" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from show" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from show" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from show" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from show" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from connections" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from connections" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from connections" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from connections" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from connections" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from connections" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from connections" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from connections" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from connect" -l timeout -d 'How long the link works and the command waits for the sign-in (at most 10m)' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from connect" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from connect" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from connect" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from connect" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from connect" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from connect" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from connect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from connect" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from disconnect" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from disconnect" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from disconnect" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from disconnect" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from disconnect" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from disconnect" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from disconnect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from disconnect" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from rename" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from rename" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from rename" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from rename" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from rename" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from rename" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from rename" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from rename" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from delete" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from delete" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from delete" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from delete" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from delete" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from delete" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from enable" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from enable" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from enable" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from enable" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from enable" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from enable" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from enable" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from enable" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from disable" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from disable" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from disable" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from disable" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from disable" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from disable" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from disable" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from disable" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from capture" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from capture" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from capture" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from capture" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from capture" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from capture" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from capture" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from capture" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from limits" -l rate -d 'Rate limit: N calls per INTERVAL, e.g. 100/1m, 5/1s, 1000/1d (GCRA: smooth, no fixed windows)' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from limits" -l burst -d 'Calls admitted at once from rest (default: N)' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from limits" -l quota -d 'Usage quota: N calls per calendar PERIOD (hour, day, week, month); refused until the period ends' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from limits" -l timezone -d 'The quota\'s time zone (IANA name, e.g. Europe/Berlin): periods start at local midnight [default: UTC]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from limits" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from limits" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from limits" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from limits" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from limits" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from limits" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from limits" -l no-rate -d 'Remove the rate limit'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from limits" -l no-quota -d 'Remove the quota'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from limits" -l per-user -d 'The limits apply to each principal (user or token) on its own, beside the server-wide ones'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from limits" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from limits" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from upstream-auth" -l header -d 'A header for the upstream (repeatable), e.g. Authorization or X-Api-Key; its value comes from standard input (--value-stdin) and is encrypted at rest' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from upstream-auth" -l client-id -d 'With --upstream-auth oauth: mcpcp\'s client id at the upstream\'s authorization server (a pre-registered app); without it mcpcp names itself by its client ID metadata document or registers itself there' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from upstream-auth" -l scopes -d 'The scopes to ask for, space separated [default: what the upstream advertises]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from upstream-auth" -l authorization-url -d 'The authorization endpoint, for an upstream that publishes no metadata (with --token-url and --client-id)' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from upstream-auth" -l token-url -d 'The token endpoint (with --authorization-url)' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from upstream-auth" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from upstream-auth" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from upstream-auth" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from upstream-auth" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from upstream-auth" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from upstream-auth" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from upstream-auth" -l value-stdin -d 'Read the --header values from standard input: one line each, in the order of the flags'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from upstream-auth" -l client-secret-stdin -d 'Read that client\'s secret from standard input (its first line)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from upstream-auth" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from upstream-auth" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from identity" -l forward -d 'none, or any of headers, jwt, meta joined by commas (e.g. headers,jwt)' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from identity" -l jwt-header -d 'The header the signed JWT travels in [default: X-MCPCP-Identity]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from identity" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from identity" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from identity" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from identity" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from identity" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from identity" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from identity" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from identity" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from refresh" -l openapi -d 'Read the document from here from now on (a file path or an http(s) URL) [default: where it was read from]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from refresh" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from refresh" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from refresh" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from refresh" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from refresh" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from refresh" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from refresh" -l yes -d 'Apply the changes (without it, they are only shown)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from refresh" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from refresh" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from tool" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from tool" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from tool" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from tool" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from tool" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from tool" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from tool" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from tool" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from tool" -f -a "add" -d 'Add another server\'s tool to a composed server, renamed, re-described, arguments fixed or hidden'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from tool" -f -a "remove" -d 'Remove a tool from a composed server'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from tool" -f -a "list" -d 'List a composed server\'s tools and where they forward to'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from tool" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from ip" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from ip" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from ip" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from ip" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from ip" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from ip" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from ip" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from ip" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from ip" -a "allow" -d 'Admit clients from CIDR (once the allow list is not empty, only its ranges are admitted)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from ip" -a "deny" -d 'Refuse clients from CIDR (403), before any authentication'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from ip" -a "remove" -d 'Remove the rule for CIDR'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from ip" -a "list" -d 'Show the allow and deny lists'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from ip" -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "create" -d 'Register an upstream MCP server (or compose one from other servers\' tools, or turn a REST API\'s OpenAPI document into tools), exposed at /mcp/NAME'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "list" -d 'List servers'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one server with its tools, tokens and groups'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "connections" -d 'The upstream accounts linked for a server (per user, and its shared one); never tokens'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "connect" -d 'Authorize the server\'s shared upstream connection in your browser (used by its API tokens)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "disconnect" -d 'Remove the server\'s shared upstream connection (its API tokens are refused until a new one)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "rename" -d 'Rename a server (its URL path changes with it)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete a server with its tools, tokens and group grants'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "enable" -d 'Enable a disabled server'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "disable" -d 'Disable a server: clients are refused until it is enabled'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "capture" -d 'Set what the activity log keeps of the server\'s requests'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "limits" -d 'Rate limits and usage quotas on tools/call; no flags shows them'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "upstream-auth" -d 'How the gateway authenticates to the upstream: none, or static headers (an API key)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "identity" -d 'What the upstream is told about each caller: headers, a signed JWT, _meta; no flags shows it'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "refresh" -d 'Read an OpenAPI server\'s document again: shows what changed, applies it with --yes'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "tool" -d 'The tools of a composed server: other servers\' tools, renamed, re-described, arguments fixed or hidden'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "ip" -d 'Client address rules: deny wins; a non-empty allow list admits only its ranges'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand server; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and not __fish_seen_subcommand_from list sync start stop help" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and not __fish_seen_subcommand_from list sync start stop help" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and not __fish_seen_subcommand_from list sync start stop help" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and not __fish_seen_subcommand_from list sync start stop help" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and not __fish_seen_subcommand_from list sync start stop help" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and not __fish_seen_subcommand_from list sync start stop help" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and not __fish_seen_subcommand_from list sync start stop help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and not __fish_seen_subcommand_from list sync start stop help" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and not __fish_seen_subcommand_from list sync start stop help" -f -a "list" -d 'List a server\'s tools and their state'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and not __fish_seen_subcommand_from list sync start stop help" -f -a "sync" -d 'Ask the upstream for its tools and record them: new ones start offered, vanished ones go (stopped ones stay, stopped)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and not __fish_seen_subcommand_from list sync start stop help" -f -a "start" -d 'Offer a stopped tool to clients again'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and not __fish_seen_subcommand_from list sync start stop help" -f -a "stop" -d 'Hide a tool from tools/list and refuse it in tools/call'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and not __fish_seen_subcommand_from list sync start stop help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and __fish_seen_subcommand_from list" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and __fish_seen_subcommand_from list" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and __fish_seen_subcommand_from list" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and __fish_seen_subcommand_from list" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and __fish_seen_subcommand_from list" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and __fish_seen_subcommand_from sync" -l timeout -d 'Give up after this long (the upstream may need to start first)' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and __fish_seen_subcommand_from sync" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and __fish_seen_subcommand_from sync" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and __fish_seen_subcommand_from sync" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and __fish_seen_subcommand_from sync" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and __fish_seen_subcommand_from sync" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and __fish_seen_subcommand_from sync" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and __fish_seen_subcommand_from sync" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and __fish_seen_subcommand_from sync" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and __fish_seen_subcommand_from start" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and __fish_seen_subcommand_from start" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and __fish_seen_subcommand_from start" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and __fish_seen_subcommand_from start" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and __fish_seen_subcommand_from start" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and __fish_seen_subcommand_from start" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and __fish_seen_subcommand_from start" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and __fish_seen_subcommand_from start" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and __fish_seen_subcommand_from stop" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and __fish_seen_subcommand_from stop" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and __fish_seen_subcommand_from stop" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and __fish_seen_subcommand_from stop" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and __fish_seen_subcommand_from stop" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and __fish_seen_subcommand_from stop" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and __fish_seen_subcommand_from stop" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and __fish_seen_subcommand_from stop" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and __fish_seen_subcommand_from help" -f -a "list" -d 'List a server\'s tools and their state'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and __fish_seen_subcommand_from help" -f -a "sync" -d 'Ask the upstream for its tools and record them: new ones start offered, vanished ones go (stopped ones stay, stopped)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and __fish_seen_subcommand_from help" -f -a "start" -d 'Offer a stopped tool to clients again'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and __fish_seen_subcommand_from help" -f -a "stop" -d 'Hide a tool from tools/list and refuse it in tools/call'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand tool; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand token; and not __fish_seen_subcommand_from create list revoke help" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand token; and not __fish_seen_subcommand_from create list revoke help" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand token; and not __fish_seen_subcommand_from create list revoke help" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand token; and not __fish_seen_subcommand_from create list revoke help" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand token; and not __fish_seen_subcommand_from create list revoke help" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand token; and not __fish_seen_subcommand_from create list revoke help" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand token; and not __fish_seen_subcommand_from create list revoke help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand token; and not __fish_seen_subcommand_from create list revoke help" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand token; and not __fish_seen_subcommand_from create list revoke help" -f -a "create" -d 'Create an API token for one server; the token is printed once and never again'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand token; and not __fish_seen_subcommand_from create list revoke help" -f -a "list" -d 'List tokens (never their secrets), of one server or all'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand token; and not __fish_seen_subcommand_from create list revoke help" -f -a "revoke" -d 'Revoke a token: it is refused from then on'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand token; and not __fish_seen_subcommand_from create list revoke help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand token; and __fish_seen_subcommand_from create" -l name -d 'A name to recognise the token by (default: token-ID)' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand token; and __fish_seen_subcommand_from create" -l expires -d 'Lifetime, e.g. 12h, 30d, 2w (default: no expiry)' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand token; and __fish_seen_subcommand_from create" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand token; and __fish_seen_subcommand_from create" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand token; and __fish_seen_subcommand_from create" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand token; and __fish_seen_subcommand_from create" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand token; and __fish_seen_subcommand_from create" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand token; and __fish_seen_subcommand_from create" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand token; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand token; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand token; and __fish_seen_subcommand_from list" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand token; and __fish_seen_subcommand_from list" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand token; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand token; and __fish_seen_subcommand_from list" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand token; and __fish_seen_subcommand_from list" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand token; and __fish_seen_subcommand_from list" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand token; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand token; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand token; and __fish_seen_subcommand_from revoke" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand token; and __fish_seen_subcommand_from revoke" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand token; and __fish_seen_subcommand_from revoke" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand token; and __fish_seen_subcommand_from revoke" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand token; and __fish_seen_subcommand_from revoke" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand token; and __fish_seen_subcommand_from revoke" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand token; and __fish_seen_subcommand_from revoke" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand token; and __fish_seen_subcommand_from revoke" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand token; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create an API token for one server; the token is printed once and never again'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand token; and __fish_seen_subcommand_from help" -f -a "list" -d 'List tokens (never their secrets), of one server or all'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand token; and __fish_seen_subcommand_from help" -f -a "revoke" -d 'Revoke a token: it is refused from then on'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand token; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and not __fish_seen_subcommand_from create list show disable enable delete connections disconnect sessions signout passwd help" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and not __fish_seen_subcommand_from create list show disable enable delete connections disconnect sessions signout passwd help" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and not __fish_seen_subcommand_from create list show disable enable delete connections disconnect sessions signout passwd help" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and not __fish_seen_subcommand_from create list show disable enable delete connections disconnect sessions signout passwd help" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and not __fish_seen_subcommand_from create list show disable enable delete connections disconnect sessions signout passwd help" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and not __fish_seen_subcommand_from create list show disable enable delete connections disconnect sessions signout passwd help" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and not __fish_seen_subcommand_from create list show disable enable delete connections disconnect sessions signout passwd help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and not __fish_seen_subcommand_from create list show disable enable delete connections disconnect sessions signout passwd help" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and not __fish_seen_subcommand_from create list show disable enable delete connections disconnect sessions signout passwd help" -f -a "create" -d 'Create an end user; without a password they can sign in only through SSO'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and not __fish_seen_subcommand_from create list show disable enable delete connections disconnect sessions signout passwd help" -f -a "list" -d 'List users'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and not __fish_seen_subcommand_from create list show disable enable delete connections disconnect sessions signout passwd help" -f -a "show" -d 'Show one user and their groups'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and not __fish_seen_subcommand_from create list show disable enable delete connections disconnect sessions signout passwd help" -f -a "disable" -d 'Disable a user: they can no longer sign in'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and not __fish_seen_subcommand_from create list show disable enable delete connections disconnect sessions signout passwd help" -f -a "enable" -d 'Enable a disabled user'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and not __fish_seen_subcommand_from create list show disable enable delete connections disconnect sessions signout passwd help" -f -a "delete" -d 'Delete a user with their group memberships and linked upstream accounts'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and not __fish_seen_subcommand_from create list show disable enable delete connections disconnect sessions signout passwd help" -f -a "connections" -d 'The upstream accounts a user linked (per-user upstream access); never their tokens'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and not __fish_seen_subcommand_from create list show disable enable delete connections disconnect sessions signout passwd help" -f -a "disconnect" -d 'Remove a user\'s linked upstream account for a server (they are asked to link it again)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and not __fish_seen_subcommand_from create list show disable enable delete connections disconnect sessions signout passwd help" -f -a "sessions" -d 'List a user\'s sign-ins (one per client and server), newest last'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and not __fish_seen_subcommand_from create list show disable enable delete connections disconnect sessions signout passwd help" -f -a "signout" -d 'End every sign-in of a user: their tokens stop working and open sessions close'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and not __fish_seen_subcommand_from create list show disable enable delete connections disconnect sessions signout passwd help" -f -a "passwd" -d 'Set a user\'s password (prompted on a terminal, or --password-stdin)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and not __fish_seen_subcommand_from create list show disable enable delete connections disconnect sessions signout passwd help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from create" -l email -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from create" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from create" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from create" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from create" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from create" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from create" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from create" -l password-stdin -d 'Read the password from standard input (first line)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from list" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from list" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from list" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from list" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from list" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from show" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from show" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from show" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from show" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from show" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from disable" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from disable" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from disable" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from disable" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from disable" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from disable" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from disable" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from disable" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from enable" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from enable" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from enable" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from enable" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from enable" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from enable" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from enable" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from enable" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from delete" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from delete" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from delete" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from delete" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from delete" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from delete" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from connections" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from connections" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from connections" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from connections" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from connections" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from connections" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from connections" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from connections" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from disconnect" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from disconnect" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from disconnect" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from disconnect" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from disconnect" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from disconnect" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from disconnect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from disconnect" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from sessions" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from sessions" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from sessions" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from sessions" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from sessions" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from sessions" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from sessions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from sessions" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from signout" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from signout" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from signout" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from signout" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from signout" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from signout" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from signout" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from signout" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from passwd" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from passwd" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from passwd" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from passwd" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from passwd" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from passwd" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from passwd" -l password-stdin -d 'Read the password from standard input (first line)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from passwd" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from passwd" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create an end user; without a password they can sign in only through SSO'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "list" -d 'List users'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one user and their groups'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "disable" -d 'Disable a user: they can no longer sign in'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "enable" -d 'Enable a disabled user'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete a user with their group memberships and linked upstream accounts'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "connections" -d 'The upstream accounts a user linked (per-user upstream access); never their tokens'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "disconnect" -d 'Remove a user\'s linked upstream account for a server (they are asked to link it again)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "sessions" -d 'List a user\'s sign-ins (one per client and server), newest last'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "signout" -d 'End every sign-in of a user: their tokens stop working and open sessions close'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "passwd" -d 'Set a user\'s password (prompted on a terminal, or --password-stdin)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand user; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and not __fish_seen_subcommand_from create list show delete add remove grant revoke help" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and not __fish_seen_subcommand_from create list show delete add remove grant revoke help" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and not __fish_seen_subcommand_from create list show delete add remove grant revoke help" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and not __fish_seen_subcommand_from create list show delete add remove grant revoke help" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and not __fish_seen_subcommand_from create list show delete add remove grant revoke help" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and not __fish_seen_subcommand_from create list show delete add remove grant revoke help" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and not __fish_seen_subcommand_from create list show delete add remove grant revoke help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and not __fish_seen_subcommand_from create list show delete add remove grant revoke help" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and not __fish_seen_subcommand_from create list show delete add remove grant revoke help" -f -a "create" -d 'Create a group of users'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and not __fish_seen_subcommand_from create list show delete add remove grant revoke help" -f -a "list" -d 'List groups with their members and servers'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and not __fish_seen_subcommand_from create list show delete add remove grant revoke help" -f -a "show" -d 'Show one group'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and not __fish_seen_subcommand_from create list show delete add remove grant revoke help" -f -a "delete" -d 'Delete a group: its members lose the servers it granted'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and not __fish_seen_subcommand_from create list show delete add remove grant revoke help" -f -a "add" -d 'Add users to a group'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and not __fish_seen_subcommand_from create list show delete add remove grant revoke help" -f -a "remove" -d 'Remove users from a group'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and not __fish_seen_subcommand_from create list show delete add remove grant revoke help" -f -a "grant" -d 'Let a group\'s members reach servers (or, with --tools, some tools of one server)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and not __fish_seen_subcommand_from create list show delete add remove grant revoke help" -f -a "revoke" -d 'Take servers away from a group'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and not __fish_seen_subcommand_from create list show delete add remove grant revoke help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from create" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from create" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from create" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from create" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from create" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from create" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from list" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from list" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from list" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from list" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from list" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from show" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from show" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from show" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from show" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from show" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from delete" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from delete" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from delete" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from delete" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from delete" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from delete" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from add" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from add" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from add" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from add" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from add" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from add" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from remove" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from remove" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from remove" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from remove" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from remove" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from remove" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from grant" -l tools -d 'Only these tools of the server: its other tools are hidden from the members\' tools/list and refused' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from grant" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from grant" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from grant" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from grant" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from grant" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from grant" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from grant" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from grant" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from revoke" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from revoke" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from revoke" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from revoke" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from revoke" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from revoke" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from revoke" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from revoke" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a group of users'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from help" -f -a "list" -d 'List groups with their members and servers'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one group'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete a group: its members lose the servers it granted'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add users to a group'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove users from a group'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from help" -f -a "grant" -d 'Let a group\'s members reach servers (or, with --tools, some tools of one server)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from help" -f -a "revoke" -d 'Take servers away from a group'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand group; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand key; and not __fish_seen_subcommand_from rotate list help" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand key; and not __fish_seen_subcommand_from rotate list help" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand key; and not __fish_seen_subcommand_from rotate list help" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand key; and not __fish_seen_subcommand_from rotate list help" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand key; and not __fish_seen_subcommand_from rotate list help" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand key; and not __fish_seen_subcommand_from rotate list help" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand key; and not __fish_seen_subcommand_from rotate list help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand key; and not __fish_seen_subcommand_from rotate list help" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand key; and not __fish_seen_subcommand_from rotate list help" -f -a "rotate" -d 'Replace the signing key: new JWTs are signed with a new key; the old one stays published until the tokens it signed have expired'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand key; and not __fish_seen_subcommand_from rotate list help" -f -a "list" -d 'List the signing keys: the current one and those retired (never a private key)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand key; and not __fish_seen_subcommand_from rotate list help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand key; and __fish_seen_subcommand_from rotate" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand key; and __fish_seen_subcommand_from rotate" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand key; and __fish_seen_subcommand_from rotate" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand key; and __fish_seen_subcommand_from rotate" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand key; and __fish_seen_subcommand_from rotate" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand key; and __fish_seen_subcommand_from rotate" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand key; and __fish_seen_subcommand_from rotate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand key; and __fish_seen_subcommand_from rotate" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand key; and __fish_seen_subcommand_from list" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand key; and __fish_seen_subcommand_from list" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand key; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand key; and __fish_seen_subcommand_from list" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand key; and __fish_seen_subcommand_from list" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand key; and __fish_seen_subcommand_from list" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand key; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand key; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "rotate" -d 'Replace the signing key: new JWTs are signed with a new key; the old one stays published until the tokens it signed have expired'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the signing keys: the current one and those retired (never a private key)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand key; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand sso; and not __fish_seen_subcommand_from set show disable help" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand sso; and not __fish_seen_subcommand_from set show disable help" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand sso; and not __fish_seen_subcommand_from set show disable help" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand sso; and not __fish_seen_subcommand_from set show disable help" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand sso; and not __fish_seen_subcommand_from set show disable help" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand sso; and not __fish_seen_subcommand_from set show disable help" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand sso; and not __fish_seen_subcommand_from set show disable help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand sso; and not __fish_seen_subcommand_from set show disable help" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand sso; and not __fish_seen_subcommand_from set show disable help" -f -a "set" -d 'Set up single sign-on through an OpenID Connect provider (replaces earlier settings)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand sso; and not __fish_seen_subcommand_from set show disable help" -f -a "show" -d 'Show the single sign-on settings (never the secret)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand sso; and not __fish_seen_subcommand_from set show disable help" -f -a "disable" -d 'Turn single sign-on off: `--auth sso` servers refuse new sign-ins until `sso set`'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand sso; and not __fish_seen_subcommand_from set show disable help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand sso; and __fish_seen_subcommand_from set" -l issuer -d 'The provider\'s issuer URL (its discovery document is ISSUER/.well-known/openid-configuration)' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand sso; and __fish_seen_subcommand_from set" -l client-id -d 'The client id mcpcp was registered under at the provider' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand sso; and __fish_seen_subcommand_from set" -l scopes -d 'Scopes to request (default: openid profile email)' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand sso; and __fish_seen_subcommand_from set" -l groups-claim -d 'The ID token (or userinfo) claim listing the user\'s IdP groups' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand sso; and __fish_seen_subcommand_from set" -l group-map -d 'Put users whose groups claim holds IDP_GROUP in mcpcp group GROUP (repeatable)' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand sso; and __fish_seen_subcommand_from set" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand sso; and __fish_seen_subcommand_from set" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand sso; and __fish_seen_subcommand_from set" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand sso; and __fish_seen_subcommand_from set" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand sso; and __fish_seen_subcommand_from set" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand sso; and __fish_seen_subcommand_from set" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand sso; and __fish_seen_subcommand_from set" -l client-secret-stdin -d 'Read the client secret from standard input (first line). Required: the secret is never taken from the command line'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand sso; and __fish_seen_subcommand_from set" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand sso; and __fish_seen_subcommand_from set" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand sso; and __fish_seen_subcommand_from show" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand sso; and __fish_seen_subcommand_from show" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand sso; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand sso; and __fish_seen_subcommand_from show" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand sso; and __fish_seen_subcommand_from show" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand sso; and __fish_seen_subcommand_from show" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand sso; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand sso; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand sso; and __fish_seen_subcommand_from disable" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand sso; and __fish_seen_subcommand_from disable" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand sso; and __fish_seen_subcommand_from disable" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand sso; and __fish_seen_subcommand_from disable" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand sso; and __fish_seen_subcommand_from disable" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand sso; and __fish_seen_subcommand_from disable" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand sso; and __fish_seen_subcommand_from disable" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand sso; and __fish_seen_subcommand_from disable" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand sso; and __fish_seen_subcommand_from help" -f -a "set" -d 'Set up single sign-on through an OpenID Connect provider (replaces earlier settings)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand sso; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show the single sign-on settings (never the secret)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand sso; and __fish_seen_subcommand_from help" -f -a "disable" -d 'Turn single sign-on off: `--auth sso` servers refuse new sign-ins until `sso set`'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand sso; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and not __fish_seen_subcommand_from tail export show help" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and not __fish_seen_subcommand_from tail export show help" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and not __fish_seen_subcommand_from tail export show help" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and not __fish_seen_subcommand_from tail export show help" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and not __fish_seen_subcommand_from tail export show help" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and not __fish_seen_subcommand_from tail export show help" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and not __fish_seen_subcommand_from tail export show help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and not __fish_seen_subcommand_from tail export show help" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and not __fish_seen_subcommand_from tail export show help" -f -a "tail" -d 'Show the newest activity records (oldest of them first), and optionally follow new ones'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and not __fish_seen_subcommand_from tail export show help" -f -a "export" -d 'Write activity records to a file'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and not __fish_seen_subcommand_from tail export show help" -f -a "show" -d 'Show one call: its record, inputs and outputs, and its trace as a waterfall'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and not __fish_seen_subcommand_from tail export show help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from tail" -s n -l lines -d 'How many of the newest records to show' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from tail" -l since -d 'Only records since this long ago (1h, 7d) or this RFC 3339 time' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from tail" -l until -d 'Only records before this long ago or this RFC 3339 time' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from tail" -l server -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from tail" -l user -d 'The principal: a token name or user name' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from tail" -l tool -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from tail" -l type -d 'tool_call, list, resource_read, prompt_get, request, notification, response, session_start, session_end, stream_open, auth_failure, denied, ip_denied, rate_limited, quota_exceeded, upstream_auth_required, upstream_link, invalid_request' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from tail" -l level -r -f -a "info\t''
warn\t''
error\t''"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from tail" -l status -r -f -a "success\t''
failure\t''"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from tail" -l fault -d 'Only failures that were this party\'s fault: client (bad request, credentials, limits), upstream (unreachable, refused, timed out, invalid answer), operator (misconfiguration), internal (mcpcp itself)' -r -f -a "client\t'The request: malformed, unauthenticated, not allowed, over a limit'
upstream\t'The upstream server: unreachable, refused, timed out, answered nonsense'
operator\t'The configuration: a server that cannot work as set up (a missing command, a disabled server, an unusable credential)'
internal\t'mcpcp itself: the activity log cannot be written, a bug'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from tail" -l trace -d 'Only the records of this trace (32 hex digits: a client\'s `traceparent`, or the `trace_id` of a record)' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from tail" -l where -d 'FIELD=VALUE on any recorded field, or input.PATH=VALUE / output.PATH=VALUE inside the JSON (`--where input.customer_id=42`). Repeatable; all must hold' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from tail" -l origin -d 'Only calls to composed servers\' tools that forwarded to this source tool' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from tail" -l step-status -d 'Only calls with a step of this status (composed and OpenAPI tools\' steps): `error` finds the calls whose backend step failed' -r -f -a "success\t''
failure\t''
error\t''"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from tail" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from tail" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from tail" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from tail" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from tail" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from tail" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from tail" -s f -l follow -d 'Keep printing records as they are committed'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from tail" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from tail" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from export" -l output-file -d 'The file to write (created or replaced)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from export" -l format -r -f -a "ndjson\t''
csv\t''"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from export" -l since -d 'Only records since this long ago (1h, 7d) or this RFC 3339 time' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from export" -l until -d 'Only records before this long ago or this RFC 3339 time' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from export" -l server -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from export" -l user -d 'The principal: a token name or user name' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from export" -l tool -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from export" -l type -d 'tool_call, list, resource_read, prompt_get, request, notification, response, session_start, session_end, stream_open, auth_failure, denied, ip_denied, rate_limited, quota_exceeded, upstream_auth_required, upstream_link, invalid_request' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from export" -l level -r -f -a "info\t''
warn\t''
error\t''"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from export" -l status -r -f -a "success\t''
failure\t''"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from export" -l fault -d 'Only failures that were this party\'s fault: client (bad request, credentials, limits), upstream (unreachable, refused, timed out, invalid answer), operator (misconfiguration), internal (mcpcp itself)' -r -f -a "client\t'The request: malformed, unauthenticated, not allowed, over a limit'
upstream\t'The upstream server: unreachable, refused, timed out, answered nonsense'
operator\t'The configuration: a server that cannot work as set up (a missing command, a disabled server, an unusable credential)'
internal\t'mcpcp itself: the activity log cannot be written, a bug'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from export" -l trace -d 'Only the records of this trace (32 hex digits: a client\'s `traceparent`, or the `trace_id` of a record)' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from export" -l where -d 'FIELD=VALUE on any recorded field, or input.PATH=VALUE / output.PATH=VALUE inside the JSON (`--where input.customer_id=42`). Repeatable; all must hold' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from export" -l origin -d 'Only calls to composed servers\' tools that forwarded to this source tool' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from export" -l step-status -d 'Only calls with a step of this status (composed and OpenAPI tools\' steps): `error` finds the calls whose backend step failed' -r -f -a "success\t''
failure\t''
error\t''"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from export" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from export" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from export" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from export" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from export" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from export" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from export" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from show" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from show" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from show" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from show" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from show" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from help" -f -a "tail" -d 'Show the newest activity records (oldest of them first), and optionally follow new ones'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from help" -f -a "export" -d 'Write activity records to a file'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one call: its record, inputs and outputs, and its trace as a waterfall'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand logs; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and not __fish_seen_subcommand_from create list show disable enable delete passwd grant revoke token login help" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and not __fish_seen_subcommand_from create list show disable enable delete passwd grant revoke token login help" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and not __fish_seen_subcommand_from create list show disable enable delete passwd grant revoke token login help" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and not __fish_seen_subcommand_from create list show disable enable delete passwd grant revoke token login help" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and not __fish_seen_subcommand_from create list show disable enable delete passwd grant revoke token login help" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and not __fish_seen_subcommand_from create list show disable enable delete passwd grant revoke token login help" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and not __fish_seen_subcommand_from create list show disable enable delete passwd grant revoke token login help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and not __fish_seen_subcommand_from create list show disable enable delete passwd grant revoke token login help" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and not __fish_seen_subcommand_from create list show disable enable delete passwd grant revoke token login help" -f -a "create" -d 'Create an admin (with a password from standard input, or bound to an SSO subject)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and not __fish_seen_subcommand_from create list show disable enable delete passwd grant revoke token login help" -f -a "list" -d 'List admins and the roles they hold'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and not __fish_seen_subcommand_from create list show disable enable delete passwd grant revoke token login help" -f -a "show" -d 'Show one admin'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and not __fish_seen_subcommand_from create list show disable enable delete passwd grant revoke token login help" -f -a "disable" -d 'Disable an admin: its tokens are refused until it is enabled again'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and not __fish_seen_subcommand_from create list show disable enable delete passwd grant revoke token login help" -f -a "enable" -d 'Enable a disabled admin'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and not __fish_seen_subcommand_from create list show disable enable delete passwd grant revoke token login help" -f -a "delete" -d 'Delete an admin with its roles and tokens'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and not __fish_seen_subcommand_from create list show disable enable delete passwd grant revoke token login help" -f -a "passwd" -d 'Set an admin\'s password (from standard input)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and not __fish_seen_subcommand_from create list show disable enable delete passwd grant revoke token login help" -f -a "grant" -d 'Give an admin a role, everywhere or on some servers'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and not __fish_seen_subcommand_from create list show disable enable delete passwd grant revoke token login help" -f -a "revoke" -d 'Take a role back from an admin (everywhere, or on the servers named)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and not __fish_seen_subcommand_from create list show disable enable delete passwd grant revoke token login help" -f -a "token" -d 'Admin API tokens'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and not __fish_seen_subcommand_from create list show disable enable delete passwd grant revoke token login help" -f -a "login" -d 'Sign in to a gateway (--remote URL) through its identity provider, in a browser; the admin token it issues (12 h) goes to --admin-token-file, or to ~/.config/mcpcp/admin-token, which later --remote commands read'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and not __fish_seen_subcommand_from create list show disable enable delete passwd grant revoke token login help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from create" -l email -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from create" -l sso-subject -d 'The identity provider\'s subject (`sub`) of an SSO admin' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from create" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from create" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from create" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from create" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from create" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from create" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from create" -l password-stdin -d 'Read the password from standard input (first line)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from list" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from list" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from list" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from list" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from list" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from show" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from show" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from show" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from show" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from show" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from disable" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from disable" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from disable" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from disable" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from disable" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from disable" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from disable" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from disable" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from enable" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from enable" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from enable" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from enable" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from enable" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from enable" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from enable" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from enable" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from delete" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from delete" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from delete" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from delete" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from delete" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from delete" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from passwd" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from passwd" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from passwd" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from passwd" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from passwd" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from passwd" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from passwd" -l password-stdin
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from passwd" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from passwd" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from grant" -l server -d 'Only on this server (repeatable)' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from grant" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from grant" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from grant" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from grant" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from grant" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from grant" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from grant" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from grant" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from revoke" -l server -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from revoke" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from revoke" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from revoke" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from revoke" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from revoke" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from revoke" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from revoke" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from revoke" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from token" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from token" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from token" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from token" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from token" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from token" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from token" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from token" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from token" -f -a "create" -d 'Create an API token for an admin; it is printed once and never again'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from token" -f -a "list" -d 'List admin tokens (never their secrets), of one admin or all'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from token" -f -a "revoke" -d 'Revoke an admin token: refused from the next request on'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from token" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from login" -l wait -d 'How long to wait for the sign-in in the browser, in seconds' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from login" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from login" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from login" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from login" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from login" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from login" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from login" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from login" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create an admin (with a password from standard input, or bound to an SSO subject)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from help" -f -a "list" -d 'List admins and the roles they hold'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one admin'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from help" -f -a "disable" -d 'Disable an admin: its tokens are refused until it is enabled again'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from help" -f -a "enable" -d 'Enable a disabled admin'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete an admin with its roles and tokens'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from help" -f -a "passwd" -d 'Set an admin\'s password (from standard input)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from help" -f -a "grant" -d 'Give an admin a role, everywhere or on some servers'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from help" -f -a "revoke" -d 'Take a role back from an admin (everywhere, or on the servers named)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from help" -f -a "token" -d 'Admin API tokens'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from help" -f -a "login" -d 'Sign in to a gateway (--remote URL) through its identity provider, in a browser; the admin token it issues (12 h) goes to --admin-token-file, or to ~/.config/mcpcp/admin-token, which later --remote commands read'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand admin; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and not __fish_seen_subcommand_from permissions list show create update delete bind unbind bindings help" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and not __fish_seen_subcommand_from permissions list show create update delete bind unbind bindings help" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and not __fish_seen_subcommand_from permissions list show create update delete bind unbind bindings help" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and not __fish_seen_subcommand_from permissions list show create update delete bind unbind bindings help" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and not __fish_seen_subcommand_from permissions list show create update delete bind unbind bindings help" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and not __fish_seen_subcommand_from permissions list show create update delete bind unbind bindings help" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and not __fish_seen_subcommand_from permissions list show create update delete bind unbind bindings help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and not __fish_seen_subcommand_from permissions list show create update delete bind unbind bindings help" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and not __fish_seen_subcommand_from permissions list show create update delete bind unbind bindings help" -f -a "permissions" -d 'List every permission a role can grant, and what it allows'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and not __fish_seen_subcommand_from permissions list show create update delete bind unbind bindings help" -f -a "list" -d 'List the roles, built-in and custom'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and not __fish_seen_subcommand_from permissions list show create update delete bind unbind bindings help" -f -a "show" -d 'Show one role and its permissions'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and not __fish_seen_subcommand_from permissions list show create update delete bind unbind bindings help" -f -a "create" -d 'Create a custom role'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and not __fish_seen_subcommand_from permissions list show create update delete bind unbind bindings help" -f -a "update" -d 'Change a custom role\'s permissions (replaced) or description'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and not __fish_seen_subcommand_from permissions list show create update delete bind unbind bindings help" -f -a "delete" -d 'Delete a custom role nobody holds'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and not __fish_seen_subcommand_from permissions list show create update delete bind unbind bindings help" -f -a "bind" -d 'Give a role to every SSO admin in an identity provider\'s group (everywhere, or on servers)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and not __fish_seen_subcommand_from permissions list show create update delete bind unbind bindings help" -f -a "unbind" -d 'Take a role back from an identity provider\'s group'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and not __fish_seen_subcommand_from permissions list show create update delete bind unbind bindings help" -f -a "bindings" -d 'List the identity provider groups bound to roles'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and not __fish_seen_subcommand_from permissions list show create update delete bind unbind bindings help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from permissions" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from permissions" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from permissions" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from permissions" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from permissions" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from permissions" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from permissions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from permissions" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from list" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from list" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from list" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from list" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from list" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from show" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from show" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from show" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from show" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from show" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from create" -l allow -d 'Permissions, comma-separated or repeated; `server.*` is every permission of servers' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from create" -l description -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from create" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from create" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from create" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from create" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from create" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from create" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from create" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from create" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from update" -l allow -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from update" -l description -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from update" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from update" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from update" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from update" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from update" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from update" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from update" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from update" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from delete" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from delete" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from delete" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from delete" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from delete" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from delete" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from delete" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from delete" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from bind" -l idp-group -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from bind" -l server -d 'Only on this server (repeatable)' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from bind" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from bind" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from bind" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from bind" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from bind" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from bind" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from bind" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from bind" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from unbind" -l idp-group -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from unbind" -l server -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from unbind" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from unbind" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from unbind" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from unbind" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from unbind" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from unbind" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from unbind" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from unbind" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from bindings" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from bindings" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from bindings" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from bindings" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from bindings" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from bindings" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from bindings" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from bindings" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from help" -f -a "permissions" -d 'List every permission a role can grant, and what it allows'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from help" -f -a "list" -d 'List the roles, built-in and custom'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one role and its permissions'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from help" -f -a "create" -d 'Create a custom role'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from help" -f -a "update" -d 'Change a custom role\'s permissions (replaced) or description'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from help" -f -a "delete" -d 'Delete a custom role nobody holds'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from help" -f -a "bind" -d 'Give a role to every SSO admin in an identity provider\'s group (everywhere, or on servers)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from help" -f -a "unbind" -d 'Take a role back from an identity provider\'s group'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from help" -f -a "bindings" -d 'List the identity provider groups bound to roles'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand role; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand audit; and not __fish_seen_subcommand_from list verify help" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand audit; and not __fish_seen_subcommand_from list verify help" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand audit; and not __fish_seen_subcommand_from list verify help" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand audit; and not __fish_seen_subcommand_from list verify help" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand audit; and not __fish_seen_subcommand_from list verify help" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand audit; and not __fish_seen_subcommand_from list verify help" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand audit; and not __fish_seen_subcommand_from list verify help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand audit; and not __fish_seen_subcommand_from list verify help" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand audit; and not __fish_seen_subcommand_from list verify help" -f -a "list" -d 'List audit entries, newest last'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand audit; and not __fish_seen_subcommand_from list verify help" -f -a "verify" -d 'Check the hash chain and report the first broken link'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand audit; and not __fish_seen_subcommand_from list verify help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand audit; and __fish_seen_subcommand_from list" -l since -d 'Only entries since this long ago (1h, 7d) or this RFC 3339 time' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand audit; and __fish_seen_subcommand_from list" -l actor -d 'Only entries by this actor name' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand audit; and __fish_seen_subcommand_from list" -l action -d 'Only this action (server.create), or a family (server.*)' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand audit; and __fish_seen_subcommand_from list" -l resource -d 'Only this resource: NAME, ID or TYPE:NAME (server:files)' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand audit; and __fish_seen_subcommand_from list" -s n -l limit -d 'At most this many entries (the newest)' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand audit; and __fish_seen_subcommand_from list" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand audit; and __fish_seen_subcommand_from list" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand audit; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand audit; and __fish_seen_subcommand_from list" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand audit; and __fish_seen_subcommand_from list" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand audit; and __fish_seen_subcommand_from list" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand audit; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand audit; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand audit; and __fish_seen_subcommand_from verify" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand audit; and __fish_seen_subcommand_from verify" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand audit; and __fish_seen_subcommand_from verify" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand audit; and __fish_seen_subcommand_from verify" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand audit; and __fish_seen_subcommand_from verify" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand audit; and __fish_seen_subcommand_from verify" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand audit; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand audit; and __fish_seen_subcommand_from verify" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "list" -d 'List audit entries, newest last'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Check the hash chain and report the first broken link'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand audit; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and not __fish_seen_subcommand_from add list show pause resume remove test status help" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and not __fish_seen_subcommand_from add list show pause resume remove test status help" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and not __fish_seen_subcommand_from add list show pause resume remove test status help" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and not __fish_seen_subcommand_from add list show pause resume remove test status help" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and not __fish_seen_subcommand_from add list show pause resume remove test status help" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and not __fish_seen_subcommand_from add list show pause resume remove test status help" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and not __fish_seen_subcommand_from add list show pause resume remove test status help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and not __fish_seen_subcommand_from add list show pause resume remove test status help" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and not __fish_seen_subcommand_from add list show pause resume remove test status help" -f -a "add" -d 'Add a sink: the gateway streams events to it from then on'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and not __fish_seen_subcommand_from add list show pause resume remove test status help" -f -a "list" -d 'List sinks'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and not __fish_seen_subcommand_from add list show pause resume remove test status help" -f -a "show" -d 'Show one sink'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and not __fish_seen_subcommand_from add list show pause resume remove test status help" -f -a "pause" -d 'Stop delivering to a sink; its backlog is kept (up to siem.max_backlog records)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and not __fish_seen_subcommand_from add list show pause resume remove test status help" -f -a "resume" -d 'Deliver to a paused sink again, from where it stopped'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and not __fish_seen_subcommand_from add list show pause resume remove test status help" -f -a "remove" -d 'Remove a sink; what it had not delivered is no longer kept for it'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and not __fish_seen_subcommand_from add list show pause resume remove test status help" -f -a "test" -d 'Send one test event to a sink\'s receiver and report what it answered (the sink\'s cursor is not touched)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and not __fish_seen_subcommand_from add list show pause resume remove test status help" -f -a "status" -d 'Each sink\'s delivery: state, events delivered, lag, last error, losses'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and not __fish_seen_subcommand_from add list show pause resume remove test status help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from add" -l syslog -d 'A syslog receiver: tcp://HOST:PORT, tls://HOST:PORT (RFC 5425) or udp://HOST:PORT' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from add" -l hec -d 'A Splunk HTTP Event Collector, e.g. https://splunk.example.com:8088 (events are POSTed to /services/collector/event); needs --token-stdin' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from add" -l http -d 'An HTTPS endpoint that takes batches of newline-delimited JSON (one event per line), signed when --secret-stdin gives a secret' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from add" -l otlp -d 'An OpenTelemetry collector\'s OTLP/HTTP endpoint, e.g. http://127.0.0.1:4318 (log records are POSTed to /v1/logs as protobuf)' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from add" -l index -d '--hec: the Splunk index events go to [default: the token\'s default index]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from add" -l sourcetype -d '--hec: the sourcetype of every event [default: mcpcp:activity or mcpcp:audit, by stream]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from add" -l header -d '--http, --otlp: a header sent with every request (repeatable): NAME=VALUE, or NAME alone to read its value from standard input (one line each, after the secret\'s). Values are encrypted at rest and never shown' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from add" -l ca -d 'PEM file of the CA certificate(s) the receiver\'s certificate must chain to (tls:// and https:// only; default: the system\'s trust store)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from add" -l format -d '--syslog: the message format [default: rfc5424]' -r -f -a "rfc5424\t'RFC 5424 with structured data `[mcpcp@32473 …]` and the event as JSON in MSG'
cef\t'ArcSight Common Event Format, as the MSG of an RFC 5424 message'
json\t'The event as one JSON object (newline-delimited over TCP and TLS)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from add" -l streams -d 'The streams to send: activity, audit, or activity,audit [default: activity,audit]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from add" -l server -d 'Only records of this server' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from add" -l user -d 'Only records of this principal: a token name or user name' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from add" -l tool -d 'Only records of this tool' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from add" -l type -d 'Only records of this type (tool_call, list, auth_failure, denied, … as in `logs tail`)' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from add" -l level -d 'Only records of this level' -r -f -a "info\t''
warn\t''
error\t''"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from add" -l status -d 'Only successes or only failures' -r -f -a "success\t''
failure\t''"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from add" -l fault -d 'Only failures that were this party\'s fault' -r -f -a "client\t'The request: malformed, unauthenticated, not allowed, over a limit'
upstream\t'The upstream server: unreachable, refused, timed out, answered nonsense'
operator\t'The configuration: a server that cannot work as set up (a missing command, a disabled server, an unusable credential)'
internal\t'mcpcp itself: the activity log cannot be written, a bug'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from add" -l where -d 'FIELD=VALUE on any recorded field, or input.PATH=VALUE / output.PATH=VALUE (as in `logs tail`). Repeatable; all must hold' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from add" -l from -d 'Where delivery starts: now, beginning (the oldest event kept), or a time (1h, 7d, RFC 3339) [default: now]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from add" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from add" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from add" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from add" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from add" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from add" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from add" -l token-stdin -d '--hec: read the HEC token from standard input (its first line); never from the command line'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from add" -l secret-stdin -d '--http: sign each request with HMAC-SHA256 (header X-MCPCP-Signature); the secret (at least 16 bytes) is read from standard input, its first line'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from add" -l insecure-http -d 'Allow http:// to a host that is not loopback: events, tokens and header values then cross the network in the clear'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from add" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from list" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from list" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from list" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from list" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from list" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from list" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from list" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from show" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from show" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from show" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from show" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from show" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from show" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from pause" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from pause" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from pause" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from pause" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from pause" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from pause" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from pause" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from pause" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from resume" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from resume" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from resume" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from resume" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from resume" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from resume" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from resume" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from resume" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from remove" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from remove" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from remove" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from remove" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from remove" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from remove" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from remove" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from remove" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from test" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from test" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from test" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from test" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from test" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from test" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from test" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from test" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from status" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from status" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from status" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from status" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from status" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from status" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from help" -f -a "add" -d 'Add a sink: the gateway streams events to it from then on'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from help" -f -a "list" -d 'List sinks'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one sink'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from help" -f -a "pause" -d 'Stop delivering to a sink; its backlog is kept (up to siem.max_backlog records)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from help" -f -a "resume" -d 'Deliver to a paused sink again, from where it stopped'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from help" -f -a "remove" -d 'Remove a sink; what it had not delivered is no longer kept for it'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from help" -f -a "test" -d 'Send one test event to a sink\'s receiver and report what it answered (the sink\'s cursor is not touched)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from help" -f -a "status" -d 'Each sink\'s delivery: state, events delivered, lag, last error, losses'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand siem; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand config; and not __fish_seen_subcommand_from check help" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand config; and not __fish_seen_subcommand_from check help" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand config; and not __fish_seen_subcommand_from check help" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand config; and not __fish_seen_subcommand_from check help" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand config; and not __fish_seen_subcommand_from check help" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand config; and not __fish_seen_subcommand_from check help" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand config; and not __fish_seen_subcommand_from check help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand config; and not __fish_seen_subcommand_from check help" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand config; and not __fish_seen_subcommand_from check help" -f -a "check" -d 'Validate the configuration and show each effective value with where it came from'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand config; and not __fish_seen_subcommand_from check help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand config; and __fish_seen_subcommand_from check" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand config; and __fish_seen_subcommand_from check" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand config; and __fish_seen_subcommand_from check" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand config; and __fish_seen_subcommand_from check" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand config; and __fish_seen_subcommand_from check" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand config; and __fish_seen_subcommand_from check" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand config; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand config; and __fish_seen_subcommand_from check" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "check" -d 'Validate the configuration and show each effective value with where it came from'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand config; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand completions" -l data-dir -d 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand completions" -l config -d 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand completions" -s o -l output -d 'Output format: tables for people, JSON for scripts' -r -f -a "table\t'Aligned columns for people'
json\t'JSON for scripts: one document per command (JSON Schemas in packaging/schema/)'"
complete -c mcpcp -n "__fish_mcpcp_using_subcommand completions" -l remote -d 'Run admin commands against this gateway\'s admin API instead of the local database [env: MCPCP_REMOTE]' -r
complete -c mcpcp -n "__fish_mcpcp_using_subcommand completions" -l admin-token-file -d 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand completions" -l remote-ca -d 'A PEM file of the private CA that signed the --remote gateway\'s certificate (default: the system\'s trust store; the certificate is always verified)' -r -F
complete -c mcpcp -n "__fish_mcpcp_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand completions" -s V -l version -d 'Print version'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and not __fish_seen_subcommand_from serve server tool token user group key sso logs admin role audit siem config completions help" -f -a "serve" -d 'Run the gateway: every enabled server at /mcp/NAME'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and not __fish_seen_subcommand_from serve server tool token user group key sso logs admin role audit siem config completions help" -f -a "server" -d 'Upstream MCP servers exposed by the gateway'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and not __fish_seen_subcommand_from serve server tool token user group key sso logs admin role audit siem config completions help" -f -a "tool" -d 'The tools of a server, and which are offered'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and not __fish_seen_subcommand_from serve server tool token user group key sso logs admin role audit siem config completions help" -f -a "token" -d 'Server-scoped API tokens'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and not __fish_seen_subcommand_from serve server tool token user group key sso logs admin role audit siem config completions help" -f -a "user" -d 'End users'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and not __fish_seen_subcommand_from serve server tool token user group key sso logs admin role audit siem config completions help" -f -a "group" -d 'Groups of users, and the servers they grant'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and not __fish_seen_subcommand_from serve server tool token user group key sso logs admin role audit siem config completions help" -f -a "key" -d 'The keys that sign the identity JWTs upstreams are given (`server identity --forward jwt`)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and not __fish_seen_subcommand_from serve server tool token user group key sso logs admin role audit siem config completions help" -f -a "sso" -d 'Single sign-on through an external OpenID Connect provider'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and not __fish_seen_subcommand_from serve server tool token user group key sso logs admin role audit siem config completions help" -f -a "logs" -d 'The activity log: every request the gateway received'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and not __fish_seen_subcommand_from serve server tool token user group key sso logs admin role audit siem config completions help" -f -a "admin" -d 'Administrators other than the person at the machine, their roles and API tokens'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and not __fish_seen_subcommand_from serve server tool token user group key sso logs admin role audit siem config completions help" -f -a "role" -d 'Admin roles: sets of permissions, built-in and custom'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and not __fish_seen_subcommand_from serve server tool token user group key sso logs admin role audit siem config completions help" -f -a "audit" -d 'The audit trail of administrative changes'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and not __fish_seen_subcommand_from serve server tool token user group key sso logs admin role audit siem config completions help" -f -a "siem" -d 'Stream the activity log and the audit trail to SIEMs (syslog, Splunk HEC, HTTP, OTLP)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and not __fish_seen_subcommand_from serve server tool token user group key sso logs admin role audit siem config completions help" -f -a "config" -d 'The process configuration'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and not __fish_seen_subcommand_from serve server tool token user group key sso logs admin role audit siem config completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and not __fish_seen_subcommand_from serve server tool token user group key sso logs admin role audit siem config completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "create" -d 'Register an upstream MCP server (or compose one from other servers\' tools, or turn a REST API\'s OpenAPI document into tools), exposed at /mcp/NAME'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "list" -d 'List servers'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "show" -d 'Show one server with its tools, tokens and groups'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "connections" -d 'The upstream accounts linked for a server (per user, and its shared one); never tokens'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "connect" -d 'Authorize the server\'s shared upstream connection in your browser (used by its API tokens)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "disconnect" -d 'Remove the server\'s shared upstream connection (its API tokens are refused until a new one)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "rename" -d 'Rename a server (its URL path changes with it)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "delete" -d 'Delete a server with its tools, tokens and group grants'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "enable" -d 'Enable a disabled server'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "disable" -d 'Disable a server: clients are refused until it is enabled'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "capture" -d 'Set what the activity log keeps of the server\'s requests'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "limits" -d 'Rate limits and usage quotas on tools/call; no flags shows them'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "upstream-auth" -d 'How the gateway authenticates to the upstream: none, or static headers (an API key)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "identity" -d 'What the upstream is told about each caller: headers, a signed JWT, _meta; no flags shows it'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "refresh" -d 'Read an OpenAPI server\'s document again: shows what changed, applies it with --yes'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "tool" -d 'The tools of a composed server: other servers\' tools, renamed, re-described, arguments fixed or hidden'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from server" -f -a "ip" -d 'Client address rules: deny wins; a non-empty allow list admits only its ranges'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from tool" -f -a "list" -d 'List a server\'s tools and their state'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from tool" -f -a "sync" -d 'Ask the upstream for its tools and record them: new ones start offered, vanished ones go (stopped ones stay, stopped)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from tool" -f -a "start" -d 'Offer a stopped tool to clients again'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from tool" -f -a "stop" -d 'Hide a tool from tools/list and refuse it in tools/call'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from token" -f -a "create" -d 'Create an API token for one server; the token is printed once and never again'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from token" -f -a "list" -d 'List tokens (never their secrets), of one server or all'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from token" -f -a "revoke" -d 'Revoke a token: it is refused from then on'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "create" -d 'Create an end user; without a password they can sign in only through SSO'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "list" -d 'List users'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "show" -d 'Show one user and their groups'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "disable" -d 'Disable a user: they can no longer sign in'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "enable" -d 'Enable a disabled user'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "delete" -d 'Delete a user with their group memberships and linked upstream accounts'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "connections" -d 'The upstream accounts a user linked (per-user upstream access); never their tokens'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "disconnect" -d 'Remove a user\'s linked upstream account for a server (they are asked to link it again)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "sessions" -d 'List a user\'s sign-ins (one per client and server), newest last'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "signout" -d 'End every sign-in of a user: their tokens stop working and open sessions close'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from user" -f -a "passwd" -d 'Set a user\'s password (prompted on a terminal, or --password-stdin)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from group" -f -a "create" -d 'Create a group of users'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from group" -f -a "list" -d 'List groups with their members and servers'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from group" -f -a "show" -d 'Show one group'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from group" -f -a "delete" -d 'Delete a group: its members lose the servers it granted'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from group" -f -a "add" -d 'Add users to a group'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from group" -f -a "remove" -d 'Remove users from a group'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from group" -f -a "grant" -d 'Let a group\'s members reach servers (or, with --tools, some tools of one server)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from group" -f -a "revoke" -d 'Take servers away from a group'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "rotate" -d 'Replace the signing key: new JWTs are signed with a new key; the old one stays published until the tokens it signed have expired'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from key" -f -a "list" -d 'List the signing keys: the current one and those retired (never a private key)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from sso" -f -a "set" -d 'Set up single sign-on through an OpenID Connect provider (replaces earlier settings)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from sso" -f -a "show" -d 'Show the single sign-on settings (never the secret)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from sso" -f -a "disable" -d 'Turn single sign-on off: `--auth sso` servers refuse new sign-ins until `sso set`'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from logs" -f -a "tail" -d 'Show the newest activity records (oldest of them first), and optionally follow new ones'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from logs" -f -a "export" -d 'Write activity records to a file'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from logs" -f -a "show" -d 'Show one call: its record, inputs and outputs, and its trace as a waterfall'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from admin" -f -a "create" -d 'Create an admin (with a password from standard input, or bound to an SSO subject)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from admin" -f -a "list" -d 'List admins and the roles they hold'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from admin" -f -a "show" -d 'Show one admin'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from admin" -f -a "disable" -d 'Disable an admin: its tokens are refused until it is enabled again'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from admin" -f -a "enable" -d 'Enable a disabled admin'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from admin" -f -a "delete" -d 'Delete an admin with its roles and tokens'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from admin" -f -a "passwd" -d 'Set an admin\'s password (from standard input)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from admin" -f -a "grant" -d 'Give an admin a role, everywhere or on some servers'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from admin" -f -a "revoke" -d 'Take a role back from an admin (everywhere, or on the servers named)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from admin" -f -a "token" -d 'Admin API tokens'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from admin" -f -a "login" -d 'Sign in to a gateway (--remote URL) through its identity provider, in a browser; the admin token it issues (12 h) goes to --admin-token-file, or to ~/.config/mcpcp/admin-token, which later --remote commands read'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from role" -f -a "permissions" -d 'List every permission a role can grant, and what it allows'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from role" -f -a "list" -d 'List the roles, built-in and custom'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from role" -f -a "show" -d 'Show one role and its permissions'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from role" -f -a "create" -d 'Create a custom role'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from role" -f -a "update" -d 'Change a custom role\'s permissions (replaced) or description'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from role" -f -a "delete" -d 'Delete a custom role nobody holds'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from role" -f -a "bind" -d 'Give a role to every SSO admin in an identity provider\'s group (everywhere, or on servers)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from role" -f -a "unbind" -d 'Take a role back from an identity provider\'s group'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from role" -f -a "bindings" -d 'List the identity provider groups bound to roles'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from audit" -f -a "list" -d 'List audit entries, newest last'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from audit" -f -a "verify" -d 'Check the hash chain and report the first broken link'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from siem" -f -a "add" -d 'Add a sink: the gateway streams events to it from then on'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from siem" -f -a "list" -d 'List sinks'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from siem" -f -a "show" -d 'Show one sink'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from siem" -f -a "pause" -d 'Stop delivering to a sink; its backlog is kept (up to siem.max_backlog records)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from siem" -f -a "resume" -d 'Deliver to a paused sink again, from where it stopped'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from siem" -f -a "remove" -d 'Remove a sink; what it had not delivered is no longer kept for it'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from siem" -f -a "test" -d 'Send one test event to a sink\'s receiver and report what it answered (the sink\'s cursor is not touched)'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from siem" -f -a "status" -d 'Each sink\'s delivery: state, events delivered, lag, last error, losses'
complete -c mcpcp -n "__fish_mcpcp_using_subcommand help; and __fish_seen_subcommand_from config" -f -a "check" -d 'Validate the configuration and show each effective value with where it came from'
