
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'mcpcp' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'mcpcp'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'mcpcp' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Run the gateway: every enabled server at /mcp/NAME')
            [CompletionResult]::new('server', 'server', [CompletionResultType]::ParameterValue, 'Upstream MCP servers exposed by the gateway')
            [CompletionResult]::new('tool', 'tool', [CompletionResultType]::ParameterValue, 'The tools of a server, and which are offered')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Server-scoped API tokens')
            [CompletionResult]::new('user', 'user', [CompletionResultType]::ParameterValue, 'End users')
            [CompletionResult]::new('group', 'group', [CompletionResultType]::ParameterValue, 'Groups of users, and the servers they grant')
            [CompletionResult]::new('key', 'key', [CompletionResultType]::ParameterValue, 'The keys that sign the identity JWTs upstreams are given (`server identity --forward jwt`)')
            [CompletionResult]::new('sso', 'sso', [CompletionResultType]::ParameterValue, 'Single sign-on through an external OpenID Connect provider')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'The activity log: every request the gateway received')
            [CompletionResult]::new('admin', 'admin', [CompletionResultType]::ParameterValue, 'Administrators other than the person at the machine, their roles and API tokens')
            [CompletionResult]::new('role', 'role', [CompletionResultType]::ParameterValue, 'Admin roles: sets of permissions, built-in and custom')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'The audit trail of administrative changes')
            [CompletionResult]::new('siem', 'siem', [CompletionResultType]::ParameterValue, 'Stream the activity log and the audit trail to SIEMs (syslog, Splunk HEC, HTTP, OTLP)')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'The process configuration')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcpcp;serve' {
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Address to listen on [env: MCPCP_LISTEN] [default: 127.0.0.1:7330]')
            [CompletionResult]::new('--public-url', '--public-url', [CompletionResultType]::ParameterName, 'The externally visible base URL, used in every discovery document [env: MCPCP_PUBLIC_URL]')
            [CompletionResult]::new('--tls-cert', '--tls-cert', [CompletionResultType]::ParameterName, 'TLS certificate chain (PEM) [env: MCPCP_TLS_CERT]')
            [CompletionResult]::new('--tls-key', '--tls-key', [CompletionResultType]::ParameterName, 'TLS private key (PEM) [env: MCPCP_TLS_KEY]')
            [CompletionResult]::new('--metrics-listen', '--metrics-listen', [CompletionResultType]::ParameterName, 'Also serve the Prometheus metrics at /metrics on this address [env: MCPCP_METRICS_LISTEN] [default: off]')
            [CompletionResult]::new('--admin-listen', '--admin-listen', [CompletionResultType]::ParameterName, 'Serve the admin API (/api/v1) on this address instead of the main listener [env: MCPCP_ADMIN_LISTEN] [default: the main listener]')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('--tls-self-signed', '--tls-self-signed', [CompletionResultType]::ParameterName, 'Serve TLS with a self-signed certificate kept in the data directory')
            [CompletionResult]::new('--insecure-http', '--insecure-http', [CompletionResultType]::ParameterName, 'Allow plain HTTP on a non-loopback address (only behind a TLS-terminating proxy)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;server' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Register an upstream MCP server (or compose one from other servers'' tools, or turn a REST API''s OpenAPI document into tools), exposed at /mcp/NAME')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List servers')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one server with its tools, tokens and groups')
            [CompletionResult]::new('connections', 'connections', [CompletionResultType]::ParameterValue, 'The upstream accounts linked for a server (per user, and its shared one); never tokens')
            [CompletionResult]::new('connect', 'connect', [CompletionResultType]::ParameterValue, 'Authorize the server''s shared upstream connection in your browser (used by its API tokens)')
            [CompletionResult]::new('disconnect', 'disconnect', [CompletionResultType]::ParameterValue, 'Remove the server''s shared upstream connection (its API tokens are refused until a new one)')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Rename a server (its URL path changes with it)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a server with its tools, tokens and group grants')
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Enable a disabled server')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Disable a server: clients are refused until it is enabled')
            [CompletionResult]::new('capture', 'capture', [CompletionResultType]::ParameterValue, 'Set what the activity log keeps of the server''s requests')
            [CompletionResult]::new('limits', 'limits', [CompletionResultType]::ParameterValue, 'Rate limits and usage quotas on tools/call; no flags shows them')
            [CompletionResult]::new('upstream-auth', 'upstream-auth', [CompletionResultType]::ParameterValue, 'How the gateway authenticates to the upstream: none, or static headers (an API key)')
            [CompletionResult]::new('identity', 'identity', [CompletionResultType]::ParameterValue, 'What the upstream is told about each caller: headers, a signed JWT, _meta; no flags shows it')
            [CompletionResult]::new('refresh', 'refresh', [CompletionResultType]::ParameterValue, 'Read an OpenAPI server''s document again: shows what changed, applies it with --yes')
            [CompletionResult]::new('tool', 'tool', [CompletionResultType]::ParameterValue, 'The tools of a composed server: other servers'' tools, renamed, re-described, arguments fixed or hidden')
            [CompletionResult]::new('ip', 'ip', [CompletionResultType]::ParameterValue, 'Client address rules: deny wins; a non-empty allow list admits only its ranges')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcpcp;server;create' {
            [CompletionResult]::new('--url', '--url', [CompletionResultType]::ParameterName, 'A remote MCP server (Streamable HTTP, falling back to HTTP+SSE)')
            [CompletionResult]::new('--command', '--command', [CompletionResultType]::ParameterName, 'A local MCP server started as a process speaking stdio, e.g. "npx -y @modelcontextprotocol/server-everything"')
            [CompletionResult]::new('--openapi', '--openapi', [CompletionResultType]::ParameterName, 'A REST API: its OpenAPI 3.0/3.1 document (JSON), a file or an http(s) URL; its operations become the tools')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'With --openapi: the API''s base URL (http or https), which operation paths are appended to')
            [CompletionResult]::new('--operations', '--operations', [CompletionResultType]::ParameterName, 'With --openapi: import only these operations (operationIds, comma separated)')
            [CompletionResult]::new('--tag', '--tag', [CompletionResultType]::ParameterName, 'With --openapi: import only the operations with this tag')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'An environment variable for the process (repeatable); values are encrypted at rest')
            [CompletionResult]::new('--auth', '--auth', [CompletionResultType]::ParameterName, 'How clients authenticate')
            [CompletionResult]::new('--description', '--description', [CompletionResultType]::ParameterName, 'What the server is for')
            [CompletionResult]::new('--capture', '--capture', [CompletionResultType]::ParameterName, 'What the activity log keeps: full (with inputs and outputs), metadata, or off')
            [CompletionResult]::new('--upstream-auth', '--upstream-auth', [CompletionResultType]::ParameterName, 'How the gateway authenticates to the upstream: none, or header (the --header values with every request)')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'A header for the upstream (repeatable), e.g. Authorization or X-Api-Key; its value comes from standard input (--value-stdin) and is encrypted at rest')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'With --upstream-auth oauth: mcpcp''s client id at the upstream''s authorization server (a pre-registered app); without it mcpcp names itself by its client ID metadata document or registers itself there')
            [CompletionResult]::new('--scopes', '--scopes', [CompletionResultType]::ParameterName, 'The scopes to ask for, space separated [default: what the upstream advertises]')
            [CompletionResult]::new('--authorization-url', '--authorization-url', [CompletionResultType]::ParameterName, 'The authorization endpoint, for an upstream that publishes no metadata (with --token-url and --client-id)')
            [CompletionResult]::new('--token-url', '--token-url', [CompletionResultType]::ParameterName, 'The token endpoint (with --authorization-url)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('--composed', '--composed', [CompletionResultType]::ParameterName, 'No upstream of its own: its tools are picked from other servers with `server tool add`')
            [CompletionResult]::new('--skip-unsupported', '--skip-unsupported', [CompletionResultType]::ParameterName, 'With --openapi: import what is supported and list what was skipped, instead of refusing')
            [CompletionResult]::new('--value-stdin', '--value-stdin', [CompletionResultType]::ParameterName, 'Read the --header values from standard input: one line each, in the order of the flags')
            [CompletionResult]::new('--client-secret-stdin', '--client-secret-stdin', [CompletionResultType]::ParameterName, 'Read that client''s secret from standard input (its first line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;server;list' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;server;show' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;server;connections' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;server;connect' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long the link works and the command waits for the sign-in (at most 10m)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;server;disconnect' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;server;rename' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;server;delete' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;server;enable' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;server;disable' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;server;capture' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;server;limits' {
            [CompletionResult]::new('--rate', '--rate', [CompletionResultType]::ParameterName, 'Rate limit: N calls per INTERVAL, e.g. 100/1m, 5/1s, 1000/1d (GCRA: smooth, no fixed windows)')
            [CompletionResult]::new('--burst', '--burst', [CompletionResultType]::ParameterName, 'Calls admitted at once from rest (default: N)')
            [CompletionResult]::new('--quota', '--quota', [CompletionResultType]::ParameterName, 'Usage quota: N calls per calendar PERIOD (hour, day, week, month); refused until the period ends')
            [CompletionResult]::new('--timezone', '--timezone', [CompletionResultType]::ParameterName, 'The quota''s time zone (IANA name, e.g. Europe/Berlin): periods start at local midnight [default: UTC]')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('--no-rate', '--no-rate', [CompletionResultType]::ParameterName, 'Remove the rate limit')
            [CompletionResult]::new('--no-quota', '--no-quota', [CompletionResultType]::ParameterName, 'Remove the quota')
            [CompletionResult]::new('--per-user', '--per-user', [CompletionResultType]::ParameterName, 'The limits apply to each principal (user or token) on its own, beside the server-wide ones')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;server;upstream-auth' {
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, 'A header for the upstream (repeatable), e.g. Authorization or X-Api-Key; its value comes from standard input (--value-stdin) and is encrypted at rest')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'With --upstream-auth oauth: mcpcp''s client id at the upstream''s authorization server (a pre-registered app); without it mcpcp names itself by its client ID metadata document or registers itself there')
            [CompletionResult]::new('--scopes', '--scopes', [CompletionResultType]::ParameterName, 'The scopes to ask for, space separated [default: what the upstream advertises]')
            [CompletionResult]::new('--authorization-url', '--authorization-url', [CompletionResultType]::ParameterName, 'The authorization endpoint, for an upstream that publishes no metadata (with --token-url and --client-id)')
            [CompletionResult]::new('--token-url', '--token-url', [CompletionResultType]::ParameterName, 'The token endpoint (with --authorization-url)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('--value-stdin', '--value-stdin', [CompletionResultType]::ParameterName, 'Read the --header values from standard input: one line each, in the order of the flags')
            [CompletionResult]::new('--client-secret-stdin', '--client-secret-stdin', [CompletionResultType]::ParameterName, 'Read that client''s secret from standard input (its first line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;server;identity' {
            [CompletionResult]::new('--forward', '--forward', [CompletionResultType]::ParameterName, 'none, or any of headers, jwt, meta joined by commas (e.g. headers,jwt)')
            [CompletionResult]::new('--jwt-header', '--jwt-header', [CompletionResultType]::ParameterName, 'The header the signed JWT travels in [default: X-MCPCP-Identity]')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;server;refresh' {
            [CompletionResult]::new('--openapi', '--openapi', [CompletionResultType]::ParameterName, 'Read the document from here from now on (a file path or an http(s) URL) [default: where it was read from]')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Apply the changes (without it, they are only shown)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;server;tool' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add another server''s tool to a composed server, renamed, re-described, arguments fixed or hidden')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a tool from a composed server')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List a composed server''s tools and where they forward to')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcpcp;server;tool;add' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'The tool it forwards to')
            [CompletionResult]::new('--as', '--as', [CompletionResultType]::ParameterName, 'The name clients see [default: the source tool''s]')
            [CompletionResult]::new('--description', '--description', [CompletionResultType]::ParameterName, 'The description clients see [default: the source tool''s]')
            [CompletionResult]::new('--set', '--set', [CompletionResultType]::ParameterName, 'Fix an argument (repeatable): removed from the schema clients see; a client''s value is replaced')
            [CompletionResult]::new('--hide', '--hide', [CompletionResultType]::ParameterName, 'Remove an optional argument from the schema clients see (repeatable); a client''s value is dropped')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;server;tool;remove' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;server;tool;list' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;server;tool;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add another server''s tool to a composed server, renamed, re-described, arguments fixed or hidden')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a tool from a composed server')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List a composed server''s tools and where they forward to')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcpcp;server;tool;help;add' {
            break
        }
        'mcpcp;server;tool;help;remove' {
            break
        }
        'mcpcp;server;tool;help;list' {
            break
        }
        'mcpcp;server;tool;help;help' {
            break
        }
        'mcpcp;server;ip' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('allow', 'allow', [CompletionResultType]::ParameterValue, 'Admit clients from CIDR (once the allow list is not empty, only its ranges are admitted)')
            [CompletionResult]::new('deny', 'deny', [CompletionResultType]::ParameterValue, 'Refuse clients from CIDR (403), before any authentication')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove the rule for CIDR')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show the allow and deny lists')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcpcp;server;ip;allow' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;server;ip;deny' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;server;ip;remove' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;server;ip;list' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;server;ip;help' {
            [CompletionResult]::new('allow', 'allow', [CompletionResultType]::ParameterValue, 'Admit clients from CIDR (once the allow list is not empty, only its ranges are admitted)')
            [CompletionResult]::new('deny', 'deny', [CompletionResultType]::ParameterValue, 'Refuse clients from CIDR (403), before any authentication')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove the rule for CIDR')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show the allow and deny lists')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcpcp;server;ip;help;allow' {
            break
        }
        'mcpcp;server;ip;help;deny' {
            break
        }
        'mcpcp;server;ip;help;remove' {
            break
        }
        'mcpcp;server;ip;help;list' {
            break
        }
        'mcpcp;server;ip;help;help' {
            break
        }
        'mcpcp;server;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Register an upstream MCP server (or compose one from other servers'' tools, or turn a REST API''s OpenAPI document into tools), exposed at /mcp/NAME')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List servers')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one server with its tools, tokens and groups')
            [CompletionResult]::new('connections', 'connections', [CompletionResultType]::ParameterValue, 'The upstream accounts linked for a server (per user, and its shared one); never tokens')
            [CompletionResult]::new('connect', 'connect', [CompletionResultType]::ParameterValue, 'Authorize the server''s shared upstream connection in your browser (used by its API tokens)')
            [CompletionResult]::new('disconnect', 'disconnect', [CompletionResultType]::ParameterValue, 'Remove the server''s shared upstream connection (its API tokens are refused until a new one)')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Rename a server (its URL path changes with it)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a server with its tools, tokens and group grants')
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Enable a disabled server')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Disable a server: clients are refused until it is enabled')
            [CompletionResult]::new('capture', 'capture', [CompletionResultType]::ParameterValue, 'Set what the activity log keeps of the server''s requests')
            [CompletionResult]::new('limits', 'limits', [CompletionResultType]::ParameterValue, 'Rate limits and usage quotas on tools/call; no flags shows them')
            [CompletionResult]::new('upstream-auth', 'upstream-auth', [CompletionResultType]::ParameterValue, 'How the gateway authenticates to the upstream: none, or static headers (an API key)')
            [CompletionResult]::new('identity', 'identity', [CompletionResultType]::ParameterValue, 'What the upstream is told about each caller: headers, a signed JWT, _meta; no flags shows it')
            [CompletionResult]::new('refresh', 'refresh', [CompletionResultType]::ParameterValue, 'Read an OpenAPI server''s document again: shows what changed, applies it with --yes')
            [CompletionResult]::new('tool', 'tool', [CompletionResultType]::ParameterValue, 'The tools of a composed server: other servers'' tools, renamed, re-described, arguments fixed or hidden')
            [CompletionResult]::new('ip', 'ip', [CompletionResultType]::ParameterValue, 'Client address rules: deny wins; a non-empty allow list admits only its ranges')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcpcp;server;help;create' {
            break
        }
        'mcpcp;server;help;list' {
            break
        }
        'mcpcp;server;help;show' {
            break
        }
        'mcpcp;server;help;connections' {
            break
        }
        'mcpcp;server;help;connect' {
            break
        }
        'mcpcp;server;help;disconnect' {
            break
        }
        'mcpcp;server;help;rename' {
            break
        }
        'mcpcp;server;help;delete' {
            break
        }
        'mcpcp;server;help;enable' {
            break
        }
        'mcpcp;server;help;disable' {
            break
        }
        'mcpcp;server;help;capture' {
            break
        }
        'mcpcp;server;help;limits' {
            break
        }
        'mcpcp;server;help;upstream-auth' {
            break
        }
        'mcpcp;server;help;identity' {
            break
        }
        'mcpcp;server;help;refresh' {
            break
        }
        'mcpcp;server;help;tool' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add another server''s tool to a composed server, renamed, re-described, arguments fixed or hidden')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a tool from a composed server')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List a composed server''s tools and where they forward to')
            break
        }
        'mcpcp;server;help;tool;add' {
            break
        }
        'mcpcp;server;help;tool;remove' {
            break
        }
        'mcpcp;server;help;tool;list' {
            break
        }
        'mcpcp;server;help;ip' {
            [CompletionResult]::new('allow', 'allow', [CompletionResultType]::ParameterValue, 'Admit clients from CIDR (once the allow list is not empty, only its ranges are admitted)')
            [CompletionResult]::new('deny', 'deny', [CompletionResultType]::ParameterValue, 'Refuse clients from CIDR (403), before any authentication')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove the rule for CIDR')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show the allow and deny lists')
            break
        }
        'mcpcp;server;help;ip;allow' {
            break
        }
        'mcpcp;server;help;ip;deny' {
            break
        }
        'mcpcp;server;help;ip;remove' {
            break
        }
        'mcpcp;server;help;ip;list' {
            break
        }
        'mcpcp;server;help;help' {
            break
        }
        'mcpcp;tool' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List a server''s tools and their state')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Ask the upstream for its tools and record them: new ones start offered, vanished ones go (stopped ones stay, stopped)')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Offer a stopped tool to clients again')
            [CompletionResult]::new('stop', 'stop', [CompletionResultType]::ParameterValue, 'Hide a tool from tools/list and refuse it in tools/call')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcpcp;tool;list' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;tool;sync' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Give up after this long (the upstream may need to start first)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;tool;start' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;tool;stop' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;tool;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List a server''s tools and their state')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Ask the upstream for its tools and record them: new ones start offered, vanished ones go (stopped ones stay, stopped)')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Offer a stopped tool to clients again')
            [CompletionResult]::new('stop', 'stop', [CompletionResultType]::ParameterValue, 'Hide a tool from tools/list and refuse it in tools/call')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcpcp;tool;help;list' {
            break
        }
        'mcpcp;tool;help;sync' {
            break
        }
        'mcpcp;tool;help;start' {
            break
        }
        'mcpcp;tool;help;stop' {
            break
        }
        'mcpcp;tool;help;help' {
            break
        }
        'mcpcp;token' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create an API token for one server; the token is printed once and never again')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List tokens (never their secrets), of one server or all')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke a token: it is refused from then on')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcpcp;token;create' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'A name to recognise the token by (default: token-ID)')
            [CompletionResult]::new('--expires', '--expires', [CompletionResultType]::ParameterName, 'Lifetime, e.g. 12h, 30d, 2w (default: no expiry)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;token;list' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;token;revoke' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;token;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create an API token for one server; the token is printed once and never again')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List tokens (never their secrets), of one server or all')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke a token: it is refused from then on')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcpcp;token;help;create' {
            break
        }
        'mcpcp;token;help;list' {
            break
        }
        'mcpcp;token;help;revoke' {
            break
        }
        'mcpcp;token;help;help' {
            break
        }
        'mcpcp;user' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create an end user; without a password they can sign in only through SSO')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List users')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one user and their groups')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Disable a user: they can no longer sign in')
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Enable a disabled user')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a user with their group memberships and linked upstream accounts')
            [CompletionResult]::new('connections', 'connections', [CompletionResultType]::ParameterValue, 'The upstream accounts a user linked (per-user upstream access); never their tokens')
            [CompletionResult]::new('disconnect', 'disconnect', [CompletionResultType]::ParameterValue, 'Remove a user''s linked upstream account for a server (they are asked to link it again)')
            [CompletionResult]::new('sessions', 'sessions', [CompletionResultType]::ParameterValue, 'List a user''s sign-ins (one per client and server), newest last')
            [CompletionResult]::new('signout', 'signout', [CompletionResultType]::ParameterValue, 'End every sign-in of a user: their tokens stop working and open sessions close')
            [CompletionResult]::new('passwd', 'passwd', [CompletionResultType]::ParameterValue, 'Set a user''s password (prompted on a terminal, or --password-stdin)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcpcp;user;create' {
            [CompletionResult]::new('--email', '--email', [CompletionResultType]::ParameterName, 'email')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input (first line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;user;list' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;user;show' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;user;disable' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;user;enable' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;user;delete' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;user;connections' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;user;disconnect' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;user;sessions' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;user;signout' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;user;passwd' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input (first line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;user;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create an end user; without a password they can sign in only through SSO')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List users')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one user and their groups')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Disable a user: they can no longer sign in')
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Enable a disabled user')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a user with their group memberships and linked upstream accounts')
            [CompletionResult]::new('connections', 'connections', [CompletionResultType]::ParameterValue, 'The upstream accounts a user linked (per-user upstream access); never their tokens')
            [CompletionResult]::new('disconnect', 'disconnect', [CompletionResultType]::ParameterValue, 'Remove a user''s linked upstream account for a server (they are asked to link it again)')
            [CompletionResult]::new('sessions', 'sessions', [CompletionResultType]::ParameterValue, 'List a user''s sign-ins (one per client and server), newest last')
            [CompletionResult]::new('signout', 'signout', [CompletionResultType]::ParameterValue, 'End every sign-in of a user: their tokens stop working and open sessions close')
            [CompletionResult]::new('passwd', 'passwd', [CompletionResultType]::ParameterValue, 'Set a user''s password (prompted on a terminal, or --password-stdin)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcpcp;user;help;create' {
            break
        }
        'mcpcp;user;help;list' {
            break
        }
        'mcpcp;user;help;show' {
            break
        }
        'mcpcp;user;help;disable' {
            break
        }
        'mcpcp;user;help;enable' {
            break
        }
        'mcpcp;user;help;delete' {
            break
        }
        'mcpcp;user;help;connections' {
            break
        }
        'mcpcp;user;help;disconnect' {
            break
        }
        'mcpcp;user;help;sessions' {
            break
        }
        'mcpcp;user;help;signout' {
            break
        }
        'mcpcp;user;help;passwd' {
            break
        }
        'mcpcp;user;help;help' {
            break
        }
        'mcpcp;group' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a group of users')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List groups with their members and servers')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one group')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a group: its members lose the servers it granted')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add users to a group')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove users from a group')
            [CompletionResult]::new('grant', 'grant', [CompletionResultType]::ParameterValue, 'Let a group''s members reach servers (or, with --tools, some tools of one server)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Take servers away from a group')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcpcp;group;create' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;group;list' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;group;show' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;group;delete' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;group;add' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;group;remove' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;group;grant' {
            [CompletionResult]::new('--tools', '--tools', [CompletionResultType]::ParameterName, 'Only these tools of the server: its other tools are hidden from the members'' tools/list and refused')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;group;revoke' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;group;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a group of users')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List groups with their members and servers')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one group')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a group: its members lose the servers it granted')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add users to a group')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove users from a group')
            [CompletionResult]::new('grant', 'grant', [CompletionResultType]::ParameterValue, 'Let a group''s members reach servers (or, with --tools, some tools of one server)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Take servers away from a group')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcpcp;group;help;create' {
            break
        }
        'mcpcp;group;help;list' {
            break
        }
        'mcpcp;group;help;show' {
            break
        }
        'mcpcp;group;help;delete' {
            break
        }
        'mcpcp;group;help;add' {
            break
        }
        'mcpcp;group;help;remove' {
            break
        }
        'mcpcp;group;help;grant' {
            break
        }
        'mcpcp;group;help;revoke' {
            break
        }
        'mcpcp;group;help;help' {
            break
        }
        'mcpcp;key' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Replace the signing key: new JWTs are signed with a new key; the old one stays published until the tokens it signed have expired')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the signing keys: the current one and those retired (never a private key)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcpcp;key;rotate' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;key;list' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;key;help' {
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Replace the signing key: new JWTs are signed with a new key; the old one stays published until the tokens it signed have expired')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the signing keys: the current one and those retired (never a private key)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcpcp;key;help;rotate' {
            break
        }
        'mcpcp;key;help;list' {
            break
        }
        'mcpcp;key;help;help' {
            break
        }
        'mcpcp;sso' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set up single sign-on through an OpenID Connect provider (replaces earlier settings)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show the single sign-on settings (never the secret)')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Turn single sign-on off: `--auth sso` servers refuse new sign-ins until `sso set`')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcpcp;sso;set' {
            [CompletionResult]::new('--issuer', '--issuer', [CompletionResultType]::ParameterName, 'The provider''s issuer URL (its discovery document is ISSUER/.well-known/openid-configuration)')
            [CompletionResult]::new('--client-id', '--client-id', [CompletionResultType]::ParameterName, 'The client id mcpcp was registered under at the provider')
            [CompletionResult]::new('--scopes', '--scopes', [CompletionResultType]::ParameterName, 'Scopes to request (default: openid profile email)')
            [CompletionResult]::new('--groups-claim', '--groups-claim', [CompletionResultType]::ParameterName, 'The ID token (or userinfo) claim listing the user''s IdP groups')
            [CompletionResult]::new('--group-map', '--group-map', [CompletionResultType]::ParameterName, 'Put users whose groups claim holds IDP_GROUP in mcpcp group GROUP (repeatable)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('--client-secret-stdin', '--client-secret-stdin', [CompletionResultType]::ParameterName, 'Read the client secret from standard input (first line). Required: the secret is never taken from the command line')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;sso;show' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;sso;disable' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;sso;help' {
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set up single sign-on through an OpenID Connect provider (replaces earlier settings)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show the single sign-on settings (never the secret)')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Turn single sign-on off: `--auth sso` servers refuse new sign-ins until `sso set`')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcpcp;sso;help;set' {
            break
        }
        'mcpcp;sso;help;show' {
            break
        }
        'mcpcp;sso;help;disable' {
            break
        }
        'mcpcp;sso;help;help' {
            break
        }
        'mcpcp;logs' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('tail', 'tail', [CompletionResultType]::ParameterValue, 'Show the newest activity records (oldest of them first), and optionally follow new ones')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write activity records to a file')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one call: its record, inputs and outputs, and its trace as a waterfall')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcpcp;logs;tail' {
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'How many of the newest records to show')
            [CompletionResult]::new('--lines', '--lines', [CompletionResultType]::ParameterName, 'How many of the newest records to show')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only records since this long ago (1h, 7d) or this RFC 3339 time')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only records before this long ago or this RFC 3339 time')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'server')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The principal: a token name or user name')
            [CompletionResult]::new('--tool', '--tool', [CompletionResultType]::ParameterName, 'tool')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'tool_call, list, resource_read, prompt_get, request, notification, response, session_start, session_end, stream_open, auth_failure, denied, ip_denied, rate_limited, quota_exceeded, upstream_auth_required, upstream_link, invalid_request')
            [CompletionResult]::new('--level', '--level', [CompletionResultType]::ParameterName, 'level')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'status')
            [CompletionResult]::new('--fault', '--fault', [CompletionResultType]::ParameterName, 'Only failures that were this party''s fault: client (bad request, credentials, limits), upstream (unreachable, refused, timed out, invalid answer), operator (misconfiguration), internal (mcpcp itself)')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Only the records of this trace (32 hex digits: a client''s `traceparent`, or the `trace_id` of a record)')
            [CompletionResult]::new('--where', '--where', [CompletionResultType]::ParameterName, 'FIELD=VALUE on any recorded field, or input.PATH=VALUE / output.PATH=VALUE inside the JSON (`--where input.customer_id=42`). Repeatable; all must hold')
            [CompletionResult]::new('--origin', '--origin', [CompletionResultType]::ParameterName, 'Only calls to composed servers'' tools that forwarded to this source tool')
            [CompletionResult]::new('--step-status', '--step-status', [CompletionResultType]::ParameterName, 'Only calls with a step of this status (composed and OpenAPI tools'' steps): `error` finds the calls whose backend step failed')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Keep printing records as they are committed')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Keep printing records as they are committed')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;logs;export' {
            [CompletionResult]::new('--output-file', '--output-file', [CompletionResultType]::ParameterName, 'The file to write (created or replaced)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'format')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only records since this long ago (1h, 7d) or this RFC 3339 time')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only records before this long ago or this RFC 3339 time')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'server')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'The principal: a token name or user name')
            [CompletionResult]::new('--tool', '--tool', [CompletionResultType]::ParameterName, 'tool')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'tool_call, list, resource_read, prompt_get, request, notification, response, session_start, session_end, stream_open, auth_failure, denied, ip_denied, rate_limited, quota_exceeded, upstream_auth_required, upstream_link, invalid_request')
            [CompletionResult]::new('--level', '--level', [CompletionResultType]::ParameterName, 'level')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'status')
            [CompletionResult]::new('--fault', '--fault', [CompletionResultType]::ParameterName, 'Only failures that were this party''s fault: client (bad request, credentials, limits), upstream (unreachable, refused, timed out, invalid answer), operator (misconfiguration), internal (mcpcp itself)')
            [CompletionResult]::new('--trace', '--trace', [CompletionResultType]::ParameterName, 'Only the records of this trace (32 hex digits: a client''s `traceparent`, or the `trace_id` of a record)')
            [CompletionResult]::new('--where', '--where', [CompletionResultType]::ParameterName, 'FIELD=VALUE on any recorded field, or input.PATH=VALUE / output.PATH=VALUE inside the JSON (`--where input.customer_id=42`). Repeatable; all must hold')
            [CompletionResult]::new('--origin', '--origin', [CompletionResultType]::ParameterName, 'Only calls to composed servers'' tools that forwarded to this source tool')
            [CompletionResult]::new('--step-status', '--step-status', [CompletionResultType]::ParameterName, 'Only calls with a step of this status (composed and OpenAPI tools'' steps): `error` finds the calls whose backend step failed')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;logs;show' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;logs;help' {
            [CompletionResult]::new('tail', 'tail', [CompletionResultType]::ParameterValue, 'Show the newest activity records (oldest of them first), and optionally follow new ones')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write activity records to a file')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one call: its record, inputs and outputs, and its trace as a waterfall')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcpcp;logs;help;tail' {
            break
        }
        'mcpcp;logs;help;export' {
            break
        }
        'mcpcp;logs;help;show' {
            break
        }
        'mcpcp;logs;help;help' {
            break
        }
        'mcpcp;admin' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create an admin (with a password from standard input, or bound to an SSO subject)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List admins and the roles they hold')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one admin')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Disable an admin: its tokens are refused until it is enabled again')
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Enable a disabled admin')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete an admin with its roles and tokens')
            [CompletionResult]::new('passwd', 'passwd', [CompletionResultType]::ParameterValue, 'Set an admin''s password (from standard input)')
            [CompletionResult]::new('grant', 'grant', [CompletionResultType]::ParameterValue, 'Give an admin a role, everywhere or on some servers')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Take a role back from an admin (everywhere, or on the servers named)')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Admin API tokens')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Sign in to a gateway (--remote URL) through its identity provider, in a browser; the admin token it issues (12 h) goes to --admin-token-file, or to ~/.config/mcpcp/admin-token, which later --remote commands read')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcpcp;admin;create' {
            [CompletionResult]::new('--email', '--email', [CompletionResultType]::ParameterName, 'email')
            [CompletionResult]::new('--sso-subject', '--sso-subject', [CompletionResultType]::ParameterName, 'The identity provider''s subject (`sub`) of an SSO admin')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'Read the password from standard input (first line)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;admin;list' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;admin;show' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;admin;disable' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;admin;enable' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;admin;delete' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;admin;passwd' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('--password-stdin', '--password-stdin', [CompletionResultType]::ParameterName, 'password-stdin')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;admin;grant' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Only on this server (repeatable)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;admin;revoke' {
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'server')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;admin;token' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create an API token for an admin; it is printed once and never again')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List admin tokens (never their secrets), of one admin or all')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke an admin token: refused from the next request on')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcpcp;admin;token;create' {
            [CompletionResult]::new('--name', '--name', [CompletionResultType]::ParameterName, 'name')
            [CompletionResult]::new('--expires', '--expires', [CompletionResultType]::ParameterName, 'Lifetime, e.g. 12h, 90d (default: no expiry)')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'Narrow the token to one role its admin holds')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Narrow the token to this server (repeatable)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;admin;token;list' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;admin;token;revoke' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;admin;token;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create an API token for an admin; it is printed once and never again')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List admin tokens (never their secrets), of one admin or all')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke an admin token: refused from the next request on')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcpcp;admin;token;help;create' {
            break
        }
        'mcpcp;admin;token;help;list' {
            break
        }
        'mcpcp;admin;token;help;revoke' {
            break
        }
        'mcpcp;admin;token;help;help' {
            break
        }
        'mcpcp;admin;login' {
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'How long to wait for the sign-in in the browser, in seconds')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;admin;help' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create an admin (with a password from standard input, or bound to an SSO subject)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List admins and the roles they hold')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one admin')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Disable an admin: its tokens are refused until it is enabled again')
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Enable a disabled admin')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete an admin with its roles and tokens')
            [CompletionResult]::new('passwd', 'passwd', [CompletionResultType]::ParameterValue, 'Set an admin''s password (from standard input)')
            [CompletionResult]::new('grant', 'grant', [CompletionResultType]::ParameterValue, 'Give an admin a role, everywhere or on some servers')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Take a role back from an admin (everywhere, or on the servers named)')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Admin API tokens')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Sign in to a gateway (--remote URL) through its identity provider, in a browser; the admin token it issues (12 h) goes to --admin-token-file, or to ~/.config/mcpcp/admin-token, which later --remote commands read')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcpcp;admin;help;create' {
            break
        }
        'mcpcp;admin;help;list' {
            break
        }
        'mcpcp;admin;help;show' {
            break
        }
        'mcpcp;admin;help;disable' {
            break
        }
        'mcpcp;admin;help;enable' {
            break
        }
        'mcpcp;admin;help;delete' {
            break
        }
        'mcpcp;admin;help;passwd' {
            break
        }
        'mcpcp;admin;help;grant' {
            break
        }
        'mcpcp;admin;help;revoke' {
            break
        }
        'mcpcp;admin;help;token' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create an API token for an admin; it is printed once and never again')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List admin tokens (never their secrets), of one admin or all')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke an admin token: refused from the next request on')
            break
        }
        'mcpcp;admin;help;token;create' {
            break
        }
        'mcpcp;admin;help;token;list' {
            break
        }
        'mcpcp;admin;help;token;revoke' {
            break
        }
        'mcpcp;admin;help;login' {
            break
        }
        'mcpcp;admin;help;help' {
            break
        }
        'mcpcp;role' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('permissions', 'permissions', [CompletionResultType]::ParameterValue, 'List every permission a role can grant, and what it allows')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the roles, built-in and custom')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one role and its permissions')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a custom role')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change a custom role''s permissions (replaced) or description')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a custom role nobody holds')
            [CompletionResult]::new('bind', 'bind', [CompletionResultType]::ParameterValue, 'Give a role to every SSO admin in an identity provider''s group (everywhere, or on servers)')
            [CompletionResult]::new('unbind', 'unbind', [CompletionResultType]::ParameterValue, 'Take a role back from an identity provider''s group')
            [CompletionResult]::new('bindings', 'bindings', [CompletionResultType]::ParameterValue, 'List the identity provider groups bound to roles')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcpcp;role;permissions' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;role;list' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;role;show' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;role;create' {
            [CompletionResult]::new('--allow', '--allow', [CompletionResultType]::ParameterName, 'Permissions, comma-separated or repeated; `server.*` is every permission of servers')
            [CompletionResult]::new('--description', '--description', [CompletionResultType]::ParameterName, 'description')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;role;update' {
            [CompletionResult]::new('--allow', '--allow', [CompletionResultType]::ParameterName, 'allow')
            [CompletionResult]::new('--description', '--description', [CompletionResultType]::ParameterName, 'description')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;role;delete' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;role;bind' {
            [CompletionResult]::new('--idp-group', '--idp-group', [CompletionResultType]::ParameterName, 'idp-group')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Only on this server (repeatable)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;role;unbind' {
            [CompletionResult]::new('--idp-group', '--idp-group', [CompletionResultType]::ParameterName, 'idp-group')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'server')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;role;bindings' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;role;help' {
            [CompletionResult]::new('permissions', 'permissions', [CompletionResultType]::ParameterValue, 'List every permission a role can grant, and what it allows')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the roles, built-in and custom')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one role and its permissions')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a custom role')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change a custom role''s permissions (replaced) or description')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a custom role nobody holds')
            [CompletionResult]::new('bind', 'bind', [CompletionResultType]::ParameterValue, 'Give a role to every SSO admin in an identity provider''s group (everywhere, or on servers)')
            [CompletionResult]::new('unbind', 'unbind', [CompletionResultType]::ParameterValue, 'Take a role back from an identity provider''s group')
            [CompletionResult]::new('bindings', 'bindings', [CompletionResultType]::ParameterValue, 'List the identity provider groups bound to roles')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcpcp;role;help;permissions' {
            break
        }
        'mcpcp;role;help;list' {
            break
        }
        'mcpcp;role;help;show' {
            break
        }
        'mcpcp;role;help;create' {
            break
        }
        'mcpcp;role;help;update' {
            break
        }
        'mcpcp;role;help;delete' {
            break
        }
        'mcpcp;role;help;bind' {
            break
        }
        'mcpcp;role;help;unbind' {
            break
        }
        'mcpcp;role;help;bindings' {
            break
        }
        'mcpcp;role;help;help' {
            break
        }
        'mcpcp;audit' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List audit entries, newest last')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check the hash chain and report the first broken link')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcpcp;audit;list' {
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only entries since this long ago (1h, 7d) or this RFC 3339 time')
            [CompletionResult]::new('--actor', '--actor', [CompletionResultType]::ParameterName, 'Only entries by this actor name')
            [CompletionResult]::new('--action', '--action', [CompletionResultType]::ParameterName, 'Only this action (server.create), or a family (server.*)')
            [CompletionResult]::new('--resource', '--resource', [CompletionResultType]::ParameterName, 'Only this resource: NAME, ID or TYPE:NAME (server:files)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'At most this many entries (the newest)')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most this many entries (the newest)')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;audit;verify' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;audit;help' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List audit entries, newest last')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check the hash chain and report the first broken link')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcpcp;audit;help;list' {
            break
        }
        'mcpcp;audit;help;verify' {
            break
        }
        'mcpcp;audit;help;help' {
            break
        }
        'mcpcp;siem' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a sink: the gateway streams events to it from then on')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List sinks')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one sink')
            [CompletionResult]::new('pause', 'pause', [CompletionResultType]::ParameterValue, 'Stop delivering to a sink; its backlog is kept (up to siem.max_backlog records)')
            [CompletionResult]::new('resume', 'resume', [CompletionResultType]::ParameterValue, 'Deliver to a paused sink again, from where it stopped')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a sink; what it had not delivered is no longer kept for it')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Send one test event to a sink''s receiver and report what it answered (the sink''s cursor is not touched)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Each sink''s delivery: state, events delivered, lag, last error, losses')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcpcp;siem;add' {
            [CompletionResult]::new('--syslog', '--syslog', [CompletionResultType]::ParameterName, 'A syslog receiver: tcp://HOST:PORT, tls://HOST:PORT (RFC 5425) or udp://HOST:PORT')
            [CompletionResult]::new('--hec', '--hec', [CompletionResultType]::ParameterName, 'A Splunk HTTP Event Collector, e.g. https://splunk.example.com:8088 (events are POSTed to /services/collector/event); needs --token-stdin')
            [CompletionResult]::new('--http', '--http', [CompletionResultType]::ParameterName, 'An HTTPS endpoint that takes batches of newline-delimited JSON (one event per line), signed when --secret-stdin gives a secret')
            [CompletionResult]::new('--otlp', '--otlp', [CompletionResultType]::ParameterName, 'An OpenTelemetry collector''s OTLP/HTTP endpoint, e.g. http://127.0.0.1:4318 (log records are POSTed to /v1/logs as protobuf)')
            [CompletionResult]::new('--index', '--index', [CompletionResultType]::ParameterName, '--hec: the Splunk index events go to [default: the token''s default index]')
            [CompletionResult]::new('--sourcetype', '--sourcetype', [CompletionResultType]::ParameterName, '--hec: the sourcetype of every event [default: mcpcp:activity or mcpcp:audit, by stream]')
            [CompletionResult]::new('--header', '--header', [CompletionResultType]::ParameterName, '--http, --otlp: a header sent with every request (repeatable): NAME=VALUE, or NAME alone to read its value from standard input (one line each, after the secret''s). Values are encrypted at rest and never shown')
            [CompletionResult]::new('--ca', '--ca', [CompletionResultType]::ParameterName, 'PEM file of the CA certificate(s) the receiver''s certificate must chain to (tls:// and https:// only; default: the system''s trust store)')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, '--syslog: the message format [default: rfc5424]')
            [CompletionResult]::new('--streams', '--streams', [CompletionResultType]::ParameterName, 'The streams to send: activity, audit, or activity,audit [default: activity,audit]')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Only records of this server')
            [CompletionResult]::new('--user', '--user', [CompletionResultType]::ParameterName, 'Only records of this principal: a token name or user name')
            [CompletionResult]::new('--tool', '--tool', [CompletionResultType]::ParameterName, 'Only records of this tool')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'Only records of this type (tool_call, list, auth_failure, denied, … as in `logs tail`)')
            [CompletionResult]::new('--level', '--level', [CompletionResultType]::ParameterName, 'Only records of this level')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only successes or only failures')
            [CompletionResult]::new('--fault', '--fault', [CompletionResultType]::ParameterName, 'Only failures that were this party''s fault')
            [CompletionResult]::new('--where', '--where', [CompletionResultType]::ParameterName, 'FIELD=VALUE on any recorded field, or input.PATH=VALUE / output.PATH=VALUE (as in `logs tail`). Repeatable; all must hold')
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'Where delivery starts: now, beginning (the oldest event kept), or a time (1h, 7d, RFC 3339) [default: now]')
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('--token-stdin', '--token-stdin', [CompletionResultType]::ParameterName, '--hec: read the HEC token from standard input (its first line); never from the command line')
            [CompletionResult]::new('--secret-stdin', '--secret-stdin', [CompletionResultType]::ParameterName, '--http: sign each request with HMAC-SHA256 (header X-MCPCP-Signature); the secret (at least 16 bytes) is read from standard input, its first line')
            [CompletionResult]::new('--insecure-http', '--insecure-http', [CompletionResultType]::ParameterName, 'Allow http:// to a host that is not loopback: events, tokens and header values then cross the network in the clear')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;siem;list' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;siem;show' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;siem;pause' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;siem;resume' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;siem;remove' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;siem;test' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;siem;status' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;siem;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a sink: the gateway streams events to it from then on')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List sinks')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one sink')
            [CompletionResult]::new('pause', 'pause', [CompletionResultType]::ParameterValue, 'Stop delivering to a sink; its backlog is kept (up to siem.max_backlog records)')
            [CompletionResult]::new('resume', 'resume', [CompletionResultType]::ParameterValue, 'Deliver to a paused sink again, from where it stopped')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a sink; what it had not delivered is no longer kept for it')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Send one test event to a sink''s receiver and report what it answered (the sink''s cursor is not touched)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Each sink''s delivery: state, events delivered, lag, last error, losses')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcpcp;siem;help;add' {
            break
        }
        'mcpcp;siem;help;list' {
            break
        }
        'mcpcp;siem;help;show' {
            break
        }
        'mcpcp;siem;help;pause' {
            break
        }
        'mcpcp;siem;help;resume' {
            break
        }
        'mcpcp;siem;help;remove' {
            break
        }
        'mcpcp;siem;help;test' {
            break
        }
        'mcpcp;siem;help;status' {
            break
        }
        'mcpcp;siem;help;help' {
            break
        }
        'mcpcp;config' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Validate the configuration and show each effective value with where it came from')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcpcp;config;check' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;config;help' {
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Validate the configuration and show each effective value with where it came from')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcpcp;config;help;check' {
            break
        }
        'mcpcp;config;help;help' {
            break
        }
        'mcpcp;completions' {
            [CompletionResult]::new('--data-dir', '--data-dir', [CompletionResultType]::ParameterName, 'Data directory (created on first use) [env: MCPCP_DATA_DIR] [default: ./mcpcp-data]')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'Configuration file [env: MCPCP_CONFIG] [default: DATA_DIR/mcpcp.toml if present]')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'Output format: tables for people, JSON for scripts')
            [CompletionResult]::new('--remote', '--remote', [CompletionResultType]::ParameterName, 'Run admin commands against this gateway''s admin API instead of the local database [env: MCPCP_REMOTE]')
            [CompletionResult]::new('--admin-token-file', '--admin-token-file', [CompletionResultType]::ParameterName, 'The admin API token for --remote, first line of FILE [env: MCPCP_ADMIN_TOKEN holds the token itself] [default: the file `admin login` writes, ~/.config/mcpcp/admin-token]')
            [CompletionResult]::new('--remote-ca', '--remote-ca', [CompletionResultType]::ParameterName, 'A PEM file of the private CA that signed the --remote gateway''s certificate (default: the system''s trust store; the certificate is always verified)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'mcpcp;help' {
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Run the gateway: every enabled server at /mcp/NAME')
            [CompletionResult]::new('server', 'server', [CompletionResultType]::ParameterValue, 'Upstream MCP servers exposed by the gateway')
            [CompletionResult]::new('tool', 'tool', [CompletionResultType]::ParameterValue, 'The tools of a server, and which are offered')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Server-scoped API tokens')
            [CompletionResult]::new('user', 'user', [CompletionResultType]::ParameterValue, 'End users')
            [CompletionResult]::new('group', 'group', [CompletionResultType]::ParameterValue, 'Groups of users, and the servers they grant')
            [CompletionResult]::new('key', 'key', [CompletionResultType]::ParameterValue, 'The keys that sign the identity JWTs upstreams are given (`server identity --forward jwt`)')
            [CompletionResult]::new('sso', 'sso', [CompletionResultType]::ParameterValue, 'Single sign-on through an external OpenID Connect provider')
            [CompletionResult]::new('logs', 'logs', [CompletionResultType]::ParameterValue, 'The activity log: every request the gateway received')
            [CompletionResult]::new('admin', 'admin', [CompletionResultType]::ParameterValue, 'Administrators other than the person at the machine, their roles and API tokens')
            [CompletionResult]::new('role', 'role', [CompletionResultType]::ParameterValue, 'Admin roles: sets of permissions, built-in and custom')
            [CompletionResult]::new('audit', 'audit', [CompletionResultType]::ParameterValue, 'The audit trail of administrative changes')
            [CompletionResult]::new('siem', 'siem', [CompletionResultType]::ParameterValue, 'Stream the activity log and the audit trail to SIEMs (syslog, Splunk HEC, HTTP, OTLP)')
            [CompletionResult]::new('config', 'config', [CompletionResultType]::ParameterValue, 'The process configuration')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcpcp;help;serve' {
            break
        }
        'mcpcp;help;server' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Register an upstream MCP server (or compose one from other servers'' tools, or turn a REST API''s OpenAPI document into tools), exposed at /mcp/NAME')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List servers')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one server with its tools, tokens and groups')
            [CompletionResult]::new('connections', 'connections', [CompletionResultType]::ParameterValue, 'The upstream accounts linked for a server (per user, and its shared one); never tokens')
            [CompletionResult]::new('connect', 'connect', [CompletionResultType]::ParameterValue, 'Authorize the server''s shared upstream connection in your browser (used by its API tokens)')
            [CompletionResult]::new('disconnect', 'disconnect', [CompletionResultType]::ParameterValue, 'Remove the server''s shared upstream connection (its API tokens are refused until a new one)')
            [CompletionResult]::new('rename', 'rename', [CompletionResultType]::ParameterValue, 'Rename a server (its URL path changes with it)')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a server with its tools, tokens and group grants')
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Enable a disabled server')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Disable a server: clients are refused until it is enabled')
            [CompletionResult]::new('capture', 'capture', [CompletionResultType]::ParameterValue, 'Set what the activity log keeps of the server''s requests')
            [CompletionResult]::new('limits', 'limits', [CompletionResultType]::ParameterValue, 'Rate limits and usage quotas on tools/call; no flags shows them')
            [CompletionResult]::new('upstream-auth', 'upstream-auth', [CompletionResultType]::ParameterValue, 'How the gateway authenticates to the upstream: none, or static headers (an API key)')
            [CompletionResult]::new('identity', 'identity', [CompletionResultType]::ParameterValue, 'What the upstream is told about each caller: headers, a signed JWT, _meta; no flags shows it')
            [CompletionResult]::new('refresh', 'refresh', [CompletionResultType]::ParameterValue, 'Read an OpenAPI server''s document again: shows what changed, applies it with --yes')
            [CompletionResult]::new('tool', 'tool', [CompletionResultType]::ParameterValue, 'The tools of a composed server: other servers'' tools, renamed, re-described, arguments fixed or hidden')
            [CompletionResult]::new('ip', 'ip', [CompletionResultType]::ParameterValue, 'Client address rules: deny wins; a non-empty allow list admits only its ranges')
            break
        }
        'mcpcp;help;server;create' {
            break
        }
        'mcpcp;help;server;list' {
            break
        }
        'mcpcp;help;server;show' {
            break
        }
        'mcpcp;help;server;connections' {
            break
        }
        'mcpcp;help;server;connect' {
            break
        }
        'mcpcp;help;server;disconnect' {
            break
        }
        'mcpcp;help;server;rename' {
            break
        }
        'mcpcp;help;server;delete' {
            break
        }
        'mcpcp;help;server;enable' {
            break
        }
        'mcpcp;help;server;disable' {
            break
        }
        'mcpcp;help;server;capture' {
            break
        }
        'mcpcp;help;server;limits' {
            break
        }
        'mcpcp;help;server;upstream-auth' {
            break
        }
        'mcpcp;help;server;identity' {
            break
        }
        'mcpcp;help;server;refresh' {
            break
        }
        'mcpcp;help;server;tool' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add another server''s tool to a composed server, renamed, re-described, arguments fixed or hidden')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a tool from a composed server')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List a composed server''s tools and where they forward to')
            break
        }
        'mcpcp;help;server;tool;add' {
            break
        }
        'mcpcp;help;server;tool;remove' {
            break
        }
        'mcpcp;help;server;tool;list' {
            break
        }
        'mcpcp;help;server;ip' {
            [CompletionResult]::new('allow', 'allow', [CompletionResultType]::ParameterValue, 'Admit clients from CIDR (once the allow list is not empty, only its ranges are admitted)')
            [CompletionResult]::new('deny', 'deny', [CompletionResultType]::ParameterValue, 'Refuse clients from CIDR (403), before any authentication')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove the rule for CIDR')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'Show the allow and deny lists')
            break
        }
        'mcpcp;help;server;ip;allow' {
            break
        }
        'mcpcp;help;server;ip;deny' {
            break
        }
        'mcpcp;help;server;ip;remove' {
            break
        }
        'mcpcp;help;server;ip;list' {
            break
        }
        'mcpcp;help;tool' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List a server''s tools and their state')
            [CompletionResult]::new('sync', 'sync', [CompletionResultType]::ParameterValue, 'Ask the upstream for its tools and record them: new ones start offered, vanished ones go (stopped ones stay, stopped)')
            [CompletionResult]::new('start', 'start', [CompletionResultType]::ParameterValue, 'Offer a stopped tool to clients again')
            [CompletionResult]::new('stop', 'stop', [CompletionResultType]::ParameterValue, 'Hide a tool from tools/list and refuse it in tools/call')
            break
        }
        'mcpcp;help;tool;list' {
            break
        }
        'mcpcp;help;tool;sync' {
            break
        }
        'mcpcp;help;tool;start' {
            break
        }
        'mcpcp;help;tool;stop' {
            break
        }
        'mcpcp;help;token' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create an API token for one server; the token is printed once and never again')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List tokens (never their secrets), of one server or all')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke a token: it is refused from then on')
            break
        }
        'mcpcp;help;token;create' {
            break
        }
        'mcpcp;help;token;list' {
            break
        }
        'mcpcp;help;token;revoke' {
            break
        }
        'mcpcp;help;user' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create an end user; without a password they can sign in only through SSO')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List users')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one user and their groups')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Disable a user: they can no longer sign in')
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Enable a disabled user')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a user with their group memberships and linked upstream accounts')
            [CompletionResult]::new('connections', 'connections', [CompletionResultType]::ParameterValue, 'The upstream accounts a user linked (per-user upstream access); never their tokens')
            [CompletionResult]::new('disconnect', 'disconnect', [CompletionResultType]::ParameterValue, 'Remove a user''s linked upstream account for a server (they are asked to link it again)')
            [CompletionResult]::new('sessions', 'sessions', [CompletionResultType]::ParameterValue, 'List a user''s sign-ins (one per client and server), newest last')
            [CompletionResult]::new('signout', 'signout', [CompletionResultType]::ParameterValue, 'End every sign-in of a user: their tokens stop working and open sessions close')
            [CompletionResult]::new('passwd', 'passwd', [CompletionResultType]::ParameterValue, 'Set a user''s password (prompted on a terminal, or --password-stdin)')
            break
        }
        'mcpcp;help;user;create' {
            break
        }
        'mcpcp;help;user;list' {
            break
        }
        'mcpcp;help;user;show' {
            break
        }
        'mcpcp;help;user;disable' {
            break
        }
        'mcpcp;help;user;enable' {
            break
        }
        'mcpcp;help;user;delete' {
            break
        }
        'mcpcp;help;user;connections' {
            break
        }
        'mcpcp;help;user;disconnect' {
            break
        }
        'mcpcp;help;user;sessions' {
            break
        }
        'mcpcp;help;user;signout' {
            break
        }
        'mcpcp;help;user;passwd' {
            break
        }
        'mcpcp;help;group' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a group of users')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List groups with their members and servers')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one group')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a group: its members lose the servers it granted')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add users to a group')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove users from a group')
            [CompletionResult]::new('grant', 'grant', [CompletionResultType]::ParameterValue, 'Let a group''s members reach servers (or, with --tools, some tools of one server)')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Take servers away from a group')
            break
        }
        'mcpcp;help;group;create' {
            break
        }
        'mcpcp;help;group;list' {
            break
        }
        'mcpcp;help;group;show' {
            break
        }
        'mcpcp;help;group;delete' {
            break
        }
        'mcpcp;help;group;add' {
            break
        }
        'mcpcp;help;group;remove' {
            break
        }
        'mcpcp;help;group;grant' {
            break
        }
        'mcpcp;help;group;revoke' {
            break
        }
        'mcpcp;help;key' {
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Replace the signing key: new JWTs are signed with a new key; the old one stays published until the tokens it signed have expired')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the signing keys: the current one and those retired (never a private key)')
            break
        }
        'mcpcp;help;key;rotate' {
            break
        }
        'mcpcp;help;key;list' {
            break
        }
        'mcpcp;help;sso' {
            [CompletionResult]::new('set', 'set', [CompletionResultType]::ParameterValue, 'Set up single sign-on through an OpenID Connect provider (replaces earlier settings)')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show the single sign-on settings (never the secret)')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Turn single sign-on off: `--auth sso` servers refuse new sign-ins until `sso set`')
            break
        }
        'mcpcp;help;sso;set' {
            break
        }
        'mcpcp;help;sso;show' {
            break
        }
        'mcpcp;help;sso;disable' {
            break
        }
        'mcpcp;help;logs' {
            [CompletionResult]::new('tail', 'tail', [CompletionResultType]::ParameterValue, 'Show the newest activity records (oldest of them first), and optionally follow new ones')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Write activity records to a file')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one call: its record, inputs and outputs, and its trace as a waterfall')
            break
        }
        'mcpcp;help;logs;tail' {
            break
        }
        'mcpcp;help;logs;export' {
            break
        }
        'mcpcp;help;logs;show' {
            break
        }
        'mcpcp;help;admin' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create an admin (with a password from standard input, or bound to an SSO subject)')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List admins and the roles they hold')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one admin')
            [CompletionResult]::new('disable', 'disable', [CompletionResultType]::ParameterValue, 'Disable an admin: its tokens are refused until it is enabled again')
            [CompletionResult]::new('enable', 'enable', [CompletionResultType]::ParameterValue, 'Enable a disabled admin')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete an admin with its roles and tokens')
            [CompletionResult]::new('passwd', 'passwd', [CompletionResultType]::ParameterValue, 'Set an admin''s password (from standard input)')
            [CompletionResult]::new('grant', 'grant', [CompletionResultType]::ParameterValue, 'Give an admin a role, everywhere or on some servers')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Take a role back from an admin (everywhere, or on the servers named)')
            [CompletionResult]::new('token', 'token', [CompletionResultType]::ParameterValue, 'Admin API tokens')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Sign in to a gateway (--remote URL) through its identity provider, in a browser; the admin token it issues (12 h) goes to --admin-token-file, or to ~/.config/mcpcp/admin-token, which later --remote commands read')
            break
        }
        'mcpcp;help;admin;create' {
            break
        }
        'mcpcp;help;admin;list' {
            break
        }
        'mcpcp;help;admin;show' {
            break
        }
        'mcpcp;help;admin;disable' {
            break
        }
        'mcpcp;help;admin;enable' {
            break
        }
        'mcpcp;help;admin;delete' {
            break
        }
        'mcpcp;help;admin;passwd' {
            break
        }
        'mcpcp;help;admin;grant' {
            break
        }
        'mcpcp;help;admin;revoke' {
            break
        }
        'mcpcp;help;admin;token' {
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create an API token for an admin; it is printed once and never again')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List admin tokens (never their secrets), of one admin or all')
            [CompletionResult]::new('revoke', 'revoke', [CompletionResultType]::ParameterValue, 'Revoke an admin token: refused from the next request on')
            break
        }
        'mcpcp;help;admin;token;create' {
            break
        }
        'mcpcp;help;admin;token;list' {
            break
        }
        'mcpcp;help;admin;token;revoke' {
            break
        }
        'mcpcp;help;admin;login' {
            break
        }
        'mcpcp;help;role' {
            [CompletionResult]::new('permissions', 'permissions', [CompletionResultType]::ParameterValue, 'List every permission a role can grant, and what it allows')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List the roles, built-in and custom')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one role and its permissions')
            [CompletionResult]::new('create', 'create', [CompletionResultType]::ParameterValue, 'Create a custom role')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Change a custom role''s permissions (replaced) or description')
            [CompletionResult]::new('delete', 'delete', [CompletionResultType]::ParameterValue, 'Delete a custom role nobody holds')
            [CompletionResult]::new('bind', 'bind', [CompletionResultType]::ParameterValue, 'Give a role to every SSO admin in an identity provider''s group (everywhere, or on servers)')
            [CompletionResult]::new('unbind', 'unbind', [CompletionResultType]::ParameterValue, 'Take a role back from an identity provider''s group')
            [CompletionResult]::new('bindings', 'bindings', [CompletionResultType]::ParameterValue, 'List the identity provider groups bound to roles')
            break
        }
        'mcpcp;help;role;permissions' {
            break
        }
        'mcpcp;help;role;list' {
            break
        }
        'mcpcp;help;role;show' {
            break
        }
        'mcpcp;help;role;create' {
            break
        }
        'mcpcp;help;role;update' {
            break
        }
        'mcpcp;help;role;delete' {
            break
        }
        'mcpcp;help;role;bind' {
            break
        }
        'mcpcp;help;role;unbind' {
            break
        }
        'mcpcp;help;role;bindings' {
            break
        }
        'mcpcp;help;audit' {
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List audit entries, newest last')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Check the hash chain and report the first broken link')
            break
        }
        'mcpcp;help;audit;list' {
            break
        }
        'mcpcp;help;audit;verify' {
            break
        }
        'mcpcp;help;siem' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add a sink: the gateway streams events to it from then on')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List sinks')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one sink')
            [CompletionResult]::new('pause', 'pause', [CompletionResultType]::ParameterValue, 'Stop delivering to a sink; its backlog is kept (up to siem.max_backlog records)')
            [CompletionResult]::new('resume', 'resume', [CompletionResultType]::ParameterValue, 'Deliver to a paused sink again, from where it stopped')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove a sink; what it had not delivered is no longer kept for it')
            [CompletionResult]::new('test', 'test', [CompletionResultType]::ParameterValue, 'Send one test event to a sink''s receiver and report what it answered (the sink''s cursor is not touched)')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Each sink''s delivery: state, events delivered, lag, last error, losses')
            break
        }
        'mcpcp;help;siem;add' {
            break
        }
        'mcpcp;help;siem;list' {
            break
        }
        'mcpcp;help;siem;show' {
            break
        }
        'mcpcp;help;siem;pause' {
            break
        }
        'mcpcp;help;siem;resume' {
            break
        }
        'mcpcp;help;siem;remove' {
            break
        }
        'mcpcp;help;siem;test' {
            break
        }
        'mcpcp;help;siem;status' {
            break
        }
        'mcpcp;help;config' {
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Validate the configuration and show each effective value with where it came from')
            break
        }
        'mcpcp;help;config;check' {
            break
        }
        'mcpcp;help;completions' {
            break
        }
        'mcpcp;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
