import ConfigLang

/// `swap-lint schema`: prints the JSON Schema generated from ConfigLang's types.
enum SchemaCommand {
    static func run() {
        print(JSONSchemaGenerator.generate(), terminator: "")
    }
}
