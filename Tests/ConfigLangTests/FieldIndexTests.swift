import Testing

@testable import ConfigLang

@Suite struct FieldIndexTests {
    static func schema(_ keys: [String]) -> ObjectSchema {
        ObjectSchema("test", "a test object", fields: keys.map { FieldSchema($0, .string, "") })
    }

    @Test("every field of the real schemas is found, and only those")
    func realSchemas() {
        for object in [ConfigSchema.root, ConfigSchema.model, ConfigSchema.timeouts, ConfigSchema.selector] {
            for field in object.fields {
                #expect(object.field(field.key)?.key == field.key)
                #expect(object.field(field.key + "x") == nil)
                #expect(object.field(String(field.key.dropLast())) == nil || field.key.count == 1)
            }
            #expect(object.field("") == nil)
            #expect(object.field("noSuchKeyAnywhere") == nil)
        }
    }

    @Test("names that share length, first and last byte, empty and non-ASCII names")
    func collisions() {
        let keys = ["abc", "aXc", "a-c", "", "é", "ü", "cmd", "cmdStop", "a", "abcdefghijklmnopqrstuvwxyz"]
        let object = Self.schema(keys)
        for key in keys { #expect(object.field(key)?.key == key, "\(key)") }
        for absent in ["aYc", "ab", "e\u{301}", "abcdefghijklmnopqrstuvwxyZ", "cmdstop"] {
            #expect(object.field(absent) == nil, "\(absent)")
        }
    }

    @Test("a schema of many fields fills the table without losing one")
    func manyFields() {
        let keys = (0..<200).map { "field\($0)" }
        let object = Self.schema(keys)
        for key in keys { #expect(object.field(key)?.key == key) }
        #expect(object.field("field200") == nil)
    }
}
