extension DiagnosticCode {
    /// Finds a code by its text as a user types it: `SL201`, `sl201`, `201` or the
    /// kebab-case name (`unknown-key`). Surrounding whitespace is ignored.
    public static func parse(_ text: String) -> DiagnosticCode? {
        var trimmed = Substring(text)
        while trimmed.first?.isWhitespace == true { trimmed.removeFirst() }
        while trimmed.last?.isWhitespace == true { trimmed.removeLast() }
        let upper = trimmed.uppercased()
        if let code = DiagnosticCode(rawValue: upper) { return code }
        if let code = DiagnosticCode(rawValue: "SL" + upper) { return code }
        let lower = trimmed.lowercased()
        return allCases.first { $0.name == lower }
    }

    /// What this code means, with a wrong and a right example, for `swap-lint explain`.
    public var explanation: CodeExplanation {
        switch self {
        case .unknownSuppression:
            CodeExplanation(
                title: "Suppression comment names an unknown code",
                summary: """
                    A `# swap-lint disable-line` or `disable-next-line` comment lists a code that \
                    swap-lint does not have, so it suppresses nothing. Usually the code is mistyped \
                    or was copied from another tool. Use a code that `swap-lint explain --list` shows.
                    """,
                wrong: """
                    models:
                      llama:
                        cmd: llama-server --port ${PORT} -m llama.gguf
                        tll: 60 # swap-lint disable-line SL021
                    """,
                right: """
                    models:
                      llama:
                        cmd: llama-server --port ${PORT} -m llama.gguf
                        ttl: 60
                    """)
        case .yamlSyntax:
            CodeExplanation(
                title: "YAML syntax error",
                summary: """
                    The file is not valid YAML, so nothing else in it can be checked. Common causes \
                    are an unterminated quote, a tab used for indentation, or a key indented \
                    differently from its siblings. Fix the place the parser points at first; later \
                    problems are often consequences of it.
                    """,
                wrong: """
                    models:
                      llama:
                        cmd: "llama-server --port ${PORT} -m llama.gguf
                        ttl: 60
                    """,
                right: """
                    models:
                      llama:
                        cmd: "llama-server --port ${PORT} -m llama.gguf"
                        ttl: 60
                    """)
        case .duplicateKey:
            CodeExplanation(
                title: "Duplicate key",
                summary: """
                    A mapping has the same key twice, so one of the two values could never take \
                    effect; llama-swap's YAML library refuses such a file too. The diagnostic points \
                    at the second occurrence and notes the first; remove the one you do not mean.
                    """,
                wrong: """
                    models:
                      llama:
                        cmd: llama-server --port ${PORT} -m llama.gguf
                        ttl: 60
                        ttl: 300
                    """,
                right: """
                    models:
                      llama:
                        cmd: llama-server --port ${PORT} -m llama.gguf
                        ttl: 300
                    """)
        case .undefinedAlias:
            CodeExplanation(
                title: "Alias to an undefined anchor",
                summary: """
                    A YAML alias `*name` refers to an anchor `&name` that does not appear earlier \
                    in the file. Anchors must be defined before they are used; check the spelling \
                    and the order.
                    """,
                wrong: """
                    models:
                      llama:
                        cmd: llama-server --port ${PORT} -m llama.gguf
                        filters: &sampling
                          stripParams: "temperature, top_p"
                      qwen:
                        cmd: llama-server --port ${PORT} -m qwen.gguf
                        filters: *samplng
                    """,
                right: """
                    models:
                      llama:
                        cmd: llama-server --port ${PORT} -m llama.gguf
                        filters: &sampling
                          stripParams: "temperature, top_p"
                      qwen:
                        cmd: llama-server --port ${PORT} -m qwen.gguf
                        filters: *sampling
                    """)
        case .invalidMerge:
            CodeExplanation(
                title: "Merge key needs a mapping",
                summary: """
                    The YAML merge key `<<` copies the keys of a mapping into the current one, so \
                    its value must be a mapping (usually an alias to one) or a list of mappings. A \
                    scalar or a list of scalars cannot be merged.
                    """,
                wrong: """
                    macros:
                      ctx: &ctx "--ctx-size 8192"
                    models:
                      qwen:
                        <<: *ctx
                        cmd: llama-server --port ${PORT} -m qwen.gguf
                    """,
                right: """
                    models:
                      qwen: &defaults
                        cmd: llama-server --port ${PORT} -m qwen.gguf
                        ttl: 300
                      qwen-long:
                        <<: *defaults
                        cmd: llama-server --port ${PORT} -m qwen.gguf --ctx-size 32768
                    """)
        case .multipleDocuments:
            CodeExplanation(
                title: "More than one YAML document",
                summary: """
                    The file contains a `---` separator followed by a second document. A config is \
                    one document: llama-swap reads only the first and ignores the rest, and so does \
                    swap, so this is a warning (an error before issue 18). Everything after the \
                    separator has no effect: merge the documents, or split them into files of a \
                    `--config-dir`.
                    """,
                wrong: """
                    models:
                      llama:
                        cmd: llama-server --port ${PORT} -m llama.gguf
                    ---
                    models:
                      qwen:
                        cmd: llama-server --port ${PORT} -m qwen.gguf
                    """,
                right: """
                    models:
                      llama:
                        cmd: llama-server --port ${PORT} -m llama.gguf
                      qwen:
                        cmd: llama-server --port ${PORT} -m qwen.gguf
                    """)
        case .emptyConfig:
            CodeExplanation(
                title: "Empty configuration",
                summary: """
                    The file is empty or holds only comments, so it defines no models and the \
                    server would have nothing to serve. Usually the wrong file was given. A config \
                    needs at least a `models` mapping with one model.
                    """,
                wrong: """
                    # models will go here
                    """,
                right: """
                    models:
                      llama:
                        cmd: llama-server --port ${PORT} -m llama.gguf
                    """)
        case .complexKey:
            CodeExplanation(
                title: "Mapping key is not a scalar",
                summary: """
                    A mapping key is a list or a mapping (YAML's `? ` complex keys, or flow \
                    syntax). Config keys are names: model IDs, setting names, macro names. Write \
                    one plain or quoted string per key.
                    """,
                wrong: """
                    models:
                      [qwen, llama]:
                        cmd: llama-server --port ${PORT} -m model.gguf
                    """,
                right: """
                    models:
                      qwen:
                        cmd: llama-server --port ${PORT} -m qwen.gguf
                      llama:
                        cmd: llama-server --port ${PORT} -m llama.gguf
                    """)
        case .nestingTooDeep:
            CodeExplanation(
                title: "Nesting too deep",
                summary: """
                    Lists and mappings are nested more than 128 levels deep. A config nests a few \
                    levels; this many usually means a `[` or `{` that is never closed, or a file \
                    that is not a config. The file is not compiled further.
                    """,
                wrong: """
                    models:
                      qwen:
                        metadata: [[[[[[ … 200 levels … ]]]]]]
                    """,
                right: """
                    models:
                      qwen:
                        metadata: {tags: [coding, small]}
                    """)
        case .aliasExpansionTooLarge:
            CodeExplanation(
                title: "Aliases repeat too much",
                summary: """
                    The document's aliases repeat more than 250,000 nodes or 16 MiB of text in \
                    all (each alias counts as a copy of what its anchor holds). Aliases of \
                    aliases grow exponentially (the "billion laughs" file). The file is not \
                    compiled further.
                    """,
                wrong: """
                    a: &a [x, x, x, x, x, x, x, x, x, x]
                    b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]
                    c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]
                    # … seven more levels
                    """,
                right: """
                    macros:
                      common-args: "--ctx-size 8192 --threads 8"
                    """)
        case .unknownKey:
            CodeExplanation(
                title: "Unknown key",
                summary: """
                    The key is not part of the config format at this place. llama-swap ignores it \
                    silently, so a typo such as `tll` does nothing at all. This is a warning so \
                    configs with stray keys still load; `--strict` makes it fail CI. Fix the \
                    spelling (the help suggests the closest key) or remove the key.
                    """,
                wrong: """
                    models:
                      llama:
                        cmd: llama-server --port ${PORT} -m llama.gguf
                        tll: 60
                    """,
                right: """
                    models:
                      llama:
                        cmd: llama-server --port ${PORT} -m llama.gguf
                        ttl: 60
                    """)
        case .typeMismatch:
            CodeExplanation(
                title: "Value has the wrong type",
                summary: """
                    The value is not of the type the key takes: a string where a number is \
                    expected, a scalar where a list is expected, and so on; llama-swap refuses these \
                    too. One exception is a warning: the YAML 1.1 words `yes`, `on`, `y`, `no`, `off`, \
                    `n` (and their capitalised forms) in a boolean field are read as `true` or \
                    `false`, as llama-swap's YAML library reads them (an error before issue 18). \
                    Write `true` or `false`: other YAML tools read those words as strings.
                    """,
                wrong: """
                    sendLoadingState: "true"
                    models:
                      llama:
                        cmd: llama-server --port ${PORT} -m llama.gguf
                        ttl: five minutes
                    """,
                right: """
                    sendLoadingState: true
                    models:
                      llama:
                        cmd: llama-server --port ${PORT} -m llama.gguf
                        ttl: 300
                    """)
        case .outOfRange:
            CodeExplanation(
                title: "Number out of range",
                summary: """
                    The number has the right type but is outside the values the key allows, such \
                    as a `startPort` below 1 or a negative `ttl` or `globalTTL`; llama-swap refuses \
                    these as well. The message names the allowed range.
                    """,
                wrong: """
                    startPort: 0
                    models:
                      llama:
                        cmd: llama-server --port ${PORT} -m llama.gguf
                        ttl: -5
                    """,
                right: """
                    startPort: 10001
                    models:
                      llama:
                        cmd: llama-server --port ${PORT} -m llama.gguf
                        ttl: 0
                    """)
        case .invalidValue:
            CodeExplanation(
                title: "Value is not one of the allowed choices",
                summary: """
                    The key takes one of a fixed set of values and this is not one of them. The \
                    message lists the choices and the help suggests the closest. llama-swap refuses \
                    these too, except an unknown `logLevel`: it logs at `info` instead (and reads \
                    the level in any case), so that one is a warning and swap does the same.
                    """,
                wrong: """
                    logToStdout: all
                    models:
                      llama:
                        cmd: llama-server --port ${PORT} -m llama.gguf
                    """,
                right: """
                    logToStdout: both
                    models:
                      llama:
                        cmd: llama-server --port ${PORT} -m llama.gguf
                    """)
        case .missingRequired:
            CodeExplanation(
                title: "Required key is missing",
                summary: """
                    A mapping lacks a key it cannot work without, for example a peer without the \
                    `proxy` address to send requests to, a peer or profile that lists nothing \
                    (`models: []`, `pins: {}`), or `routing.router.use: matrix` without \
                    `routing.router.settings.matrix`. llama-swap refuses these too. Add the key.
                    """,
                wrong: """
                    peers:
                      openrouter:
                        models:
                          - qwen/qwen3-235b-a22b-2507
                    """,
                right: """
                    peers:
                      openrouter:
                        proxy: https://openrouter.ai/api
                        models:
                          - qwen/qwen3-235b-a22b-2507
                    """)
        case .notImplemented:
            CodeExplanation(
                title: "Accepted for compatibility; no effect yet",
                summary: """
                    llama-swap has this key and swap accepts it so existing configs keep loading, \
                    but swap does not act on it yet. The config works; the setting is simply \
                    ignored. Remove it, or keep it deliberately and suppress the warning on that \
                    line.
                    """,
                wrong: """
                    models:
                      llama:
                        cmd: llama-server --port ${PORT} -m llama.gguf
                        compat:
                          ignoreWebsockets: true
                    """,
                right: """
                    models:
                      llama:
                        cmd: llama-server --port ${PORT} -m llama.gguf
                        compat: # swap-lint disable-line SL206
                          ignoreWebsockets: true
                    """)
        case .valueRaised:
            CodeExplanation(
                title: "Value raised to the minimum",
                summary: """
                    The value is below the smallest one swap (like llama-swap) will use, so it is \
                    raised to that minimum. `healthCheckTimeout` below 15 seconds (negative \
                    included), for instance, becomes 15; a negative `concurrencyLimit` counts as 0, \
                    the default of 10, and a negative `keepalive`, `responseHeader`, `idleConn` or \
                    `expectContinue` timeout as 0 (off), as in llama-swap. Write the value that \
                    actually applies so the file says what happens.
                    """,
                wrong: """
                    healthCheckTimeout: 5
                    models:
                      llama:
                        cmd: llama-server --port ${PORT} -m llama.gguf
                    """,
                right: """
                    healthCheckTimeout: 15
                    models:
                      llama:
                        cmd: llama-server --port ${PORT} -m llama.gguf
                    """)
        case .invalidDuration:
            CodeExplanation(
                title: "Duration cannot be parsed",
                summary: """
                    Durations are written as a number with a unit, Go style: `500ms`, `90s`, \
                    `5m`, `1h30m`. Spelled-out units and spaces are not understood.
                    """,
                wrong: """
                    performance:
                      every: 15 seconds
                    """,
                right: """
                    performance:
                      every: 15s
                    """)
        case .invalidURL:
            CodeExplanation(
                title: "URL cannot be used",
                summary: """
                    A `proxy` or peer address must be an absolute `http://` or `https://` URL with \
                    a host. A bare `host:port` is read as a URL with scheme `host` and cannot be \
                    proxied to.
                    """,
                wrong: """
                    models:
                      llama:
                        cmd: llama-server --port ${PORT} -m llama.gguf
                        proxy: 127.0.0.1:${PORT}
                    """,
                right: """
                    models:
                      llama:
                        cmd: llama-server --port ${PORT} -m llama.gguf
                        proxy: http://127.0.0.1:${PORT}
                    """)
        case .invalidPattern:
            CodeExplanation(
                title: "Regular expression cannot be compiled",
                summary: """
                    The value is used as a regular expression (Go RE2 syntax) but is not a valid \
                    one. Glob patterns such as `*.js` are not regular expressions: `*` must follow \
                    something it repeats.
                    """,
                wrong: """
                    upstream:
                      ignorePaths:
                        - '*.js'
                    """,
                right: """
                    upstream:
                      ignorePaths:
                        - '.*\\.js$'
                    """)
        case .portOutOfRange:
            CodeExplanation(
                title: "`${PORT}` numbers run past 65535",
                summary: """
                    Models whose `cmd` uses `${PORT}` get numbers counted up from `startPort`, one \
                    per model in sorted order. With this `startPort` and this many models the count \
                    passes 65535, the highest TCP port, from the model named on. Lower `startPort`.
                    """,
                wrong: """
                    startPort: 65535
                    models:
                      a: {cmd: llama-server --port ${PORT} -m a.gguf}
                      b: {cmd: llama-server --port ${PORT} -m b.gguf}
                    """,
                right: """
                    startPort: 10001
                    models:
                      a: {cmd: llama-server --port ${PORT} -m a.gguf}
                      b: {cmd: llama-server --port ${PORT} -m b.gguf}
                    """)
        case .emptyAPIKey:
            CodeExplanation(
                title: "Empty API key",
                summary: """
                    An `apiKeys` entry is empty or only whitespace. A client would authenticate \
                    with an empty `Authorization` value, which is the same as no authentication; \
                    usually an `${env.…}` that is set to nothing. Remove the entry or give it a key.
                    """,
                wrong: """
                    apiKeys:
                      - ""
                    """,
                right: """
                    apiKeys:
                      - "${env.SWAP_API_KEY}"
                    """)
        case .apiKeyWithSpace:
            CodeExplanation(
                title: "API key with a space",
                summary: """
                    An `apiKeys` entry contains a space. Clients send the key after `Bearer ` in \
                    the `Authorization` header, so such a key can never be presented, and \
                    llama-swap refuses to load the config. Often two keys were written on one line, \
                    or a `${env.…}` value holds more than the key.
                    """,
                wrong: """
                    apiKeys:
                      - "sk-one sk-two"
                    """,
                right: """
                    apiKeys:
                      - sk-one
                      - sk-two
                    """)
        case .unknownModel:
            CodeExplanation(
                title: "Reference to an unknown model",
                summary: """
                    A group member, selector target, profile pin, preload entry or priority key \
                    names a model ID that no model, alias or peer model has. llama-swap refuses \
                    such a group member (its server does not start), selector target, profile pin \
                    or priority key, and so does swap. It skips an unknown preload entry and runs, \
                    so for that one this is a warning (an error before issue 18): swap skips it too. \
                    The help suggests the closest ID.
                    """,
                wrong: """
                    models:
                      qwen-coder:
                        cmd: llama-server --port ${PORT} -m qwen-coder.gguf
                    groups:
                      coders:
                        members:
                          - qwen-coders
                    """,
                right: """
                    models:
                      qwen-coder:
                        cmd: llama-server --port ${PORT} -m qwen-coder.gguf
                    groups:
                      coders:
                        members:
                          - qwen-coder
                    """)
        case .duplicateModelName:
            CodeExplanation(
                title: "Two models claim the same name",
                summary: """
                    Model IDs and aliases share one namespace: a request for the name must reach \
                    exactly one model. Two models claiming one alias (or `setParamsByID` key) is an \
                    error, as in llama-swap. An alias that is another model's ID is a warning (an \
                    error before issue 18): llama-swap loads it and looks IDs up first, so requests \
                    for the name reach the model with that ID and the alias never takes effect; \
                    swap does the same. Rename or drop the alias.
                    """,
                wrong: """
                    models:
                      qwen:
                        cmd: llama-server --port ${PORT} -m qwen-7b.gguf
                        aliases:
                          - qwen-small
                      qwen-small:
                        cmd: llama-server --port ${PORT} -m qwen-0.5b.gguf
                    """,
                right: """
                    models:
                      qwen:
                        cmd: llama-server --port ${PORT} -m qwen-7b.gguf
                        aliases:
                          - qwen-7b
                      qwen-small:
                        cmd: llama-server --port ${PORT} -m qwen-0.5b.gguf
                    """)
        case .modelInTwoGroups:
            CodeExplanation(
                title: "Model is a member of two groups",
                summary: """
                    A model can belong to one group only, because the group decides what is \
                    unloaded when the model starts. Remove it from all groups but one.
                    """,
                wrong: """
                    models:
                      qwen:
                        cmd: llama-server --port ${PORT} -m qwen.gguf
                    groups:
                      chat:
                        members: [qwen]
                      coders:
                        members: [qwen]
                    """,
                right: """
                    models:
                      qwen:
                        cmd: llama-server --port ${PORT} -m qwen.gguf
                    groups:
                      chat:
                        members: [qwen]
                    """)
        case .duplicateMember:
            CodeExplanation(
                title: "Group lists a member twice",
                summary: """
                    The same model appears twice in one group's `members`. The second entry adds \
                    nothing and is usually a copy-and-paste slip where another model was meant.
                    """,
                wrong: """
                    groups:
                      coders:
                        members:
                          - qwen-coder
                          - qwen-coder
                    """,
                right: """
                    groups:
                      coders:
                        members:
                          - qwen-coder
                          - deepseek-coder
                    """)
        case .missingCommand:
            CodeExplanation(
                title: "Model has neither `cmd` nor `proxy`",
                summary: """
                    A model needs a `cmd` to start its server, or a `proxy` pointing at a server \
                    that is already running. With neither, requests for it can never be served. \
                    llama-swap notices only when the model is first requested; swap says so now.
                    """,
                wrong: """
                    models:
                      llama:
                        ttl: 300
                    """,
                right: """
                    models:
                      llama:
                        cmd: llama-server --port ${PORT} -m llama.gguf
                        ttl: 300
                    """)
        case .selectorChain:
            CodeExplanation(
                title: "Selector targets another selector",
                summary: """
                    A selector resolves a virtual model ID to a concrete model; its targets cannot \
                    be selectors themselves. List the concrete models instead.
                    """,
                wrong: """
                    selectors:
                      coding:
                        strategy: warm
                        targets: [qwen-coder, deepseek-coder]
                      any-model:
                        strategy: warm
                        targets: [coding, llama]
                    """,
                right: """
                    selectors:
                      coding:
                        strategy: warm
                        targets: [qwen-coder, deepseek-coder]
                      any-model:
                        strategy: warm
                        targets: [qwen-coder, deepseek-coder, llama]
                    """)
        case .ambiguousPeerModel:
            CodeExplanation(
                title: "Unqualified peer model is ambiguous or shadowed",
                summary: """
                    A model name without a peer prefix is accepted only when exactly one peer \
                    provides it, and a local model or alias of the same name takes precedence \
                    over it. Here the name is provided by several peers (or hidden by a local \
                    name). Write the qualified form `<peer ID>/<model ID>`.
                    """,
                wrong: """
                    peers:
                      openrouter:
                        proxy: https://openrouter.ai/api
                        models: [z-ai/glm-4.7]
                      lab:
                        proxy: http://192.168.1.23
                        models: [z-ai/glm-4.7]
                    selectors:
                      planner:
                        strategy: pin
                        targets: [z-ai/glm-4.7]
                    """,
                right: """
                    peers:
                      openrouter:
                        proxy: https://openrouter.ai/api
                        models: [z-ai/glm-4.7]
                      lab:
                        proxy: http://192.168.1.23
                        models: [z-ai/glm-4.7]
                    selectors:
                      planner:
                        strategy: pin
                        targets: [lab/z-ai/glm-4.7]
                    """)
        case .nameCollision:
            CodeExplanation(
                title: "Name collides with a model, alias or peer model",
                summary: """
                    Selector and profile names are looked up in the same namespace as model IDs, \
                    aliases and qualified peer model names, so they must not reuse one. Rename \
                    the selector or profile.
                    """,
                wrong: """
                    models:
                      qwen-coder:
                        cmd: llama-server --port ${PORT} -m qwen-coder.gguf
                    selectors:
                      qwen-coder:
                        strategy: pin
                        targets: [qwen-coder]
                    """,
                right: """
                    models:
                      qwen-coder:
                        cmd: llama-server --port ${PORT} -m qwen-coder.gguf
                    selectors:
                      coding-model:
                        strategy: pin
                        targets: [qwen-coder]
                    """)
        case .unknownMacro:
            CodeExplanation(
                title: "Unknown macro",
                summary: """
                    `${name}` refers to a macro that is not defined in any scope that applies here \
                    (model, group or global). It would reach the command line literally. Check \
                    the spelling (the help suggests the closest name) or define the macro.
                    """,
                wrong: """
                    macros:
                      models_dir: /srv/models
                    models:
                      llama:
                        cmd: llama-server --port ${PORT} -m ${model_dir}/llama.gguf
                    """,
                right: """
                    macros:
                      models_dir: /srv/models
                    models:
                      llama:
                        cmd: llama-server --port ${PORT} -m ${models_dir}/llama.gguf
                    """)
        case .macroCycle:
            CodeExplanation(
                title: "Macros reference each other in a loop",
                summary: """
                    Expanding the macro leads back to itself, so it has no value. The message \
                    lists every link of the cycle; break it by writing one of the values out.
                    """,
                wrong: """
                    macros:
                      server: "llama-server ${args}"
                      args: "--port ${PORT} ${server}"
                    """,
                right: """
                    macros:
                      server: "llama-server ${args}"
                      args: "--port ${PORT}"
                    """)
        case .invalidMacroName:
            CodeExplanation(
                title: "Invalid macro name",
                summary: """
                    Macro names may contain only ASCII letters, digits, `_` and `-`, and must be \
                    shorter than 64 characters, so that `${name}` can be found unambiguously.
                    """,
                wrong: """
                    macros:
                      "ctx size": 8192
                    """,
                right: """
                    macros:
                      ctx_size: 8192
                    """)
        case .reservedMacroName:
            CodeExplanation(
                title: "Reserved macro name",
                summary: """
                    `PORT`, `PID` and `MODEL_ID` are filled in automatically for each model and \
                    cannot be defined. Use a different name, or fix the port with `proxy` and a \
                    literal port instead of `${PORT}`.
                    """,
                wrong: """
                    macros:
                      PORT: 8080
                    """,
                right: """
                    macros:
                      base_port: 8080
                    """)
        case .unsetEnvironmentVariable:
            CodeExplanation(
                title: "Environment variable is not set",
                summary: """
                    `${env.NAME}` is replaced by the variable's value when the config is loaded, \
                    and `NAME` is not set in the environment swap-lint (or the server) runs in. \
                    Set it, or stop referring to it.
                    """,
                wrong: """
                    # run as: swap-lint config.yaml   (HF_TOKEN unset)
                    models:
                      llama:
                        cmd: llama-server --port ${PORT} --hf-token ${env.HF_TOKEN} -hf org/llama
                    """,
                right: """
                    # run as: HF_TOKEN=hf_xxx swap-lint config.yaml
                    models:
                      llama:
                        cmd: llama-server --port ${PORT} --hf-token ${env.HF_TOKEN} -hf org/llama
                    """)
        case .pidOutsideCmdStop:
            CodeExplanation(
                title: "`${PID}` outside `cmdStop`",
                summary: """
                    `${PID}` is the process ID of the running model server, which exists only \
                    when the server is being stopped. It may appear only in `cmdStop`.
                    """,
                wrong: """
                    models:
                      llama:
                        cmd: llama-server --port ${PORT} -m llama.gguf --pidfile /tmp/${PID}
                    """,
                right: """
                    models:
                      llama:
                        cmd: llama-server --port ${PORT} -m llama.gguf
                        cmdStop: kill -TERM ${PID}
                    """)
        case .macroNotScalar:
            CodeExplanation(
                title: "Macro value is not a scalar",
                summary: """
                    A macro is substituted into text, so its value must be a string, number or \
                    boolean. Lists and mappings cannot be substituted; join the words into one \
                    string.
                    """,
                wrong: """
                    macros:
                      gpu_args:
                        - --n-gpu-layers 99
                        - --flash-attn
                    """,
                right: """
                    macros:
                      gpu_args: "--n-gpu-layers 99 --flash-attn"
                    """)
        case .portInProxyOnly:
            CodeExplanation(
                title: "`proxy` uses `${PORT}` but `cmd` does not",
                summary: """
                    `${PORT}` is a port chosen for the model; requests are proxied to it. If \
                    `cmd` does not pass the same port to the server, the server listens \
                    elsewhere and every request fails. Use `${PORT}` in both, or a literal port \
                    in both.
                    """,
                wrong: """
                    models:
                      llama:
                        cmd: llama-server --port 8080 -m llama.gguf
                        proxy: http://127.0.0.1:${PORT}
                    """,
                right: """
                    models:
                      llama:
                        cmd: llama-server --port ${PORT} -m llama.gguf
                        proxy: http://127.0.0.1:${PORT}
                    """)
        case .commandSyntax:
            CodeExplanation(
                title: "Unterminated quote in a command",
                summary: """
                    `cmd` and `cmdStop` are split into arguments shell-style (no shell runs \
                    them). Here a quote is never closed, or the command ends with a lone `\\`. \
                    llama-swap's splitter closes the quote at the end of the command and drops \
                    the backslash, and runs the result; swap runs the same words, so this is a \
                    warning (an error before issue 18). Usually the quote was meant to close \
                    earlier: close it, or escape the quote character.
                    """,
                wrong: """
                    models:
                      llama:
                        cmd: llama-server --port ${PORT} -m '/models/llama 3.gguf
                    """,
                right: """
                    models:
                      llama:
                        cmd: llama-server --port ${PORT} -m '/models/llama 3.gguf'
                    """)
        case .macroNestingTooDeep:
            CodeExplanation(
                title: "Macros nested too deep",
                summary: """
                    A macro reference leads through more than 64 macros in a row (`a` uses `b`, \
                    which uses `c`, …). Real configs chain a few. The reference is left unexpanded; \
                    write an inner macro's value out to shorten the chain.
                    """,
                wrong: """
                    macros:
                      m0: "${m1}"
                      m1: "${m2}"
                      # … up to m70
                    """,
                right: """
                    macros:
                      model-dir: /models
                      qwen: "${model-dir}/qwen.gguf"
                    """)
        case .macroExpansionTooLarge:
            CodeExplanation(
                title: "Macro expansion too large",
                summary: """
                    Expanding the macros the models use would substitute more than 1,000,000 \
                    references or 32 MiB of text in all. A macro that repeats another twice, \
                    nested a few dozen times, grows exponentially. Macros are only expanded where \
                    a model uses them, so the one named here is where the budget ran out.
                    """,
                wrong: """
                    macros:
                      m0: "xxxxxxxx"
                      m1: "${m0}${m0}"
                      m2: "${m1}${m1}"
                      # … up to m40
                    models:
                      a: {cmd: "llama-server --port ${PORT} ${m40}"}
                    """,
                right: """
                    macros:
                      args: "--ctx-size 8192 --threads 8"
                    models:
                      a: {cmd: "llama-server --port ${PORT} ${args}"}
                    """)
        case .routingConflict:
            CodeExplanation(
                title: "Both legacy groups and `routing.router` are used",
                summary: """
                    Routing is configured either with the top-level `groups` (and `matrix`) or \
                    with `routing.router`, not both: it would be unclear which one applies. Move \
                    everything into one of them.
                    """,
                wrong: """
                    groups:
                      coders:
                        members: [qwen-coder]
                    routing:
                      router:
                        use: group
                        settings:
                          groups:
                            chat:
                              members: [llama]
                    """,
                right: """
                    routing:
                      router:
                        use: group
                        settings:
                          groups:
                            coders:
                              members: [qwen-coder]
                            chat:
                              members: [llama]
                    """)
        case .matrixSyntax:
            CodeExplanation(
                title: "Matrix set expression cannot be parsed",
                summary: """
                    A matrix set is an expression over model names with `&` (run together), `|` \
                    (either), parentheses and `+set` (inline another set). This one is malformed, \
                    for example an unclosed parenthesis or a dangling operator.
                    """,
                wrong: """
                    routing:
                      router:
                        use: matrix
                        settings:
                          matrix:
                            sets:
                              standard: "(gemma | qwen & whisper"
                    """,
                right: """
                    routing:
                      router:
                        use: matrix
                        settings:
                          matrix:
                            sets:
                              standard: "(gemma | qwen) & whisper"
                    """)
        case .matrixUnknownName:
            CodeExplanation(
                title: "Matrix expression names something unknown",
                summary: """
                    Every name in a matrix expression must be a matrix var, a model ID, or (after \
                    `+`) another set. This name is none of them; check the spelling or add a var.
                    """,
                wrong: """
                    routing:
                      router:
                        use: matrix
                        settings:
                          matrix:
                            vars:
                              g: gemma-model
                            sets:
                              standard: "g & q"
                    """,
                right: """
                    routing:
                      router:
                        use: matrix
                        settings:
                          matrix:
                            vars:
                              g: gemma-model
                              q: qwen-model
                            sets:
                              standard: "g & q"
                    """)
        case .matrixCycle:
            CodeExplanation(
                title: "Matrix sets include each other in a loop",
                summary: """
                    `+name` inlines another set's expression. Sets that inline each other, \
                    directly or through others, never finish expanding. Break the loop.
                    """,
                wrong: """
                    routing:
                      router:
                        use: matrix
                        settings:
                          matrix:
                            sets:
                              llms: "gemma | +chat"
                              chat: "+llms & whisper"
                    """,
                right: """
                    routing:
                      router:
                        use: matrix
                        settings:
                          matrix:
                            sets:
                              llms: "gemma | qwen"
                              chat: "+llms & whisper"
                    """)
        case .matrixInvalidName:
            CodeExplanation(
                title: "Invalid matrix var or set name",
                summary: """
                    Matrix var and set names may contain only letters, digits, `-` and `.`, and \
                    are 1 to 32 characters long, so that expressions can be parsed unambiguously.
                    """,
                wrong: """
                    routing:
                      router:
                        use: matrix
                        settings:
                          matrix:
                            vars:
                              "small gemma": gemma-model
                    """,
                right: """
                    routing:
                      router:
                        use: matrix
                        settings:
                          matrix:
                            vars:
                              small-gemma: gemma-model
                    """)
        case .matrixNestingTooDeep:
            CodeExplanation(
                title: "Matrix expression nested too deep",
                summary: """
                    A matrix set expression nests parentheses more than 64 levels deep, or its \
                    `+set` references lead through more than 64 sets in a row. Real sets nest a \
                    few levels; name intermediate sets instead.
                    """,
                wrong: """
                    matrix:
                      sets:
                        s: "((((((((( … 70 levels … a )))))))))"
                    """,
                right: """
                    matrix:
                      sets:
                        small: "a | b"
                        s: "+small & c"
                    """)
        case .setStripConflict:
            CodeExplanation(
                title: "Parameter is both set and stripped",
                summary: """
                    At one level, the same request parameter appears in `setParams` and in \
                    `stripParams`. Stripping runs first and setting after, so the strip is \
                    pointless: the request gets the `setParams` value. llama-swap loads such a \
                    config and does the same, so this is a warning (an error before issue 18); \
                    decide which one you mean.
                    """,
                wrong: """
                    models:
                      llama:
                        cmd: llama-server --port ${PORT} -m llama.gguf
                        filters:
                          stripParams: "temperature, top_p"
                          setParams:
                            temperature: 0.7
                    """,
                right: """
                    models:
                      llama:
                        cmd: llama-server --port ${PORT} -m llama.gguf
                        filters:
                          stripParams: "top_p"
                          setParams:
                            temperature: 0.7
                    """)
        case .finalOverridden:
            CodeExplanation(
                title: "Parameter declared `final` is changed later",
                summary: """
                    Filters apply at the top level, then the group, then the model. A level that \
                    lists a parameter in `final` promises that no later level changes it; this \
                    later level does. Remove the later change, or drop the parameter from `final`.
                    """,
                wrong: """
                    filters:
                      setParams:
                        temperature: 0.2
                      final: [temperature]
                    models:
                      llama:
                        cmd: llama-server --port ${PORT} -m llama.gguf
                        filters:
                          setParams:
                            temperature: 0.9
                    """,
                right: """
                    filters:
                      setParams:
                        temperature: 0.2
                      final: [temperature]
                    models:
                      llama:
                        cmd: llama-server --port ${PORT} -m llama.gguf
                    """)
        case .protectedParameter:
            CodeExplanation(
                title: "`model` cannot be locked",
                summary: """
                    The `model` parameter is how requests are routed, so it can never be \
                    stripped, set, defaulted or clamped: swap ignores the entry and keeps the \
                    others. llama-swap ignores `model` in `stripParams` the same way and runs, so \
                    this is a warning (an error before issue 18). Use `useModelName` to change \
                    the name sent upstream.
                    """,
                wrong: """
                    models:
                      llama:
                        cmd: llama-server --port ${PORT} -m llama.gguf
                        filters:
                          setParams:
                            model: llama-3.1-8b
                    """,
                right: """
                    models:
                      llama:
                        cmd: llama-server --port ${PORT} -m llama.gguf
                        useModelName: llama-3.1-8b
                    """)
        case .invalidClamp:
            CodeExplanation(
                title: "Invalid clamp",
                summary: """
                    A `clampParams` entry needs at least one of `min` and `max`, both numbers, \
                    with `min` not above `max`. Otherwise no value could satisfy it, or it does \
                    nothing.
                    """,
                wrong: """
                    models:
                      llama:
                        cmd: llama-server --port ${PORT} -m llama.gguf
                        filters:
                          clampParams:
                            max_tokens: {min: 4096, max: 256}
                    """,
                right: """
                    models:
                      llama:
                        cmd: llama-server --port ${PORT} -m llama.gguf
                        filters:
                          clampParams:
                            max_tokens: {min: 256, max: 4096}
                    """)
        case .commandNotFound:
            CodeExplanation(
                title: "Program in `cmd` not found",
                summary: """
                    With `--check-paths`, swap-lint looks up the first word of each `cmd` as the \
                    server would (an absolute path, or a name on `PATH`) and found nothing. Fix \
                    the path or install the program.
                    """,
                wrong: """
                    models:
                      llama:
                        cmd: /opt/llama.cpp/bin/llama-servr --port ${PORT} -m llama.gguf
                    """,
                right: """
                    models:
                      llama:
                        cmd: /opt/llama.cpp/bin/llama-server --port ${PORT} -m llama.gguf
                    """)
        case .commandNotExecutable:
            CodeExplanation(
                title: "Program in `cmd` is not executable",
                summary: """
                    With `--check-paths`, swap-lint found the first word of `cmd` but it is a \
                    directory or lacks execute permission, so starting the model would fail. \
                    Point `cmd` at the program itself, or `chmod +x` it.
                    """,
                wrong: """
                    models:
                      llama:
                        cmd: /opt/llama.cpp/bin --port ${PORT} -m llama.gguf
                    """,
                right: """
                    models:
                      llama:
                        cmd: /opt/llama.cpp/bin/llama-server --port ${PORT} -m llama.gguf
                    """)
        case .compileStopped:
            CodeExplanation(
                title: "Reload compile stopped",
                summary: """
                    swap-server compiles a reloaded config in a child process first, with limits \
                    on its memory (1 GiB) and time (30 s). This one crashed or passed a limit, so \
                    the reload was rejected and the previous plan keeps serving. The compiler's \
                    own limits should report any config before this happens: run `swap-lint check` \
                    on the file, and report the file as a bug if it does not end in diagnostics.
                    """,
                wrong: """
                    # a file that makes the compiler itself fail
                    """,
                right: """
                    models:
                      llama:
                        cmd: llama-server --port ${PORT} -m llama.gguf
                    """)
        }
    }
}
