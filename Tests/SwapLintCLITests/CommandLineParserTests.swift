import ConfigLang
import Testing

@testable import SwapLintCLI

/// `swap-lint`'s command line, parsed without running anything.
@Suite struct CommandLineParserTests {
    private func run(_ arguments: [String]) -> SwapLintCommand? {
        guard case .run(let command) = SwapLintCommandLine.parse(arguments) else { return nil }
        return command
    }

    private func check(_ arguments: [String]) -> CheckOptions? {
        guard case .check(let options) = run(arguments) else { return nil }
        return options
    }

    private func usageError(_ arguments: [String]) -> String? {
        guard case .usageError(let text) = SwapLintCommandLine.parse(arguments) else { return nil }
        return text
    }

    @Test func filesWithoutACommandWordAreChecked() {
        var expected = CheckOptions()
        expected.files = ["a.yaml", "b.yml", "c.yaml"]
        #expect(check(["a.yaml", "b.yml", "c.yaml"]) == expected)
        #expect(check(["check", "a.yaml", "b.yml", "c.yaml"]) == expected)
    }

    @Test func everyCheckOptionInBothSpellings() {
        var expected = CheckOptions()
        expected.files = ["a.yaml", "b.yaml"]
        expected.configDirectory = "conf.d"
        expected.format = .sarif
        expected.failLevel = .note
        expected.strict = true
        expected.checkPaths = true
        expected.color = .never
        let separate = [
            "a.yaml", "--config-dir", "conf.d", "--format", "sarif", "--fail-level", "note", "--strict",
            "b.yaml", "--check-paths", "--color", "never",
        ]
        let joined = [
            "check", "--config-dir=conf.d", "a.yaml", "--format=sarif", "--fail-level=note", "--strict",
            "--check-paths", "--color=never", "b.yaml",
        ]
        #expect(check(separate) == expected)
        #expect(check(joined) == expected)
    }

    @Test func configDirectoryAloneIsEnough() {
        var expected = CheckOptions()
        expected.configDirectory = "conf.d"
        #expect(check(["--config-dir", "conf.d"]) == expected)
    }

    @Test func aRepeatedOptionKeepsItsLastValue() {
        #expect(check(["--format", "json", "--format=gnu", "a.yaml"])?.format == .gnu)
    }

    @Test func doubleDashEndsTheOptions() {
        #expect(check(["--strict", "--", "--weird.yaml", "-", "--help"])?.files == ["--weird.yaml", "-", "--help"])
        #expect(check(["-"])?.files == ["-"])
    }

    @Test func planDiffSchemaAndExplain() {
        var plan = PlanOptions(file: "c.yaml")
        plan.model = "coder"
        plan.format = .yaml
        plan.configDirectory = "d"
        #expect(run(["plan", "c.yaml", "--model", "coder", "--format=yaml", "--config-dir", "d"]) == .plan(plan))
        #expect(run(["plan", "c.yaml"]) == .plan(PlanOptions(file: "c.yaml")))

        var diff = DiffOptions(old: "old.yaml", new: "new.yaml")
        #expect(run(["diff", "old.yaml", "new.yaml"]) == .diff(diff))
        diff.format = .json
        #expect(run(["diff", "--format", "json", "old.yaml", "new.yaml"]) == .diff(diff))

        #expect(run(["schema"]) == .schema)
        #expect(run(["explain", "SL201"]) == .explain(ExplainOptions(code: "SL201")))
        #expect(run(["explain", "--list"]) == .explain(ExplainOptions(list: true)))
        #expect(run(["explain"]) == .explain(ExplainOptions()))
    }

