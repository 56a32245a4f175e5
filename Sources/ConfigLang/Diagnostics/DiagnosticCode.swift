/// Every diagnostic code swap-lint can print. Codes are stable: once published, a
/// code keeps its meaning; new problems get new codes.
///
/// Codes are grouped by the hundreds digit: 1 syntax, 2 schema, 3 references,
/// 4 macros, 5 routing, 6 locks, 7 paths, 0 the linter itself.
public enum DiagnosticCode: String, Sendable, Hashable, Codable, CaseIterable {
    // MARK: linter
    /// A suppression comment names a code that does not exist.
    case unknownSuppression = "SL001"

    // MARK: syntax
    /// libyaml could not parse the file.
    case yamlSyntax = "SL101"
    /// A mapping has the same key twice.
    case duplicateKey = "SL102"
    /// An alias names an anchor that was never defined.
    case undefinedAlias = "SL103"
    /// A `<<` merge key whose value is not a mapping or a list of mappings.
    case invalidMerge = "SL104"
    /// The file holds more than one YAML document.
    case multipleDocuments = "SL105"
    /// The file holds no configuration at all.
    case emptyConfig = "SL106"
    /// A mapping key that is not a plain scalar.
    case complexKey = "SL107"
    /// Lists and mappings nested deeper than the composer allows.
    case nestingTooDeep = "SL108"
    /// Aliases that repeat more nodes or text than the composer allows.
    case aliasExpansionTooLarge = "SL109"

    // MARK: schema
    /// A key the config format does not define.
    case unknownKey = "SL201"
    /// A value of the wrong type.
    case typeMismatch = "SL202"
    /// A number outside the allowed range.
    case outOfRange = "SL203"
    /// A value that is not one of the allowed choices.
    case invalidValue = "SL204"
    /// A required key is missing.
    case missingRequired = "SL205"
    /// A key llama-swap has that swap accepts but does not act on yet.
    case notImplemented = "SL206"
    /// A value swap raises to a minimum.
    case valueRaised = "SL207"
    /// A duration that cannot be parsed (`90s`, `1h30m`).
    case invalidDuration = "SL208"
    /// A URL that cannot be used as a proxy or peer address.
    case invalidURL = "SL209"
    /// A regular expression that cannot be compiled.
    case invalidPattern = "SL210"
    /// A `${PORT}` number counted up from `startPort` that passes 65535.
    case portOutOfRange = "SL211"
    /// An `apiKeys` entry that is empty or only whitespace.
    case emptyAPIKey = "SL212"
    /// An `apiKeys` entry with a space in it.
    case apiKeyWithSpace = "SL213"

    // MARK: references
    /// A reference to a model ID that no model has.
    case unknownModel = "SL301"
    /// Two models claim the same ID or alias.
    case duplicateModelName = "SL302"
    /// A model listed in two groups.
    case modelInTwoGroups = "SL303"
    /// A group lists the same member twice.
    case duplicateMember = "SL304"
    /// A model with neither `cmd` nor `proxy`.
    case missingCommand = "SL305"
    /// A selector whose target is another selector.
    case selectorChain = "SL306"
    /// An unqualified peer model name several peers provide, or one a local name shadows.
    case ambiguousPeerModel = "SL307"
    /// A selector or profile name that collides with a model, alias or peer name.
    case nameCollision = "SL308"

    // MARK: macros
    /// `${name}` where no macro `name` is in scope.
    case unknownMacro = "SL401"
    /// Macros that reference each other in a loop.
    case macroCycle = "SL402"
    /// A macro name that does not match `^[a-zA-Z0-9_-]+$` or is 64 characters or more.
    case invalidMacroName = "SL403"
    /// A macro named `PORT`, `PID` or `MODEL_ID`.
    case reservedMacroName = "SL404"
    /// `${env.NAME}` where `NAME` is not set in the environment.
    case unsetEnvironmentVariable = "SL405"
    /// `${PID}` outside `cmdStop`.
    case pidOutsideCmdStop = "SL406"
    /// A macro whose value is a list or mapping.
    case macroNotScalar = "SL407"
    /// `proxy` uses `${PORT}` but `cmd` does not.
    case portInProxyOnly = "SL408"
    /// A `cmd` with an unterminated quote or a lone trailing backslash.
    case commandSyntax = "SL409"
    /// A macro reached through more macros in a row than expansion follows.
    case macroNestingTooDeep = "SL410"
    /// Macro expansion that substitutes more references or text than a compile allows.
    case macroExpansionTooLarge = "SL411"

    // MARK: routing
    /// Both the legacy `groups`/`matrix` and `routing.router` are used.
    case routingConflict = "SL501"
    /// A matrix set expression that cannot be parsed.
    case matrixSyntax = "SL502"
    /// A matrix expression names something that is neither a var, a model nor a set.
    case matrixUnknownName = "SL503"
    /// Matrix sets that include each other in a loop.
    case matrixCycle = "SL504"
    /// A matrix var or set name that breaks the naming rules.
    case matrixInvalidName = "SL505"
    /// Matrix parentheses or `+set` chains nested deeper than the compiler follows.
    case matrixNestingTooDeep = "SL506"

    // MARK: locks
    /// The same parameter is both set and stripped at one level.
    case setStripConflict = "SL601"
    /// A later level changes a parameter an earlier level declared `final`.
    case finalOverridden = "SL602"
    /// A lock on `model`, which can never be stripped or set.
    case protectedParameter = "SL603"
    /// A clamp with no bound, a non-numeric bound, or `min` above `max`.
    case invalidClamp = "SL604"

    // MARK: paths
    /// The program `cmd` runs does not exist (opt-in `--check-paths`).
    case commandNotFound = "SL701"
    /// The program `cmd` runs is not executable (opt-in `--check-paths`).
    case commandNotExecutable = "SL702"
    /// A reload whose compile, checked in a child process, crashed or passed its limits.
    case compileStopped = "SL705"

    /// The severity diagnostics with this code have unless a stage says otherwise.
    public var defaultSeverity: Severity {
        switch self {
        case .unknownKey, .notImplemented, .valueRaised, .unknownSuppression, .setStripConflict,
            .protectedParameter, .multipleDocuments, .commandSyntax:
            .warning
        default: .error
        }
    }

    /// The group this code belongs to, as printed by `swap-lint explain`.
    public var group: String {
        switch rawValue.dropFirst(2).first {
        case "0": "linter"
        case "1": "syntax"
        case "2": "schema"
        case "3": "references"
        case "4": "macros"
        case "5": "routing"
        case "6": "locks"
        default: "paths"
        }
    }

    /// A short kebab-case name, used as the SARIF rule name.
    public var name: String {
        String(describing: self).reduce(into: "") { result, character in
            if character.isUppercase {
                result += "-" + character.lowercased()
            } else {
                result.append(character)
            }
        }
    }
}
