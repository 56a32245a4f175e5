/// The config format: llama-swap's keys plus swap's extensions, as ``SchemaType`` values.
///
/// This is the single description of the format. The validator, `swap-lint schema`
/// and the checked-in `schemas/config.schema.json` all come from it.
public enum ConfigSchema {
    /// The whole file.
    public static let root: ObjectSchema = ObjectSchema(
        "the top level", "A swap (llama-swap compatible) configuration file.",
        fields: [
            FieldSchema("healthCheckTimeout", .integer(min: 0), "Seconds to wait for a model to become ready."),
            FieldSchema("models", .map(.object(model)), "Model definitions keyed by model ID.", required: true),
            // PLACEHOLDER: the schema helper completes every key.
        ])

    /// One model.
    public static let model: ObjectSchema = ObjectSchema(
        "a model", "How to start and reach one inference backend.",
        fields: [
            FieldSchema("cmd", .string, "Command that starts the backend."),
            FieldSchema("proxy", .string, "URL requests are forwarded to."),
        ])
}
