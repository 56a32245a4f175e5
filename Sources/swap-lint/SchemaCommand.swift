import ArgumentParser
import ConfigLang

/// `swap-lint schema`: prints the JSON Schema generated from ConfigLang's types.
struct SchemaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "schema", abstract: "Print the JSON Schema of the config format.")

    func run() throws {
        print(JSONSchemaGenerator.generate(), terminator: "")
    }
}