    @Test func unknownOptionSuggestsTheClosestAndWhereTheHelpIs() throws {
        let text = try #require(usageError(["--strcit", "a.yaml"]))
        #expect(
            text == """
                error: unknown option `--strcit`; did you mean `--strict`?
                usage: swap-lint check [<files> ...] [--config-dir <config-dir>] [--format <format>] \
                [--fail-level <fail-level>] [--strict] [--check-paths] [--color <color>]
                run `swap-lint check --help` to see every option

                """)
        #expect(
            usageError(["plan", "c.yaml", "--modle", "x"])?.hasPrefix(
                "error: unknown option `--modle`; did you mean `--model`?\n") == true)
        #expect(usageError(["--zzzzzz", "a.yaml"])?.hasPrefix("error: unknown option `--zzzzzz`\n") == true)
        #expect(usageError(["-x", "a.yaml"])?.hasPrefix("error: unknown option `-x`\n") == true)
        #expect(
            usageError(["-strict", "a.yaml"])?.hasPrefix("error: unknown option `-strict`; did you mean `--strict`?\n")
                == true)
        #expect(usageError(["--model", "m", "a.yaml"])?.hasPrefix("error: unknown option `--model`") == true)
    }

    @Test func missingValue() {
        #expect(
            usageError(["a.yaml", "--format"])?.hasPrefix(
                "error: `--format` needs a value (one of: human, gnu, json, sarif, github): write `--format <format>`\n"
            )
                == true)
        #expect(
            usageError(["plan", "c.yaml", "--model", "--format", "json"])?.hasPrefix(
                "error: `--model` needs a value: write `--model <model>`\n") == true)
    }

    @Test func invalidChoiceListsTheAllowedValues() {
        #expect(
            usageError(["--format", "xml", "a.yaml"])?.hasPrefix(
                "error: `xml` is not a valid value for `--format`; use one of: human, gnu, json, sarif, github\n")
                == true)
        #expect(
            usageError(["--fail-level=fatal", "a.yaml"])?.hasPrefix(
                "error: `fatal` is not a valid value for `--fail-level`; use one of: note, warning, error\n") == true)
        #expect(
            usageError(["diff", "a", "b", "--format", "yaml"])?.hasPrefix(
                "error: `yaml` is not a valid value for `--format`; use one of: text, json\n") == true)
    }

    @Test func flagsTakeNoValue() {
        #expect(
            usageError(["--strict=true", "a.yaml"])?.hasPrefix(
                "error: `--strict` is a flag and takes no value, but `true` was given; write `--strict` alone\n")
                == true)
    }

    @Test func missingAndExtraArguments() {
        #expect(
            usageError([])?.hasPrefix(
                "error: give at least one config file, or --config-dir DIR (`swap-lint config.yaml`)\n") == true)
        #expect(usageError(["check", "--strict"]) != nil)
        #expect(
            usageError(["plan"])?.hasPrefix("error: missing the <file> argument (the config file.)\n") == true)
        #expect(
            usageError(["diff", "old.yaml"])?.hasPrefix(
                "error: missing the <new> argument (the config as it will be.)\n") == true)
        #expect(
            usageError(["plan", "a.yaml", "b.yaml"])?.hasPrefix(
                "error: unexpected argument `b.yaml`: `plan` takes no more arguments\n") == true)
        #expect(
            usageError(["schema", "x"])?.hasPrefix("error: unexpected argument `x`: `schema` takes no arguments\n")
                == true)
    }

    @Test func helpAndVersionWinOverEverythingElse() {
        let root = SwapLintRequest.help(HelpRenderer.render(SwapLintCommandLine.tool))
        let check = SwapLintRequest.help(HelpRenderer.render(SwapLintCommandLine.check, of: SwapLintCommandLine.tool))
        let plan = SwapLintRequest.help(HelpRenderer.render(SwapLintCommandLine.plan, of: SwapLintCommandLine.tool))
        #expect(SwapLintCommandLine.parse(["--help"]) == root)
        #expect(SwapLintCommandLine.parse(["-h"]) == root)
        #expect(SwapLintCommandLine.parse(["help"]) == root)
        #expect(SwapLintCommandLine.parse(["help", "nothing"]) == root)
        #expect(SwapLintCommandLine.parse(["help", "plan"]) == plan)
        #expect(SwapLintCommandLine.parse(["-h", "plan"]) == plan)
        #expect(SwapLintCommandLine.parse(["plan", "--help"]) == plan)
        #expect(SwapLintCommandLine.parse(["check", "--bogus", "-h"]) == check)
        #expect(SwapLintCommandLine.parse(["a.yaml", "--help"]) == check)
        #expect(SwapLintCommandLine.parse(["--version"]) == .version("0.1.0\n"))
        #expect(SwapLintCommandLine.parse(["check", "--version"]) == .version("0.1.0\n"))
        #expect(run(["--", "--version"]) == .check(filesOnly(["--version"])))
    }

    private func filesOnly(_ files: [String]) -> CheckOptions {
        var options = CheckOptions()
        options.files = files
        return options
    }
}
